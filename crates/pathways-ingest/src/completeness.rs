//! Content a release could hold at all: a page and at least one profession.
//! A folder with neither (an empty folder, a typo in a path, `/etc`) is
//! refused rather than published as a site with nothing on it.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Location, Problem};
use crate::schema::FileKind;
use std::path::PathBuf;

/// The problem with content read from `roots` that has no page or no
/// profession files at all (files that are there but broken have problems of
/// their own).
pub fn check(content: &ContentSet, roots: &[PathBuf]) -> Option<Problem> {
    let first = roots.first()?;
    let mut missing = Vec::new();
    if !content.kinds.contains(&FileKind::Profession) {
        missing.push("no professions (professions/<slug>.yaml)");
    }
    if !content.kinds.contains(&FileKind::Page) {
        missing.push("no page (page.yaml)");
    }
    if missing.is_empty() {
        return None;
    }
    let named: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    Some(
        Problem::error(
            Code::NothingToIngest,
            Location::start_of(first),
            format!(
                "nothing to ingest in {}: {}",
                named.join(", "),
                missing.join(" and ")
            ),
        )
        .with_help(
            "a content folder holds page.yaml, routes.yaml, roles.yaml and professions/<slug>.yaml: \
             check the path, or make one with `pathways import-page`",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case(&[], Some("no professions (professions/<slug>.yaml) and no page (page.yaml)") ; "empty")]
    #[test_case(&[("page.yaml", "title: T\n")], Some("no professions (professions/<slug>.yaml)") ; "a page alone")]
    #[test_case(&[("professions/a.yaml", "slug: a\nname: A\n")], Some("no page (page.yaml)") ; "professions alone")]
    #[test_case(&[("notes.txt", "x")], Some("no professions (professions/<slug>.yaml) and no page (page.yaml)") ; "no content files")]
    #[test_case(&[("page.yaml", "title: [\n"), ("professions/a.yaml", "slug: a\nname: A\n")], None ; "a broken page is a page")]
    fn content_needs_a_page_and_professions(files: &[(&str, &str)], missing: Option<&str>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let root = dir.path().to_path_buf();
        let validation = crate::validate_release(std::slice::from_ref(&root), Default::default());
        let found: Vec<_> = validation
            .problems
            .iter()
            .filter(|p| p.code == Code::NothingToIngest)
            .collect();
        match missing {
            Some(missing) => {
                assert_eq!(found.len(), 1, "{:?}", validation.problems);
                assert_eq!(
                    found[0].message,
                    format!("nothing to ingest in {}: {missing}", root.display())
                );
            }
            None => assert!(found.is_empty(), "{found:?}"),
        }
    }
}
