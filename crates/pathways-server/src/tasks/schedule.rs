//! Publishing scheduled releases at their time. Every server runs this; the
//! store publishes each due schedule in one transaction under the write lock,
//! so exactly one of them (or a release command, when no server ran)
//! publishes it, and the webhook event and notification follow as for any
//! publish. The task sleeps until the soonest schedule is due, and wakes
//! early when anything changed (a schedule made or cancelled is announced).

use super::Changes;
use crate::metrics::Metrics;
use pathways_store::queries::publish::unix_millis;
use pathways_store::queries::schedule::{self, ScheduledPublication};
use pathways_store::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;

/// Publishes what is due, for as long as the server runs, as `instance`,
/// after waiting `first` (what [`step`] returned, run before the server serves).
pub async fn run(
    db: DatabaseConnection,
    instance: String,
    changes: Arc<Changes>,
    metrics: Metrics,
    first: Duration,
) {
    let mut woken = changes.subscribe();
    let mut wait = first;
    loop {
        Changes::wait(&mut woken, wait).await;
        wait = step(&db, &instance, &changes, &metrics).await;
    }
}

/// Publishes what is due now; returns how long to wait before looking again:
/// until the soonest schedule, at most the poll interval. One statement when
/// nothing is due.
pub async fn step(
    db: &DatabaseConnection,
    instance: &str,
    changes: &Changes,
    metrics: &Metrics,
) -> Duration {
    let mut next = schedule::next_at(db).await;
    if matches!(next, Ok(Some(at)) if at <= unix_millis()) {
        match schedule::publish_due(db, unix_millis(), instance).await {
            Ok(done) => {
                for publication in &done {
                    metrics.record_scheduled_publication();
                    log(publication, "as scheduled");
                }
            }
            Err(error) => tracing::warn!(%error, "could not publish what was scheduled"),
        }
        next = schedule::next_at(db).await;
    }
    let poll = changes.poll_interval();
    match next {
        Ok(Some(at)) => {
            Duration::from_millis(u64::try_from(at.saturating_sub(unix_millis())).unwrap_or(0))
                .min(poll)
        }
        Ok(None) => poll,
        Err(error) => {
            tracing::warn!(%error, "could not read the schedules");
            poll
        }
    }
}

/// Logs a scheduled publication, saying how late it came.
pub fn log(publication: &ScheduledPublication, how: &str) {
    let schedule = &publication.schedule;
    let late_ms = schedule.published_at.unwrap_or(schedule.publish_at) - schedule.publish_at;
    tracing::info!(
        release = schedule.release_id,
        schedule = schedule.id,
        publish_at = %rfc3339(schedule.publish_at),
        late_ms,
        "published release {} {how} for {} ({} ms after that time)",
        schedule.release_id,
        rfc3339(schedule.publish_at),
        late_ms,
    );
}

/// Unix ms as RFC 3339, UTC, to the millisecond.
pub fn rfc3339(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_millis(at).to_string()
}
