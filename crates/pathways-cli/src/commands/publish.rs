//! `pathways publish ID` and `pathways rollback [--to ID]`: which release
//! readers get, changed in one transaction; both print what changes for readers.
//! Rollback walks back through the publications log (4 → 3 → 2 …).
//! `publish ID --at TIME` (or `--in 2h`) schedules it instead, and
//! `publish --cancel ID` cancels that (see `schedule`).

mod schedule;

use super::{open, runtime, DatabaseOpts, OutputFormat};
use crate::changes;
use crate::report::EXIT_VALID;
use pathways_model::diff::Summary;
use pathways_store::queries::publish::{self, PublishError, PublishOutcome};
use serde_json::json;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The release to publish (`pathways releases` lists them).
    #[arg(required_unless_present = "cancel")]
    pub id: Option<i32>,
    /// Publish it at this time rather than now: RFC 3339 with its offset,
    /// such as `2026-12-07T09:00:00Z` or `2026-12-07T09:00:00+01:00`.
    #[arg(long, value_name = "TIME", value_parser = schedule::rfc3339, conflicts_with_all = ["after", "cancel"])]
    pub at: Option<i64>,
    /// Publish it this long from now rather than now (`2h`, `90m`, `1h 30m`).
    #[arg(long = "in", id = "after", value_name = "DURATION", value_parser = humantime::parse_duration, conflicts_with = "cancel")]
    pub after: Option<Duration>,
    /// Cancel the scheduled publication of release ID.
    #[arg(long, value_name = "ID", conflicts_with = "id")]
    pub cancel: Option<i32>,
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct RollbackOpts {
    /// Go back to this release (one published before, and kept) rather than to
    /// the one published before the release being served.
    #[arg(long)]
    pub to: Option<i32>,
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    if let Some(request) = schedule::Request::of(&opts) {
        return schedule::run(request, &opts.database, opts.format);
    }
    let Some(id) = opts.id else {
        anyhow::bail!("name the release to publish");
    };
    let outcome = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        super::overdue::publish_and_say(&db, "publish").await?;
        anyhow::Ok(publish::publish(&db, id).await)
    })?;
    finish(outcome, opts.format)
}

pub fn rollback(opts: RollbackOpts) -> anyhow::Result<ExitCode> {
    let outcome = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        super::overdue::publish_and_say(&db, "rollback").await?;
        anyhow::Ok(publish::rollback(&db, opts.to).await)
    })?;
    finish(outcome, opts.format)
}

/// Why a change failed, saying nothing was changed: a database failure as
/// such, any other as itself.
fn nothing_changed(
    what: &str,
    database: Option<&pathways_store::DbErr>,
    error: &dyn std::fmt::Display,
) -> String {
    match database {
        Some(e) => format!("Failed to {what}; nothing was changed: {e}"),
        None => format!("{error}; nothing was changed"),
    }
}

fn finish(
    outcome: Result<PublishOutcome, PublishError>,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            let database = match &error {
                PublishError::Db(e) => Some(e),
                _ => None,
            };
            return super::refuse(format, nothing_changed("publish", database, &error));
        }
    };
    match (&outcome, format) {
        (PublishOutcome::Unchanged(release), OutputFormat::Json) => super::print_json(
            &json!({"status": "unchanged", "release": {"id": release.id, "content_hash": release.content_hash}}),
        )?,
        (PublishOutcome::Unchanged(release), OutputFormat::Human) => {
            outln!(
                "unchanged: release {} is already the one published",
                release.id
            )
        }
        (PublishOutcome::Published(p), OutputFormat::Json) => {
            let (changes, summary) = changes::json(&p.changes);
            super::print_json(&json!({
                "status": "published",
                "release": {"id": p.release.id, "content_hash": p.release.content_hash, "published_at": p.published_at},
                "previous": p.previous.as_ref().map(|r| json!({"id": r.id, "content_hash": r.content_hash})),
                "event": p.event_id,
                "changes": changes,
                "summary": summary,
            }))?;
        }
        (PublishOutcome::Published(p), OutputFormat::Human) => {
            let was = p
                .previous
                .as_ref()
                .map_or("nothing was published before".to_owned(), |r| {
                    format!("was release {}", r.id)
                });
            outln!(
                "published release {} ({was}): {}",
                p.release.id,
                Summary::of(&p.changes)
            );
            out!("{}", changes::human(&p.changes));
        }
    }
    Ok(ExitCode::from(EXIT_VALID))
}
