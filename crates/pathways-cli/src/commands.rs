//! One module per subcommand, each with its `Opts` and `run`.

mod diff;
mod export_page;
mod import_page;
mod ingest;
mod overdue;
mod prune;
mod publish;
mod releases;
mod schema;
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
    /// Make a release the one served, now or at a given time (`--at`, `--in`).
    Publish(publish::Opts),
    /// Publish again the release that was published before the current one.
    Rollback(publish::RollbackOpts),
    /// Show what changes for readers between two releases or content folders.
    Diff(diff::Opts),
    /// Delete all but the newest releases (never the published one).
    Prune(prune::Opts),
    /// Print the JSON Schema a kind of content file is checked against.
    Schema(schema::Opts),
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
            Command::Schema(opts) => schema::run(opts),
            Command::Webhooks(command) => webhooks::run(command),
        }
    }

    /// Whether the command prints one JSON document (`--format json`), failures included.
    pub fn prints_json(&self) -> bool {
        match self {
            Command::Validate(opts) => opts.content.format == Format::Json,
            Command::Ingest(opts) => opts.content.format == Format::Json,
            Command::ImportPage(opts) => opts.format == Format::Json,
            Command::Diff(opts) => opts.format == Format::Json,
            Command::Releases(releases::Opts { format, .. })
            | Command::Publish(publish::Opts { format, .. })
            | Command::Rollback(publish::RollbackOpts { format, .. })
            | Command::Prune(prune::Opts { format, .. }) => *format == OutputFormat::Json,
            Command::Webhooks(command) => command.prints_json(),
            Command::Schema(_) | Command::ExportPage(_) | Command::Serve(_) => false,
        }
    }
}

/// The database this run uses, as shown to people (see [`using`]).
static DATABASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Says which database the command reads or writes: its absolute path (or URL,
/// password hidden) on standard error now, and `database` in its JSON document.
fn using(url: &str) {
    let shown = redact(&pathways_store::connection::absolute_url(url));
    eprintln!("database: {shown}");
    let _ = DATABASE.set(shown);
}

/// Prints a JSON document, pretty, on standard output: what `--format json`
/// gives. An object gains a `database` key when the command used one.
pub fn print_json(document: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut document = serde_json::to_value(document)?;
    if let (Some(map), Some(database)) = (document.as_object_mut(), DATABASE.get()) {
        map.entry("database")
            .or_insert_with(|| database.clone().into());
    }
    outln!("{}", serde_json::to_string_pretty(&document)?);
    Ok(())
}

/// A refusal that changed nothing: one JSON document or one line on standard
/// error, and exit 2.
fn refuse(format: OutputFormat, message: String) -> anyhow::Result<ExitCode> {
    if format == OutputFormat::Json {
        print_json(&serde_json::json!({"status": "failed", "error": message}))?;
    } else {
        eprintln!("error: {message}");
    }
    Ok(ExitCode::from(crate::report::EXIT_USAGE))
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
    /// JUnit XML on standard output: a test case per file (the outcome goes to standard error).
    Junit,
    /// GitLab Code Quality (Code Climate) JSON on standard output (the outcome goes to standard error).
    Codeclimate,
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
/// one process at a time), and says which it is.
async fn open(database: &DatabaseOpts) -> anyhow::Result<pathways_store::DatabaseConnection> {
    using(&database.url);
    connect(database).await
}

/// [`open`], without saying which database (`serve` logs it).
async fn connect(database: &DatabaseOpts) -> anyhow::Result<pathways_store::DatabaseConnection> {
    use anyhow::Context;
    pathways_store::connect_with(&database.url, database.lock_timeout)
        .await
        .with_context(|| format!("Failed to open the database {}", redact(&database.url)))
}

/// Opens the database for a command that only reads it: nothing is created or migrated.
async fn open_read_only(url: &str) -> anyhow::Result<pathways_store::DatabaseConnection> {
    use anyhow::Context;
    using(url);
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

/// Unix milliseconds as RFC 3339, UTC, to the second.
fn time(ms: i64) -> String {
    let at =
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_seconds(at).to_string()
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
