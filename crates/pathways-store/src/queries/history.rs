//! The publications log read as a history that walks back: where a rollback
//! goes from the release being served, and which releases pruning keeps (and why).
//!
//! Each publication names the publication a rollback from it returns to
//! (`rollback_publication_id`): for a publication, the one it replaced; for a
//! rollback, the walk-back of the publication it returned to. So rolling back
//! twice goes 4 → 3 → 2, and publishing again after a rollback starts a new branch.

use super::releases::{by_id, current_publication};
use crate::entities::{publication, release};
use pathways_model::ReleaseDescription;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Where a rollback from the release being served goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// That release, kept, as published by this publication.
    Release(ReleaseDescription, publication::Model),
    /// The release it would return to was pruned.
    Pruned(i32),
    /// The release served was the first one published on this path.
    Nothing,
}

/// Where a rollback from the publication `top` goes.
pub async fn target_of(
    db: &impl ConnectionTrait,
    top: &publication::Model,
) -> Result<Target, DbErr> {
    let Some(id) = top.rollback_publication_id else {
        return Ok(match top.rollback_release_id {
            Some(release) => Target::Pruned(release),
            None => Target::Nothing,
        });
    };
    let row = publication::Entity::find_by_id(id).one(db).await?;
    Ok(match row {
        Some(row) => match by_id(db, row.release_id).await? {
            Some(release) => Target::Release(release, row),
            None => Target::Pruned(row.release_id),
        },
        // A publication goes with its release when that is pruned.
        None => Target::Pruned(top.rollback_release_id.unwrap_or_default()),
    })
}

/// Where a rollback from the release being served goes (`Nothing` when none is).
pub async fn rollback_target(db: &impl ConnectionTrait) -> Result<Target, DbErr> {
    match current_publication(db).await? {
        Some(top) => target_of(db, &top).await,
        None => Ok(Target::Nothing),
    }
}

/// The publications a rollback walks through from `top`, `top` first, as far as
/// the log still holds them.
pub async fn walk_back(
    db: &impl ConnectionTrait,
    top: &publication::Model,
) -> Result<Vec<publication::Model>, DbErr> {
    let rows: HashMap<i32, publication::Model> = publication::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut path = vec![top.clone()];
    // Each step goes to a smaller id, so the walk ends.
    while let Some(next) = path
        .last()
        .and_then(|p| p.rollback_publication_id)
        .and_then(|id| rows.get(&id))
    {
        path.push(next.clone());
    }
    Ok(path)
}

/// Why pruning keeps a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It is being served.
    Served,
    /// `pathways rollback` would return to it.
    RollbackTarget,
    /// One of the `--keep` most recently published.
    RecentlyPublished,
    /// Staged after the served release (not named to be removed).
    StagedNewer,
    /// Scheduled for publication (`pathways publish ID --at`).
    Scheduled,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Served => "served",
            Reason::RollbackTarget => "rollback target",
            Reason::RecentlyPublished => "recently published",
            Reason::StagedNewer => "staged after the served release",
            Reason::Scheduled => "scheduled for publication",
        }
    }
}

/// A release pruning keeps, with every reason it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub release: ReleaseDescription,
    pub reasons: Vec<Reason>,
}

/// What pruning removed (or, in a dry run, would remove) and what it kept, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    pub removed: Vec<ReleaseDescription>,
    pub kept: Vec<Kept>,
}

#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    #[error("there is no release {0}: `pathways releases` lists them")]
    NoSuchRelease(i32),
    #[error("release {0} is the one being served: it is never pruned")]
    Served(i32),
    #[error("release {0} is scheduled for publication: `pathways publish --cancel {0}` cancels that first")]
    Scheduled(i32),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Keeps the `keep` most recently published releases, the served release, its
