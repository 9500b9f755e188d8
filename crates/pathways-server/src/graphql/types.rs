//! The API's object types. They wrap store models and resolve every nested
//! field through the request's DataLoader.

use super::errors;
use super::loaders::*;
use super::markdown;
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject, ID};
use pathways_store::entities::{level, profession, release, role, route, step};
use pathways_store::queries::search::HitKind;
use pathways_store::{Block, ListKind};
use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;

fn loader<'a>(ctx: &Context<'a>) -> Result<&'a DataLoader<StoreLoader>> {
    ctx.data::<DataLoader<StoreLoader>>()
        .map_err(|_| errors::internal("data loader missing"))
}

async fn load_one<K>(ctx: &Context<'_>, key: K) -> Result<Option<<StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = std::sync::Arc<pathways_store::DbErr>>,
{
    loader(ctx)?.load_one(key).await.map_err(errors::internal)
}

/// `load_one` for a row a foreign key points to: its absence is a broken release.
async fn load_required<K>(ctx: &Context<'_>, key: K) -> Result<<StoreLoader as Loader<K>>::Value>
where
    K: Send + Sync + Hash + Eq + Clone + std::fmt::Debug + 'static,
    StoreLoader: Loader<K, Error = std::sync::Arc<pathways_store::DbErr>>,
{
    let missing = format!("{key:?} is missing");
    load_one(ctx, key)
        .await?
        .ok_or_else(|| errors::internal(missing))
}

/// An allied health profession.
pub struct Profession(pub profession::Model);

/// An allied health profession, and its example pathway when it has one.
#[Object]
impl Profession {
    /// Identifier in URLs, such as `physiotherapist`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The name as the page displays it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the profession has an example pathway yet.
    async fn has_pathway(&self) -> bool {
        self.0.pathway_position.is_some()
    }

    /// The pathway's steps in order, from the lowest level up.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<PathwayStep>> {
        let steps = load_one(ctx, StepsOfProfession(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(steps.into_iter().map(PathwayStep).collect())
    }

    /// The pathway level by level; `number` picks one level (Entry Level is 0).
    async fn levels(&self, ctx: &Context<'_>, number: Option<i32>) -> Result<Vec<PathwayLevel>> {
        let steps = load_one(ctx, StepsOfProfession(self.0.id))
            .await?
            .unwrap_or_default();
        let level_ids: Vec<LevelId> = unique(steps.iter().map(|s| LevelId(s.level_id)));
        let levels = loader(ctx)?
            .load_many(level_ids.iter().copied())
            .await
            .map_err(errors::internal)?;
        let mut out = Vec::new();
        for id in level_ids {
            let Some(level) = levels.get(&id) else {
                return Err(errors::internal(format!("{id:?} is missing")));
            };
            if number.is_some_and(|n| n != level.rank) {
                continue;
            }
            let at_level = steps
                .iter()
                .filter(|s| s.level_id == id.0)
                .cloned()
                .collect();
            out.push(PathwayLevel {
                level: Level::from(level),
                steps: at_level,
            });
        }
        Ok(out)
    }
}

/// The steps of a pathway at one level, and the routes into them.
pub struct PathwayLevel {
    level: Level,
    steps: Vec<step::Model>,
}

/// The steps of a pathway at one level, and the routes into them.
#[Object]
impl PathwayLevel {
    /// The level.
    async fn level(&self) -> &Level {
        &self.level
    }

    /// The steps at this level, in pathway order.
    async fn steps(&self) -> Vec<PathwayStep> {
        self.steps.iter().cloned().map(PathwayStep).collect()
    }

    /// The entry routes of the steps at this level.
    async fn routes(&self, ctx: &Context<'_>) -> Result<Vec<Route>> {
        let ids = unique(
            self.steps
                .iter()
                .filter_map(|s| s.entry_route_id)
                .map(RouteId),
        );
        let routes = loader(ctx)?
            .load_many(ids.iter().copied())
            .await
            .map_err(errors::internal)?;
        Ok(ids
            .iter()
            .filter_map(|id| routes.get(id).cloned().map(Route))
            .collect())
    }
}

/// A step of a profession's pathway: a role, displayed under a title, at a level.
pub struct PathwayStep(pub step::Model);

/// A step of a profession's pathway: a role, displayed under a title, at a level.
#[Object]
impl PathwayStep {
    /// Place in the pathway, from 1.
    async fn position(&self) -> i32 {
        self.0.position + 1
    }

    /// The title the step is displayed with (it may differ from the role's).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The step's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level::from(
            &load_required(ctx, LevelId(self.0.level_id)).await?,
        ))
    }

    /// The role whose text the step shows.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        Ok(Role(load_required(ctx, RoleId(self.0.role_id)).await?))
    }

    /// Text this profession adds before the role's own, as Markdown.
    async fn intro(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let blocks = load_one(ctx, TextOfStep(self.0.id)).await?;
        Ok(blocks
            .filter(|b| !b.is_empty())
            .map(|b| markdown::render(&b)))
    }

    /// The route from the step before into this one.
    async fn entry_route(&self, ctx: &Context<'_>) -> Result<Option<Route>> {
        match self.0.entry_route_id {
            Some(id) => Ok(Some(Route(load_required(ctx, RouteId(id)).await?))),
            None => Ok(None),
        }
    }

    /// The profession whose pathway this is.
    async fn profession(&self, ctx: &Context<'_>) -> Result<Profession> {
        Ok(Profession(
            load_required(ctx, ProfessionId(self.0.profession_id)).await?,
        ))
    }
}

