//! `pathways export-page`: the served release in the page-export format.

use super::{runtime, DatabaseOpts};
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
        let db = pathways_store::connect(&opts.database.url)
            .await
            .context("Failed to open the database")?;
        let release = pathways_store::queries::write::latest(&db)
            .await?
            .context("The database holds no release yet: run `pathways ingest` first")?;
        let content = pathways_store::queries::read::read_release(&db, &release).await?;
        anyhow::Ok(pathways_ingest::page::render(&content))
    })?;
    match opts.out {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("Failed to write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
