//! An event's delivery to one target: attempts so far, the last outcome, when
//! to try next, and the claim of the server trying it now. Times are Unix ms.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The `webhook_events` row; a target gets its events in this order.
    pub event_id: i32,
    /// The `outbox_targets` row.
    pub target_id: i32,
    /// Attempts that ended with an answer or an error, and were recorded.
    pub attempts: i32,
    /// Attempts whose server stopped before recording how they went (the
    /// claim ran out): the receiver may have got the event then.
    pub interrupted: i32,
    /// The HTTP status of the last attempt, when it got one.
    pub last_status: Option<i32>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
    /// When the last recorded attempt ended.
    pub last_attempt_at: Option<i64>,
    pub next_attempt_at: i64,
    /// The server that claimed it last, and when.
    pub claimed_by: Option<String>,
    pub claimed_at: Option<i64>,
    /// The claim holds until then; others leave the delivery alone. Cleared
    /// when the attempt is recorded, so one left behind marks an interruption.
    pub locked_until: Option<i64>,
    pub delivered_at: Option<i64>,
    /// Set when delivering stopped without a 2xx (retries ran out, or the
    /// event's release was pruned).
    pub gave_up_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