/// rollback target, the releases staged after it and those scheduled for
/// publication, and deletes the rest in one transaction (each release's rows go
/// with it, deliveries not yet made of events about them are given up, and
/// servers are told). A release in `named` is removed whatever keeps it, except
/// the served one and a scheduled one. With `dry_run`, nothing is deleted.
pub async fn prune(
    db: &sea_orm::DatabaseConnection,
    keep: usize,
    named: &[i32],
    dry_run: bool,
) -> Result<Pruned, PruneError> {
    let txn = crate::connection::begin_write(db).await?;
    let result = async {
        let plan = plan(&txn, keep, named).await?;
        if !dry_run && !plan.removed.is_empty() {
            let ids: Vec<i32> = plan.removed.iter().map(|r| r.id).collect();
            super::search::remove_releases(&txn, &ids).await?;
            super::outbox::give_up_for_releases(&txn, &ids, super::publish::unix_millis()).await?;
            let change = super::notify::Change::Pruned {
                releases: ids.len(),
            };
            super::notify::announce(&txn, &change).await?;
            for chunk in ids.chunks(500) {
                release::Entity::delete_many()
                    .filter(release::Column::Id.is_in(chunk.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
        }
        Ok(plan)
    }
    .await;
    crate::connection::finish(txn, result).await
}

async fn plan(db: &impl ConnectionTrait, keep: usize, named: &[i32]) -> Result<Pruned, PruneError> {
    let releases = release::Entity::find()
        .order_by_desc(release::Column::Id)
        .all(db)
        .await?;
    let known: HashSet<i32> = releases.iter().map(|r| r.id).collect();
    if let Some(missing) = named.iter().find(|id| !known.contains(id)) {
        return Err(PruneError::NoSuchRelease(*missing));
    }
    let top = current_publication(db).await?;
    let served = top.as_ref().map(|p| p.release_id);
    if let Some(id) = served.filter(|id| named.contains(id)) {
        return Err(PruneError::Served(id));
    }
    let scheduled: HashSet<i32> = super::schedule::pending(db)
        .await?
        .iter()
        .map(|s| s.release_id)
        .collect();
    if let Some(id) = named.iter().find(|id| scheduled.contains(id)) {
        return Err(PruneError::Scheduled(*id));
    }
    let target = match &top {
        Some(top) => match target_of(db, top).await? {
            Target::Release(release, _) => Some(release.id),
            _ => None,
        },
        None => None,
    };
    let (published, recent) = published(db, keep).await?;
    let mut pruned = Pruned::default();
    for row in releases {
        let id = row.id;
        let mut reasons = Vec::new();
        if Some(id) == served {
            reasons.push(Reason::Served);
        }
        if Some(id) == target {
            reasons.push(Reason::RollbackTarget);
        }
        if recent.contains(&id) {
            reasons.push(Reason::RecentlyPublished);
        }
        if !published.contains(&id) && served.is_none_or(|s| id > s) {
            reasons.push(Reason::StagedNewer);
        }
        if scheduled.contains(&id) {
            reasons.push(Reason::Scheduled);
        }
        if reasons.is_empty() || (named.contains(&id) && Some(id) != served) {
            pruned.removed.push(row.describe());
        } else {
            pruned.kept.push(Kept {
                release: row.describe(),
                reasons,
            });
        }
    }
    Ok(pruned)
}

/// The releases ever published, and the `keep` most recently published of them.
async fn published(
    db: &impl ConnectionTrait,
    keep: usize,
) -> Result<(HashSet<i32>, HashSet<i32>), DbErr> {
    let mut last_published: HashMap<i32, i32> = HashMap::new();
    for p in publication::Entity::find().all(db).await? {
        let at = last_published.entry(p.release_id).or_default();
        *at = (*at).max(p.id);
    }
    let mut recent: Vec<(i32, i32)> = last_published.iter().map(|(r, p)| (*p, *r)).collect();
    recent.sort_unstable_by(|a, b| b.cmp(a));
    let recent = recent.into_iter().take(keep).map(|(_, r)| r).collect();
    Ok((last_published.into_keys().collect(), recent))
}
