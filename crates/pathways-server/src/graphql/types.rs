//! The API's object types. Each holds an index into the request's snapshot and
//! reads it directly: no SQL, no loaders.

use super::context::snapshot;
use crate::snapshot::{HitTarget, ProfessionIx, RoleIx, RouteIx, StepIx};
use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use pathways_model::{Block, ListKind, ListedRelease, ReleaseStatus as Status};

/// An allied health profession, and its example pathway when it has one.
pub struct Profession(pub ProfessionIx);

/// An allied health profession, and its example pathway when it has one.
#[Object]
impl Profession {
    /// Identifier in URLs, such as `physiotherapist`.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.profession(self.0).slug)
    }

    /// The name as the page displays it.
    async fn name<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.profession(self.0).name)
    }

    /// Whether the profession has an example pathway yet.
    async fn has_pathway(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(snapshot(ctx)?.profession(self.0).has_pathway())
    }

    /// The pathway's steps in order, from the lowest level up.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<PathwayStep>> {
        let steps = snapshot(ctx)?.profession(self.0).steps.len();
        Ok((0..steps)
            .map(|step| {
                PathwayStep(StepIx {
                    profession: self.0 .0,
                    step,
                })
            })
            .collect())
    }

    /// The pathway level by level; `number` picks one level (Entry Level is 0).
    async fn levels(&self, ctx: &Context<'_>, number: Option<i32>) -> Result<Vec<PathwayLevel>> {
        let levels = snapshot(ctx)?.pathway_levels(self.0);
        Ok(levels
            .iter()
            .enumerate()
            .filter(|(_, l)| number.is_none_or(|n| n == i32::from(l.level.rank())))
            .map(|(index, _)| PathwayLevel {
                profession: self.0,
                index,
            })
            .collect())
    }
}

/// The steps of a pathway at one level, and the routes into them.
pub struct PathwayLevel {
    profession: ProfessionIx,
    index: usize,
}

impl PathwayLevel {
    fn of<'a>(&self, ctx: &Context<'a>) -> Result<&'a crate::snapshot::PathwayLevel> {
        Ok(&snapshot(ctx)?.pathway_levels(self.profession)[self.index])
    }
}

/// The steps of a pathway at one level, and the routes into them.
#[Object]
impl PathwayLevel {
    /// The level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(self.of(ctx)?.level))
    }

    /// The steps at this level, in pathway order.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<PathwayStep>> {
        Ok(self
            .of(ctx)?
            .steps
            .iter()
            .map(|&step| {
                PathwayStep(StepIx {
                    profession: self.profession.0,
                    step,
                })
            })
            .collect())
    }

    /// The entry routes of the steps at this level.
    async fn routes(&self, ctx: &Context<'_>) -> Result<Vec<Route>> {
        Ok(self.of(ctx)?.routes.iter().map(|&r| Route(r)).collect())
    }
}

/// A step of a profession's pathway: a role, displayed under a title, at a level.
pub struct PathwayStep(pub StepIx);

/// A step of a profession's pathway: a role, displayed under a title, at a level.
#[Object]
impl PathwayStep {
    /// Place in the pathway, from 1.
    async fn position(&self) -> i32 {
        i32::try_from(self.0.step + 1).unwrap_or(i32::MAX)
    }

    /// The title the step is displayed with (it may differ from the role's).
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.step(self.0).title)
    }

    /// The step's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(snapshot(ctx)?.step(self.0).level))
    }

    /// The role whose text the step shows.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        Ok(Role(RoleIx(snapshot(ctx)?.step(self.0).role)))
    }

    /// Text this profession adds before the role's own, as Markdown.
    async fn intro<'a>(&self, ctx: &Context<'a>) -> Result<Option<&'a str>> {
        Ok(snapshot(ctx)?.intro_markdown(self.0))
    }

    /// The route from the step before into this one.
    async fn entry_route(&self, ctx: &Context<'_>) -> Result<Option<Route>> {
        Ok(snapshot(ctx)?
            .step(self.0)
            .entry_route
            .map(|r| Route(RouteIx(r))))
    }

    /// The profession whose pathway this is.
    async fn profession(&self) -> Profession {
        Profession(ProfessionIx(self.0.profession))
    }
}

