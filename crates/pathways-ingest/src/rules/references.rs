//! Every reference names something that exists: a step's role and entry route,
//! a route's stages, the page's pathways.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};
use crate::schema::FileKind;
use std::collections::HashSet;

pub fn check(content: &ContentSet) -> Vec<Problem> {
    let roles: HashSet<&str> = content
        .all_roles()
        .iter()
        .map(|r| r.role.slug.as_str())
        .collect();
    let routes: HashSet<&str> = content
        .all_routes()
        .iter()
        .map(|r| r.route.slug.as_str())
        .collect();
    let stages: HashSet<&str> = content
        .all_stages()
        .iter()
        .map(|s| s.stage.slug.as_str())
        .collect();
    let with_pathway: HashSet<&str> = content
        .professions
        .iter()
        .filter(|p| p.value.pathway.is_some())
        .map(|p| p.value.slug.as_str())
        .collect();
    // References into a kind of file that failed to load cannot be judged.
    let failed = |kinds: &[FileKind]| kinds.iter().any(|k| content.failed.contains(k));
    let (roles_missing, routes_missing, professions_missing) = (
        failed(&[FileKind::Roles, FileKind::Profession]),
        failed(&[FileKind::Routes]),
        failed(&[FileKind::Profession]),
    );
    let mut problems = Vec::new();
    let mut dangling = |file, pointer: String, what: &str, slug: &str, known: &HashSet<&str>| {
        let unknowable = match what {
            "role" => roles_missing,
            "route" | "stage" => routes_missing,
            _ => professions_missing,
        };
        if !unknowable && !known.contains(slug) {
            problems.push(
                Problem::error(
                    Code::DanglingReference,
                    content.locate(file, &pointer),
                    format!("{what} `{}` does not exist", crate::diagnostic::quote(slug)),
                )
                .with_help(did_you_mean(slug, known)),
            );
        }
    };
    for s in content.all_steps() {
        dangling(
            s.file,
            format!("{}/role", s.pointer),
            "role",
            &s.step.role,
            &roles,
        );
        if let Some(route) = &s.step.entry_route {
            dangling(
                s.file,
                format!("{}/entry_route", s.pointer),
                "route",
                route,
                &routes,
            );
        }
    }
    for r in content.all_routes() {
        for (i, stage) in r.route.stages.iter().enumerate() {
            dangling(
                r.file,
                format!("{}/stages/{i}/stage", r.pointer),
                "stage",
                &stage.stage,
                &stages,
            );
        }
    }
    for page in &content.pages {
        for (i, slug) in page.value.pathways.iter().enumerate() {
            dangling(
                page.file,
                format!("/pathways/{i}"),
                "pathway of profession",
                slug,
                &with_pathway,
            );
        }
    }
    for s in content.all_steps() {
        if s.index == 0 && s.step.entry_route.is_some() {
            problems.push(Problem::error(
                Code::FirstStepEntryRoute,
                content.locate(s.file, &format!("{}/entry_route", s.pointer)),
                "the first step of a pathway has no step before it for a route to come from",
            ));
        }
    }
    problems
}

pub(crate) fn did_you_mean(slug: &str, known: &HashSet<&str>) -> String {
    let mut close: Vec<&&str> = known
        .iter()
        .filter(|k| k.contains(slug) || slug.contains(**k) || shared_prefix(k, slug) >= 4)
        .collect();
    close.sort();
    match close.first() {
        Some(k) => format!("did you mean `{k}`?"),
        None => {
            let mut all: Vec<_> = known.iter().copied().collect();
            all.sort_unstable();
            format!("known: {}", crate::diagnostic::list(&all))
        }
    }
}

fn shared_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary, ROLES, ROUTES};

    #[test]
    fn reports_dangling_role_route_and_stage() {
        let routes = ROUTES.replace("stage: apprenticeship", "stage: apprentice");
        let (_dir, set) = content(&[
            ("routes.yaml", &routes),
            ("roles.yaml", ROLES),
            (
                "professions/a.yaml",
                "slug: a\nname: A\npathway:\n  steps:\n    - title: X\n      level: Level 2\n      role: hcs\n    - title: Y\n      level: Level 3\n      role: senior\n      entry_route: indirect\n",
            ),
            ("page.yaml", "title: T\npathways: [a, b]\n"),
        ]);
        let found = summary(&check(&set));
        let expected: Vec<(String, String, usize)> = vec![
            (
                "pathways::rule::dangling-reference".into(),
                "/pathway/steps/0/role".into(),
                7,
            ),
            (
                "pathways::rule::dangling-reference".into(),
                "/pathway/steps/1/entry_route".into(),
                11,
            ),
            (
                "pathways::rule::dangling-reference".into(),
                "/routes/0/stages/0/stage".into(),
                8,
            ),
            (
                "pathways::rule::dangling-reference".into(),
                "/pathways/1".into(),
                2,
            ),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn suggests_a_close_slug() {
        let known: HashSet<&str> = ["healthcare-support-worker", "senior"].into();
        assert_eq!(
            did_you_mean("healthcare-support", &known),
            "did you mean `healthcare-support-worker`?"
        );
    }
}
