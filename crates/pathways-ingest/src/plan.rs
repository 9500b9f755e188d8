//! The load plan: valid content, normalised and deduplicated, as the model's
//! release, which the store writes whole.

use crate::content::ContentSet;
use crate::model::RoleDef;
use crate::text::{normalize, title_key};
use pathways_model::{
    Block, Level, ListBlock, OccupationCode, Page, Profession, Release, Role, Route, RouteStage,
    Stage, Step,
};
use std::collections::{HashMap, HashSet};

/// Builds the release from content that passed validation. References that do
/// not resolve (which validation reports) are skipped rather than trusted.
pub fn build(content: &ContentSet) -> Release {
    let page = content.page().map_or_else(Page::default, |p| Page {
        title: normalize(&p.title),
        intro: p.intro.iter().map(|t| normalize(t)).collect(),
        footer: p.footer.as_deref().map(normalize),
    });
    let stage_defs = content.all_stages();
    let stages: Vec<Stage> = stage_defs
        .iter()
        .map(|s| Stage {
            slug: s.stage.slug.clone(),
            name: normalize(&s.stage.name),
            label: s.stage.label.as_deref().map(normalize),
        })
        .collect();
    let stage_index: HashMap<&str, usize> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect();
    let routes: Vec<Route> = content
        .all_routes()
        .iter()
        .map(|r| Route {
            slug: r.route.slug.clone(),
            name: normalize(&r.route.name),
            stages: r
                .route
                .stages
                .iter()
                .filter_map(|s| {
                    Some(RouteStage {
                        stage: *stage_index.get(s.stage.as_str())?,
                        optional: s.optional,
                    })
                })
                .collect(),
        })
        .collect();
    let route_index: HashMap<&str, usize> = routes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.slug.as_str(), i))
        .collect();

    // Roles: definitions equal once normalised become one role.
    let mut roles: Vec<Role> = Vec::new();
    let mut by_key: HashMap<(String, Level, Vec<Block>), usize> = HashMap::new();
    let mut role_index: HashMap<String, usize> = HashMap::new();
    let mut duplicates_merged = 0;
    for r in content.all_roles() {
        let Some(role) = role_plan(r.role) else {
            continue;
        };
        let key = (title_key(&role.title), role.level, role.blocks.clone());
        let index = *by_key.entry(key).or_insert_with(|| {
            roles.push(role);
            roles.len() - 1
        });
        if roles[index].slug != r.role.slug {
            duplicates_merged += 1;
        }
        role_index.entry(r.role.slug.clone()).or_insert(index);
    }

    let mut listed: HashMap<&str, u32> = HashMap::new();
    if let Some(page) = content.page() {
        for (i, slug) in page.pathways.iter().enumerate() {
            listed.entry(slug.as_str()).or_insert(i as u32);
        }
    }
    let mut codes = codes_by_profession(content);
    let mut next_position = listed.len() as u32;
    let mut files: Vec<_> = content.professions.iter().map(|p| &p.value).collect();
    files.sort_by(|a, b| a.slug.cmp(&b.slug));
    let professions: Vec<Profession> = files
        .into_iter()
        .map(|p| {
            let steps: Vec<Step> = p
                .pathway
                .iter()
                .flat_map(|pathway| &pathway.steps)
                .filter_map(|s| {
                    Some(Step {
                        title: normalize(&s.title),
                        level: Level::parse(&s.level).ok()?,
                        role: *role_index.get(&s.role)?,
                        entry_route: s
                            .entry_route
                            .as_deref()
                            .and_then(|r| route_index.get(r).copied()),
                        intro: normalize_blocks(&s.intro),
                    })
                })
                .collect();
            let pathway_position = p.pathway.as_ref().map(|_| {
                listed.get(p.slug.as_str()).copied().unwrap_or_else(|| {
                    next_position += 1;
                    next_position - 1
                })
            });
            Profession {
                slug: p.slug.clone(),
                name: normalize(&p.name),
                pathway_position,
                steps,
                codes: codes.remove(p.slug.as_str()).unwrap_or_default(),
            }
        })
        .collect();

    // A role is shared when two or more professions' pathways use it; every
    // use past the first is a duplicate of its text that is stored once.
    let mut users: Vec<HashSet<&str>> = vec![HashSet::new(); roles.len()];
    let mut uses = vec![0usize; roles.len()];
    for p in &professions {
        for s in &p.steps {
            users[s.role].insert(&p.slug);
            uses[s.role] += 1;
        }
    }
    for (role, users) in roles.iter_mut().zip(&users) {
        role.shared = users.len() >= 2;
    }
    duplicates_merged += uses.iter().map(|n| n.saturating_sub(1)).sum::<usize>();

    Release {
        page,
        stages,
        routes,
        roles,
        professions,
        duplicates_merged,
    }
}

