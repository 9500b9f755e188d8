//! The served release as an immutable in-memory snapshot: the model read whole
//! from the store, plus every index the resolvers need, built once per release
//! and off the request path. A request holds one `Arc<Snapshot>` from start to
//! end, so it answers from one release whatever is published meanwhile.

use crate::graphql::markdown;
use get_size2::GetSize;
use pathways_model::{Level, ListKind, Release, ReleaseDescription};
use pathways_store::DatabaseConnection;
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[cfg(test)]
pub(crate) mod fixtures;
mod json_ld;
pub use json_ld::{script_json, ProfessionJsonLd};

pub use pathways_search::{Hit, HitTarget};

/// A profession, by its place in `Release::professions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GetSize)]
pub struct ProfessionIx(pub usize);
/// A step: its profession and its place in that pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GetSize)]
pub struct StepIx {
    pub profession: usize,
    pub step: usize,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GetSize)]
pub struct RoleIx(pub usize);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, GetSize)]
pub struct RouteIx(pub usize);

/// The steps of one pathway at one level, and the routes into them.
#[derive(Debug, GetSize)]
pub struct PathwayLevel {
    pub level: Level,
    pub steps: Vec<usize>,
    pub routes: Vec<RouteIx>,
}

/// Professions in slug order, as `professions(hasPathway:)` filters them.
#[derive(Debug, Default, GetSize)]
struct SlugOrder {
    all: Vec<ProfessionIx>,
    with_pathway: Vec<ProfessionIx>,
    without_pathway: Vec<ProfessionIx>,
}

#[derive(Debug, GetSize)]
pub struct Snapshot {
    /// What the release is: id, hash, time, note and counts.
    pub release: ReleaseDescription,
    pub content: Release,
    by_slug: SlugOrder,
    profession_by_slug: HashMap<String, ProfessionIx>,
    role_by_slug: HashMap<String, RoleIx>,
    /// The professions whose pathways show each role, in slug order.
    role_users: Vec<Vec<ProfessionIx>>,
    /// Each profession's pathway, level by level.
    pathway_levels: Vec<Vec<PathwayLevel>>,
    levels: Vec<Level>,
    /// Each role's whole text as Markdown, rendered once.
    role_markdown: Vec<String>,
    /// Each step's intro as Markdown, when it has one.
    intro_markdown: Vec<Vec<Option<String>>>,
    search: pathways_search::SearchIndex,
    /// Each profession's schema.org document, made on first use.
    #[get_size(ignore)]
    json_ld: json_ld::JsonLdDocuments,
    /// Bytes held, indexes included, as `get-size2` counts them (lengths and
    /// capacities, not the allocator's own overhead), when built: the JSON-LD
    /// documents, made later, are not in it.
    pub bytes: usize,
    /// Time to build the indexes (reading from the database not included).
    #[get_size(ignore)]
    pub build_time: Duration,
}

/// How long the store took to read a release and the snapshot to build.
#[derive(Debug, Clone, Copy)]
pub struct LoadTimes {
    pub read: Duration,
    pub build: Duration,
}

impl Snapshot {
    /// Reads `release` whole from the store and builds its snapshot.
    pub async fn load(
        db: &DatabaseConnection,
        release: ReleaseDescription,
    ) -> Result<(Snapshot, LoadTimes), pathways_store::DbErr> {
        let started = Instant::now();
        let content = pathways_store::queries::read::read_release(db, release.id).await?;
        let read = started.elapsed();
        let snapshot = Snapshot::build(release, content);
        let build = snapshot.build_time;
        Ok((snapshot, LoadTimes { read, build }))
    }

