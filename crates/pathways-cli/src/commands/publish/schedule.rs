//! `pathways publish ID --at TIME`, `--in DURATION` and `--cancel ID`:
//! scheduled publishing. A server publishes the release at its time (exactly
//! one, however many run); with none running, the next `serve` or release
//! command does, and says so.

use super::{nothing_changed, Opts};
use crate::commands::{open, refuse, runtime, DatabaseOpts, OutputFormat};
use pathways_store::queries::publish::unix_millis;
use pathways_store::queries::schedule::{self, ScheduleError};
use serde_json::json;
use std::process::ExitCode;

/// What was asked: to schedule a release, or to cancel its schedule.
pub enum Request {
    /// Publish `release` at `at` (Unix ms).
    At {
        release: i32,
        at: i64,
    },
    Cancel(i32),
}

impl Request {
    /// The scheduling `opts` ask for, if any (none: publish now).
    pub fn of(opts: &Opts) -> Option<Request> {
        if let Some(release) = opts.cancel {
            return Some(Request::Cancel(release));
        }
        let release = opts.id?;
        let at = match (opts.at, opts.after) {
            (Some(at), _) => at,
            (None, Some(after)) => {
                unix_millis().saturating_add(i64::try_from(after.as_millis()).unwrap_or(i64::MAX))
            }
            (None, None) => return None,
        };
        Some(Request::At { release, at })
    }
}

pub fn run(
    request: Request,
    database: &DatabaseOpts,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let done = runtime()?.block_on(async {
        let db = open(database).await?;
        crate::commands::overdue::publish_and_say(&db, "publish").await?;
        let now = unix_millis();
        anyhow::Ok(match request {
            Request::At { release, at } => schedule::schedule(&db, release, at, now)
                .await
                .map(|s| (s.schedule, s.replaced)),
            Request::Cancel(release) => {
                schedule::cancel(&db, release, now).await.map(|s| (s, None))
            }
        })
    })?;
    let (schedule, replaced) = match done {
        Ok(done) => done,
        Err(error) => {
            let database = match &error {
                ScheduleError::Db(e) => Some(e),
                _ => None,
            };
            return refuse(format, nothing_changed("schedule", database, &error));
        }
    };
    let (id, at) = (
        schedule.release_id,
        crate::commands::time(schedule.publish_at),
    );
    let cancelled = schedule.cancelled_at.is_some();
    if format == OutputFormat::Json {
        crate::commands::print_json(&json!({
            "status": if cancelled { "cancelled" } else { "scheduled" },
            "release": {"id": id},
            "publish_at": at,
            "replaced": replaced.map(|r| crate::commands::time(r.publish_at)),
        }))?;
    } else if cancelled {
        outln!("cancelled: release {id} will not be published at {at}");
    } else {
        let wait = std::time::Duration::from_secs(
            u64::try_from((schedule.publish_at - unix_millis()) / 1000).unwrap_or(0),
        );
        let moved = replaced.map_or(String::new(), |r| {
            format!(", moved from {}", crate::commands::time(r.publish_at))
        });
        outln!(
            "scheduled: release {id} will be published at {at} (in {}{moved}) by a running server, or by the next `pathways serve` or release command after that",
            humantime::format_duration(wait)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// An RFC 3339 time with its offset (`Z`, `+01:00`), as Unix ms.
pub fn rfc3339(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let expected = "expected RFC 3339 with an offset, such as 2026-12-07T09:00:00Z or 2026-12-07T09:00:00+01:00";
    let (local, offset_minutes) = match text.strip_suffix(['Z', 'z']) {
        Some(local) => (local, 0),
        None => {
            let split = text
                .len()
                .checked_sub(6)
                .filter(|&at| text.is_char_boundary(at));
            let (local, offset) = split
                .map(|at| text.split_at(at))
                .ok_or_else(|| expected.to_owned())?;
            (local, offset_of(offset).ok_or_else(|| expected.to_owned())?)
        }
    };
    let at = humantime::parse_rfc3339_weak(local).map_err(|e| format!("{e}: {expected}"))?;
    let ms = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| expected.to_owned())?
        .as_millis();
    Ok(i64::try_from(ms).map_err(|_| expected.to_owned())? - offset_minutes * 60_000)
}

/// `+HH:MM` or `-HH:MM` in minutes.
fn offset_of(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let sign = match bytes.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if bytes.get(3) != Some(&b':') {
        return None;
    }
    let hours: i64 = text.get(1..3)?.parse().ok()?;
    let minutes: i64 = text.get(4..6)?.parse().ok()?;
    (hours < 24 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("2026-12-07T09:00:00Z", 1_796_634_000_000; "utc")]
    #[test_case("2026-12-07T09:00:00+01:00", 1_796_630_400_000; "an hour ahead")]
    #[test_case("2026-12-07T09:00:00-05:30", 1_796_653_800_000; "behind, with minutes")]
    #[test_case("2026-12-07T09:00:00.250Z", 1_796_634_000_250; "fraction")]
    fn times_with_offsets(text: &str, ms: i64) {
        assert_eq!(rfc3339(text), Ok(ms));
    }

    #[test_case("2026-12-07T09:00:00"; "no offset")]
    #[test_case("2026-12-07 09:00"; "no seconds")]
    #[test_case("monday 9am"; "words")]
    #[test_case("2026-12-07T09:00:00+25:00"; "offset out of range")]
    #[test_case("é"; "short")]
    fn refuses_what_is_not_rfc_3339(text: &str) {
        let error = rfc3339(text).unwrap_err();
        assert!(error.contains("RFC 3339"), "{error}");
    }
}