/// A qualification level (RQF): a scheme and a rank, with the label as displayed.
#[derive(SimpleObject, Clone)]
pub struct Level {
    /// The rank: Entry Level is 0, Level N is N.
    number: i32,
    /// As displayed: `Entry Level`, `Level 5`.
    label: String,
    /// The qualification scheme: `RQF`.
    scheme: String,
}

impl From<&level::Model> for Level {
    fn from(l: &level::Model) -> Level {
        Level {
            number: l.rank,
            label: l.label.clone(),
            scheme: l.scheme.clone(),
        }
    }
}

/// A role: text stored once however many pathways show it.
pub struct Role(pub role::Model);

/// A role: text stored once however many pathways show it.
#[Object]
impl Role {
    /// Identifier in URLs.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The role's title (steps may display a variant).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The role's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level::from(
            &load_required(ctx, LevelId(self.0.level_id)).await?,
        ))
    }

    /// The whole text as Markdown, lists as lists.
    async fn description(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(markdown::render(&self.text(ctx).await?))
    }

    /// The text's paragraphs, in order, without its lists.
    async fn paragraphs(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(self
            .text(ctx)
            .await?
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.clone()),
                Block::List(_) => None,
            })
            .collect())
    }

    /// Job titles the role goes by, when the text lists them.
    async fn job_titles(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        self.list_items(ctx, ListKind::JobTitles).await
    }

    /// People the role works with, when the text lists them.
    async fn working_with(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        self.list_items(ctx, ListKind::WorkingWith).await
    }

    /// Whether two or more professions' pathways share this role.
    async fn shared(&self) -> bool {
        self.0.shared
    }

    /// The professions whose pathways show this role, in slug order.
    async fn used_by(&self, ctx: &Context<'_>) -> Result<Vec<Profession>> {
        let steps = load_one(ctx, StepsOfRole(self.0.id))
            .await?
            .unwrap_or_default();
        let ids = unique(steps.iter().map(|s| ProfessionId(s.profession_id)));
        let found = loader(ctx)?
            .load_many(ids.iter().copied())
            .await
            .map_err(errors::internal)?;
        let mut professions: Vec<_> = found.into_values().collect();
        professions.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(professions.into_iter().map(Profession).collect())
    }
}

impl Role {
    async fn text(&self, ctx: &Context<'_>) -> Result<Text> {
        Ok(load_one(ctx, TextOfRole(self.0.id))
            .await?
            .unwrap_or_else(|| Arc::from([])))
    }

    async fn list_items(&self, ctx: &Context<'_>, kind: ListKind) -> Result<Vec<String>> {
        Ok(self
            .text(ctx)
            .await?
            .iter()
            .flat_map(|b| match b {
                Block::List(list) if list.kind == Some(kind) => list.items.clone(),
                _ => Vec::new(),
            })
            .collect())
    }
}

/// A route between two steps: a named sequence of stages of education or training.
pub struct Route(pub route::Model);

/// A route between two steps: a named sequence of stages of education or training.
#[Object]
impl Route {
    /// Identifier, such as `traditional-optional-postgraduate`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The name as displayed: `Direct`, `Traditional`.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The stages in order.
    async fn stages(&self, ctx: &Context<'_>) -> Result<Vec<RouteStage>> {
        let rows = load_one(ctx, StagesOfRoute(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|(rs, stage)| RouteStage {
                position: rs.position + 1,
                name: stage.name,
                optional: rs.optional,
            })
            .collect())
    }
}