/// A qualification level (RQF): a scheme and a rank, with the label as displayed.
pub struct Level(pub pathways_model::Level);

/// A qualification level (RQF): a scheme and a rank, with the label as displayed.
#[Object]
impl Level {
    /// The rank: Entry Level is 0, Level N is N.
    async fn number(&self) -> i32 {
        self.0.rank().into()
    }

    /// As displayed: `Entry Level`, `Level 5`.
    async fn label(&self) -> String {
        self.0.label()
    }

    /// The qualification scheme: `RQF`.
    async fn scheme(&self) -> &'static str {
        self.0.scheme()
    }
}

/// A role: text stored once however many pathways show it.
pub struct Role(pub RoleIx);

/// A role: text stored once however many pathways show it.
#[Object]
impl Role {
    /// Identifier in URLs.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.role(self.0).slug)
    }

    /// The role's title (steps may display a variant).
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.role(self.0).title)
    }

    /// The role's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(snapshot(ctx)?.role(self.0).level))
    }

    /// The whole text as Markdown, lists as lists.
    async fn description<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(snapshot(ctx)?.role_markdown(self.0))
    }

    /// The text's paragraphs, in order, without its lists.
    async fn paragraphs<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(snapshot(ctx)?
            .role(self.0)
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                Block::List(_) => None,
            })
            .collect())
    }

    /// Job titles the role goes by, when the text lists them.
    async fn job_titles<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(snapshot(ctx)?
            .list_items(self.0, ListKind::JobTitles)
            .collect())
    }

    /// People the role works with, when the text lists them.
    async fn working_with<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(snapshot(ctx)?
            .list_items(self.0, ListKind::WorkingWith)
            .collect())
    }

    /// Whether two or more professions' pathways share this role.
    async fn shared(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(snapshot(ctx)?.role(self.0).shared)
    }

    /// The professions whose pathways show this role, in slug order.
    async fn used_by(&self, ctx: &Context<'_>) -> Result<Vec<Profession>> {
        Ok(snapshot(ctx)?
            .role_users(self.0)
            .iter()
            .map(|&p| Profession(p))
            .collect())
    }
}

/// A route between two steps: a named sequence of stages of education or training.
pub struct Route(pub RouteIx);

/// A route between two steps: a named sequence of stages of education or training.
#[Object]
impl Route {
    /// Identifier, such as `traditional-optional-postgraduate`.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.route(self.0).slug)
    }

    /// The name as displayed: `Direct`, `Traditional`.
    async fn name<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.route(self.0).name)
    }

    /// The stages in order.
    async fn stages<'a>(&self, ctx: &Context<'a>) -> Result<Vec<RouteStage<'a>>> {
        let snapshot = snapshot(ctx)?;
        Ok(snapshot
            .route(self.0)
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| RouteStage {
                position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                name: snapshot.stage_name(s.stage),
                optional: s.optional,
            })
            .collect())
    }
}

/// One stage of a route.
#[derive(SimpleObject)]
pub struct RouteStage<'a> {
    /// Place in the route, from 1.
    position: i32,
    /// The stage: `Apprenticeship`, `University Postgraduate`.
    name: &'a str,
    /// Whether the page marks the stage optional.
    optional: bool,
}

/// Where a release stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseStatus {
    /// The release being served.
    Published,
    /// Written but never published: only previews see it.
    Staged,
    /// Published once, not now.
    Retired,
}

/// A content release: one ingest of validated content, immutable once written.
pub struct Release(pub ListedRelease);

/// A content release: one ingest of validated content, immutable once written.
#[Object]
impl Release {
    /// The release's number; a newer release has a larger one.
    async fn id(&self) -> ID {
        ID(self.0.release.id.to_string())
    }

    /// SHA-256 of the content, hex.
    async fn content_hash(&self) -> &str {
        &self.0.release.content_hash
    }

    /// When it was ingested (RFC 3339, UTC).
    async fn imported_at(&self) -> &str {
        &self.0.release.imported_at
    }

    /// Whether it is published, staged or retired.
    async fn status(&self) -> ReleaseStatus {
        match self.0.status {
            Status::Published => ReleaseStatus::Published,
            Status::Staged => ReleaseStatus::Staged,
            Status::Retired => ReleaseStatus::Retired,
        }
    }

