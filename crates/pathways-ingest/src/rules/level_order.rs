//! Levels never go down along a pathway, and a step sits at its role's level.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};
use pathways_model::Level;
use std::collections::HashMap;

pub fn check(content: &ContentSet) -> Vec<Problem> {
    let role_levels: HashMap<&str, Level> = content
        .all_roles()
        .iter()
        .filter_map(|r| {
            Level::parse(&r.role.level)
                .ok()
                .map(|l| (r.role.slug.as_str(), l))
        })
        .collect();
    let mut problems = Vec::new();
    let mut previous: Option<(&str, Level)> = None;
    for s in content.all_steps() {
        if s.index == 0 {
            previous = None;
        }
        // The schema has checked the label already.
        let Ok(level) = Level::parse(&s.step.level) else {
            continue;
        };
        if let Some((title, before)) = previous {
            if level < before {
                problems.push(
                    Problem::error(
                        Code::LevelGoesDown,
                        content.locate(s.file, &format!("{}/level", s.pointer)),
                        format!(
                            "`{}` is at {level}, below the step before it (`{title}`, {before})",
                            s.step.title
                        ),
                    )
                    .with_help("order a pathway's steps from the lowest level to the highest"),
                );
            }
        }
        if let Some(&role_level) = role_levels.get(s.step.role.as_str()) {
            if role_level != level {
                problems.push(Problem::error(
                    Code::LevelMismatch,
                    content.locate(s.file, &format!("{}/level", s.pointer)),
                    format!(
                        "step is at {level} but its role `{}` is at {role_level}",
                        s.step.role
                    ),
                ));
            }
        }
        previous = Some((&s.step.title, level));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary, ROLES};

    const STEPS: &str = "slug: a\nname: A\npathway:\n  steps:\n    - title: Senior\n      level: Level 3\n      role: senior\n    - title: HCSW\n      level: Level 2\n      role: hcsw\n";

    #[test]
    fn reports_a_step_below_the_one_before() {
        let (_dir, set) = content(&[("roles.yaml", ROLES), ("professions/a.yaml", STEPS)]);
        let problems = check(&set);
        assert_eq!(
            summary(&problems),
            vec![(
                "pathways::rule::level-goes-down".into(),
                "/pathway/steps/1/level".into(),
                9
            )]
        );
        assert!(problems[0]
            .message
            .contains("below the step before it (`Senior`, Level 3)"));
    }

    #[test]
    fn levels_restart_with_each_pathway() {
        // Level 2 then Level 3 in each of two pathways: the second starts low again.
        let ordered = "slug: a\nname: A\npathway:\n  steps:\n    - title: HCSW\n      level: Level 2\n      role: hcsw\n    - title: Senior\n      level: Level 3\n      role: senior\n";
        let (_dir, set) = content(&[
            ("roles.yaml", ROLES),
            ("professions/a.yaml", ordered),
            ("professions/b.yaml", &ordered.replace("slug: a", "slug: b")),
        ]);
        assert!(check(&set).is_empty(), "{:?}", summary(&check(&set)));
    }

    #[test]
    fn reports_a_step_off_its_roles_level() {
        let off = STEPS.replace("Level 3\n      role: senior", "Level 2\n      role: senior");
        let (_dir, set) = content(&[("roles.yaml", ROLES), ("professions/a.yaml", &off)]);
        assert!(check(&set)[0]
            .message
            .contains("its role `senior` is at Level 3"));
    }
}
