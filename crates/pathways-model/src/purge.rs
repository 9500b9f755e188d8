//! Cache keys: the names an answer is tagged with for what it read (the
//! server's `Surrogate-Key` and `Cache-Tag` headers), and [`keys`], the ones
//! whose content changed between two releases, which a publish purges.
//!
//! | key | an answer carries it when it read | purged when |
//! |---|---|---|
//! | `pathways` | anything (every answer) | by hand only: it purges everything |
//! | `release` | which release is served (`release`, `releases`), or too much to list | every publish |
//! | `profession:<slug>` | a profession's fields, steps or levels | it changed, was added or removed, or a role it shows changed |
//! | `role:<slug>` | a role's fields (text, `usedBy`) | it changed, was added or removed, or the professions showing it did |
//! | `professions` | the list of professions (or a slug that named none) | professions were added or removed, or gained or lost a pathway |
//! | `roles` | the list of roles (or a slug that named none) | roles were added, removed, reordered, or became shared or unshared |
//! | `routes` | routes and their stages | any route or stage changed |
//! | `levels` | the levels content uses | that set changed |
//! | `page` | the page's title, introduction, footer | any of them changed |
//! | `search` | search results | any content changed |
//!
//! Keys are compared on what readers see: steps by their role's and route's
//! slugs rather than by index, so content that only moved in storage purges nothing.

use crate::release::{Profession, Release, Role};
use std::collections::{BTreeMap, BTreeSet};

/// On every answer: purging it purges everything.
pub const ALL: &str = "pathways";
/// On answers that read which release is served; purged by every publish.
/// An answer whose keys would not fit carries it (with [`ALL`]) instead.
pub const RELEASE: &str = "release";
pub const PROFESSIONS: &str = "professions";
pub const ROLES: &str = "roles";
pub const ROUTES: &str = "routes";
pub const LEVELS: &str = "levels";
pub const PAGE: &str = "page";
pub const SEARCH: &str = "search";

/// What leads a profession's key, before its slug.
pub const PROFESSION_PREFIX: &str = "profession:";
/// What leads a role's key, before its slug.
pub const ROLE_PREFIX: &str = "role:";

pub fn profession(slug: &str) -> String {
    format!("{PROFESSION_PREFIX}{slug}")
}

pub fn role(slug: &str) -> String {
    format!("{ROLE_PREFIX}{slug}")
}

/// The keys to purge when `to` replaces `from` (`None`: nothing was served
/// before, so everything goes): the plain keys (`page`, `professions`,
/// `release`, …) in order, then `profession:…` and `role:…`. Never empty: a
/// publish always changes `release`.
pub fn keys(from: Option<&Release>, to: &Release) -> Vec<String> {
    let Some(from) = from else {
        return vec![ALL.to_owned()];
    };
    let mut plain: BTreeSet<&'static str> = BTreeSet::from([RELEASE]);
    let mut named: BTreeSet<String> = BTreeSet::new();
    if from == to {
        return vec![RELEASE.to_owned()];
    }
    plain.insert(SEARCH);
    if from.page != to.page {
        plain.insert(PAGE);
    }
    if from.levels() != to.levels() {
        plain.insert(LEVELS);
    }
    if routes(from) != routes(to) {
        plain.insert(ROUTES);
    }
    // Roles: their own text, and who shows them.
    let (old_roles, new_roles) = (
        by_slug(&from.roles, |r| &r.slug),
        by_slug(&to.roles, |r| &r.slug),
    );
    let (old_users, new_users) = (users(from), users(to));
    if role_list(from) != role_list(to) {
        plain.insert(ROLES);
    }
    for slug in old_roles.keys().chain(new_roles.keys()) {
        let (old, new) = (old_roles.get(slug), new_roles.get(slug));
        let text_changed = old.map(|r| role_view(r)) != new.map(|r| role_view(r));
        let (was, is) = (old_users.get(slug), new_users.get(slug));
        if text_changed {
            // Every profession showing it, before or after, shows new text.
            for p in was.into_iter().chain(is).flatten() {
                named.insert(profession(p));
            }
        }
        if text_changed || was != is {
            named.insert(role(slug));
        }
    }
    // Professions: their own fields and pathway, as readers see them.
    let (old_prof, new_prof) = (
        by_slug(&from.professions, |p| &p.slug),
        by_slug(&to.professions, |p| &p.slug),
    );
    if prof_list(from) != prof_list(to) {
        plain.insert(PROFESSIONS);
    }
    for slug in old_prof.keys().chain(new_prof.keys()) {
        let old = old_prof.get(slug).map(|p| profession_view(from, p));
        let new = new_prof.get(slug).map(|p| profession_view(to, p));
        if old != new {
            named.insert(profession(slug));
        }
    }
    plain.into_iter().map(str::to_owned).chain(named).collect()
}

/// The roles in page order, with whether each is shared.
fn role_list(release: &Release) -> Vec<(&str, bool)> {
    release
        .roles
        .iter()
        .map(|r| (r.slug.as_str(), r.shared))
        .collect()
}

