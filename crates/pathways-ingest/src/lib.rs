#![doc = include_str!("../README.md")]

pub mod completeness;
pub mod content;
pub mod corpus;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod page;
pub mod plan;
pub mod rules;
pub mod schema;
pub mod scope;
pub mod source;
pub mod suggest;
pub mod text;
pub mod yaml;
pub mod yaml_writer;

use content::ContentSet;
use diagnostic::{Code, Problems};
use pathways_model::Release;
use scope::Scope;
use source::Limits;
use std::path::{Path, PathBuf};

/// The outcome of the three validation stages over some paths.
#[derive(Debug)]
pub struct Validation {
    pub content: ContentSet,
    pub problems: Problems,
    /// The files judged, by name: every file read, or the files named when
    /// files were judged against their content folder.
    pub checked: Vec<String>,
    /// How many files were read, those read only to judge named files included.
    pub read: usize,
    /// The content folders named files were judged against.
    pub contexts: Vec<PathBuf>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        !self.problems.has_errors()
    }

    /// The release this content makes, when it is valid.
    pub fn plan(&self) -> Option<Release> {
        self.is_valid().then(|| plan::build(&self.content))
    }
}

/// Runs syntax, schema and content-rule checks over files and folders as one
/// body of content, collecting every problem.
pub fn validate(paths: &[PathBuf], limits: Limits) -> Validation {
    let (content, problems) = load::load(paths, limits);
    finish(content, problems)
}

/// [`validate`] over content meant to be a release: a page and at least one
/// profession are required (`ingest`, `diff`).
pub fn validate_release(paths: &[PathBuf], limits: Limits) -> Validation {
    let mut validation = validate(paths, limits);
    require_content(&mut validation, paths);
    validation
}

/// [`validate_release`] over named folders, and each named file judged against
/// the content folder it belongs to (`content`, or the nearest folder above
/// it holding `page.yaml` or `routes.yaml`), reporting the problems of what
/// was named only (`validate`).
pub fn validate_named(paths: &[PathBuf], content: Option<&Path>, limits: Limits) -> Validation {
    let scope = Scope::new(paths, content);
    let (mut set, problems) = load::load(&scope.load, limits);
    set.unknown.extend(scope.unknown());
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let read = set.read.len();
    let mut validation = finish(set, problems);
    require_content(&mut validation, &folders);
    if scope.has_files() {
        let mut kept = Problems::default();
        kept.extend(
            validation
                .problems
                .into_iter()
                .filter_map(|p| scope.report(p)),
        );
        validation.problems = kept;
        validation.checked = validation
            .checked
            .iter()
            .filter_map(|f| scope.report_as(f))
            .collect();
        validation.checked.dedup();
    }
    validation.read = read;
    validation.contexts = scope.contexts;
    validation
}

/// [`validate`] over files already in memory.
pub fn validate_sources(sources: Vec<source::SourceFile>) -> Validation {
    let (content, problems) = load::load_sources(sources);
    finish(content, problems)
}

fn require_content(validation: &mut Validation, roots: &[PathBuf]) {
    // A path that could not be read at all says so on its own.
    if validation.problems.iter().any(|p| p.code == Code::Io) {
        return;
    }
    if let Some(problem) = completeness::check(&validation.content, roots) {
        validation.problems.push(problem);
        validation.problems.sort();
    }
}

fn finish(content: ContentSet, mut problems: Problems) -> Validation {
    // Rule problems at values that failed the schema repeat a schema problem.
    problems.extend(
        rules::check(&content)
            .into_iter()
            .filter(|p| !content.is_damaged(&p.location)),
    );
    problems.sort();
    let checked = content.read.clone();
    Validation {
        read: checked.len(),
        checked,
        content,
        problems,
        contexts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// The seeds in a temp folder, with `edits` (file, from, to) made.
    fn seeds_with(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        for folder in ["", "professions"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            for entry in std::fs::read_dir(seeds.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let to = dir.path().join(folder).join(path.file_name().unwrap());
                    std::fs::copy(&path, to).unwrap();
                }
            }
        }
        for (file, from, to) in edits {
            let path = dir.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{from} in {file}");
            std::fs::write(path, text.replacen(from, to, 1)).unwrap();
        }
        dir
    }

    /// (severity, code, file relative to `root`, line) of every problem.
    fn found(v: &Validation, root: &Path) -> Vec<(Severity, String, String, usize)> {
        v.problems
            .iter()
            .map(|p| {
                let file = Path::new(&p.location.file)
                    .strip_prefix(root)
                    .map_or(p.location.file.clone(), |f| f.display().to_string());
                (p.severity, p.code.as_str(), file, p.location.line)
            })
            .collect()
    }

    #[test]
    fn references_into_a_file_that_cannot_be_read_are_noted_as_not_checked() {
        let dir = seeds_with(&[("roles.yaml", "roles:\n", "roles: [\n")]);
        let v = validate_release(&[dir.path().to_path_buf()], Limits::default());
        let found = found(&v, dir.path());
        assert!(
            found.contains(&(
                Severity::Error,
                "pathways::syntax".into(),
                "roles.yaml".into(),
                found.iter().find(|p| p.2 == "roles.yaml").unwrap().3
            )),
            "{found:?}"
        );
        let skipped: Vec<_> = v
            .problems
            .iter()
            .filter(|p| p.code == diagnostic::Code::CheckSkipped)
            .collect();
        // One note for each of the six pathways, whose shared roles are unknown.
        assert_eq!(skipped.len(), 6, "{found:?}");
        assert!(skipped.iter().all(|p| p.severity == Severity::Note));
        assert!(
            skipped[0]
                .message
                .contains("roles.yaml is not well-formed YAML"),
            "{}",
            skipped[0].message
        );
        assert!(
            !found
                .iter()
                .any(|p| p.1 == "pathways::rule::dangling-reference"),
            "{found:?}"
        );
    }

    #[test]
    fn a_value_that_fails_the_schema_is_not_reported_again_by_a_rule() {
        let dir = seeds_with(&[(
            "professions/physiotherapist.yaml",
            "title: Physiotherapy Assistant\n      level",
            "title: \"\"\n      level",
        )]);
        let v = validate_release(&[dir.path().to_path_buf()], Limits::default());
        let codes: Vec<_> = found(&v, dir.path())
            .into_iter()
            .filter(|p| p.0 == Severity::Error)
            .map(|p| p.1)
            .collect();
        assert_eq!(codes, ["pathways::schema::minLength"]);
    }

    #[test]
    fn a_named_file_is_judged_in_its_folder() {
        let dir = seeds_with(&[(
            "professions/paramedic.yaml",
            "slug: paramedic",
            "slug: Paramedic",
        )]);
        let physio = dir.path().join("professions/physiotherapist.yaml");
        let v = validate_named(std::slice::from_ref(&physio), None, Limits::default());
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.checked, [physio.display().to_string()]);
        assert_eq!((v.read, v.contexts.len()), (19, 1));
        let paramedic = dir.path().join("professions/paramedic.yaml");
        let v = validate_named(&[paramedic], None, Limits::default());
        assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    }
}
