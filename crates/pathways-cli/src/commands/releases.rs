//! `pathways releases`: every release, newest first, with its status.

use super::{open_read_only, runtime, DatabaseOpts, OutputFormat};
use anyhow::Context;
use pathways_model::ListedRelease;
use pathways_store::queries::releases;
use serde_json::{json, Value};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub database: DatabaseOpts,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let list = runtime()?.block_on(async {
        let db = open_read_only(&opts.database.url).await?;
        releases::list(&db)
            .await
            .context("Failed to read the releases")
    })?;
    match opts.format {
        OutputFormat::Json => {
            let document = json!({"releases": list.iter().map(release_json).collect::<Vec<_>>()});
            super::print_json(&document)?;
        }
        OutputFormat::Human => print!("{}", table(&list)),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn release_json(info: &ListedRelease) -> Value {
    let r = &info.release;
    json!({
        "id": r.id,
        "content_hash": r.content_hash,
        "imported_at": r.imported_at,
        "published_at": info.published_at,
        "status": info.status,
        "counts": r.counts,
        "note": r.note,
    })
}

fn table(list: &[ListedRelease]) -> String {
    if list.is_empty() {
        return "no releases yet: `pathways ingest PATH` writes one\n".to_owned();
    }
    let mut out = format!(
        "{:>4}  {:<9}  {:<12}  {:<20}  {:<20}  {:>5}  {}\n",
        "id", "status", "content", "imported", "published", "steps", "note"
    );
    for info in list {
        let r = &info.release;
        out.push_str(&format!(
            "{:>4}  {:<9}  {:<12}  {:<20}  {:<20}  {:>5}  {}\n",
            r.id,
            info.status.as_str(),
            super::short_hash(&r.content_hash),
            r.imported_at,
            info.published_at.as_deref().unwrap_or("-"),
            r.counts.steps,
            r.note.as_deref().unwrap_or("")
        ));
    }
    out
}