    /// Builds every index over `content`.
    pub fn build(release: ReleaseDescription, content: Release) -> Snapshot {
        let started = Instant::now();
        let by_slug = SlugOrder::of(&content);
        let profession_by_slug = content
            .professions
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.clone(), ProfessionIx(i)))
            .collect();
        let role_by_slug = content
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug.clone(), RoleIx(i)))
            .collect();
        let role_users = role_users(&content, &by_slug);
        let pathway_levels = content.professions.iter().map(pathway_levels).collect();
        let role_markdown = content
            .roles
            .iter()
            .map(|r| markdown::render(&r.blocks))
            .collect();
        let intro_markdown = content
            .professions
            .iter()
            .map(|p| {
                p.steps
                    .iter()
                    .map(|s| (!s.intro.is_empty()).then(|| markdown::render(&s.intro)))
                    .collect()
            })
            .collect();
        let search = pathways_search::SearchIndex::build(&content);
        let levels = content.levels();
        let json_ld = json_ld::JsonLdDocuments::new(content.professions.len());
        let mut snapshot = Snapshot {
            release,
            content,
            by_slug,
            profession_by_slug,
            role_by_slug,
            role_users,
            pathway_levels,
            levels,
            role_markdown,
            intro_markdown,
            search,
            json_ld,
            bytes: 0,
            build_time: Duration::ZERO,
        };
        snapshot.bytes = snapshot.get_size();
        snapshot.build_time = started.elapsed();
        snapshot
    }

    pub fn id(&self) -> i32 {
        self.release.id
    }

    pub fn profession(&self, ix: ProfessionIx) -> &pathways_model::Profession {
        &self.content.professions[ix.0]
    }

    pub fn step(&self, ix: StepIx) -> &pathways_model::Step {
        &self.content.professions[ix.profession].steps[ix.step]
    }

    pub fn role(&self, ix: RoleIx) -> &pathways_model::Role {
        &self.content.roles[ix.0]
    }

    pub fn route(&self, ix: RouteIx) -> &pathways_model::Route {
        &self.content.routes[ix.0]
    }

    pub fn stage_name(&self, stage: usize) -> &str {
        self.content
            .stages
            .get(stage)
            .map_or("", |s| s.name.as_str())
    }

    pub fn profession_by_slug(&self, slug: &str) -> Option<ProfessionIx> {
        self.profession_by_slug.get(slug).copied()
    }

    pub fn role_by_slug(&self, slug: &str) -> Option<RoleIx> {
        self.role_by_slug.get(slug).copied()
    }

    /// Professions in slug order, filtered by whether they have a pathway.
    pub fn professions(&self, has_pathway: Option<bool>) -> &[ProfessionIx] {
        match has_pathway {
            None => &self.by_slug.all,
            Some(true) => &self.by_slug.with_pathway,
            Some(false) => &self.by_slug.without_pathway,
        }
    }

    /// Those of `list` whose slugs come after `after`: a cursor page starts here.
    pub fn after<'a>(&self, list: &'a [ProfessionIx], after: &str) -> &'a [ProfessionIx] {
        let start = list.partition_point(|&p| self.profession(p).slug.as_str() <= after);
        &list[start..]
    }

    pub fn role_users(&self, role: RoleIx) -> &[ProfessionIx] {
        self.role_users.get(role.0).map_or(&[], Vec::as_slice)
    }

    pub fn pathway_levels(&self, profession: ProfessionIx) -> &[PathwayLevel] {
        &self.pathway_levels[profession.0]
    }

    /// The levels the release uses, lowest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    pub fn role_markdown(&self, role: RoleIx) -> &str {
        &self.role_markdown[role.0]
    }

    pub fn intro_markdown(&self, step: StepIx) -> Option<&str> {
        self.intro_markdown[step.profession][step.step].as_deref()
    }

    /// Items of the role's lists of `kind`, in order.
    pub fn list_items(&self, role: RoleIx, kind: ListKind) -> impl Iterator<Item = &str> {
        self.role(role)
            .blocks
            .iter()
            .filter_map(move |b| match b {
                pathways_model::Block::List(list) if list.kind == Some(kind) => Some(&list.items),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
    }

    /// The best matches for `text`, at most `limit`.
    pub fn search(&self, text: &str, limit: usize) -> Vec<Hit> {
        self.search.search(&self.content, text, limit)
    }
}

impl SlugOrder {
    /// The professions by slug: all, with a pathway, without.
    fn of(content: &Release) -> SlugOrder {
        let mut by_slug = SlugOrder::default();
        let mut order: Vec<usize> = (0..content.professions.len()).collect();
        order.sort_by(|&a, &b| {
            content.professions[a]
                .slug
                .cmp(&content.professions[b].slug)
        });
        for i in order {
            let ix = ProfessionIx(i);
            by_slug.all.push(ix);
            if content.professions[i].has_pathway() {
                by_slug.with_pathway.push(ix);
            } else {
                by_slug.without_pathway.push(ix);
            }
        }
        by_slug
    }
}

/// For each role, the professions whose pathways show it, by slug.
fn role_users(content: &Release, by_slug: &SlugOrder) -> Vec<Vec<ProfessionIx>> {
    let mut role_users: Vec<Vec<ProfessionIx>> = vec![Vec::new(); content.roles.len()];
    for &p in &by_slug.all {
        for step in &content.professions[p.0].steps {
            if let Some(users) = role_users.get_mut(step.role) {
                if users.last() != Some(&p) {
                    users.push(p);
                }
            }
        }
    }
    role_users
}

/// A profession's steps grouped by level, in pathway order, with the routes into each.
fn pathway_levels(profession: &pathways_model::Profession) -> Vec<PathwayLevel> {
    let mut levels: Vec<PathwayLevel> = Vec::new();
    for (i, step) in profession.steps.iter().enumerate() {
        let at = match levels.iter().position(|l| l.level == step.level) {
            Some(at) => at,
            None => {
                levels.push(PathwayLevel {
                    level: step.level,
                    steps: Vec::new(),
                    routes: Vec::new(),
                });
                levels.len() - 1
            }
        };
        let level = &mut levels[at];
        level.steps.push(i);
        if let Some(route) = step.entry_route.map(RouteIx) {
            if !level.routes.contains(&route) {
                level.routes.push(route);
            }
        }
    }
    levels
}
