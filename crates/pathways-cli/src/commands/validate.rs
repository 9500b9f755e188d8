//! `pathways validate PATH...`: exit 0 valid (warnings allowed), 1 invalid, 2 usage or I/O error.

use super::{ContentOpts, Format};
use crate::report;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub content: ContentOpts,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    let validation = pathways_ingest::validate(&opts.content.paths, opts.content.limits());
    let code = report::exit_code(&validation.problems);
    if opts.content.format == Format::Json {
        let document = serde_json::json!({
            "valid": validation.is_valid(),
            "files": validation.files,
            "errors": validation.problems.errors(),
            "warnings": validation.problems.warnings(),
            "problems": validation.problems,
        });
        super::print_json(&document)?;
    } else {
        report::print_problems(
            &validation.problems,
            opts.content.format,
            opts.content.limits(),
        );
        report::say(
            opts.content.format,
            &report::summary(&validation.problems, validation.files),
        );
    }
    Ok(ExitCode::from(code))
}
