//! `pathways validate PATH...`: exit 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.
//! A folder is judged as content on its own; a file is judged against the
//! content folder it belongs to, and only its own problems are reported.

use super::{ContentOpts, Format};
use crate::report::{self, Findings};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub content: ContentOpts,
    /// The content folder named files belong to (by default the nearest
    /// folder above each holding page.yaml or routes.yaml).
    #[arg(long = "content", value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let validation = pathways_ingest::validate_named(
        &opts.content.paths,
        opts.content_dir.as_deref(),
        opts.content.limits(),
    );
    let code = report::exit_code(&validation.problems);
    if opts.content.format == Format::Json {
        let contexts: Vec<String> = validation
            .contexts
            .iter()
            .map(|c| c.display().to_string())
            .collect();
        let document = serde_json::json!({
            "valid": validation.is_valid(),
            "files": validation.checked.len(),
            "read": validation.read,
            "content": contexts,
            "errors": validation.problems.errors(),
            "warnings": validation.problems.warnings(),
            "problems": validation.problems,
        });
        super::print_json(&document)?;
    } else {
        let findings = Findings {
            command: "validate",
            problems: &validation.problems,
            checked: &validation.checked,
        };
        report::print_problems(&findings, opts.content.format, opts.content.limits());
        report::say(opts.content.format, &report::summary(&validation));
    }
    Ok(ExitCode::from(code))
}
