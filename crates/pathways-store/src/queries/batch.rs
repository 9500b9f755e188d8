//! Fetch-by-many-ids queries: one statement however many ids, so a GraphQL
//! DataLoader can resolve a whole level of a query at once.

use crate::entities::{level, profession, role, route, route_stage, stage, step, text_block};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The steps of these professions, ordered by profession then position.
pub async fn steps_by_profession_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<step::Model>, DbErr> {
    step::Entity::find()
        .filter(step::Column::ProfessionId.is_in(ids.iter().copied()))
        .order_by_asc(step::Column::ProfessionId)
        .order_by_asc(step::Column::Position)
        .all(db)
        .await
}

/// The steps that show these roles.
pub async fn steps_by_role_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<step::Model>, DbErr> {
    step::Entity::find()
        .filter(step::Column::RoleId.is_in(ids.iter().copied()))
        .order_by_asc(step::Column::ProfessionId)
        .order_by_asc(step::Column::Position)
        .all(db)
        .await
}

pub async fn steps_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<step::Model>, DbErr> {
    step::Entity::find()
        .filter(step::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn roles_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<role::Model>, DbErr> {
    role::Entity::find()
        .filter(role::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn professions_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<profession::Model>, DbErr> {
    profession::Entity::find()
        .filter(profession::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn levels_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<level::Model>, DbErr> {
    level::Entity::find()
        .filter(level::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn routes_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<route::Model>, DbErr> {
    route::Entity::find()
        .filter(route::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The stages of these routes with each stage's definition, in route order.
pub async fn stages_by_route_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<(route_stage::Model, stage::Model)>, DbErr> {
    let rows = route_stage::Entity::find()
        .filter(route_stage::Column::RouteId.is_in(ids.iter().copied()))
        .order_by_asc(route_stage::Column::RouteId)
        .order_by_asc(route_stage::Column::Position)
        .all(db)
        .await?;
    let mut stage_ids: Vec<i32> = rows.iter().map(|r| r.stage_id).collect();
    stage_ids.sort_unstable();
    stage_ids.dedup();
    let stages: std::collections::HashMap<i32, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(stage_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let stage = stages.get(&r.stage_id)?.clone();
            Some((r, stage))
        })
        .collect())
}

/// The text of these roles, in order.
pub async fn text_by_role_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<text_block::Model>, DbErr> {
    text_block::Entity::find()
        .filter(text_block::Column::RoleId.is_in(ids.iter().copied()))
        .order_by_asc(text_block::Column::RoleId)
        .order_by_asc(text_block::Column::Block)
        .order_by_asc(text_block::Column::Item)
        .all(db)
        .await
}

/// The intros of these steps, in order.
pub async fn text_by_step_ids(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<Vec<text_block::Model>, DbErr> {
    text_block::Entity::find()
        .filter(text_block::Column::StepId.is_in(ids.iter().copied()))
        .order_by_asc(text_block::Column::StepId)
        .order_by_asc(text_block::Column::Block)
        .order_by_asc(text_block::Column::Item)
        .all(db)
        .await
}
