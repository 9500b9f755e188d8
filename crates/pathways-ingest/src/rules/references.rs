//! Every reference names something that exists: a step's role and entry route,
//! a route's stages, the page's pathways.

use crate::content::{ContentSet, Defined};
use crate::diagnostic::{list, quote, Code, Problem};
use std::collections::{BTreeMap, HashSet};

/// A reference: where it is, what it names, and the slug.
struct Reference<'a> {
    file: usize,
    pointer: String,
    names: Defined,
    slug: &'a str,
}

pub fn check(content: &ContentSet) -> Vec<Problem> {
    let known = |what: Defined| -> HashSet<&str> {
        match what {
            Defined::Role => content
                .all_roles()
                .iter()
                .map(|r| r.role.slug.as_str())
                .collect(),
            Defined::Route => content
                .all_routes()
                .iter()
                .map(|r| r.route.slug.as_str())
                .collect(),
            Defined::Stage => content
                .all_stages()
                .iter()
                .map(|s| s.stage.slug.as_str())
                .collect(),
            Defined::Pathway => content
                .professions
                .iter()
                .filter(|p| p.value.pathway.is_some())
                .map(|p| p.value.slug.as_str())
                .collect(),
        }
    };
    let mut problems = Vec::new();
    // References that name nothing read, where what they name may be in what
    // could not be read: by file and kind, in order.
    let mut unjudged: BTreeMap<(usize, &str), Vec<Reference>> = BTreeMap::new();
    for what in [
        Defined::Role,
        Defined::Route,
        Defined::Stage,
        Defined::Pathway,
    ] {
        let defined = known(what);
        for r in references(content, what) {
            if defined.contains(r.slug) {
                continue;
            }
            if content.unknown(what).next().is_some() {
                unjudged.entry((r.file, what.noun())).or_default().push(r);
                continue;
            }
            problems.push(
                Problem::error(
                    Code::DanglingReference,
                    content.locate(r.file, &r.pointer),
                    format!("{} `{}` does not exist", what.noun(), quote(r.slug)),
                )
                .with_help(did_you_mean(r.slug, what, &defined)),
            );
        }
    }
    for refs in unjudged.into_values() {
        problems.push(skipped(content, &refs));
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

/// Every reference to a `what`.
fn references(content: &ContentSet, what: Defined) -> Vec<Reference<'_>> {
    let at = |file, pointer, slug| Reference {
        file,
        pointer,
        names: what,
        slug,
    };
    match what {
        Defined::Role => content
            .all_steps()
            .into_iter()
            .map(|s| at(s.file, format!("{}/role", s.pointer), s.step.role.as_str()))
            .collect(),
        Defined::Route => content
            .all_steps()
            .into_iter()
            .filter_map(|s| {
                let route = s.step.entry_route.as_deref()?;
                Some(at(s.file, format!("{}/entry_route", s.pointer), route))
            })
            .collect(),
        Defined::Stage => content
            .all_routes()
            .into_iter()
            .flat_map(|r| {
                r.route.stages.iter().enumerate().map(move |(i, stage)| {
                    at(
                        r.file,
                        format!("{}/stages/{i}/stage", r.pointer),
                        stage.stage.as_str(),
                    )
                })
            })
            .collect(),
        Defined::Pathway => content
            .pages
            .iter()
            .flat_map(|page| {
                page.value
                    .pathways
                    .iter()
                    .enumerate()
                    .map(move |(i, slug)| at(page.file, format!("/pathways/{i}"), slug.as_str()))
            })
            .collect(),
    }
}

/// One note for the references of one kind in one file that could not be
/// judged: at the first, naming them all and the definitions not read.
fn skipped(content: &ContentSet, refs: &[Reference]) -> Problem {
    let first = &refs[0];
    let unknown: Vec<_> = content.unknown(first.names).collect();
    let slugs: Vec<&str> = refs.iter().map(|r| r.slug).collect();
    let what = match slugs[..] {
        [one] => format!("{} `{}` names", first.names.noun(), quote(one)),
        _ => format!(
            "{} {} references ({}) name",
            slugs.len(),
            first.names.noun(),
            list(&slugs)
        ),
    };
    let mut why = unknown[0].why.clone();
    if unknown.len() > 1 {
        why.push_str(&format!(" (and {} more)", unknown.len() - 1));
    }
    Problem::note(
        Code::CheckSkipped,
        content.locate(first.file, &first.pointer),
        format!("check `dangling-reference` skipped: {what} nothing in the files read, but {why}"),
    )
    .with_help(unknown[0].help.clone())
}

pub(crate) fn did_you_mean(slug: &str, what: Defined, known: &HashSet<&str>) -> String {
    let mut all: Vec<&str> = known.iter().copied().collect();
    all.sort_unstable();
    let close = crate::suggest::nearest(slug, &all).or_else(|| {
        all.iter()
            .find(|k| k.contains(slug) || slug.contains(**k) || shared_prefix(k, slug) >= 4)
            .copied()
    });
    match close {
        Some(k) => format!("did you mean `{k}`?"),
        None if all.is_empty() => format!("no {} is defined in the files read", what.noun()),
        None => format!("known: {}", list(&all)),
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
            did_you_mean("healthcare-support", Defined::Role, &known),
            "did you mean `healthcare-support-worker`?"
        );
        assert_eq!(
            did_you_mean("direct", Defined::Route, &HashSet::new()),
            "no route is defined in the files read"
        );
    }
}
