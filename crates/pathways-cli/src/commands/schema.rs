//! `pathways schema [NAME]`: the JSON Schema a kind of content file is checked
//! against, as built into the binary, so a steward can read it wherever the
//! binary runs (problems name each schema by its `$id` and this command).

use pathways_ingest::schema::FileKind;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// `page`, `routes`, `roles`, `profession` or `codes`; without it, every schema's name and `$id`.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(FileKind::ALL.map(FileKind::name)))]
    pub name: Option<String>,
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    match opts.name.as_deref().and_then(FileKind::from_name) {
        Some(kind) => out!("{}", kind.schema_text()),
        None => {
            for kind in FileKind::ALL {
                outln!("{:<11} {}", kind.name(), kind.id());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
