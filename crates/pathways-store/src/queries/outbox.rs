//! The outbox: events written by publications (`webhook_events`), the targets
//! they go to (`outbox_targets`, one kind of receiver per `kind`), and one
//! delivery per event and target (`outbox_deliveries`). Any number of servers
//! share the work; `claim` hands each attempt to one of them at a time.
//!
//! A target gets the events made from when it was first configured on, and
//! never one whose release has been pruned (pruning gives those up).

mod claim;

pub use claim::{claim, head, record, with_open_work, Attempt, Claim, Due};

use crate::address;
use crate::entities::{outbox_delivery, outbox_target, release, webhook_event};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

/// Targets that receive a signed POST of each event.
pub const WEBHOOK: &str = "webhook";
/// Caches sent an HTTP `PURGE` naming the keys each event changed.
pub const PURGE: &str = "purge";

/// The newest `release.published` event of release `release_id`: the body
/// webhook receivers get for its latest publication (or rollback to it).
pub async fn published_event(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<Option<webhook_event::Model>, DbErr> {
    webhook_event::Entity::find()
        .filter(webhook_event::Column::ReleaseId.eq(release_id))
        .filter(webhook_event::Column::Kind.eq(super::publish::RELEASE_PUBLISHED))
        .order_by_desc(webhook_event::Column::Id)
        .one(db)
        .await
}

/// Registers `addresses` as targets of `kind`, first configured at
/// `configured_at` unless a server had them before. Returns their ids, in order.
pub async fn register(
    db: &impl ConnectionTrait,
    kind: &str,
    addresses: &[String],
    configured_at: i64,
) -> Result<Vec<i32>, DbErr> {
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    let rows = addresses.iter().map(|a| outbox_target::ActiveModel {
        kind: Set(kind.to_owned()),
        address_key: Set(address::key(a)),
        address: Set(address::shown(a)),
        first_configured_at: Set(configured_at),
        ..Default::default()
    });
    let inserted = outbox_target::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                outbox_target::Column::Kind,
                outbox_target::Column::AddressKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await;
    match inserted {
        Ok(_) | Err(DbErr::RecordNotInserted) => {}
        Err(e) => return Err(e),
    }
    let keys: Vec<String> = addresses.iter().map(|a| address::key(a)).collect();
    let ids: HashMap<String, i32> = outbox_target::Entity::find()
        .filter(outbox_target::Column::Kind.eq(kind))
        .filter(outbox_target::Column::AddressKey.is_in(keys.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.address_key, t.id))
        .collect();
    keys.iter()
        .map(|k| {
            ids.get(k)
                .copied()
                .ok_or_else(|| DbErr::RecordNotFound(format!("outbox target {k}")))
        })
        .collect()
}

/// Adds a delivery to each of `targets` for every event created since `since`
/// (Unix ms) and since the target was first configured, whose release is still
/// there, and that it does not have yet. Servers may race here: the unique
/// index on (event, target) keeps one row each. Returns how many were added.
pub async fn add_deliveries(
    db: &impl ConnectionTrait,
    targets: &[i32],
    since: i64,
    now: i64,
) -> Result<usize, DbErr> {
    if targets.is_empty() {
        return Ok(0);
    }
    let targets = outbox_target::Entity::find()
        .filter(outbox_target::Column::Id.is_in(targets.iter().copied()))
        .all(db)
        .await?;
    let Some(earliest) = targets
        .iter()
        .map(|t| t.first_configured_at.max(since))
        .min()
    else {
        return Ok(0);
    };
    let kept = Query::select()
        .column(release::Column::Id)
        .from(release::Entity)
        .to_owned();
    let events: Vec<(i32, i64)> = webhook_event::Entity::find()
        .select_only()
        .columns([webhook_event::Column::Id, webhook_event::Column::CreatedAt])
        .filter(webhook_event::Column::CreatedAt.gte(earliest))
        .filter(Expr::col(webhook_event::Column::ReleaseId).in_subquery(kept))
        .into_tuple()
        .all(db)
        .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let have: HashSet<(i32, i32)> = outbox_delivery::Entity::find()
        .select_only()
        .columns([
            outbox_delivery::Column::EventId,
            outbox_delivery::Column::TargetId,
        ])
        .filter(outbox_delivery::Column::EventId.is_in(events.iter().map(|e| e.0)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let missing: Vec<outbox_delivery::ActiveModel> = targets
        .iter()
        .flat_map(|t| events.iter().map(move |e| (t, e)))
        .filter(|(t, (id, created))| {
            *created >= t.first_configured_at.max(since) && !have.contains(&(*id, t.id))
        })
        .map(|(t, (id, _))| outbox_delivery::ActiveModel {
            event_id: Set(*id),
            target_id: Set(t.id),
            attempts: Set(0),
            interrupted: Set(0),
            next_attempt_at: Set(now),
            ..Default::default()
        })
        .collect();
    let added = missing.len();
    if added == 0 {
        return Ok(0);
    }
    let inserted = outbox_delivery::Entity::insert_many(missing)
        .on_conflict(
            OnConflict::columns([
                outbox_delivery::Column::EventId,
                outbox_delivery::Column::TargetId,
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

/// Why a delivery of an event about a pruned release stopped.
pub const PRUNED: &str = "not sent: its release was pruned";

/// Gives up every delivery not yet made of events about `releases` (being
/// pruned, in the caller's transaction). Returns how many.
pub async fn give_up_for_releases(
    db: &impl ConnectionTrait,
    releases: &[i32],
    now: i64,
) -> Result<u64, DbErr> {
    if releases.is_empty() {
        return Ok(0);
    }
    let events = Query::select()
        .column(webhook_event::Column::Id)
        .from(webhook_event::Entity)
        .and_where(webhook_event::Column::ReleaseId.is_in(releases.iter().copied()))
        .to_owned();
    let result = outbox_delivery::Entity::update_many()
        .col_expr(outbox_delivery::Column::GaveUpAt, Expr::value(now))
        .col_expr(outbox_delivery::Column::LastError, Expr::value(PRUNED))
        .filter(outbox_delivery::Column::DeliveredAt.is_null())
        .filter(outbox_delivery::Column::GaveUpAt.is_null())
        .filter(Expr::col(outbox_delivery::Column::EventId).in_subquery(events))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// An event with its deliveries, each with its target.
#[derive(Debug, Clone)]
pub struct ListedEvent {
    pub event: webhook_event::Model,
    pub deliveries: Vec<(outbox_delivery::Model, outbox_target::Model)>,
}

/// Every event, newest first, with its deliveries in target order.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ListedEvent>, DbErr> {
    let events = webhook_event::Entity::find()
        .order_by_desc(webhook_event::Column::Id)
        .all(db)
        .await?;
    let targets: HashMap<i32, outbox_target::Model> = outbox_target::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut by_event: HashMap<i32, Vec<_>> = HashMap::new();
    for delivery in outbox_delivery::Entity::find()
        .order_by_asc(outbox_delivery::Column::TargetId)
        .all(db)
        .await?
    {
        if let Some(target) = targets.get(&delivery.target_id) {
            by_event
                .entry(delivery.event_id)
                .or_default()
                .push((delivery, target.clone()));
        }
    }
    Ok(events
        .into_iter()
        .map(|event| ListedEvent {
            deliveries: by_event.remove(&event.id).unwrap_or_default(),
            event,
        })
        .collect())
}
