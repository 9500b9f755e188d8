//! Reading a whole release back into a load plan: what `export-page` renders,
//! and the check that what was written is what was planned.

use super::batch;
use crate::entities::{level, profession, release, role, route, stage, step, text_block};
use pathways_ingest::level::Level;
use pathways_ingest::model::{Block, ListBlock, ListKind};
use pathways_ingest::plan::{
    PagePlan, ProfessionPlan, ReleasePlan, RolePlan, RoutePlan, RouteStagePlan, StagePlan, StepPlan,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub async fn read_plan(
    db: &impl ConnectionTrait,
    release: &release::Model,
) -> Result<ReleasePlan, DbErr> {
    let id = release.id;
    let corrupt = |what: String| DbErr::Custom(format!("release {id} is inconsistent: {what}"));
    let levels: HashMap<i32, Level> = level::Entity::find()
        .filter(level::Column::ReleaseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| {
            let level = u8::try_from(l.rank)
                .ok()
                .and_then(|r| Level::from_rank(r).ok());
            level
                .map(|level| (l.id, level))
                .ok_or_else(|| corrupt(format!("level rank {}", l.rank)))
        })
        .collect::<Result<_, _>>()?;
    let stages = stage::Entity::find()
        .filter(stage::Column::ReleaseId.eq(id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await?;
    let stage_index: HashMap<i32, usize> =
        stages.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let routes = route::Entity::find()
        .filter(route::Column::ReleaseId.eq(id))
        .order_by_asc(route::Column::Position)
        .all(db)
        .await?;
    let route_index: HashMap<i32, usize> =
        routes.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let route_ids: Vec<i32> = routes.iter().map(|r| r.id).collect();
    let mut route_stages: HashMap<i32, Vec<RouteStagePlan>> = HashMap::new();
    for (rs, s) in batch::stages_by_route_ids(db, &route_ids).await? {
        route_stages
            .entry(rs.route_id)
            .or_default()
            .push(RouteStagePlan {
                stage: stage_index[&s.id],
                optional: rs.optional,
            });
    }
    let roles = role::Entity::find()
        .filter(role::Column::ReleaseId.eq(id))
        .order_by_asc(role::Column::Position)
        .all(db)
        .await?;
    let role_index: HashMap<i32, usize> =
        roles.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let role_ids: Vec<i32> = roles.iter().map(|r| r.id).collect();
    let mut role_text = group_blocks(batch::text_by_role_ids(db, &role_ids).await?, |t| t.role_id);
    let professions = profession::Entity::find()
        .filter(profession::Column::ReleaseId.eq(id))
        .order_by_asc(profession::Column::Slug)
        .all(db)
        .await?;
    let profession_ids: Vec<i32> = professions.iter().map(|p| p.id).collect();
    let steps = batch::steps_by_profession_ids(db, &profession_ids).await?;
    let step_ids: Vec<i32> = steps.iter().map(|s| s.id).collect();
    let mut step_text = group_blocks(batch::text_by_step_ids(db, &step_ids).await?, |t| t.step_id);
    let mut steps_of: HashMap<i32, Vec<step::Model>> = HashMap::new();
    for s in steps {
        steps_of.entry(s.profession_id).or_default().push(s);
    }
    let level_of = |level_id: i32| {
        levels
            .get(&level_id)
            .copied()
            .ok_or_else(|| corrupt(format!("level {level_id}")))
    };

    Ok(ReleasePlan {
        page: PagePlan {
            title: release.page_title.clone(),
            intro: release
                .page_intro
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.is_empty())
                .collect(),
            footer: release.page_footer.clone(),
        },
        stages: stages
            .into_iter()
            .map(|s| StagePlan {
                slug: s.slug,
                name: s.name,
                label: s.label,
            })
            .collect(),
        routes: routes
            .into_iter()
            .map(|r| RoutePlan {
                stages: route_stages.remove(&r.id).unwrap_or_default(),
                slug: r.slug,
                name: r.name,
            })
            .collect(),
        roles: roles
            .into_iter()
            .map(|r| {
                Ok(RolePlan {
                    level: level_of(r.level_id)?,
                    blocks: role_text.remove(&r.id).unwrap_or_default(),
                    slug: r.slug,
                    title: r.title,
                    shared: r.shared,
                })
            })
            .collect::<Result<_, DbErr>>()?,
        professions: professions
            .into_iter()
            .map(|p| {
                let steps = steps_of
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| {
                        Ok(StepPlan {
                            level: level_of(s.level_id)?,
                            role: *role_index
                                .get(&s.role_id)
                                .ok_or_else(|| corrupt(format!("role {}", s.role_id)))?,
                            entry_route: s
                                .entry_route_id
                                .and_then(|r| route_index.get(&r).copied()),
                            intro: step_text.remove(&s.id).unwrap_or_default(),
                            title: s.title,
                        })
                    })
                    .collect::<Result<_, DbErr>>()?;
                Ok(ProfessionPlan {
                    slug: p.slug,
                    name: p.name,
                    pathway_position: p.pathway_position.map(|n| n as u32),
                    steps,
                })
            })
            .collect::<Result<_, DbErr>>()?,
        duplicates_merged: release.duplicates_merged as usize,
    })
}

/// Rows (ordered by owner, block, item) back into each owner's blocks.
pub fn group_blocks(
    rows: Vec<text_block::Model>,
    owner: impl Fn(&text_block::Model) -> Option<i32>,
) -> HashMap<i32, Vec<Block>> {
    let mut out: HashMap<i32, Vec<Block>> = HashMap::new();
    let mut last: Option<(i32, i32)> = None;
    for row in rows {
        let Some(id) = owner(&row) else { continue };
        let blocks = out.entry(id).or_default();
        let same_block = last == Some((id, row.block));
        last = Some((id, row.block));
        match (row.kind.as_str(), blocks.last_mut()) {
            ("item", Some(Block::List(list))) if same_block => list.items.push(row.text),
            ("item", _) => blocks.push(Block::List(ListBlock {
                kind: row.list_kind.as_deref().and_then(ListKind::parse),
                marker: row
                    .marker
                    .unwrap_or_else(pathways_ingest::model::default_marker),
                items: vec![row.text],
            })),
            _ => blocks.push(Block::Paragraph(row.text)),
        }
    }
    out
}
