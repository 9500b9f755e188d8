//! `pathways prune --keep N`: deletes all but the N newest releases, never the
//! published one, in one transaction, and says what it removed.

use super::{open, runtime, DatabaseOpts, OutputFormat};
use anyhow::Context;
use serde_json::json;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// How many of the newest releases to keep (the published one is kept besides).
    #[arg(long)]
    pub keep: usize,
    /// Say what would be removed, and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let removed = runtime()?.block_on(async {
        let db = open(&opts.database).await?;
        super::overdue::publish_and_say(&db, "prune").await?;
        pathways_store::queries::releases::prune(&db, opts.keep, opts.dry_run)
            .await
            .context("Failed to prune; nothing was removed")
    })?;
    let ids: Vec<i32> = removed.iter().map(|r| r.id).collect();
    match opts.format {
        OutputFormat::Json => {
            super::print_json(&json!({"dry_run": opts.dry_run, "removed": ids, "kept": opts.keep}))?
        }
        OutputFormat::Human => {
            let verb = if opts.dry_run {
                "would remove"
            } else {
                "removed"
            };
            if removed.is_empty() {
                println!(
                    "nothing to remove: at most {} releases besides the published one",
                    opts.keep
                );
            }
            for r in &removed {
                println!(
                    "{verb} release {} ({}, imported {})",
                    r.id,
                    super::short_hash(&r.content_hash),
                    r.imported_at
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
