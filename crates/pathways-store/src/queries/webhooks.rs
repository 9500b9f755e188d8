//! The webhook outbox: events written by publications, and their delivery to
//! each address. Any number of servers share the work: each delivery attempt
//! is claimed with a conditional update that only one of them can win, and the
//! claim is a lease, so a server that dies mid-attempt leaves it to the others.

use crate::entities::{webhook_delivery, webhook_event};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashSet;

/// Adds a delivery to each of `urls` for every event created since `since`
/// (Unix ms) that does not have one yet. Servers may race here: the unique
/// index on (event, address) keeps one row each.
pub async fn add_deliveries(
    db: &impl ConnectionTrait,
    urls: &[String],
    since: i64,
    now: i64,
) -> Result<usize, DbErr> {
    if urls.is_empty() {
        return Ok(0);
    }
    let events: Vec<i32> = webhook_event::Entity::find()
        .select_only()
        .column(webhook_event::Column::Id)
        .filter(webhook_event::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let have: HashSet<(i32, String)> = webhook_delivery::Entity::find()
        .select_only()
        .columns([
            webhook_delivery::Column::EventId,
            webhook_delivery::Column::Url,
        ])
        .filter(webhook_delivery::Column::EventId.is_in(events.iter().copied()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let missing: Vec<webhook_delivery::ActiveModel> = events
        .iter()
        .flat_map(|&event| urls.iter().map(move |url| (event, url)))
        .filter(|(event, url)| !have.contains(&(*event, (*url).clone())))
        .map(|(event, url)| webhook_delivery::ActiveModel {
            event_id: Set(event),
            url: Set(url.clone()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            ..Default::default()
        })
        .collect();
    let added = missing.len();
    if added == 0 {
        return Ok(0);
    }
    let inserted = webhook_delivery::Entity::insert_many(missing)
        .on_conflict(
            OnConflict::columns([
                webhook_delivery::Column::EventId,
                webhook_delivery::Column::Url,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(_) | Err(DbErr::RecordNotInserted) => Ok(added),
        Err(e) => Err(e),
    }
}

/// A delivery due now, with the event it carries.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery: webhook_delivery::Model,
    pub event: webhook_event::Model,
}

fn open(now: i64) -> Condition {
    Condition::all()
        .add(webhook_delivery::Column::DeliveredAt.is_null())
        .add(webhook_delivery::Column::GaveUpAt.is_null())
        .add(webhook_delivery::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(webhook_delivery::Column::LockedUntil.is_null())
                .add(webhook_delivery::Column::LockedUntil.lt(now)),
        )
}

/// Deliveries to `urls` that are due and not held by another server, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    urls: &[String],
    now: i64,
    limit: u64,
) -> Result<Vec<Due>, DbErr> {
    let deliveries = webhook_delivery::Entity::find()
        .filter(open(now))
        .filter(webhook_delivery::Column::Url.is_in(urls.iter().cloned()))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    if deliveries.is_empty() {
        return Ok(Vec::new());
    }
    let events = webhook_event::Entity::find()
        .filter(webhook_event::Column::Id.is_in(deliveries.iter().map(|d| d.event_id)))
        .all(db)
        .await?;
    Ok(deliveries
        .into_iter()
        .filter_map(|delivery| {
            let event = events.iter().find(|e| e.id == delivery.event_id)?.clone();
            Some(Due { delivery, event })
        })
        .collect())
}

/// Takes delivery `id` until `until` if it is still due and free: true for
/// exactly one of any number of servers asking at once.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: i32,
    now: i64,
    until: i64,
) -> Result<bool, DbErr> {
    let result = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::LockedUntil, Expr::value(until))
        .filter(webhook_delivery::Column::Id.eq(id))
        .filter(open(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
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

/// Records an attempt of delivery `id` and releases the claim.
pub async fn record(
    db: &impl ConnectionTrait,
    id: i32,
    attempt: &Attempt,
    now: i64,
) -> Result<(), DbErr> {
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col(webhook_delivery::Column::Attempts).add(1),
        )
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(Option::<i64>::None),
        );
    update = match attempt {
        Attempt::Delivered { status } => update
            .col_expr(
                webhook_delivery::Column::LastStatus,
                Expr::value(i32::from(*status)),
            )
            .col_expr(
                webhook_delivery::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now)),
        Attempt::Failed {
            status,
            error,
            retry_at,
        } => {
            let update = update
                .col_expr(
                    webhook_delivery::Column::LastStatus,
                    Expr::value(status.map(i32::from)),
                )
                .col_expr(
                    webhook_delivery::Column::LastError,
                    Expr::value(error.clone()),
                );
            match retry_at {
                Some(at) => {
                    update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(*at))
                }
                None => update.col_expr(webhook_delivery::Column::GaveUpAt, Expr::value(now)),
            }
        }
    };
    update
        .filter(webhook_delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every event, newest first, with its deliveries.
pub async fn list(
    db: &impl ConnectionTrait,
) -> Result<Vec<(webhook_event::Model, Vec<webhook_delivery::Model>)>, DbErr> {
    let events = webhook_event::Entity::find()
        .order_by_desc(webhook_event::Column::Id)
        .all(db)
        .await?;
    let mut deliveries = webhook_delivery::Entity::find()
        .order_by_asc(webhook_delivery::Column::Id)
        .all(db)
        .await?;
    Ok(events
        .into_iter()
        .map(|event| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                deliveries.drain(..).partition(|d| d.event_id == event.id);
            deliveries = rest;
            (event, mine)
        })
        .collect())
}