/// One stage of a route.
#[derive(SimpleObject)]
pub struct RouteStage {
    /// Place in the route, from 1.
    position: i32,
    /// The stage: `Apprenticeship`, `University Postgraduate`.
    name: String,
    /// Whether the page marks the stage optional.
    optional: bool,
}

/// A content release: one ingest of validated content.
pub struct Release(pub std::sync::Arc<release::Model>);

/// A content release: one ingest of validated content.
#[Object]
impl Release {
    /// The release's number; a newer release has a larger one.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// SHA-256 of the content, hex.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }

    /// When it was ingested (RFC 3339, UTC).
    async fn imported_at(&self) -> &str {
        &self.0.imported_at
    }

    /// Professions in the release.
    async fn professions(&self) -> i32 {
        self.0.professions
    }

    /// Professions with a pathway.
    async fn pathways(&self) -> i32 {
        self.0.pathways
    }

    /// Pathway steps.
    async fn steps(&self) -> i32 {
        self.0.steps
    }

    /// Roles, each stored once.
    async fn roles(&self) -> i32 {
        self.0.roles
    }

    /// Roles shared by two or more professions.
    async fn shared_roles(&self) -> i32 {
        self.0.shared_roles
    }

    /// Routes.
    async fn routes(&self) -> i32 {
        self.0.routes
    }
}

/// The page the content is published as, from the release being served.
pub struct Page(pub std::sync::Arc<release::Model>);

/// The page the content is published as: its title, introduction and footer.
#[Object]
impl Page {
    /// The page's title: `Explore AHP career pathways`.
    async fn title(&self) -> &str {
        &self.0.page_title
    }

    /// The introductory sentences, in page order.
    async fn intro(&self) -> Vec<&str> {
        self.0
            .page_intro
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect()
    }

    /// The line the page shows below the list of professions, when it has one.
    async fn footer(&self) -> Option<&str> {
        self.0.page_footer.as_deref()
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
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SearchHit {
    /// What matched.
    kind: SearchHitKind,
    /// The matched text with the words found wrapped in `**`.
    snippet: String,
    #[graphql(skip)]
    ref_id: i32,
}

impl SearchHit {
    pub fn new(kind: HitKind, ref_id: i32, snippet: String) -> SearchHit {
        let kind = match kind {
            HitKind::Profession => SearchHitKind::Profession,
            HitKind::Step => SearchHitKind::Step,
            HitKind::Role => SearchHitKind::Role,
        };
        SearchHit {
            kind,
            snippet,
            ref_id,
        }
    }
}

#[ComplexObject]
impl SearchHit {
    /// The matched thing's name or title.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(match self.kind {
            SearchHitKind::Profession => load_required(ctx, ProfessionId(self.ref_id)).await?.name,
            SearchHitKind::Step => load_required(ctx, StepId(self.ref_id)).await?.title,
            SearchHitKind::Role => load_required(ctx, RoleId(self.ref_id)).await?.title,
        })
    }

    /// The profession matched, or the profession of the step matched.
    async fn profession(&self, ctx: &Context<'_>) -> Result<Option<Profession>> {
        let id = match self.kind {
            SearchHitKind::Profession => self.ref_id,
            SearchHitKind::Step => load_required(ctx, StepId(self.ref_id)).await?.profession_id,
            SearchHitKind::Role => return Ok(None),
        };
        Ok(Some(Profession(
            load_required(ctx, ProfessionId(id)).await?,
        )))
    }

    /// The step matched.
    async fn step(&self, ctx: &Context<'_>) -> Result<Option<PathwayStep>> {
        if self.kind != SearchHitKind::Step {
            return Ok(None);
        }
        Ok(Some(PathwayStep(
            load_required(ctx, StepId(self.ref_id)).await?,
        )))
    }

    /// The role matched, or the role of the step matched.
    async fn role(&self, ctx: &Context<'_>) -> Result<Option<Role>> {
        let id = match self.kind {
            SearchHitKind::Role => self.ref_id,
            SearchHitKind::Step => load_required(ctx, StepId(self.ref_id)).await?.role_id,
            SearchHitKind::Profession => return Ok(None),
        };
        Ok(Some(Role(load_required(ctx, RoleId(id)).await?)))
    }
}

/// Keys in first-seen order, each once.
fn unique<K: Hash + Eq + Copy>(keys: impl Iterator<Item = K>) -> Vec<K> {
    let mut seen = HashSet::new();
    keys.filter(|k| seen.insert(*k)).collect()
}
