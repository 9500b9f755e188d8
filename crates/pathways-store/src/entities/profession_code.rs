//! One occupation code of a profession: its scheme (`soc2020`, `isco08`,
//! `esco`), the code, its title in the scheme, and the source that establishes it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profession_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub release_id: i32,
    pub profession_id: i32,
    pub scheme: String,
    pub code: String,
    pub name: String,
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
