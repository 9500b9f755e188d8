//! Which files a run judges, and against what. A folder is content on its
//! own; a file named alone is judged against the content folder it belongs
//! to (the nearest folder above holding `page.yaml` or `routes.yaml`, or
//! one given), so its references to the rest resolve, and only its own
//! problems are reported.

use crate::content::{Defined, Unknown};
use crate::diagnostic::{Location, Problem};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The nearest folder at or above `file`'s own that holds a content folder's
/// `page` or `routes` file (`.yaml`, `.yml` or `.json`): as a relative path
/// when it is found among `file`'s own ancestors, else as a real path above.
pub fn content_folder_of(file: &Path) -> Option<PathBuf> {
    let start = if file.is_dir() { file } else { file.parent()? };
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let holds_content = |dir: &&Path| {
        ["page", "routes"].iter().any(|stem| {
            ["yaml", "yml", "json"]
                .iter()
                .any(|ext| dir.join(format!("{stem}.{ext}")).is_file())
        })
    };
    let as_given = start
        .ancestors()
        .filter(|dir| !dir.as_os_str().is_empty())
        .find(holds_content)
        .map(Path::to_path_buf);
    as_given.or_else(|| {
        let real = std::fs::canonicalize(start).ok()?;
        real.ancestors().find(holds_content).map(Path::to_path_buf)
    })
}

/// What a run over named paths reads, and what it reports on.
#[derive(Debug, Default)]
pub struct Scope {
    /// What to read: named folders, the content folders of named files, then the files.
    pub load: Vec<PathBuf>,
    /// Named folders, by real path: everything in them is reported.
    folders: Vec<PathBuf>,
    /// Named files, by real path, with the name they were given.
    files: HashMap<PathBuf, String>,
    /// The content folders named files are judged against, as found.
    pub contexts: Vec<PathBuf>,
    /// Named files with no content folder: judged on their own.
    pub alone: Vec<PathBuf>,
}

impl Scope {
    pub fn new(paths: &[PathBuf], content: Option<&Path>) -> Scope {
        let mut scope = Scope::default();
        let mut files = Vec::new();
        for path in paths {
            if path.is_file() {
                match content
                    .map(Path::to_path_buf)
                    .or_else(|| content_folder_of(path))
                {
                    Some(folder) => {
                        if !scope.contexts.contains(&folder) {
                            scope.contexts.push(folder.clone());
                            scope.load.push(folder);
                        }
                    }
                    None => scope.alone.push(path.clone()),
                }
                scope.files.insert(real(path), path.display().to_string());
                files.push(path.clone());
            } else {
                if path.is_dir() {
                    scope.folders.push(real(path));
                }
                // A missing path is read, to be reported as missing.
                scope.load.push(path.clone());
            }
        }
        scope.load.extend(files);
        scope
    }

    /// Whether named files are judged against more than themselves.
    pub fn has_files(&self) -> bool {
        !self.files.is_empty()
    }

    /// The name `file` is reported under, when it is in scope: a named file's
    /// name as given, a file in a named folder as read; `None` when out of scope.
    pub fn report_as(&self, file: &str) -> Option<String> {
        let path = Path::new(file);
        let Ok(real_path) = std::fs::canonicalize(path) else {
            // Not a file at all (a path that does not exist): always reported.
            return Some(file.to_owned());
        };
        if let Some(named) = self.files.get(&real_path) {
            return Some(named.clone());
        }
        self.folders
            .iter()
            .any(|f| real_path.starts_with(f))
            .then(|| file.to_owned())
    }

    /// What cannot be known about named files judged on their own.
    pub fn unknown(&self) -> Vec<Unknown> {
        self.alone
            .iter()
            .map(|file| Unknown {
                defines: vec![Defined::Role, Defined::Route, Defined::Stage, Defined::Pathway],
                location: Location::start_of(file),
                why: format!(
                    "no content folder was found above {} (a folder holding page.yaml or routes.yaml)",
                    file.display()
                ),
                help: "name the content folder with --content DIR".into(),
            })
            .collect()
    }

    /// `problem` as reported: renamed to its file's name as given, or `None`
    /// when it is about a file outside the scope.
    pub fn report(&self, mut problem: Problem) -> Option<Problem> {
        problem.location.file = self.report_as(&problem.location.file)?;
        Some(problem)
    }
}

fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_belongs_to_the_nearest_folder_with_a_page_or_routes() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("professions")).unwrap();
        std::fs::write(content.join("routes.yaml"), "stages: []\n").unwrap();
        let file = content.join("professions/a.yaml");
        std::fs::write(&file, "slug: a\n").unwrap();
        assert_eq!(content_folder_of(&file), Some(content.clone()));
        assert_eq!(
            content_folder_of(&content.join("routes.yaml")),
            Some(content)
        );
        let stray = dir.path().join("stray.yaml");
        std::fs::write(&stray, "slug: a\n").unwrap();
        // Nothing above it is content (a temp folder is not a repository).
        assert!(content_folder_of(&stray).is_none_or(|f| !f.starts_with(dir.path())));
    }

    #[test]
    fn named_files_are_read_after_their_folder_and_reported_as_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("professions")).unwrap();
        std::fs::write(dir.path().join("page.yaml"), "title: T\n").unwrap();
        let file = dir.path().join("professions/a.yaml");
        std::fs::write(&file, "slug: a\n").unwrap();
        let scope = Scope::new(std::slice::from_ref(&file), None);
        assert_eq!(scope.load, [dir.path().to_path_buf(), file.clone()]);
        let as_read = dir.path().join("professions/../professions/a.yaml");
        assert_eq!(
            scope.report_as(&as_read.display().to_string()),
            Some(file.display().to_string())
        );
        let page = dir.path().join("page.yaml").display().to_string();
        assert_eq!(scope.report_as(&page), None);
    }
}
