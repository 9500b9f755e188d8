//! `pathways import-page FILE --out DIR`: a page export into structured content files.

use super::Format;
use crate::report;
use anyhow::Context;
use pathways_ingest::diagnostic::Problems;
use pathways_ingest::page::{self, Vocabulary};
use pathways_ingest::source::{Limits, SourceFile, DEFAULT_MAX_FILE_SIZE};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// The page export (text).
    pub file: PathBuf,
    /// Folder to write the content files into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Content whose professions, routes and page footer the export is read
    /// against [default: ./seeds when there is one, else the seeds built into
    /// this binary].
    #[arg(long)]
    pub vocabulary: Option<PathBuf>,
    /// Route definitions to read stages and routes against, instead of the vocabulary's.
    #[arg(long)]
    pub routes: Option<PathBuf>,
    #[arg(long, env = "PATHWAYS_MAX_FILE_SIZE", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let limits = Limits {
        max_file_size: opts.max_file_size,
    };
    let mut problems = Problems::default();
    let vocabulary = {
        let vocabulary = match &opts.vocabulary {
            Some(path) => pathways_ingest::validate(std::slice::from_ref(path), limits),
            None if std::path::Path::new("seeds").is_dir() => {
                pathways_ingest::validate(&[PathBuf::from("seeds")], limits)
            }
            None => {
                eprintln!(
                    "no --vocabulary and no ./seeds folder: reading against the seeds built into pathways"
                );
                pathways_ingest::validate_sources(crate::seeds::sources())
            }
        };
        let mut routes = opts
            .routes
            .iter()
            .map(|r| pathways_ingest::validate(std::slice::from_ref(r), limits))
            .next();
        problems.extend(vocabulary.problems.iter().filter(|p| p.is_error()).cloned());
        if let Some(routes) = &mut routes {
            problems.extend(routes.problems.iter().filter(|p| p.is_error()).cloned());
        }
        let mut words = Vocabulary::from_content(&vocabulary.content);
        if let Some(routes) = routes {
            words.routes = Vocabulary::from_content(&routes.content).routes;
        }
        words
    };
    let result = match SourceFile::read(&opts.file, limits) {
        Err(problem) => Err(vec![*problem]),
        Ok(source) if problems.is_empty() => page::read(&source, &vocabulary),
        Ok(_) => Err(Vec::new()),
    };
    let export = match result {
        Ok(export) => export,
        Err(found) => {
            problems.extend(found);
            return fail(&problems, &opts, limits);
        }
    };
    let imported = page::import(&export, &vocabulary);
    let written = imported
        .write(&opts.out)
        .with_context(|| format!("Failed to write content files into {}", opts.out.display()))?;
    let mut notes = Problems::default();
    notes.extend(export.notes.iter().cloned());
    if opts.format == Format::Json {
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        super::print_json(
            &serde_json::json!({"status": "imported", "pathways": export.pathways.len(), "routes_defined": export.routes.len(), "files": files, "problems": notes}),
        )?;
    } else {
        let checked = [opts.file.display().to_string()];
        let findings = report::Findings {
            command: "import-page",
            problems: &notes,
            checked: &checked,
        };
        report::print_problems(&findings, opts.format, limits);
        report::say(
            opts.format,
            &format!(
                "imported {} pathways into {} ({} files)",
                export.pathways.len(),
                opts.out.display(),
                written.len()
            ),
        );
    }
    Ok(ExitCode::from(report::EXIT_VALID))
}

fn fail(problems: &Problems, opts: &Opts, limits: Limits) -> anyhow::Result<ExitCode> {
    let format = opts.format;
    if format == Format::Json {
        super::print_json(&serde_json::json!({"status": "invalid", "problems": problems}))?;
    } else {
        let checked = [opts.file.display().to_string()];
        let findings = report::Findings {
            command: "import-page",
            problems,
            checked: &checked,
        };
        report::print_problems(&findings, format, limits);
        report::say(format, "the export could not be read: nothing was written");
    }
    Ok(ExitCode::from(
        report::exit_code(problems).max(report::EXIT_INVALID),
    ))
}
