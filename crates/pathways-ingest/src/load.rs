//! Stages 1 and 2 over files and folders: read, parse, check against the schema,
//! and keep what passes as typed content.

use crate::content::{ContentSet, Located, ParsedFile};
use crate::diagnostic::{Code, Location, Problem, Problems};
use crate::schema::FileKind;
use crate::source::{Limits, SourceFile};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// The content files under `paths`: files as given, folders searched for
/// `*.yaml`, `*.yml` and `*.json`, in name order so runs are repeatable.
pub fn content_files(paths: &[PathBuf], problems: &mut Problems) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, problems);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems.push(Problem::error(
                Code::Io,
                Location {
                    file: path.display().to_string(),
                    line: 1,
                    column: 1,
                    ..Location::default()
                },
                "no such file or folder",
            ));
        }
    }
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Problems) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::error(
                Code::Io,
                Location {
                    file: dir.display().to_string(),
                    line: 1,
                    column: 1,
                    ..Location::default()
                },
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, problems);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            files.push(path);
        }
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

fn load_file(path: &Path, limits: Limits, content: &mut ContentSet, problems: &mut Problems) {
    let source = match SourceFile::read(path, limits) {
        Ok(source) => source,
        Err(problem) => {
            if let Some(kind) = FileKind::detect_by_name(path) {
                content.failed.insert(kind);
            }
            return problems.push(*problem);
        }
    };
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
                 or name it page.yaml, routes.yaml, roles.yaml or professions/<slug>.yaml",
                names.join(", ")
            )),
        );
    };
    let (value, positions) = match crate::yaml::parse(&source) {
        Ok(parsed) => parsed,
        Err(problem) => {
            content.failed.insert(kind);
            return problems.push(*problem);
        }
    };
    let schema_problems = crate::schema::check(kind, &value, &source, &positions);
    if !schema_problems.is_empty() {
        content.failed.insert(kind);
        return problems.extend(schema_problems);
    }
    let index = content.files.len();
    let file = ParsedFile { source, positions };
    // The schema admits only what these types read, so a failure here is a gap
    // between the two: report it like a schema problem rather than panic.
    let typed = match kind {
        FileKind::Page => typed(&file, value).map(|v| {
            content.pages.push(Located {
                file: index,
                value: v,
            })
        }),
        FileKind::Routes => typed(&file, value).map(|v| {
            content.routes.push(Located {
                file: index,
                value: v,
            })
        }),
        FileKind::Roles => typed(&file, value).map(|v| {
            content.roles.push(Located {
                file: index,
                value: v,
            })
        }),
        FileKind::Profession => typed(&file, value).map(|v| {
            content.professions.push(Located {
                file: index,
                value: v,
            })
        }),
    };
    match typed {
        Ok(()) => content.files.push(file),
        Err(problem) => {
            content.failed.insert(kind);
            problems.push(*problem);
        }
    }
}

fn typed<T: DeserializeOwned>(
    file: &ParsedFile,
    value: serde_json::Value,
) -> Result<T, Box<Problem>> {
    serde_json::from_value(value).map_err(|e| {
        Box::new(Problem::error(
            Code::Schema("type".into()),
            file.source.location_at(1, 1),
            format!("content does not fit its schema: {e}"),
        ))
    })
}
