//! Reading one whole release back into the model, in a fixed number of
//! statements whatever its size (one per table, each by `release_id`): what
//! the server holds in memory and `export-page` renders.

use crate::entities::{
    level, profession, release, role, route, route_stage, stage, step, text_block,
};
use pathways_model::{
    block::default_marker, Block, Level, ListBlock, ListKind, Page, Profession, Release, Role,
    Route, RouteStage, Stage, Step,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Statements `read_release` runs, however large the release.
pub const READ_STATEMENTS: u64 = 10;

/// Reads release `id` whole. Rows that do not fit together (a step whose
/// role is not in the release, say) are an error naming them, never a panic;
/// so is a release that is not there.
pub async fn read_release(db: &impl ConnectionTrait, id: i32) -> Result<Release, DbErr> {
    let release = release::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("there is no release {id}")))?;
    let corrupt = |what: String| DbErr::Custom(format!("release {id} is inconsistent: {what}"));

    let levels: HashMap<i32, Level> = level::Entity::find()
        .filter(level::Column::ReleaseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| {
            u8::try_from(l.rank)
                .ok()
                .and_then(|r| Level::from_rank(r).ok())
                .map(|level| (l.id, level))
                .ok_or_else(|| corrupt(format!("level {} has rank {}", l.id, l.rank)))
        })
        .collect::<Result<_, _>>()?;
    let level_of = |level_id: i32| {
        levels
            .get(&level_id)
            .copied()
            .ok_or_else(|| corrupt(format!("level {level_id} is missing")))
    };

    let stage_rows = stage::Entity::find()
        .filter(stage::Column::ReleaseId.eq(id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await?;
    let stage_index = positions(stage_rows.iter().map(|s| s.id));

    let route_rows = route::Entity::find()
        .filter(route::Column::ReleaseId.eq(id))
        .order_by_asc(route::Column::Position)
        .all(db)
        .await?;
    let route_index = positions(route_rows.iter().map(|r| r.id));
    let route_stage_rows = route_stage::Entity::find()
        .filter(
            route_stage::Column::RouteId.in_subquery(
                Query::select()
                    .column(route::Column::Id)
                    .from(route::Entity)
                    .and_where(route::Column::ReleaseId.eq(id))
                    .to_owned(),
            ),
        )
        .order_by_asc(route_stage::Column::RouteId)
        .order_by_asc(route_stage::Column::Position)
        .all(db)
        .await?;
    let mut stages_of_route: HashMap<i32, Vec<RouteStage>> = HashMap::new();
    for row in route_stage_rows {
        let stage = *stage_index.get(&row.stage_id).ok_or_else(|| {
            corrupt(format!(
                "route {} names stage {}, which is not in the release",
                row.route_id, row.stage_id
            ))
        })?;
        stages_of_route
            .entry(row.route_id)
            .or_default()
            .push(RouteStage {
                stage,
                optional: row.optional,
            });
    }

    let role_rows = role::Entity::find()
        .filter(role::Column::ReleaseId.eq(id))
        .order_by_asc(role::Column::Position)
        .all(db)
        .await?;
    let role_index = positions(role_rows.iter().map(|r| r.id));

    let profession_rows = profession::Entity::find()
        .filter(profession::Column::ReleaseId.eq(id))
        .order_by_asc(profession::Column::Slug)
        .all(db)
        .await?;
    let step_rows = step::Entity::find()
        .filter(step::Column::ReleaseId.eq(id))
        .order_by_asc(step::Column::ProfessionId)
        .order_by_asc(step::Column::Position)
        .all(db)
        .await?;
    let text_rows = text_block::Entity::find()
        .filter(text_block::Column::ReleaseId.eq(id))
        .order_by_asc(text_block::Column::RoleId)
        .order_by_asc(text_block::Column::StepId)
        .order_by_asc(text_block::Column::Block)
        .order_by_asc(text_block::Column::Item)
        .all(db)
        .await?;
    let (mut role_text, mut step_text) = group_blocks(text_rows);
    let mut codes_of = super::codes::read(db, id).await?;

    let mut steps_of: HashMap<i32, Vec<Step>> = HashMap::new();
    for s in step_rows {
        let step = Step {
            level: level_of(s.level_id)?,
            role: *role_index.get(&s.role_id).ok_or_else(|| {
                corrupt(format!(
                    "step {} shows role {}, which is not in the release",
                    s.id, s.role_id
                ))
            })?,
            entry_route: s
                .entry_route_id
                .map(|r| {
                    route_index.get(&r).copied().ok_or_else(|| {
                        corrupt(format!(
                            "step {} enters by route {r}, which is not in the release",
                            s.id
                        ))
                    })
                })
                .transpose()?,
            intro: step_text.remove(&s.id).unwrap_or_default(),
            title: s.title,
        };
        steps_of.entry(s.profession_id).or_default().push(step);
    }

    Ok(Release {
        page: Page {
            title: release.page_title,
            intro: release
                .page_intro
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            footer: release.page_footer,
        },
        stages: stage_rows
            .into_iter()
            .map(|s| Stage {
                slug: s.slug,
                name: s.name,
                label: s.label,
            })
            .collect(),
        routes: route_rows
            .into_iter()
            .map(|r| Route {
                stages: stages_of_route.remove(&r.id).unwrap_or_default(),
                slug: r.slug,
                name: r.name,
            })
            .collect(),
        roles: role_rows
            .into_iter()
            .map(|r| {
                Ok(Role {
                    level: level_of(r.level_id)?,
                    blocks: role_text.remove(&r.id).unwrap_or_default(),
                    slug: r.slug,
                    title: r.title,
                    shared: r.shared,
                })
            })
            .collect::<Result<_, DbErr>>()?,
        professions: profession_rows
            .into_iter()
            .map(|p| Profession {
                steps: steps_of.remove(&p.id).unwrap_or_default(),
                slug: p.slug,
                name: p.name,
                pathway_position: p.pathway_position.and_then(|n| u32::try_from(n).ok()),
                codes: codes_of.remove(&p.id).unwrap_or_default(),
            })
            .collect(),
        duplicates_merged: usize::try_from(release.duplicates_merged).unwrap_or_default(),
    })
}

/// Row id to its place in the order given.
fn positions(ids: impl Iterator<Item = i32>) -> HashMap<i32, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

type BlocksByOwner = HashMap<i32, Vec<Block>>;

/// Text rows (ordered by owner, block, item) back into the blocks of each role
/// and of each step.
fn group_blocks(rows: Vec<text_block::Model>) -> (BlocksByOwner, BlocksByOwner) {
    let mut roles = BlocksByOwner::new();
    let mut steps = BlocksByOwner::new();
    let mut last: Option<(Option<i32>, Option<i32>, i32)> = None;
    for row in rows {
        let blocks = match (row.role_id, row.step_id) {
            (Some(role), _) => roles.entry(role).or_default(),
            (None, Some(step)) => steps.entry(step).or_default(),
            (None, None) => continue,
        };
        let here = (row.role_id, row.step_id, row.block);
        let same_block = last == Some(here);
        last = Some(here);
        match (row.kind.as_str(), blocks.last_mut()) {
            ("item", Some(Block::List(list))) if same_block => list.items.push(row.text),
            ("item", _) => blocks.push(Block::List(ListBlock {
                kind: row.list_kind.as_deref().and_then(ListKind::parse),
                marker: row.marker.unwrap_or_else(default_marker),
                items: vec![row.text],
            })),
            _ => blocks.push(Block::Paragraph(row.text)),
        }
    }
    (roles, steps)
}
