//! Scheduled publishing: a release to publish at a given time. A schedule is
//! pending until it is published or cancelled; a release has at most one
//! pending (scheduling it again moves it).
//!
//! Publishing what is due takes the write lock (`begin_write`) and, in one
//! transaction, publishes each due release and marks its schedule done, so
//! however many servers and commands try at once, each schedule is published
//! exactly once: the others find it done when their turn comes.

use super::notify::{announce, Change};
use super::publish::{publish_in, PublishOutcome};
use super::releases::{by_id, current_publication};
use crate::entities::release_schedule::{self, Model as Schedule};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("there is no release {0}: `pathways releases` lists them")]
    NoSuchRelease(i32),
    #[error("release {0} is already the one published")]
    AlreadyPublished(i32),
    #[error("that time is in the past: to publish release {0} now, run `pathways publish {0}`")]
    InThePast(i32),
    #[error("release {0} is not scheduled: `pathways releases` shows what is")]
    NotScheduled(i32),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A new schedule, and the pending one it replaced, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub schedule: Schedule,
    pub replaced: Option<Schedule>,
}

fn pending_filter() -> Condition {
    Condition::all()
        .add(release_schedule::Column::CancelledAt.is_null())
        .add(release_schedule::Column::PublishedAt.is_null())
}

async fn pending_for(db: &impl ConnectionTrait, release: i32) -> Result<Option<Schedule>, DbErr> {
    release_schedule::Entity::find()
        .filter(pending_filter())
        .filter(release_schedule::Column::ReleaseId.eq(release))
        .one(db)
        .await
}

/// Schedules release `release` for `at` (Unix ms), moving a pending schedule
/// of it, in one transaction that announces it.
pub async fn schedule(
    db: &DatabaseConnection,
    release: i32,
    at: i64,
    now: i64,
) -> Result<Scheduled, ScheduleError> {
    let txn = crate::connection::begin_write(db).await?;
    let result = schedule_in(&txn, release, at, now).await;
    crate::connection::finish(txn, result).await
}

async fn schedule_in(
    txn: &DatabaseTransaction,
    release: i32,
    at: i64,
    now: i64,
) -> Result<Scheduled, ScheduleError> {
    by_id(txn, release)
        .await?
        .ok_or(ScheduleError::NoSuchRelease(release))?;
    if current_publication(txn).await?.map(|p| p.release_id) == Some(release) {
        return Err(ScheduleError::AlreadyPublished(release));
    }
    if at <= now {
        return Err(ScheduleError::InThePast(release));
    }
    let replaced = match pending_for(txn, release).await? {
        Some(old) => {
            let mut row = old.clone().into_active_model();
            row.cancelled_at = Set(Some(now));
            row.update(txn).await?;
            Some(old)
        }
        None => None,
    };
    let schedule = release_schedule::ActiveModel {
        release_id: Set(release),
        publish_at: Set(at),
        requested_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    announce(txn, &Change::Scheduled { release }).await?;
    Ok(Scheduled { schedule, replaced })
}

/// Cancels the pending schedule of release `release`; returns it.
pub async fn cancel(
    db: &DatabaseConnection,
    release: i32,
    now: i64,
) -> Result<Schedule, ScheduleError> {
    let txn = crate::connection::begin_write(db).await?;
    let result = async {
        let pending = pending_for(&txn, release)
            .await?
            .ok_or(ScheduleError::NotScheduled(release))?;
        let mut row = pending.into_active_model();
        row.cancelled_at = Set(Some(now));
        let cancelled = row.update(&txn).await?;
        announce(&txn, &Change::Scheduled { release }).await?;
        Ok(cancelled)
    }
    .await;
    crate::connection::finish(txn, result).await
}

/// Pending schedules, soonest first.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<Schedule>, DbErr> {
    release_schedule::Entity::find()
        .filter(pending_filter())
        .order_by_asc(release_schedule::Column::PublishAt)
        .order_by_asc(release_schedule::Column::Id)
        .all(db)
        .await
}

/// When the soonest pending schedule is due (Unix ms), if there is one.
pub async fn next_at(db: &impl ConnectionTrait) -> Result<Option<i64>, DbErr> {
    Ok(pending(db).await?.first().map(|s| s.publish_at))
}

/// Each release's newest schedule, pending, published or cancelled.
pub async fn latest(db: &impl ConnectionTrait) -> Result<HashMap<i32, Schedule>, DbErr> {
    let mut latest = HashMap::new();
    for schedule in release_schedule::Entity::find()
        .order_by_asc(release_schedule::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(schedule.release_id, schedule);
    }
    Ok(latest)
}

/// A schedule carried out: the schedule as it is now, and what publishing did
/// (`Unchanged` when the release was already the one served then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledPublication {
    pub schedule: Schedule,
    pub outcome: PublishOutcome,
}

/// Publishes every release whose schedule is due at `now`, soonest first, as
/// `by` (a server, or a command). Takes the write lock only when something
/// is due.
pub async fn publish_due(
    db: &DatabaseConnection,
    now: i64,
    by: &str,
) -> Result<Vec<ScheduledPublication>, DbErr> {
    if next_at(db).await?.is_none_or(|at| at > now) {
        return Ok(Vec::new());
    }
    let txn = crate::connection::begin_write(db).await?;
    let result = publish_due_in(&txn, now, by).await;
    crate::connection::finish(txn, result).await
}

async fn publish_due_in(
    txn: &DatabaseTransaction,
    now: i64,
    by: &str,
) -> Result<Vec<ScheduledPublication>, DbErr> {
    let mut done = Vec::new();
    for schedule in pending(txn).await? {
        if schedule.publish_at > now {
            break;
        }
        let release = by_id(txn, schedule.release_id)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("release {}", schedule.release_id)))?;
        // A schedule publishes as `publish ID` does: rollback from it returns
        // to what was served before.
        let outcome = publish_in(txn, release, None, None).await?;
        let publication = match outcome {
            PublishOutcome::Published(_) => current_publication(txn).await?.map(|p| p.id),
            PublishOutcome::Unchanged(_) => None,
        };
        let mut row = schedule.into_active_model();
        row.published_at = Set(Some(now));
        row.published_by = Set(Some(by.to_owned()));
        row.publication_id = Set(publication);
        done.push(ScheduledPublication {
            schedule: row.update(txn).await?,
            outcome,
        });
    }
    Ok(done)
}
