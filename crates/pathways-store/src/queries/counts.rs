//! Row counts per table: what tests compare before and after a failed load.

use crate::entities::{
    level, profession, profession_code, publication, release, role, route, route_stage, stage,
    step, text_block, webhook_event,
};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait};
use std::collections::BTreeMap;

pub async fn row_counts(db: &impl ConnectionTrait) -> Result<BTreeMap<&'static str, u64>, DbErr> {
    Ok(BTreeMap::from([
        ("releases", release::Entity::find().count(db).await?),
        ("levels", level::Entity::find().count(db).await?),
        ("professions", profession::Entity::find().count(db).await?),
        (
            "profession_codes",
            profession_code::Entity::find().count(db).await?,
        ),
        ("stages", stage::Entity::find().count(db).await?),
        ("routes", route::Entity::find().count(db).await?),
        ("route_stages", route_stage::Entity::find().count(db).await?),
        ("roles", role::Entity::find().count(db).await?),
        ("steps", step::Entity::find().count(db).await?),
        ("text_blocks", text_block::Entity::find().count(db).await?),
        ("publications", publication::Entity::find().count(db).await?),
        (
            "webhook_events",
            webhook_event::Entity::find().count(db).await?,
        ),
    ]))
}
