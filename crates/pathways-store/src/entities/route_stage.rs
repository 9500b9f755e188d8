//! One stage of a route, in order; `optional` where the page marks it so.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "route_stages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub route_id: i32,
    pub stage_id: i32,
    pub position: i32,
    pub optional: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
