//! Per-release lookups the API's root fields need: lists, and one thing by slug.

use crate::entities::{level, profession, release, role, route};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Professions of a release in slug order, after the `after` slug, at most
/// `limit` (one more is fetched by callers that want to know if there is a next page).
pub async fn professions_page(
    db: &impl ConnectionTrait,
    release_id: i32,
    has_pathway: Option<bool>,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<profession::Model>, DbErr> {
    let mut query = professions_of(release_id, has_pathway);
    if let Some(after) = after {
        query = query.filter(profession::Column::Slug.gt(after));
    }
    query
        .order_by_asc(profession::Column::Slug)
        .limit(limit)
        .all(db)
        .await
}

pub async fn professions_count(
    db: &impl ConnectionTrait,
    release_id: i32,
    has_pathway: Option<bool>,
) -> Result<u64, DbErr> {
    professions_of(release_id, has_pathway).count(db).await
}

fn professions_of(
    release_id: i32,
    has_pathway: Option<bool>,
) -> sea_orm::Select<profession::Entity> {
    let query = profession::Entity::find().filter(profession::Column::ReleaseId.eq(release_id));
    match has_pathway {
        Some(true) => query.filter(profession::Column::PathwayPosition.is_not_null()),
        Some(false) => query.filter(profession::Column::PathwayPosition.is_null()),
        None => query,
    }
}

pub async fn profession_by_slug(
    db: &impl ConnectionTrait,
    release_id: i32,
    slug: &str,
) -> Result<Option<profession::Model>, DbErr> {
    profession::Entity::find()
        .filter(profession::Column::ReleaseId.eq(release_id))
        .filter(profession::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// The levels a release uses, lowest first.
pub async fn levels(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<Vec<level::Model>, DbErr> {
    level::Entity::find()
        .filter(level::Column::ReleaseId.eq(release_id))
        .order_by_asc(level::Column::Rank)
        .all(db)
        .await
}

/// Roles in page order; only shared (or only unshared) ones when asked.
pub async fn roles(
    db: &impl ConnectionTrait,
    release_id: i32,
    shared: Option<bool>,
) -> Result<Vec<role::Model>, DbErr> {
    let mut query = role::Entity::find().filter(role::Column::ReleaseId.eq(release_id));
    if let Some(shared) = shared {
        query = query.filter(role::Column::Shared.eq(shared));
    }
    query.order_by_asc(role::Column::Position).all(db).await
}

pub async fn role_by_slug(
    db: &impl ConnectionTrait,
    release_id: i32,
    slug: &str,
) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find()
        .filter(role::Column::ReleaseId.eq(release_id))
        .filter(role::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn routes(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<Vec<route::Model>, DbErr> {
    route::Entity::find()
        .filter(route::Column::ReleaseId.eq(release_id))
        .order_by_asc(route::Column::Position)
        .all(db)
        .await
}

pub async fn release_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<release::Model>, DbErr> {
    release::Entity::find_by_id(id).one(db).await
}
