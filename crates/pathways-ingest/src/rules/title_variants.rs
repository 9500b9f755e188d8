//! One role shown under titles that differ only in case or spacing is allowed,
//! but reported as a warning: it is usually a typo on the page.

use crate::content::ContentSet;
use crate::diagnostic::{quote, Code, Problem};
use crate::text::{normalize, title_key};
use std::collections::HashMap;

pub fn check(content: &ContentSet) -> Vec<Problem> {
    // For each (role, title key): the first spelling seen.
    let mut first: HashMap<(&str, String), &str> = HashMap::new();
    let role_titles: HashMap<&str, &str> = content
        .all_roles()
        .iter()
        .map(|r| (r.role.slug.as_str(), r.role.title.as_str()))
        .collect();
    for (slug, title) in &role_titles {
        first.insert((slug, title_key(title)), title);
    }
    let mut problems = Vec::new();
    for s in content.all_steps() {
        let key = (s.step.role.as_str(), title_key(&s.step.title));
        match first.get(&key) {
            Some(seen) if normalize(seen) != normalize(&s.step.title) => problems.push(
                Problem::warning(
                    Code::TitleVariant,
                    content.locate(s.file, &format!("{}/title", s.pointer)),
                    format!(
                        "title `{}` is a spelling variant of `{}` (role `{}`)",
                        quote(&s.step.title),
                        quote(seen),
                        quote(&s.step.role)
                    ),
                )
                .with_help(
                    "the step keeps its title as displayed; correct it if the page is wrong",
                ),
            ),
            Some(_) => {}
            None => {
                first.insert(key, &s.step.title);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::testing::{content, summary, ROLES};

    #[test]
    fn warns_about_case_variants_of_a_role_title() {
        let steps = "slug: a\nname: A\npathway:\n  steps:\n    - title: Senior Healthcare Support Worker\n      level: Level 3\n      role: senior\n";
        let (_dir, set) = content(&[("roles.yaml", ROLES), ("professions/a.yaml", steps)]);
        let problems = check(&set);
        assert_eq!(
            summary(&problems),
            vec![(
                "pathways::rule::title-variant".into(),
                "/pathway/steps/0/title".into(),
                5
            )]
        );
        assert_eq!(problems[0].severity, Severity::Warning);
    }

    #[test]
    fn other_titles_for_a_role_are_not_variants() {
        let steps = "slug: a\nname: A\npathway:\n  steps:\n    - title: Senior support worker\n      level: Level 3\n      role: senior\n";
        let (_dir, set) = content(&[("roles.yaml", ROLES), ("professions/a.yaml", steps)]);
        assert!(check(&set).is_empty());
    }
}