/// Each profession's codes, in scheme order; a profession's first entry wins
/// (validation reports a second).
fn codes_by_profession(content: &ContentSet) -> HashMap<&str, Vec<OccupationCode>> {
    let mut codes: HashMap<&str, Vec<OccupationCode>> = HashMap::new();
    for entry in content.codes.iter().flat_map(|f| &f.value.codes) {
        codes.entry(entry.profession.as_str()).or_insert_with(|| {
            entry
                .by_scheme()
                .into_iter()
                .map(|(scheme, def)| OccupationCode {
                    scheme,
                    code: def.code.trim().to_owned(),
                    name: normalize(&def.name),
                    source: def.source.trim().to_owned(),
                })
                .collect()
        });
    }
    codes
}

fn role_plan(role: &RoleDef) -> Option<Role> {
    Some(Role {
        slug: role.slug.clone(),
        title: normalize(&role.title),
        level: Level::parse(&role.level).ok()?,
        blocks: normalize_blocks(&role.content),
        shared: false,
    })
}

pub fn normalize_blocks(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => Block::Paragraph(normalize(p)),
            Block::List(l) => Block::List(ListBlock {
                kind: l.kind,
                marker: l.marker.clone(),
                items: l.items.iter().map(|i| normalize(i)).collect(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, ROLES};

    #[test]
    fn merges_equal_role_definitions_and_counts_shared_uses() {
        let own = "roles:\n  - slug: hcsw-copy\n    title: Healthcare  Support worker\n    level: Level 2\n    content:\n      - paragraph: \" Care. \"\n";
        let pathway = |slug: &str, role: &str| {
            format!("slug: {slug}\nname: {slug}\n{own}pathway:\n  steps:\n    - title: HCSW\n      level: Level 2\n      role: {role}\n")
        };
        let (_dir, set) = content(&[
            ("roles.yaml", ROLES),
            (
                "professions/a.yaml",
                &pathway("a", "hcsw").replace("hcsw-copy", "a-copy"),
            ),
            (
                "professions/b.yaml",
                &pathway("b", "b-copy").replace("hcsw-copy", "b-copy"),
            ),
        ]);
        let plan = build(&set);
        let counts = plan.counts();
        // hcsw, senior; both copies fold into hcsw.
        assert_eq!(counts.roles, 2);
        assert_eq!(counts.shared_roles, 1);
        assert_eq!(
            plan.professions[1].steps[0].role,
            plan.professions[0].steps[0].role
        );
        // Two merged definitions, and the second use of the shared role.
        assert_eq!(counts.duplicates_merged, 3);
    }

    #[test]
    fn codes_go_to_their_profession_in_scheme_order() {
        let codes = "codes:\n  - profession: a\n    esco:\n      code: http://data.europa.eu/esco/occupation/006cc1f9-2841-41c3-991a-dc3f2f3bd533\n      name: physiotherapist\n      source: https://example.org/esco\n    soc2020:\n      code: \"2221\"\n      name: \" Physiotherapists \"\n      source: https://example.org/soc\n";
        let (_dir, set) = content(&[
            ("professions/a.yaml", "slug: a\nname: A\n"),
            ("professions/b.yaml", "slug: b\nname: B\n"),
            ("codes.yaml", codes),
        ]);
        let plan = build(&set);
        let schemes: Vec<&str> = plan.professions[0]
            .codes
            .iter()
            .map(|c| c.scheme.key())
            .collect();
        assert_eq!(schemes, ["soc2020", "esco"]);
        assert_eq!(plan.professions[0].codes[0].name, "Physiotherapists");
        assert!(plan.professions[1].codes.is_empty());
    }

    #[test]
    fn equal_content_hashes_equal() {
        let (_d1, a) = content(&[("roles.yaml", ROLES)]);
        let (_d2, b) = content(&[("roles.yaml", &ROLES.replace("Care.", "Care.  "))]);
        assert_eq!(build(&a).content_hash(), build(&b).content_hash());
        let (_d3, c) = content(&[("roles.yaml", &ROLES.replace("Care.", "Care!"))]);
        assert_ne!(build(&a).content_hash(), build(&c).content_hash());
    }
}
