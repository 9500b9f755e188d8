//! Writing a load plan as a new release, in one transaction: either the whole
//! release is there afterwards, or nothing changed.

use super::publish::{publish_in, Publication, PublishOutcome};
use super::releases::{by_hash, current_publication};
use insert::insert_release;
use pathways_model::{Release, ReleaseDescription};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr};

mod insert;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// A new release was written.
    Created(ReleaseDescription),
    /// A release already holds this content; nothing new was written.
    Unchanged(ReleaseDescription),
}

impl WriteOutcome {
    pub fn release(&self) -> &ReleaseDescription {
        match self {
            WriteOutcome::Created(r) | WriteOutcome::Unchanged(r) => r,
        }
    }
}

/// How to write a release.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Write it without publishing it (`ingest --stage`).
    pub stage: bool,
    /// Stored with the release (`ingest --note`).
    pub note: Option<String>,
}

/// What writing did: the release, and its publication when this write made one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub outcome: WriteOutcome,
    pub publication: Option<Publication>,
    /// Whether the release is the one served now.
    pub published: bool,
}

/// Writes `plan` as a new release and publishes it: [`write`] with the defaults.
pub async fn write_release(
    db: &DatabaseConnection,
    plan: &Release,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<WriteOutcome, DbErr> {
    Ok(write(db, plan, &WriteOptions::default(), progress)
        .await?
        .outcome)
}

/// Writes `plan` as a new release, in one transaction, unless a release already
/// holds the same content (same hash); then publishes it unless `stage` is set,
/// in the same transaction. `progress` hears the name of each table as it is written.
pub async fn write(
    db: &DatabaseConnection,
    plan: &Release,
    options: &WriteOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Written, DbErr> {
    let txn = crate::connection::begin_write(db).await?;
    let result = write_in(&txn, plan, options, progress).await;
    crate::connection::finish(txn, result).await
}

async fn write_in(
    txn: &DatabaseTransaction,
    plan: &Release,
    options: &WriteOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Written, DbErr> {
    let hash = plan.content_hash();
    let (outcome, release) = match by_hash(txn, &hash).await? {
        Some(existing) => (WriteOutcome::Unchanged(existing.clone()), existing),
        None => {
            let release = insert_release(txn, plan, hash, options.note.clone(), progress)
                .await?
                .describe();
            (WriteOutcome::Created(release.clone()), release)
        }
    };
    let publication = if options.stage {
        None
    } else {
        match publish_in(txn, release.clone(), Some(plan), None).await? {
            PublishOutcome::Published(p) => Some(*p),
            PublishOutcome::Unchanged(_) => None,
        }
    };
    let published = current_publication(txn).await?.map(|p| p.release_id) == Some(release.id);
    Ok(Written {
        outcome,
        publication,
        published,
    })
}
