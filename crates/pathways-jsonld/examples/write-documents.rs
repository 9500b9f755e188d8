//! Writes the JSON-LD documents of the content in `seeds/` (or another folder)
//! into a folder, for the schema.org check in `tests/web/jsonld.test.mjs`:
//! `professions/<slug>.jsonld`, `pathways.jsonld`, and `context.jsonld` (the
//! context to serve for `https://schema.org` without a network).
//!
//! `cargo run -p pathways-jsonld --example write-documents -- OUT [--base URL] [--content DIR]`

use pathways_jsonld::{context, profession_document, release_document, BaseUrl};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("write-documents: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut base = "https://pathways.example".to_owned();
    let mut content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = args.next().ok_or("--base needs a URL")?,
            "--content" => content = PathBuf::from(args.next().ok_or("--content needs a folder")?),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let out = out.ok_or("usage: write-documents OUT [--base URL] [--content DIR]")?;
    let base = BaseUrl::parse(&base).map_err(|e| e.to_string())?;
    let validation = pathways_ingest::validate(&[content.clone()], Default::default());
    let release = validation.plan().ok_or_else(|| {
        format!(
            "{} is not valid content: run `pathways validate` on it",
            content.display()
        )
    })?;
    let write = |path: PathBuf, value: &serde_json::Value| -> Result<(), String> {
        let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(out.join("professions"))
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for profession in &release.professions {
        if let Some(doc) = profession_document(&release, &base, &profession.slug) {
            write(
                out.join("professions")
                    .join(format!("{}.jsonld", profession.slug)),
                &doc,
            )?;
        }
    }
    write(
        out.join("pathways.jsonld"),
        &release_document(&release, &base),
    )?;
    write(out.join("context.jsonld"), &context())?;
    eprintln!(
        "wrote {} profession documents and pathways.jsonld into {}",
        release.professions.len(),
        out.display()
    );
    Ok(())
}
