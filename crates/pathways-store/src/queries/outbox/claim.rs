//! Handing deliveries out. A target's deliveries go one at a time, oldest
//! event first: its next is the oldest it has neither delivered nor given up
//! (its head), and nothing after the head is tried while the head waits.
//!
//! An attempt is claimed first: a conditional update that one server wins,
//! taking the delivery until its lease runs out, counted from the claim. The
//! attempt's outcome is recorded only by the claim that made it; a claim whose
//! lease ran out without a record marks an interrupted attempt, and the next
//! claim counts it.

use crate::entities::{outbox_delivery, webhook_event};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// A delivery, with the event it carries.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery: outbox_delivery::Model,
    pub event: webhook_event::Model,
}

/// Neither delivered nor given up.
fn open() -> Condition {
    Condition::all()
        .add(outbox_delivery::Column::DeliveredAt.is_null())
        .add(outbox_delivery::Column::GaveUpAt.is_null())
}

/// Of `targets`, those with a delivery still open: the ones a server should
/// look at.
pub async fn with_open_work(db: &impl ConnectionTrait, targets: &[i32]) -> Result<Vec<i32>, DbErr> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    outbox_delivery::Entity::find()
        .select_only()
        .column(outbox_delivery::Column::TargetId)
        .distinct()
        .filter(outbox_delivery::Column::TargetId.is_in(targets.iter().copied()))
        .filter(open())
        .into_tuple()
        .all(db)
        .await
}

/// The head of `target`'s queue, with its event; it may not be due yet, or
/// may be claimed.
pub async fn head(db: &impl ConnectionTrait, target: i32) -> Result<Option<Due>, DbErr> {
    let Some(delivery) = outbox_delivery::Entity::find()
        .filter(outbox_delivery::Column::TargetId.eq(target))
        .filter(open())
        .order_by_asc(outbox_delivery::Column::EventId)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let event = webhook_event::Entity::find_by_id(delivery.event_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("webhook event {}", delivery.event_id)))?;
    Ok(Some(Due { delivery, event }))
}

/// A server's hold on one attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub delivery: i32,
    pub by: String,
    /// When it was claimed (Unix ms): with `by`, what records it.
    pub at: i64,
    /// When others may take it (Unix ms).
    pub until: i64,
}

/// Takes delivery `id` for `by` from `now` until `now + lease_ms`, if it is
/// open, due and not held: `Some` for exactly one of any number of servers
/// asking at once.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: i32,
    by: &str,
    now: i64,
    lease_ms: i64,
) -> Result<Option<Claim>, DbErr> {
    use outbox_delivery::Column as C;
    let until = now.saturating_add(lease_ms);
    let result = outbox_delivery::Entity::update_many()
        // A lease left behind (never recorded) is an interrupted attempt.
        .col_expr(
            C::Interrupted,
            Expr::cust("interrupted + CASE WHEN locked_until IS NULL THEN 0 ELSE 1 END"),
        )
        .col_expr(C::LockedUntil, Expr::value(until))
        .col_expr(C::ClaimedBy, Expr::value(by))
        .col_expr(C::ClaimedAt, Expr::value(now))
        .filter(C::Id.eq(id))
        .filter(open())
        .filter(C::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(C::LockedUntil.is_null())
                .add(C::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then(|| Claim {
        delivery: id,
        by: by.to_owned(),
        at: now,
        until,
    }))
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// A 2xx: delivered.
    Delivered { status: u16 },
    /// Anything else; try again at `retry_at` (Unix ms), or give up when `None`.
    Failed {
        status: Option<u16>,
        error: String,
        retry_at: Option<i64>,
    },
}

/// Records how `claim`'s attempt went and lets the delivery go. False when the
/// claim is no longer this one's (its lease ran out and another server took
/// the delivery): nothing is written then.
pub async fn record(
    db: &impl ConnectionTrait,
    claim: &Claim,
    attempt: &Attempt,
    now: i64,
) -> Result<bool, DbErr> {
    use outbox_delivery::Column as C;
    let (status, error) = match attempt {
        Attempt::Delivered { status } => (Some(*status), None),
        Attempt::Failed { status, error, .. } => (*status, Some(error.clone())),
    };
    let mut update = outbox_delivery::Entity::update_many()
        .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
        .col_expr(C::LockedUntil, SimpleExpr::from(Option::<i64>::None))
        .col_expr(C::LastStatus, Expr::value(status.map(i32::from)))
        .col_expr(C::LastError, Expr::value(error))
        .col_expr(C::LastAttemptAt, Expr::value(now));
    // Only what this attempt settles: a delivery given up meanwhile (its
    // release pruned) stays given up.
    update = match attempt {
        Attempt::Delivered { .. } => update.col_expr(C::DeliveredAt, Expr::value(now)),
        Attempt::Failed {
            retry_at: Some(at), ..
        } => update.col_expr(C::NextAttemptAt, Expr::value(*at)),
        Attempt::Failed { retry_at: None, .. } => update.col_expr(C::GaveUpAt, Expr::value(now)),
    };
    let result = update
        .filter(C::Id.eq(claim.delivery))
        .filter(C::ClaimedBy.eq(claim.by.as_str()))
        .filter(C::ClaimedAt.eq(claim.at))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
