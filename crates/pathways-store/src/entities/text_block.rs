//! A paragraph, or one item of a list, of a role's text or of a step's intro.
//!
//! Exactly one of `role_id` and `step_id` is set. Rows order by (`block`, `item`):
//! a paragraph is one block; a list is one block whose items are numbered from 0.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "text_blocks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub release_id: i32,
    pub role_id: Option<i32>,
    pub step_id: Option<i32>,
    pub block: i32,
    pub item: i32,
    /// `paragraph` or `item`.
    pub kind: String,
    pub text: String,
    /// For list items: `job_titles`, `working_with`, or none.
    pub list_kind: Option<String>,
    /// For list items: the bullet, `•` or `-`.
    pub marker: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
