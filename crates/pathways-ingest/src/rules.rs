//! Stage 3: content rules that a schema cannot say. One module per rule.

mod codes;
mod empty_text;
mod export_artefacts;
mod level_order;
mod references;
mod route_stages;
mod title_variants;
mod unique_slugs;

use crate::content::ContentSet;
use crate::diagnostic::Problem;

/// Runs every rule over `content`, collecting all problems.
pub fn check(content: &ContentSet) -> Vec<Problem> {
    let rules: [fn(&ContentSet) -> Vec<Problem>; 8] = [
        unique_slugs::check,
        references::check,
        level_order::check,
        route_stages::check,
        empty_text::check,
        export_artefacts::check,
        title_variants::check,
        codes::check,
    ];
    rules.iter().flat_map(|rule| rule(content)).collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds a `ContentSet` from YAML texts for rule tests.
    use crate::content::ContentSet;
    use crate::diagnostic::Problem;
    use crate::load::load;
    use crate::source::Limits;

    pub const ROUTES: &str = "stages:\n  - slug: apprenticeship\n    name: Apprenticeship\nroutes:\n  - slug: direct\n    name: Direct\n    stages:\n      - stage: apprenticeship\n";
    pub const ROLES: &str = "roles:\n  - slug: hcsw\n    title: Healthcare support worker\n    level: Level 2\n    content:\n      - paragraph: Care.\n  - slug: senior\n    title: Senior healthcare support worker\n    level: Level 3\n    content:\n      - paragraph: More care.\n";

    /// Writes `files` (name, text) into a temp folder and loads it.
    pub fn content(files: &[(&str, &str)]) -> (tempfile::TempDir, ContentSet) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (content, problems) = load(&[dir.path().to_path_buf()], Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        (dir, content)
    }

    /// (code, pointer, line) of each problem, for compact assertions.
    pub fn summary(problems: &[Problem]) -> Vec<(String, String, usize)> {
        problems
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.location.pointer.clone().unwrap_or_default(),
                    p.location.line,
                )
            })
            .collect()
    }
}
