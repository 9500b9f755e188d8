//! `pathways ingest PATH...`: validate, deduplicate and write one release in
//! one transaction, published unless `--stage`; `--dry-run` writes nothing
//! anywhere and prints what would change for readers. Publishing content
//! that removes more than half of what is served needs `--allow-shrink`.

mod shrink;

use super::{open, redact, runtime, ContentOpts, DatabaseOpts, Format};
use crate::{changes, report};
use anyhow::Context;
use pathways_model::diff::{diff, Change, Summary};
use pathways_model::{Counts, Release, ReleaseDescription};
use pathways_store::queries::write::{self, WriteOptions, WriteOutcome};
use pathways_store::Existing;
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub content: ContentOpts,
    #[command(flatten)]
    pub database: DatabaseOpts,
    /// Validate and plan, print what would change for readers, and write nothing anywhere.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the release without publishing it (`pathways publish ID` later).
    #[arg(long)]
    pub stage: bool,
    /// A note stored with the release.
    #[arg(long)]
    pub note: Option<String>,
    /// Publish even when the content removes more than half of the published
    /// release's professions or steps.
    #[arg(long)]
    pub allow_shrink: bool,
}

/// What an ingest did, or with `--dry-run` would do.
struct Outcome {
    /// `created`, `published`, `unchanged`, or with `--dry-run` `would create`,
    /// `would publish`, `unchanged`.
    status: &'static str,
    release: Option<ReleaseDescription>,
    published: bool,
    /// What changes (or would change) for readers, when readers get something new.
    changes: Option<Vec<Change>>,
    note: Option<String>,
    /// Why nothing was (or would be) written: the content guts the published release.
    refused: Option<shrink::Shrink>,
}

impl Outcome {
    fn refused(shrink: shrink::Shrink) -> Outcome {
        Outcome {
            status: "refused",
            release: None,
            published: false,
            changes: None,
            note: None,
            refused: Some(shrink),
        }
    }
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let validation = pathways_ingest::validate_release(&opts.content.paths, opts.content.limits());
    let Some(plan) = validation.plan() else {
        let code = report::exit_code(&validation.problems);
        if opts.content.format == Format::Json {
            let mut document = json!({"status": "invalid", "dry_run": opts.dry_run, "published": false, "release": null});
            document["problems"] = serde_json::to_value(&validation.problems)?;
            super::print_json(&document)?;
        } else {
            let format = opts.content.format;
            report::print_problems(&findings(&validation), format, opts.content.limits());
            report::say(format, &report::summary(&validation));
            report::say(format, "invalid: nothing was written");
        }
        return Ok(ExitCode::from(code));
    };
    let counts = plan.counts();
    let outcome = runtime()?.block_on(async {
        if opts.dry_run {
            dry_run(&opts, &plan).await
        } else {
            ingest(&opts, &plan).await
        }
    })?;
    if opts.content.format == Format::Json {
        let mut document = result_json(&outcome, counts, opts.dry_run);
        document["problems"] = serde_json::to_value(&validation.problems)?;
        super::print_json(&document)?;
    } else {
        let format = opts.content.format;
        report::print_problems(&findings(&validation), format, opts.content.limits());
        report::say(format, human(&outcome, counts, opts.dry_run).trim_end());
    }
    Ok(ExitCode::from(if outcome.refused.is_some() {
        report::EXIT_INVALID
    } else {
        report::EXIT_VALID
    }))
}

/// The shrink `plan` would be from the published release, unless it is staged
/// or allowed.
fn shrinks(
    opts: &Opts,
    published: Option<&ReleaseDescription>,
    plan: &Release,
) -> Option<shrink::Shrink> {
    if opts.stage || opts.allow_shrink {
        return None;
    }
    shrink::check(published?, plan.counts())
}

fn findings(validation: &pathways_ingest::Validation) -> report::Findings<'_> {
    report::Findings {
        command: "ingest",
        problems: &validation.problems,
        checked: &validation.checked,
    }
}

async fn ingest(opts: &Opts, plan: &Release) -> anyhow::Result<Outcome> {
    let db = open(&opts.database).await?;
    super::overdue::publish_and_say(&db, "ingest").await?;
    let published = pathways_store::queries::releases::published(&db).await?;
    if let Some(shrink) = shrinks(opts, published.as_ref(), plan) {
        return Ok(Outcome::refused(shrink));
    }
    let options = WriteOptions {
        stage: opts.stage,
        note: opts.note.clone(),
    };
    let mut progress = progress_reporter();
    let written = write::write(&db, plan, &options, &mut progress)
        .await
        .context("Failed to write the release; nothing was changed")?;
    finish_progress();
    let status = match (&written.outcome, &written.publication) {
        (WriteOutcome::Created(_), _) => "created",
        (WriteOutcome::Unchanged(_), Some(_)) => "published",
        (WriteOutcome::Unchanged(_), None) => "unchanged",
    };
    Ok(Outcome {
        status,
        note: written.outcome.release().note.clone(),
        release: Some(written.outcome.release().clone()),
        published: written.published,
        changes: written.publication.map(|p| p.changes),
        refused: None,
    })
}

