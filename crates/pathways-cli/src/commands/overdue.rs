//! Scheduled releases that are overdue because no server was running at
//! their time: `serve` and every release command publish them first, and say
//! so. The store makes sure each is published once, whoever gets there first.

use anyhow::Context;
use pathways_store::queries::publish::unix_millis;
use pathways_store::queries::schedule::{self, ScheduledPublication};
use pathways_store::DatabaseConnection;

/// Publishes what is overdue, as `pathways COMMAND (host:pid)`.
pub async fn publish(
    db: &DatabaseConnection,
    command: &str,
) -> anyhow::Result<Vec<ScheduledPublication>> {
    let by = format!(
        "pathways {command} ({})",
        pathways_server::config::default_instance()
    );
    schedule::publish_due(db, unix_millis(), &by)
        .await
        .context("Failed to publish the overdue scheduled releases")
}

/// Publishes what is overdue and says so on standard error.
pub async fn publish_and_say(db: &DatabaseConnection, command: &str) -> anyhow::Result<()> {
    for done in publish(db, command).await? {
        eprintln!("{}", describe(&done));
    }
    Ok(())
}

/// Whether something is overdue, asked of a database opened read-only (a
/// database not migrated this far has no schedules: nothing is).
pub async fn any(db: &DatabaseConnection) -> bool {
    schedule::next_at(db)
        .await
        .ok()
        .flatten()
        .is_some_and(|at| at <= unix_millis())
}

/// `published release 3, scheduled for …, 12m 3s late: no server was running then`.
pub fn describe(done: &ScheduledPublication) -> String {
    let schedule = &done.schedule;
    let late = schedule.published_at.unwrap_or(schedule.publish_at) - schedule.publish_at;
    let late = std::time::Duration::from_secs(u64::try_from(late / 1000).unwrap_or(0));
    let what = match done.outcome {
        pathways_store::queries::publish::PublishOutcome::Published(_) => "published",
        pathways_store::queries::publish::PublishOutcome::Unchanged(_) => "found already published",
    };
    format!(
        "{what} release {}, scheduled for {}, {} late: no server was running then",
        schedule.release_id,
        super::time(schedule.publish_at),
        humantime::format_duration(late)
    )
}
