//! `pathways publish ID` and `pathways rollback [--to ID]`: which release
//! readers get, changed in one transaction; both print what changes for readers.
//! Rollback walks back through the publications log (4 → 3 → 2 …).

use super::{open, runtime, DatabaseOpts, OutputFormat};
use crate::changes;
use crate::report::EXIT_VALID;
use pathways_model::diff::Summary;
use pathways_store::queries::publish::{self, PublishError, PublishOutcome};
use serde_json::json;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The release to publish (`pathways releases` lists them).
    pub id: i32,
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
    let outcome = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        anyhow::Ok(publish::publish(&db, opts.id).await)
    })?;
    finish(outcome, opts.format)
}

pub fn rollback(opts: RollbackOpts) -> anyhow::Result<ExitCode> {
    let outcome = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        anyhow::Ok(publish::rollback(&db, opts.to).await)
    })?;
    finish(outcome, opts.format)
}

fn finish(
    outcome: Result<PublishOutcome, PublishError>,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            let message = match &error {
                PublishError::Db(e) => format!("Failed to publish; nothing was changed: {e}"),
                other => format!("{other}; nothing was changed"),
            };
            return super::refuse(format, message);
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
