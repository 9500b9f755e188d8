//! `pathways ingest PATH...`: validate, deduplicate and write one release in one transaction.

use super::{runtime, ContentOpts, DatabaseOpts, Format};
use crate::report;
use anyhow::Context;
use pathways_model::Counts;
use pathways_store::queries::write::{self, WriteOutcome};
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub content: ContentOpts,
    #[command(flatten)]
    pub database: DatabaseOpts,
    /// Validate and plan, say what would happen, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let validation = pathways_ingest::validate(&opts.content.paths, opts.content.limits());
    let Some(plan) = validation.plan() else {
        let code = report::exit_code(&validation.problems);
        if opts.content.format == Format::Json {
            let mut document = result_json("invalid", None, None, opts.dry_run);
            document["problems"] = serde_json::to_value(&validation.problems)?;
            println!("{}", serde_json::to_string_pretty(&document)?);
        } else {
            print!(
                "{}",
                report::human(&validation.problems, opts.content.format)
            );
            println!(
                "{}",
                report::summary(&validation.problems, validation.files)
            );
            println!("invalid: nothing was written");
        }
        return Ok(ExitCode::from(code));
    };
    let counts = plan.counts();
    let outcome = runtime()?.block_on(async {
        if opts.dry_run && !database_exists(&opts.database.url) {
            return Ok(None);
        }
        let db = pathways_store::connect(&opts.database.url)
            .await
            .with_context(|| {
                format!("Failed to open the database {}", redact(&opts.database.url))
            })?;
        if opts.dry_run {
            let latest = write::latest(&db).await?;
            return Ok(latest
                .filter(|r| r.content_hash == plan.content_hash())
                .map(WriteOutcome::Unchanged));
        }
        let mut progress = progress_reporter();
        let outcome = write::write_release(&db, &plan, &mut progress)
            .await
            .context("Failed to write the release; nothing was changed")?;
        finish_progress();
        anyhow::Ok(Some(outcome))
    })?;
    let (status, release) = match &outcome {
        Some(WriteOutcome::Created(r)) => ("created", Some(r)),
        Some(WriteOutcome::Unchanged(r)) => ("unchanged", Some(r)),
        None => ("created", None),
    };
    if opts.content.format == Format::Json {
        let mut document = result_json(status, release, Some(counts), opts.dry_run);
        document["problems"] = serde_json::to_value(&validation.problems)?;
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        print!(
            "{}",
            report::human(&validation.problems, opts.content.format)
        );
        let figures = format!(
            "{} professions, {} pathways, {} steps, {} roles ({} shared), {} routes, {} duplicates merged",
            counts.professions, counts.pathways, counts.steps, counts.roles, counts.shared_roles, counts.routes, counts.duplicates_merged
        );
        let dry = if opts.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        match release {
            Some(r) if status == "unchanged" => println!(
                "unchanged: release {} already holds this content{dry}",
                r.id
            ),
            Some(r) => println!(
                "created release {} ({}): {figures}",
                r.id,
                &r.content_hash[..12]
            ),
            None => println!("would create a release{dry}: {figures}"),
        }
    }
    Ok(ExitCode::from(report::EXIT_VALID))
}

fn result_json(
    status: &str,
    release: Option<&pathways_store::entities::release::Model>,
    counts: Option<Counts>,
    dry_run: bool,
) -> Value {
    let count = |f: fn(&Counts) -> usize| counts.as_ref().map_or(Value::Null, |c| json!(f(c)));
    json!({
        "status": status,
        "dry_run": dry_run,
        "release": release.map(|r| json!({"id": r.id, "content_hash": r.content_hash, "imported_at": r.imported_at})),
        "professions": count(|c| c.professions),
        "pathways": count(|c| c.pathways),
        "steps": count(|c| c.steps),
        "roles": count(|c| c.roles),
        "shared_roles": count(|c| c.shared_roles),
        "routes": count(|c| c.routes),
        "duplicates_merged": count(|c| c.duplicates_merged),
    })
}

/// A dry run never creates a database: a SQLite file that is not there has no release.
fn database_exists(url: &str) -> bool {
    match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(rest) => std::path::Path::new(rest.split('?').next().unwrap_or(rest)).exists(),
        None => true,
    }
}

/// Database URLs can hold passwords: keep them out of messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://***@h:5432/db"
        );
        assert_eq!(redact("sqlite://data/p.db"), "sqlite://data/p.db");
    }
}
