//! `pathways prune --keep N`: keeps the N most recently published releases, the
//! served one, its rollback target, releases staged after it and releases
//! scheduled for publication, deletes the rest in one transaction, and says
//! what it kept and why.

use super::{open, runtime, DatabaseOpts, OutputFormat};
use pathways_store::queries::history::{self, Kept, PruneError, Pruned};
use serde_json::json;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// How many of the most recently published releases to keep (the served
    /// release, its rollback target, releases staged after it and scheduled
    /// releases are kept besides).
    #[arg(long)]
    pub keep: usize,
    /// Remove this release too, whatever would keep it (never the served one,
    /// nor a scheduled one until its schedule is cancelled); repeat for several.
    #[arg(long = "remove", value_name = "ID")]
    pub remove: Vec<i32>,
    /// Say what would be removed and kept, and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let pruned = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        super::overdue::publish_and_say(&db, "prune").await?;
        anyhow::Ok(history::prune(&db, opts.keep, &opts.remove, opts.dry_run).await)
    })?;
    let pruned = match pruned {
        Ok(pruned) => pruned,
        Err(error) => {
            let message = match &error {
                PruneError::Db(e) => format!("Failed to prune; nothing was removed: {e}"),
                other => format!("{other}; nothing was removed"),
            };
            return super::refuse(opts.format, message);
        }
    };
    match opts.format {
        OutputFormat::Json => super::print_json(&document(&pruned, &opts))?,
        OutputFormat::Human => out!("{}", human(&pruned, opts.dry_run)),
    }
    Ok(ExitCode::SUCCESS)
}

fn document(pruned: &Pruned, opts: &Opts) -> serde_json::Value {
    let kept: Vec<_> = pruned
        .kept
        .iter()
        .map(|k| json!({"id": k.release.id, "reasons": k.reasons}))
        .collect();
    json!({
        "dry_run": opts.dry_run,
        "keep": opts.keep,
        "removed": pruned.removed.iter().map(|r| r.id).collect::<Vec<_>>(),
        "kept": kept,
    })
}

fn human(pruned: &Pruned, dry_run: bool) -> String {
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut out = String::new();
    if pruned.removed.is_empty() {
        out.push_str("nothing to remove\n");
    }
    for r in &pruned.removed {
        out.push_str(&format!(
            "{verb} release {} ({}, imported {})\n",
            r.id,
            super::short_hash(&r.content_hash),
            r.imported_at
        ));
    }
    for Kept { release, reasons } in &pruned.kept {
        let why: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
        out.push_str(&format!(
            "kept release {}: {}\n",
            release.id,
            why.join(", ")
        ));
    }
    out
}
