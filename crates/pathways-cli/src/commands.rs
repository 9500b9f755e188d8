//! One module per subcommand, each with its `Opts` and `run`.

mod export_page;
mod import_page;
mod ingest;
mod serve;
mod validate;

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
    /// Serve the newest release over GraphQL (ingesting the seeds into an empty database first).
    Serve(serve::Opts),
}

impl Command {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        match self {
            Command::Validate(opts) => validate::run(opts),
            Command::Ingest(opts) => ingest::run(opts),
            Command::ImportPage(opts) => import_page::run(opts),
            Command::ExportPage(opts) => export_page::run(opts),
            Command::Serve(opts) => serve::run(opts),
        }
    }
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical on a terminal, one line per problem otherwise.
    Human,
    /// Sentences, for screen readers.
    Narrated,
    /// One JSON document.
    Json,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("Failed to start the async runtime")
}
