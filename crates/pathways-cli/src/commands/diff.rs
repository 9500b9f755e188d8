//! `pathways diff FROM TO`: what changes for readers from one release to
//! another. Each side is a release id, `published`, or a content folder
//! (validated first). Exit 0 when equal, 1 when they differ or a folder is
//! invalid, 2 on a usage or I/O error, as `diff(1)`.

use super::{open_read_only, runtime, DatabaseOpts, Format};
use crate::{changes, report};
use anyhow::Context;
use pathways_ingest::source::{Limits, DEFAULT_MAX_FILE_SIZE};
use pathways_model::diff::{diff, Summary};
use pathways_model::Release;
use pathways_store::DatabaseConnection;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The old side: a release id, `published`, or a content folder (write `./3` for a folder named 3).
    pub from: String,
    /// The new side, likewise.
    pub to: String,
    #[command(flatten)]
    pub database: DatabaseOpts,
    /// Refuse content files larger than this many bytes.
    #[arg(long, env = "PATHWAYS_MAX_FILE_SIZE", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    Release(i32),
    Published,
    Folder(PathBuf),
}

impl Side {
    pub fn parse(arg: &str) -> Side {
        if arg == "published" {
            Side::Published
        } else if let Ok(id) = arg.parse::<i32>() {
            Side::Release(id)
        } else {
            Side::Folder(PathBuf::from(arg))
        }
    }
}

/// A side read: how to name it, and its content.
pub struct Loaded {
    pub described: Value,
    pub content: Release,
}

/// Why a side could not be read.
pub enum Unreadable {
    /// Content that does not validate: its problems, exit 1.
    Invalid(pathways_ingest::diagnostic::Problems),
    /// Anything else: exit 2.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Unreadable {
    fn from(error: anyhow::Error) -> Unreadable {
        Unreadable::Failed(error)
    }
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let limits = Limits {
        max_file_size: opts.max_file_size,
    };
    let sides = runtime()?.block_on(async {
        let mut db = None;
        let from = load(
            &Side::parse(&opts.from),
            &opts.database.url,
            &mut db,
            limits,
        )
        .await?;
        let to = load(&Side::parse(&opts.to), &opts.database.url, &mut db, limits).await?;
        Ok::<_, Unreadable>((from, to))
    });
    let (from, to) = match sides {
        Ok(sides) => sides,
        Err(Unreadable::Invalid(problems)) => {
            if opts.format == Format::Json {
                super::print_json(&json!({"status": "invalid", "problems": problems}))?;
            } else {
                let findings = report::Findings {
                    command: "diff",
                    problems: &problems,
                    checked: &[],
                };
                report::print_problems(&findings, opts.format, limits);
                report::say(opts.format, "invalid content: nothing was compared");
            }
            return Ok(ExitCode::from(report::EXIT_INVALID));
        }
        Err(Unreadable::Failed(error)) => return Err(error),
    };
    let found = diff(&from.content, &to.content);
    let summary = Summary::of(&found);
    if opts.format == Format::Json {
        let (changes, summary) = changes::json(&found);
        let document = json!({"from": from.described, "to": to.described, "changes": changes, "summary": summary});
        super::print_json(&document)?;
    } else if found.is_empty() {
        outln!("no changes");
    } else {
        out!("{}", changes::human(&found));
        outln!("{summary}");
    }
    Ok(ExitCode::from(if found.is_empty() { 0 } else { 1 }))
}

/// Reads one side; a database is opened (read-only) the first time one is needed.
pub async fn load(
    side: &Side,
    url: &str,
    db: &mut Option<DatabaseConnection>,
    limits: Limits,
) -> Result<Loaded, Unreadable> {
    match side {
        Side::Folder(path) => {
            if !path.exists() {
                return Err(Unreadable::Failed(anyhow::anyhow!(
                    "`{}` is neither a release id, `published`, nor a content folder",
                    path.display()
                )));
            }
            let validation = pathways_ingest::validate_release(std::slice::from_ref(path), limits);
            if report::exit_code(&validation.problems) == report::EXIT_USAGE {
                return Err(Unreadable::Failed(anyhow::anyhow!(
                    "cannot read `{}`: {}",
                    path.display(),
                    validation
                        .problems
                        .iter()
                        .find(|p| p.is_error())
                        .map(|p| p.message.clone())
                        .unwrap_or_default()
                )));
            }
            let content = validation
                .plan()
                .ok_or_else(|| Unreadable::Invalid(validation.problems.clone()))?;
            Ok(Loaded {
                described: json!({"folder": path.display().to_string(), "content_hash": content.content_hash()}),
                content,
            })
        }
        Side::Release(_) | Side::Published => {
            if db.is_none() {
                *db = Some(open_read_only(url).await?);
            }
            let Some(conn) = db.as_ref() else {
                return Err(Unreadable::Failed(anyhow::anyhow!("no database")));
            };
            let row = match side {
                Side::Release(id) => pathways_store::queries::releases::by_id(conn, *id)
                    .await
                    .context("Failed to read the releases")?
                    .with_context(|| {
                        format!("there is no release {id}: `pathways releases` lists them")
                    })?,
                _ => pathways_store::queries::releases::published(conn)
                    .await
                    .context("Failed to read which release is published")?
                    .context("no release is published yet")?,
            };
            let content = pathways_store::queries::read::read_release(conn, row.id)
                .await
                .with_context(|| format!("Failed to read release {}", row.id))?;
            Ok(Loaded {
                described: json!({"release": row.id, "content_hash": row.content_hash}),
                content,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_are_releases_or_folders() {
        assert_eq!(Side::parse("3"), Side::Release(3));
        assert_eq!(Side::parse("published"), Side::Published);
        assert_eq!(Side::parse("./3"), Side::Folder("./3".into()));
        assert_eq!(Side::parse("seeds"), Side::Folder("seeds".into()));
    }
}
