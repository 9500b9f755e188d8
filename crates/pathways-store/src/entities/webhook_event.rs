//! An event for webhook receivers, written in the transaction that caused it
//! (the outbox): its id, the same on every attempt, and the exact body sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `webhook-id`: unique, the same on every retry.
    pub event_id: String,
    /// `release.published`.
    pub kind: String,
    pub release_id: i32,
    /// The JSON body, byte for byte as signed and sent.
    pub payload: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
