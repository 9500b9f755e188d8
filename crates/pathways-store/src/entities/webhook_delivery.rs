//! An event's delivery to one address: attempts so far, the last outcome, when
//! to try next, and the lease of the server trying it now. Times are Unix ms.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The `webhook_events` row.
    pub event_id: i32,
    pub url: String,
    pub attempts: i32,
    /// The HTTP status of the last attempt, when it got one.
    pub last_status: Option<i32>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    /// A server holds the delivery until then; others leave it alone.
    pub locked_until: Option<i64>,
    pub delivered_at: Option<i64>,
    /// Set when retrying stopped without a 2xx.
    pub gave_up_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
