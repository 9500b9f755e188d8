//! One publication of a release: the newest row names the release served.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub release_id: i32,
    /// The release served before this publication, if any.
    pub previous_release_id: Option<i32>,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// The publication a rollback from this one returns to (its state: the
    /// release it served and where to go back from there). Not a foreign key:
    /// it may name a row pruned since.
    pub rollback_publication_id: Option<i32>,
    /// The release of `rollback_publication_id`, kept to name it once pruned.
    pub rollback_release_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
