//! Somewhere the outbox delivers events: a webhook address today (`kind`
//! `webhook`), and any other kind of receiver later. The address itself stays
//! in the configuration of the servers: a row holds a hash of it (to match it)
//! and the address as shown, with credentials and query string redacted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the target receives and how: `webhook` (a signed POST).
    pub kind: String,
    /// SHA-256 of the whole address, hex: how servers find the row of theirs.
    pub address_key: String,
    /// The address with any user, password and query string replaced by `***`.
    pub address: String,
    /// When a server first had it configured (Unix ms): it is sent events
    /// created from then on, never older ones.
    pub first_configured_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
