//! Writing a load plan as a new release, in one transaction: either the whole
//! release is there afterwards, or nothing changed.

use super::publish::{publish_in, Publication, PublishOutcome};
use super::releases::{by_hash, current_publication};
use super::search::{index_documents, HitKind, SearchDocument};
use crate::entities::{
    level, profession, release, role, route, route_stage, stage, step, text_block,
};
use pathways_model::{Block, Level, Release, ReleaseDescription};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// A new release was written.
    Created(ReleaseDescription),
    /// A release already holds this content; nothing new was written.
    Unchanged(ReleaseDescription),
}

impl WriteOutcome {
    pub fn release(&self) -> &ReleaseDescription {
        match self {
            WriteOutcome::Created(r) | WriteOutcome::Unchanged(r) => r,
        }
    }
}

/// How to write a release.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Write it without publishing it (`ingest --stage`).
    pub stage: bool,
    /// Stored with the release (`ingest --note`).
    pub note: Option<String>,
}

/// What writing did: the release, and its publication when this write made one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub outcome: WriteOutcome,
    pub publication: Option<Publication>,
    /// Whether the release is the one served now.
    pub published: bool,
}

/// Writes `plan` as a new release and publishes it: [`write`] with the defaults.
pub async fn write_release(
    db: &DatabaseConnection,
    plan: &Release,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<WriteOutcome, DbErr> {
    Ok(write(db, plan, &WriteOptions::default(), progress)
        .await?
        .outcome)
}

/// Writes `plan` as a new release, in one transaction, unless a release already
/// holds the same content (same hash); then publishes it unless `stage` is set,
/// in the same transaction. `progress` hears the name of each table as it is written.
pub async fn write(
    db: &DatabaseConnection,
    plan: &Release,
    options: &WriteOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Written, DbErr> {
    let txn = crate::connection::begin_write(db).await?;
    let result = write_in(&txn, plan, options, progress).await;
    crate::connection::finish(txn, result).await
}

async fn write_in(
    txn: &DatabaseTransaction,
    plan: &Release,
    options: &WriteOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Written, DbErr> {
    let hash = plan.content_hash();
    let (outcome, release) = match by_hash(txn, &hash).await? {
        Some(existing) => (WriteOutcome::Unchanged(existing.clone()), existing),
        None => {
            let release = insert_release(txn, plan, hash, options.note.clone(), progress)
                .await?
                .describe();
            (WriteOutcome::Created(release.clone()), release)
        }
    };
    let publication = if options.stage {
        None
    } else {
        match publish_in(txn, release.clone(), Some(plan), None).await? {
            PublishOutcome::Published(p) => Some(*p),
            PublishOutcome::Unchanged(_) => None,
        }
    };
    let published = current_publication(txn).await?.map(|p| p.release_id) == Some(release.id);
    if !published && matches!(outcome, WriteOutcome::Created(_)) {
        let change = super::notify::Change::Staged {
            release: release.id,
        };
        super::notify::announce(txn, &change).await?;
    }
    Ok(Written {
        outcome,
        publication,
        published,
    })
}

/// Inserts every row of `plan` as a new release; the caller's transaction
/// makes it all or nothing.
async fn insert_release(
    txn: &DatabaseTransaction,
    plan: &Release,
    hash: String,
    note: Option<String>,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<release::Model, DbErr> {
    let counts = plan.counts();
    progress("releases");
    let release = release::ActiveModel {
        content_hash: Set(hash),
        imported_at: Set(
            humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        ),
        professions: Set(as_i32(counts.professions)),
        pathways: Set(as_i32(counts.pathways)),
        steps: Set(as_i32(counts.steps)),
        roles: Set(as_i32(counts.roles)),
        shared_roles: Set(as_i32(counts.shared_roles)),
        routes: Set(as_i32(counts.routes)),
        duplicates_merged: Set(as_i32(counts.duplicates_merged)),
        page_title: Set(plan.page.title.clone()),
        page_intro: Set(plan.page.intro.join("\n")),
        page_footer: Set(plan.page.footer.clone()),
        note: Set(note),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let release_id = release.id;

    progress("levels");
    let levels = plan.levels();
    insert(
        txn,
        levels.iter().map(|l| level::ActiveModel {
            release_id: Set(release_id),
            scheme: Set(l.scheme().to_owned()),
            rank: Set(l.rank().into()),
            label: Set(l.label()),
            ..Default::default()
        }),
    )
    .await?;
    let level_ids: HashMap<i32, i32> = level::Entity::find()
        .filter(level::Column::ReleaseId.eq(release_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| (l.rank, l.id))
        .collect();
    let level_id = |l: Level| {
        level_ids
            .get(&i32::from(l.rank()))
            .copied()
            .ok_or_else(|| missing(format!("the row of {l}")))
    };

    progress("professions");
    insert(
        txn,
        plan.professions.iter().map(|p| profession::ActiveModel {
            release_id: Set(release_id),
            slug: Set(p.slug.clone()),
            name: Set(p.name.clone()),
            pathway_position: Set(p.pathway_position.map(as_i32)),
            ..Default::default()
        }),
    )
    .await?;
    let profession_ids: HashMap<String, i32> = profession::Entity::find()
        .filter(profession::Column::ReleaseId.eq(release_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();
    let profession_id = |slug: &str| {
        profession_ids
            .get(slug)
            .copied()
            .ok_or_else(|| missing(format!("profession `{slug}`")))
    };

    insert(txn, super::codes::rows(release_id, plan, profession_id)?).await?;

    progress("routes");
    insert(
        txn,
        plan.stages
            .iter()
            .enumerate()
            .map(|(i, s)| stage::ActiveModel {
                release_id: Set(release_id),
                position: Set(as_i32(i)),
                slug: Set(s.slug.clone()),
                name: Set(s.name.clone()),
                label: Set(s.label.clone()),
                ..Default::default()
            }),
    )
    .await?;
    insert(
        txn,
        plan.routes
            .iter()
            .enumerate()
            .map(|(i, r)| route::ActiveModel {
                release_id: Set(release_id),
                position: Set(as_i32(i)),
                slug: Set(r.slug.clone()),
                name: Set(r.name.clone()),
                ..Default::default()
            }),
    )
    .await?;
    let stage_ids = ids_in_order(
        stage::Entity::find()
            .filter(stage::Column::ReleaseId.eq(release_id))
            .order_by_asc(stage::Column::Position)
            .all(txn)
            .await?
            .into_iter()
            .map(|s| s.id),
        "stage",
    );
    let route_ids = ids_in_order(
        route::Entity::find()
            .filter(route::Column::ReleaseId.eq(release_id))
            .order_by_asc(route::Column::Position)
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.id),
        "route",
    );
    let mut route_stage_rows = Vec::new();
    for (r, route) in plan.routes.iter().enumerate() {
        for (i, s) in route.stages.iter().enumerate() {
            route_stage_rows.push(route_stage::ActiveModel {
                route_id: Set(route_ids.get(r)?),
                stage_id: Set(stage_ids.get(s.stage)?),
                position: Set(as_i32(i)),
                optional: Set(s.optional),
                ..Default::default()
            });
        }
    }
    insert(txn, route_stage_rows).await?;

    progress("roles");
    let role_rows = plan
        .roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(role::ActiveModel {
                release_id: Set(release_id),
                position: Set(as_i32(i)),
                slug: Set(r.slug.clone()),
                title: Set(r.title.clone()),
                level_id: Set(level_id(r.level)?),
                shared: Set(r.shared),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    insert(txn, role_rows).await?;
    let role_ids = ids_in_order(
        role::Entity::find()
            .filter(role::Column::ReleaseId.eq(release_id))
            .order_by_asc(role::Column::Position)
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.id),
        "role",
    );
    let mut role_text = Vec::new();
    for (r, role) in plan.roles.iter().enumerate() {
        role_text.extend(text_rows(
            release_id,
            Some(role_ids.get(r)?),
            None,
            &role.blocks,
        ));
    }
    insert(txn, role_text).await?;

    progress("steps");
    let mut step_rows = Vec::new();
    for p in &plan.professions {
        let profession_id = profession_id(&p.slug)?;
        for (i, s) in p.steps.iter().enumerate() {
            step_rows.push(step::ActiveModel {
                release_id: Set(release_id),
                profession_id: Set(profession_id),
                position: Set(as_i32(i)),
                title: Set(s.title.clone()),
                level_id: Set(level_id(s.level)?),
                role_id: Set(role_ids.get(s.role)?),
                entry_route_id: Set(s.entry_route.map(|r| route_ids.get(r)).transpose()?),
                ..Default::default()
            });
        }
    }
    insert(txn, step_rows).await?;
    let step_ids: HashMap<(i32, i32), i32> = step::Entity::find()
        .filter(step::Column::ReleaseId.eq(release_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| ((s.profession_id, s.position), s.id))
        .collect();
    let step_id = |profession_id: i32, position: usize| {
        step_ids
            .get(&(profession_id, as_i32(position)))
            .copied()
            .ok_or_else(|| missing(format!("step {position} of profession {profession_id}")))
    };
    let mut intro_rows = Vec::new();
    for p in &plan.professions {
        let profession_id = profession_id(&p.slug)?;
        for (i, s) in p.steps.iter().enumerate() {
            intro_rows.extend(text_rows(
                release_id,
                None,
                Some(step_id(profession_id, i)?),
                &s.intro,
            ));
        }
    }
    insert(txn, intro_rows).await?;

    progress("search index");
    let mut documents = Vec::new();
    for (r, role) in plan.roles.iter().enumerate() {
        documents.push(SearchDocument {
            kind: HitKind::Role,
            ref_id: role_ids.get(r)?,
            title: role.title.clone(),
            body: pathways_model::block::plain_text(&role.blocks),
        });
    }
    for p in &plan.professions {
        let profession_id = profession_id(&p.slug)?;
        documents.push(SearchDocument {
            kind: HitKind::Profession,
            ref_id: profession_id,
            title: p.name.clone(),
            body: String::new(),
        });
        for (i, s) in p.steps.iter().enumerate() {
            documents.push(SearchDocument {
                kind: HitKind::Step,
                ref_id: step_id(profession_id, i)?,
                title: s.title.clone(),
                body: pathways_model::block::plain_text(&s.intro),
            });
        }
    }
    index_documents(txn, release_id, &documents).await?;
    Ok(release)
}

/// Row ids in the order of the release's own list, looked up by index.
struct IdsInOrder {
    ids: Vec<i32>,
    what: &'static str,
}

fn ids_in_order(ids: impl Iterator<Item = i32>, what: &'static str) -> IdsInOrder {
    IdsInOrder {
        ids: ids.collect(),
        what,
    }
}

impl IdsInOrder {
    /// The id of the release's `index`th item; a release whose indexes point
    /// past its own lists is an error, not a panic.
    fn get(&self, index: usize) -> Result<i32, DbErr> {
        self.ids
            .get(index)
            .copied()
            .ok_or_else(|| missing(format!("{} {index}", self.what)))
    }
}

/// A row the release refers to that was not written: the release's indexes
/// do not fit its own lists.
fn missing(what: String) -> DbErr {
    DbErr::Custom(format!("cannot write the release: {what} is not in it"))
}

fn as_i32(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// A paragraph is one row; a list is one row per item, sharing a block number.
fn text_rows(
    release_id: i32,
    role_id: Option<i32>,
    step_id: Option<i32>,
    blocks: &[Block],
) -> Vec<text_block::ActiveModel> {
    let row = |block: usize,
               item: usize,
               kind: &str,
               text: &str,
               list_kind: Option<String>,
               marker: Option<String>| {
        text_block::ActiveModel {
            release_id: Set(release_id),
            role_id: Set(role_id),
            step_id: Set(step_id),
            block: Set(block as i32),
            item: Set(item as i32),
            kind: Set(kind.to_owned()),
            text: Set(text.to_owned()),
            list_kind: Set(list_kind),
            marker: Set(marker),
            ..Default::default()
        }
    };
    blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| match block {
            Block::Paragraph(p) => vec![row(b, 0, "paragraph", p, None, None)],
            Block::List(list) => list
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    row(
                        b,
                        i,
                        "item",
                        item,
                        list.kind.map(|k| k.as_str().to_owned()),
                        Some(list.marker.clone()),
                    )
                })
                .collect(),
        })
        .collect()
}

/// Inserts rows in chunks; nothing to insert is not an error.
async fn insert<A>(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
