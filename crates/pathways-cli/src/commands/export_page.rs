//! `pathways export-page`: the published release in the page-export format.

use super::{open_read_only, runtime, DatabaseOpts};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub database: DatabaseOpts,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let text = runtime()?.block_on(async {
        let db = open_read_only(&opts.database.url).await?;
        let release = pathways_store::queries::releases::published(&db)
            .await?
            .context(
                "No release is published yet: run `pathways ingest` or `pathways publish` first",
            )?;
        let content = pathways_store::queries::read::read_release(&db, release.id).await?;
        anyhow::Ok(pathways_ingest::page::render(&content))
    })?;
    match opts.out {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("Failed to write {}", path.display()))?,
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
