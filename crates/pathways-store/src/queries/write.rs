//! Writing a load plan as a new release, in one transaction: either the whole
//! release is there afterwards, or nothing changed.

use super::search::{index_documents, HitKind, SearchDocument};
use crate::entities::{
    level, profession, release, role, route, route_stage, stage, step, text_block,
};
use pathways_ingest::model::Block;
use pathways_ingest::plan::ReleasePlan;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::HashMap;

/// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// A new release was written and is now the one served.
    Created(release::Model),
    /// The newest release already holds this content; nothing was written.
    Unchanged(release::Model),
}

/// Writes `plan` as a new release unless the newest release has the same content
/// hash. `progress` hears the name of each table as it is written.
pub async fn write_release(
    db: &DatabaseConnection,
    plan: &ReleasePlan,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<WriteOutcome, DbErr> {
    let hash = plan.content_hash();
    let txn = db.begin().await?;
    if let Some(latest) = latest(&txn).await? {
        if latest.content_hash == hash {
            txn.commit().await?;
            return Ok(WriteOutcome::Unchanged(latest));
        }
    }
    let counts = plan.counts();
    let as_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
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
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let release_id = release.id;

    progress("levels");
    let levels = plan.levels();
    insert(
        &txn,
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
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.rank, l.id))
        .collect();
    let level_id = |l: pathways_ingest::level::Level| {
        level_ids
            .get(&i32::from(l.rank()))
            .copied()
            .unwrap_or_default()
    };

    progress("professions");
    insert(
        &txn,
        plan.professions.iter().map(|p| profession::ActiveModel {
            release_id: Set(release_id),
            slug: Set(p.slug.clone()),
            name: Set(p.name.clone()),
            pathway_position: Set(p.pathway_position.map(|n| n as i32)),
            ..Default::default()
        }),
    )
    .await?;
    let profession_ids: HashMap<String, i32> = profession::Entity::find()
        .filter(profession::Column::ReleaseId.eq(release_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.slug, p.id))
        .collect();

    progress("routes");
    insert(
        &txn,
        plan.stages
            .iter()
            .enumerate()
            .map(|(i, s)| stage::ActiveModel {
                release_id: Set(release_id),
                position: Set(i as i32),
                slug: Set(s.slug.clone()),
                name: Set(s.name.clone()),
                label: Set(s.label.clone()),
                ..Default::default()
            }),
    )
    .await?;
    insert(
        &txn,
        plan.routes
            .iter()
            .enumerate()
            .map(|(i, r)| route::ActiveModel {
                release_id: Set(release_id),
                position: Set(i as i32),
                slug: Set(r.slug.clone()),
                name: Set(r.name.clone()),
                ..Default::default()
            }),
    )
    .await?;
    let stage_ids = ids_by_position(
        stage::Entity::find()
            .filter(stage::Column::ReleaseId.eq(release_id))
            .order_by_asc(stage::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| s.id),
    );
    let route_ids = ids_by_position(
        route::Entity::find()
            .filter(route::Column::ReleaseId.eq(release_id))
            .order_by_asc(route::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| r.id),
    );
    insert(
        &txn,
        plan.routes.iter().enumerate().flat_map(|(r, route)| {
            let route_id = route_ids[r];
            let stage_ids = &stage_ids;
            route
                .stages
                .iter()
                .enumerate()
                .map(move |(i, s)| route_stage::ActiveModel {
                    route_id: Set(route_id),
                    stage_id: Set(stage_ids[s.stage]),
                    position: Set(i as i32),
                    optional: Set(s.optional),
                    ..Default::default()
                })
        }),
    )
    .await?;

    progress("roles");
    insert(
        &txn,
        plan.roles
            .iter()
            .enumerate()
            .map(|(i, r)| role::ActiveModel {
                release_id: Set(release_id),
                position: Set(i as i32),
                slug: Set(r.slug.clone()),
                title: Set(r.title.clone()),
                level_id: Set(level_id(r.level)),
                shared: Set(r.shared),
                ..Default::default()
            }),
    )
    .await?;
    let role_ids = ids_by_position(
        role::Entity::find()
            .filter(role::Column::ReleaseId.eq(release_id))
            .order_by_asc(role::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| r.id),
    );
    insert(
        &txn,
        plan.roles
            .iter()
            .enumerate()
            .flat_map(|(r, role)| text_rows(release_id, Some(role_ids[r]), None, &role.blocks)),
    )
    .await?;

    progress("steps");
    insert(
        &txn,
        plan.professions.iter().flat_map(|p| {
            let profession_id = profession_ids.get(&p.slug).copied().unwrap_or_default();
            let (level_id, role_ids, route_ids) = (&level_id, &role_ids, &route_ids);
            p.steps
                .iter()
                .enumerate()
                .map(move |(i, s)| step::ActiveModel {
                    release_id: Set(release_id),
                    profession_id: Set(profession_id),
                    position: Set(i as i32),
                    title: Set(s.title.clone()),
                    level_id: Set(level_id(s.level)),
                    role_id: Set(role_ids[s.role]),
                    entry_route_id: Set(s.entry_route.map(|r| route_ids[r])),
                    ..Default::default()
                })
        }),
    )
    .await?;
    let step_ids: HashMap<(i32, i32), i32> = step::Entity::find()
        .filter(step::Column::ReleaseId.eq(release_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| ((s.profession_id, s.position), s.id))
        .collect();
    insert(
        &txn,
        plan.professions.iter().flat_map(|p| {
            let profession_id = profession_ids.get(&p.slug).copied().unwrap_or_default();
            let step_ids = &step_ids;
            p.steps.iter().enumerate().flat_map(move |(i, s)| {
                let step_id = step_ids.get(&(profession_id, i as i32)).copied();
                text_rows(release_id, None, step_id, &s.intro)
            })
        }),
    )
    .await?;

    progress("search index");
    let mut documents = Vec::new();
    for (r, role) in plan.roles.iter().enumerate() {
        documents.push(SearchDocument {
            kind: HitKind::Role,
            ref_id: role_ids[r],
            title: role.title.clone(),
            body: blocks_text(&role.blocks),
        });
    }
    for p in &plan.professions {
        let profession_id = profession_ids.get(&p.slug).copied().unwrap_or_default();
        documents.push(SearchDocument {
            kind: HitKind::Profession,
            ref_id: profession_id,
            title: p.name.clone(),
            body: String::new(),
        });
        for (i, s) in p.steps.iter().enumerate() {
            let Some(&step_id) = step_ids.get(&(profession_id, i as i32)) else {
                continue;
            };
            documents.push(SearchDocument {
                kind: HitKind::Step,
                ref_id: step_id,
                title: s.title.clone(),
                body: blocks_text(&s.intro),
            });
        }
    }
    index_documents(&txn, release_id, &documents).await?;

    txn.commit().await?;
    Ok(WriteOutcome::Created(release))
}

/// The newest release: the one being served.
pub async fn latest(db: &impl ConnectionTrait) -> Result<Option<release::Model>, DbErr> {
    release::Entity::find()
        .order_by_desc(release::Column::Id)
        .one(db)
        .await
}

fn ids_by_position(ids: impl Iterator<Item = i32>) -> Vec<i32> {
    ids.collect()
}

/// All of a text's words, for the search index.
fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        let parts: Vec<&str> = match block {
            Block::Paragraph(p) => vec![p.as_str()],
            Block::List(list) => list.items.iter().map(String::as_str).collect(),
        };
        for part in parts {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(part);
        }
    }
    out
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
