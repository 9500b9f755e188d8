//! Stages 1 and 2 over files and folders: read, parse, check against the schema,
//! and keep what passes as typed content.

use crate::content::{ContentSet, Defined, ParsedFile, Unknown};
use crate::diagnostic::{Code, Location, Problem, Problems};
use crate::schema::{repair, FileKind};
use crate::source::{Limits, SourceFile};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The content files under `paths`: files as given, folders searched for
/// `*.yaml`, `*.yml` and `*.json`, in name order so runs are repeatable.
/// Symbolic links are followed, but each real file and folder is read once, and
/// a link back to a folder that contains it is reported, not followed.
pub fn content_files(paths: &[PathBuf], problems: &mut Problems) -> Vec<PathBuf> {
    let mut walk = Walk::default();
    for path in paths {
        if path.is_dir() {
            walk.folder(path, problems);
        } else if path.exists() {
            walk.file(path.clone());
        } else {
            problems.push(Problem::error(
                Code::Io,
                Location::start_of(path),
                "no such file or folder",
            ));
        }
    }
    walk.files
}

/// A walk over folders that remembers what it has read, by real path.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    read: HashSet<PathBuf>,
    /// Real paths of the folders being walked, outermost first.
    ancestors: Vec<PathBuf>,
}

impl Walk {
    fn file(&mut self, path: PathBuf) {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.read.insert(real) {
            self.files.push(path);
        }
    }

    fn folder(&mut self, dir: &Path, problems: &mut Problems) {
        let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.read.insert(real.clone()) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(Problem::error(
                    Code::Io,
                    Location::start_of(dir),
                    format!("cannot read folder: {e}"),
                ));
                return;
            }
        };
        self.ancestors.push(real);
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        // Real entries before links, so a file read through a link is read under its own name.
        paths.sort_by_key(|p| (p.is_symlink(), p.clone()));
        for path in paths {
            if path.is_dir() {
                let target = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if let Some(ancestor) = self.ancestors.iter().find(|a| **a == target) {
                    problems.push(
                        Problem::warning(
                            Code::LinkLoop,
                            Location::start_of(&path),
                            format!(
                                "symbolic link back to `{}`, a folder that contains it: not followed",
                                crate::diagnostic::quote(&ancestor.display().to_string())
                            ),
                        )
                        .with_help("remove the link, or point it outside the content folder"),
                    );
                    continue;
                }
                self.folder(&path, problems);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                self.file(path);
            }
        }
        self.ancestors.pop();
    }
}

/// Reads and checks every file under `paths`; returns the typed content of the
/// files that passed, and every problem found on the way.
pub fn load(paths: &[PathBuf], limits: Limits) -> (ContentSet, Problems) {
    let mut problems = Problems::default();
    let mut content = ContentSet::default();
    for path in content_files(paths, &mut problems) {
        load_file(&path, limits, &mut content, &mut problems);
    }
    (content, problems)
}

/// Checks files already in memory (such as seeds built into the binary) as
/// `load` checks files on disk.
pub fn load_sources(sources: Vec<SourceFile>) -> (ContentSet, Problems) {
    let mut problems = Problems::default();
    let mut content = ContentSet::default();
    for source in sources {
        load_source(source, &mut content, &mut problems);
    }
    (content, problems)
}

fn load_file(path: &Path, limits: Limits, content: &mut ContentSet, problems: &mut Problems) {
    match SourceFile::read(path, limits) {
        Ok(source) => load_source(source, content, problems),
        Err(problem) => {
            content.read.push(path.display().to_string());
            if let Some(kind) = FileKind::detect_by_name(path) {
                content.kinds.insert(kind);
                unknown(content, kind, problem.location.clone(), "could not be read");
            }
            problems.push(*problem);
        }
    }
}

/// Everything a file of `kind` defines is unknown.
fn unknown(content: &mut ContentSet, kind: FileKind, location: Location, why: &str) {
    if !kind.defines().is_empty() {
        content.unknown.push(Unknown {
            defines: kind.defines().to_vec(),
            why: format!("{} {why}", location.file),
            help: fix_at(&location),
            location,
        });
    }
}