    /// When it was last published (RFC 3339, UTC); null if never.
    async fn published_at(&self) -> Option<&str> {
        self.0.published_at.as_deref()
    }

    /// What the steward wrote about it when ingesting.
    async fn note(&self) -> Option<&str> {
        self.0.release.note.as_deref()
    }

    /// Professions in the release.
    async fn professions(&self) -> i32 {
        count(self.0.release.counts.professions)
    }

    /// Professions with a pathway.
    async fn pathways(&self) -> i32 {
        count(self.0.release.counts.pathways)
    }

    /// Pathway steps.
    async fn steps(&self) -> i32 {
        count(self.0.release.counts.steps)
    }

    /// Roles, each stored once.
    async fn roles(&self) -> i32 {
        count(self.0.release.counts.roles)
    }

    /// Roles shared by two or more professions.
    async fn shared_roles(&self) -> i32 {
        count(self.0.release.counts.shared_roles)
    }

    /// Routes.
    async fn routes(&self) -> i32 {
        count(self.0.release.counts.routes)
    }
}

/// A count as GraphQL's `Int` holds it.
fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The page the content is published as: its title, introduction and footer.
pub struct Page;

/// The page the content is published as: its title, introduction and footer.
#[Object]
impl Page {
    /// The page's title: `Explore AHP career pathways`.
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&snapshot(ctx)?.content.page.title)
    }

    /// The introductory sentences, in page order.
    async fn intro<'a>(&self, ctx: &Context<'a>) -> Result<&'a [String]> {
        Ok(&snapshot(ctx)?.content.page.intro)
    }

    /// The line the page shows below the list of professions, when it has one.
    async fn footer<'a>(&self, ctx: &Context<'a>) -> Result<Option<&'a str>> {
        Ok(snapshot(ctx)?.content.page.footer.as_deref())
    }
}

/// What a search hit is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SearchHitKind {
    /// A profession, by name.
    Profession,
    /// A pathway step, by its displayed title or its profession-specific text.
    Step,
    /// A role, by title or text.
    Role,
}

/// A match for a search: what matched and a snippet of the text around it.
pub struct SearchHit(pub crate::snapshot::Hit);

/// A match for a search: what matched and a snippet of the text around it.
#[Object]
impl SearchHit {
    /// What matched.
    async fn kind(&self) -> SearchHitKind {
        match self.0.target {
            HitTarget::Profession(_) => SearchHitKind::Profession,
            HitTarget::Step { .. } => SearchHitKind::Step,
            HitTarget::Role(_) => SearchHitKind::Role,
        }
    }

    /// The matched text with the words found wrapped in `**`.
    async fn snippet(&self) -> &str {
        &self.0.snippet
    }

    /// The matched thing's name or title.
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        let snapshot = snapshot(ctx)?;
        Ok(match self.0.target {
            HitTarget::Profession(p) => &snapshot.profession(ProfessionIx(p)).name,
            HitTarget::Step { profession, step } => {
                &snapshot.step(StepIx { profession, step }).title
            }
            HitTarget::Role(r) => &snapshot.role(RoleIx(r)).title,
        })
    }

    /// The profession matched, or the profession of the step matched.
    async fn profession(&self) -> Option<Profession> {
        match self.0.target {
            HitTarget::Profession(p) | HitTarget::Step { profession: p, .. } => {
                Some(Profession(ProfessionIx(p)))
            }
            HitTarget::Role(_) => None,
        }
    }

    /// The step matched.
    async fn step(&self) -> Option<PathwayStep> {
        match self.0.target {
            HitTarget::Step { profession, step } => Some(PathwayStep(StepIx { profession, step })),
            _ => None,
        }
    }

    /// The role matched, or the role of the step matched.
    async fn role(&self, ctx: &Context<'_>) -> Result<Option<Role>> {
        Ok(match self.0.target {
            HitTarget::Role(r) => Some(Role(RoleIx(r))),
            HitTarget::Step { profession, step } => Some(Role(RoleIx(
                snapshot(ctx)?.step(StepIx { profession, step }).role,
            ))),
            HitTarget::Profession(_) => None,
        })
    }
}