/// Says what ingesting would do without creating, migrating or writing anything.
async fn dry_run(opts: &Opts, plan: &Release) -> anyhow::Result<Outcome> {
    let url = &opts.database.url;
    super::using(url);
    let db = match pathways_store::open_existing(url)
        .await
        .with_context(|| format!("Failed to open the database {}", redact(url)))?
    {
        Existing::Ready(db) => Some(db),
        // An older schema: the migrations a real ingest runs first would change
        // it, so there is no published release to compare against here.
        Existing::NotMigrated { .. } | Existing::Missing => None,
    };
    let (existing, published) = match &db {
        Some(db) => {
            let existing =
                pathways_store::queries::releases::by_hash(db, &plan.content_hash()).await?;
            let published = match pathways_store::queries::releases::published(db).await? {
                Some(row) => {
                    let content = pathways_store::queries::read::read_release(db, row.id).await?;
                    Some((row, content))
                }
                None => None,
            };
            (existing, published)
        }
        None => (None, None),
    };
    if let Some(shrink) = shrinks(opts, published.as_ref().map(|(row, _)| row), plan) {
        return Ok(Outcome::refused(shrink));
    }
    let is_published = matches!((&existing, &published), (Some(e), Some((p, _))) if e.id == p.id);
    let (status, published_after) = match (&existing, opts.stage) {
        (None, true) => ("would create", false),
        (None, false) => ("would create", true),
        (Some(_), true) => ("unchanged", is_published),
        (Some(_), false) if is_published => ("unchanged", true),
        (Some(_), false) => ("would publish", true),
    };
    let changes = (published_after && !is_published).then(|| {
        let empty = Release::default();
        let before = published.as_ref().map_or(&empty, |(_, content)| content);
        diff(before, plan)
    });
    Ok(Outcome {
        status,
        note: existing
            .as_ref()
            .and_then(|r| r.note.clone())
            .or(opts.note.clone()),
        release: existing,
        published: published_after,
        changes,
        refused: None,
    })
}

fn result_json(outcome: &Outcome, counts: Counts, dry_run: bool) -> Value {
    let mut document = json!({
        "status": outcome.status,
        "dry_run": dry_run,
        "published": outcome.published,
        "release": outcome.release.as_ref().map(|r| json!({"id": r.id, "content_hash": r.content_hash, "imported_at": r.imported_at})),
        "note": outcome.note,
        "professions": counts.professions,
        "pathways": counts.pathways,
        "steps": counts.steps,
        "roles": counts.roles,
        "shared_roles": counts.shared_roles,
        "routes": counts.routes,
        "duplicates_merged": counts.duplicates_merged,
    });
    if let Some(found) = &outcome.changes {
        let (changes, summary) = changes::json(found);
        document["changes"] = changes;
        document["summary"] = summary;
    }
    if let Some(shrink) = &outcome.refused {
        document["refused"] = shrink.json();
        document["message"] = json!(shrink.message());
    }
    document
}

fn human(outcome: &Outcome, counts: Counts, dry_run: bool) -> String {
    if let Some(shrink) = &outcome.refused {
        return shrink.message();
    }
    let figures = format!(
        "{} professions, {} pathways, {} steps, {} roles ({} shared), {} routes, {} duplicates merged",
        counts.professions, counts.pathways, counts.steps, counts.roles, counts.shared_roles, counts.routes, counts.duplicates_merged
    );
    let served = if outcome.published {
        "published"
    } else {
        "staged, not published"
    };
    let mut out = match (&outcome.release, outcome.status) {
        (Some(r), "created") => format!(
            "created release {} ({}), {served}: {figures}\n",
            r.id,
            super::short_hash(&r.content_hash)
        ),
        (Some(r), "published") => {
            format!("published release {}: it already held this content\n", r.id)
        }
        (Some(r), "would publish") => format!(
            "would publish release {}: it already holds this content (dry run: nothing written)\n",
            r.id
        ),
        (Some(r), _) => format!(
            "unchanged: release {} already holds this content ({}){}\n",
            r.id,
            if outcome.published {
                "published"
            } else {
                "not published"
            },
            if dry_run {
                " (dry run: nothing written)"
            } else {
                ""
            }
        ),
        (None, _) => format!(
            "would create a release{} (dry run: nothing written): {figures}\n",
            if outcome.published {
                " and publish it"
            } else {
                " and stage it"
            }
        ),
    };
    if let Some(found) = &outcome.changes {
        out.push_str(&changes::human(found));
        out.push_str(&format!("for readers: {}\n", Summary::of(found)));
    }
    out
}

/// Progress on a terminal; silence otherwise.
fn progress_reporter() -> impl FnMut(&str) + Send {
    let terminal = std::io::stderr().is_terminal();
    move |table: &str| {
        if terminal {
            eprint!("\r\x1b[2Kwriting {table}…");
            let _ = std::io::stderr().flush();
        }
    }
}

fn finish_progress() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}
