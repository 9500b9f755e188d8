//! A release to publish at a given time (`publish ID --at TIME`): pending
//! until a server (or a release command, when none ran) publishes it, or
//! until it is cancelled. Times are Unix ms.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "release_schedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub release_id: i32,
    /// When to publish it.
    pub publish_at: i64,
    /// When it was scheduled.
    pub requested_at: i64,
    pub cancelled_at: Option<i64>,
    /// When it was published, and by whom (a server, or a command that found
    /// it overdue).
    pub published_at: Option<i64>,
    pub published_by: Option<String>,
    /// The `publications` row it made; none when the release was already the
    /// one served at that time.
    pub publication_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
