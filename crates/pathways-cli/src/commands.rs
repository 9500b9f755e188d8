//! One module per subcommand, each with its `Opts` and `run`.

mod diff;
mod export_page;
mod import_page;
mod ingest;
mod prune;
mod publish;
mod releases;
mod serve;
mod validate;
mod webhooks;

use pathways_ingest::source::{Limits, DEFAULT_MAX_FILE_SIZE};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check content files and folders: syntax, JSON Schema, content rules.
    Validate(validate::Opts),
    /// Validate content and load it into the database as a new release.
    Ingest(ingest::Opts),
    /// Turn a page export into structured content files.
    ImportPage(import_page::Opts),
    /// Render the served release back into the page-export format.
    ExportPage(export_page::Opts),
    /// Serve the published release over GraphQL (ingesting the seeds into an empty database first).
    Serve(Box<serve::Opts>),
    /// List every release, newest first, with its status.
    Releases(releases::Opts),
    /// Make a release the one served.
    Publish(publish::Opts),
    /// Publish again the release that was published before the current one.
    Rollback(publish::RollbackOpts),
    /// Show what changes for readers between two releases or content folders.
    Diff(diff::Opts),
    /// Delete all but the newest releases (never the published one).
    Prune(prune::Opts),
    /// Webhook secrets and the events sent.
    #[command(subcommand)]
    Webhooks(webhooks::Command),
}

impl Command {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            Command::Validate(opts) => validate::run(opts),
            Command::Ingest(opts) => ingest::run(opts),
            Command::ImportPage(opts) => import_page::run(opts),
            Command::ExportPage(opts) => export_page::run(opts),
            Command::Serve(opts) => serve::run(*opts),
            Command::Releases(opts) => releases::run(opts),
            Command::Publish(opts) => publish::run(opts),
            Command::Rollback(opts) => publish::rollback(opts),
            Command::Diff(opts) => diff::run(opts),
            Command::Prune(opts) => prune::run(opts),
            Command::Webhooks(command) => webhooks::run(command),
        }
    }
}

/// Prints a JSON document, pretty, on standard output: what `--format json` gives.
fn print_json(document: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(document)?);
    Ok(())
}

/// The first 12 characters of a content hash: enough to tell releases apart.
fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Options shared by the commands that read content files.
#[derive(Debug, clap::Args)]
pub struct ContentOpts {
    /// Content files or folders (folders are searched for *.yaml, *.yml, *.json).
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Refuse files larger than this many bytes.
    #[arg(long, env = "PATHWAYS_MAX_FILE_SIZE", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// How to print problems and results.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

impl ContentOpts {
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size,
        }
    }
}

/// The database to use.
#[derive(Debug, clap::Args)]
pub struct DatabaseOpts {
    /// `sqlite://PATH` (the default, created on first use) or `postgres://...`.
    #[arg(long = "database", env = "DATABASE_URL", default_value = pathways_store::DEFAULT_DATABASE_URL)]
    pub url: String,
    /// Longest to wait for another process migrating or seeding the same database.
    #[arg(long, env = "PATHWAYS_LOCK_TIMEOUT", default_value = "60s", value_parser = humantime::parse_duration)]
    pub lock_timeout: std::time::Duration,
}

/// How commands that print no problems print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Lines for people.
    Human,
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical on a terminal, one line per problem otherwise.
    Human,
    /// Source lines with the problem marked, even when standard output is not a
    /// terminal (colour only on a terminal, and not under `NO_COLOR`).
    Graphical,
    /// Sentences, for screen readers.
    Narrated,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (`::error file=F,line=L,col=C,title=CODE::message`).
    Github,
    /// One SARIF 2.1.0 log on standard output (the outcome goes to standard error).
    Sarif,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("Failed to start the async runtime")
}

/// Opens the database for a command that changes it (migrating it first,
/// one process at a time).
async fn open(database: &DatabaseOpts) -> anyhow::Result<pathways_store::DatabaseConnection> {
    use anyhow::Context;
    pathways_store::connect_with(&database.url, database.lock_timeout)
        .await
        .with_context(|| format!("Failed to open the database {}", redact(&database.url)))
}

/// Opens the database for a command that only reads it: nothing is created or migrated.
async fn open_read_only(url: &str) -> anyhow::Result<pathways_store::DatabaseConnection> {
    use anyhow::Context;
    match pathways_store::open_existing(url)
        .await
        .with_context(|| format!("Failed to open the database {}", redact(url)))?
    {
        pathways_store::Existing::Ready(db) | pathways_store::Existing::NotMigrated { db, .. } => {
            Ok(db)
        }
        pathways_store::Existing::Missing => {
            anyhow::bail!(
                "there is no database at {}: run `pathways ingest` first",
                redact(url)
            )
        }
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