fn load_source(source: SourceFile, content: &mut ContentSet, problems: &mut Problems) {
    content.read.push(source.name.clone());
    let Some(kind) = FileKind::detect(&source) else {
        let names: Vec<_> = FileKind::ALL.iter().map(|k| k.schema_file()).collect();
        return problems.push(
            Problem::error(
                Code::UnknownFileKind,
                source.location_at(1, 1),
                "cannot tell what this file holds",
            )
            .with_help(format!(
                "start it with `# yaml-language-server: $schema=<path to one of {}>`, \
                 or name it page.yaml, routes.yaml, roles.yaml, codes.yaml or professions/<slug>.yaml",
                names.join(", ")
            )),
        );
    };
    content.kinds.insert(kind);
    let (value, positions) = match crate::yaml::parse(&source) {
        Ok(parsed) => parsed,
        Err(problem) => {
            let at = problem.location.clone();
            unknown(content, kind, at, "is not well-formed YAML");
            return problems.push(*problem);
        }
    };
    let (schema_problems, found) = crate::schema::check(kind, &value, &source, &positions);
    problems.extend(schema_problems);
    let mut file = ParsedFile {
        source,
        positions,
        damaged: Vec::new(),
    };
    let value = if found.is_empty() {
        value
    } else {
        let repaired = repair::repair(kind, value, &found);
        lost_definitions(content, kind, &file, &repaired);
        file.damaged = repaired.damaged;
        repaired.value
    };
    // The schema admits only what these types read, so a failure here is a gap
    // between the two: report it like a schema problem rather than panic.
    let location = file.source.location_at(1, 1);
    let repaired = !file.damaged.is_empty();
    if let Err(e) = content.add(kind, file, value) {
        if !repaired {
            problems.push(Problem::error(
                Code::Schema("type".into()),
                location.clone(),
                format!("content does not fit its schema: {e}"),
            ));
        }
        unknown(
            content,
            kind,
            location,
            "could not be read past its schema errors",
        );
    }
}

fn fix_at(location: &Location) -> String {
    format!(
        "correct the problem at {}:{}, then validate again",
        location.file, location.line
    )
}

/// The definitions a repair leaves unknown, each with why.
fn lost_definitions(
    content: &mut ContentSet,
    kind: FileKind,
    file: &ParsedFile,
    repaired: &repair::Repaired,
) {
    for (defined, pointer) in repair::lost(kind, repaired) {
        let location = file.locate(&pointer);
        let at = format!("{}:{}", location.file, location.line);
        let noun = defined.noun();
        let why = match (defined, pointer.matches('/').count()) {
            (Defined::Pathway, _) => {
                format!("the slug of the profession at {at} is missing or not a slug")
            }
            (_, 1) => format!("the {noun}s of {} could not be read", location.file),
            (_, 2) => format!("the {noun} at {at} could not be read"),
            _ => format!("the slug of the {noun} at {at} is missing or not a slug"),
        };
        content.unknown.push(Unknown {
            defines: vec![defined],
            why,
            help: fix_at(&location),
            location,
        });
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_back_to_an_ancestor_is_reported_once_and_each_file_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("professions")).unwrap();
        std::fs::write(root.join("roles.yaml"), "roles: []\n").unwrap();
        std::fs::write(root.join("professions/a.yaml"), "slug: a\nname: A\n").unwrap();
        std::os::unix::fs::symlink(root, root.join("professions/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("roles.yaml"), root.join("again.yaml")).unwrap();
        let mut problems = Problems::default();
        let files = content_files(&[root.to_path_buf()], &mut problems);
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files[1].ends_with("roles.yaml"), "{files:?}");
        assert_eq!(problems.len(), 1);
        let problem = problems.iter().next().unwrap();
        assert_eq!(problem.code, Code::LinkLoop);
        assert!(problem.location.file.ends_with("professions/loop"));
        assert!(!problem.is_error());
    }
}