/// The professions in order, with whether each has a pathway.
fn prof_list(release: &Release) -> Vec<(&str, bool)> {
    release
        .professions
        .iter()
        .map(|p| (p.slug.as_str(), p.has_pathway()))
        .collect()
}

fn by_slug<T>(items: &[T], slug: impl Fn(&T) -> &String) -> BTreeMap<&str, &T> {
    items.iter().map(|t| (slug(t).as_str(), t)).collect()
}

/// The professions showing each role, by slug.
fn users(release: &Release) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in &release.professions {
        for step in &p.steps {
            if let Some(role) = release.roles.get(step.role) {
                users.entry(&role.slug).or_default().insert(&p.slug);
            }
        }
    }
    users
}

/// A role as readers see it (`shared` included: it is one of its fields).
fn role_view(role: &Role) -> impl PartialEq + '_ {
    (&role.title, role.level, &role.blocks, role.shared)
}

/// Routes with their stages' names, as readers see them.
/// A route's slug, name, and stages (each stage and whether it is optional).
type RouteView<'a> = (&'a str, &'a str, Vec<(Option<&'a crate::Stage>, bool)>);

fn routes(release: &Release) -> Vec<RouteView<'_>> {
    release
        .routes
        .iter()
        .map(|r| {
            let stages = r
                .stages
                .iter()
                .map(|s| (release.stages.get(s.stage), s.optional))
                .collect();
            (r.slug.as_str(), r.name.as_str(), stages)
        })
        .collect()
}

/// A profession as readers see it: steps name their role and route by slug.
fn profession_view<'a>(release: &'a Release, p: &'a Profession) -> impl PartialEq + 'a {
    let steps: Vec<_> = p
        .steps
        .iter()
        .map(|s| {
            (
                &s.title,
                s.level,
                release.roles.get(s.role).map(|r| &r.slug),
                s.entry_route
                    .and_then(|r| release.routes.get(r))
                    .map(|r| &r.slug),
                &s.intro,
            )
        })
        .collect();
    (&p.name, p.pathway_position, &p.codes, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Page, Step};
    use crate::{Block, Level};

    fn role_of(slug: &str, text: &str) -> Role {
        Role {
            slug: slug.into(),
            title: slug.into(),
            level: Level::ENTRY,
            blocks: vec![Block::Paragraph(text.into())],
            shared: false,
        }
    }

    fn profession_of(slug: &str, roles: &[usize]) -> Profession {
        Profession {
            slug: slug.into(),
            name: slug.into(),
            pathway_position: Some(0),
            steps: roles
                .iter()
                .map(|&role| Step {
                    title: format!("step {role}"),
                    level: Level::ENTRY,
                    role,
                    entry_route: None,
                    intro: Vec::new(),
                })
                .collect(),
            codes: Vec::new(),
        }
    }

    fn release() -> Release {
        let mut shared = role_of("support-worker", "Helps.");
        shared.shared = true;
        Release {
            page: Page {
                title: "Pathways".into(),
                ..Page::default()
            },
            roles: vec![
                shared,
                role_of("dietitian", "Advises."),
                role_of("podiatrist", "Feet."),
            ],
            professions: vec![
                profession_of("dietitian", &[0, 1]),
                profession_of("podiatrist", &[0, 2]),
            ],
            ..Release::default()
        }
    }

    #[test]
    fn nothing_served_before_purges_everything_and_the_same_content_only_the_release() {
        assert_eq!(keys(None, &release()), ["pathways"]);
        assert_eq!(keys(Some(&release()), &release()), ["release"]);
    }

    #[test]
    fn a_changed_shared_role_purges_it_and_every_profession_showing_it() {
        let mut to = release();
        to.roles[0].blocks = vec![Block::Paragraph("Helps a lot.".into())];
        assert_eq!(
            keys(Some(&release()), &to),
            [
                "release",
                "search",
                "profession:dietitian",
                "profession:podiatrist",
                "role:support-worker"
            ]
        );
    }

    #[test]
    fn a_changed_profession_purges_only_itself() {
        let mut to = release();
        to.professions[1].steps[1].title = "Podiatrist (senior)".into();
        assert_eq!(
            keys(Some(&release()), &to),
            ["release", "search", "profession:podiatrist"]
        );
    }

    #[test]
    fn roles_moved_in_storage_purge_nothing_of_the_professions() {
        let mut to = release();
        to.roles.swap(1, 2);
        to.professions[0].steps[1].role = 2;
        to.professions[1].steps[1].role = 1;
        assert_eq!(keys(Some(&release()), &to), ["release", "roles", "search"]);
    }

    #[test]
    fn a_profession_added_purges_the_list_and_the_roles_it_shows() {
        let mut to = release();
        to.professions.push(profession_of("radiographer", &[0]));
        to.page.title = "Pathways 2".into();
        assert_eq!(
            keys(Some(&release()), &to),
            [
                "page",
                "professions",
                "release",
                "search",
                "profession:radiographer",
                "role:support-worker"
            ]
        );
    }
}
