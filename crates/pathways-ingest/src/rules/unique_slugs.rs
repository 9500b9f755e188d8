//! Slugs are unique within their kind: professions, roles, stages, routes.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};
use std::collections::HashMap;

pub fn check(content: &ContentSet) -> Vec<Problem> {
    let professions = content
        .professions
        .iter()
        .map(|p| (p.file, "/slug".to_owned(), p.value.slug.as_str()));
    let roles = content
        .all_roles()
        .into_iter()
        .map(|r| (r.file, format!("{}/slug", r.pointer), r.role.slug.as_str()));
    let stages = content
        .all_stages()
        .into_iter()
        .map(|s| (s.file, format!("{}/slug", s.pointer), s.stage.slug.as_str()));
    let routes = content
        .all_routes()
        .into_iter()
        .map(|r| (r.file, format!("{}/slug", r.pointer), r.route.slug.as_str()));
    let mut problems = Vec::new();
    duplicates(content, "profession", professions, &mut problems);
    duplicates(content, "role", roles, &mut problems);
    duplicates(content, "stage", stages, &mut problems);
    duplicates(content, "route", routes, &mut problems);
    if let [_, extra @ ..] = &content.pages[..] {
        for page in extra {
            problems.push(Problem::error(
                Code::DuplicateSlug,
                content.locate(page.file, ""),
                "a second page file: content has exactly one page.yaml",
            ));
        }
    }
    problems
}

fn duplicates<'a>(
    content: &ContentSet,
    kind: &str,
    slugs: impl Iterator<Item = (usize, String, &'a str)>,
    problems: &mut Vec<Problem>,
) {
    let mut first: HashMap<&str, (usize, String)> = HashMap::new();
    for (file, pointer, slug) in slugs {
        match first.get(slug) {
            Some((f, p)) => {
                let earlier = content.locate(*f, p);
                problems.push(
                    Problem::error(
                        Code::DuplicateSlug,
                        content.locate(file, &pointer),
                        format!(
                            "{kind} slug `{}` is used twice",
                            crate::diagnostic::quote(slug)
                        ),
                    )
                    .with_help(format!("first used at {}:{}", earlier.file, earlier.line)),
                );
            }
            None => {
                first.insert(slug, (file, pointer));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary, ROLES};

    #[test]
    fn reports_the_second_use_of_a_slug() {
        let (_dir, set) = content(&[
            ("roles.yaml", ROLES),
            ("professions/a.yaml", "slug: a\nname: A\nroles:\n  - slug: hcsw\n    title: X\n    level: Level 2\n    content:\n      - paragraph: Y.\n"),
            ("professions/b.yaml", "slug: a\nname: B\n"),
        ]);
        let found = summary(&check(&set));
        assert_eq!(
            found,
            vec![
                ("pathways::rule::duplicate-slug".into(), "/slug".into(), 1),
                (
                    "pathways::rule::duplicate-slug".into(),
                    "/roles/0/slug".into(),
                    4
                ),
            ]
        );
    }

    #[test]
    fn accepts_distinct_slugs() {
        let (_dir, set) = content(&[
            ("roles.yaml", ROLES),
            ("professions/a.yaml", "slug: a\nname: A\n"),
        ]);
        assert!(check(&set).is_empty());
    }
}
