//! Publishing: which release readers get. A publication is one row in the log,
//! written in one transaction with the webhook event that announces it (the
//! outbox), so an event exists exactly when a publication does, and with the
//! notification that tells servers (`notify`).

use super::history::{target_of, walk_back, Target};
use super::read::read_release;
use super::releases::{by_id, current_publication};
use crate::entities::{publication, webhook_event};
use pathways_model::diff::{diff, Change, Summary};
use pathways_model::{Release, ReleaseDescription};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};
use serde::Serialize;

/// The type of the event a publication writes.
pub const RELEASE_PUBLISHED: &str = "release.published";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub release: ReleaseDescription,
    /// The release served before, if any.
    pub previous: Option<ReleaseDescription>,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// What changed for readers, from `previous` to `release`.
    pub changes: Vec<Change>,
    /// The cache keys whose content changed ([`pathways_model::purge::keys`]),
    /// as the event's `data.purge` lists them.
    pub purge: Vec<String>,
    /// The `webhook-id` of the event announcing it.
    pub event_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishOutcome {
    Published(Box<Publication>),
    /// The release was already the one served: nothing written.
    Unchanged(ReleaseDescription),
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("there is no release {0}: `pathways releases` lists them")]
    NoSuchRelease(i32),
    #[error("nothing to roll back to: no release was published before the one being served")]
    NothingToRollBack,
    #[error("release {0}, the one to roll back to, was pruned: `pathways rollback --to ID` goes to a release that is kept (`pathways releases` lists them)")]
    TargetPruned(i32),
    #[error("release {0} was never published, so rollback cannot go to it: `pathways publish {0}` publishes it")]
    NeverPublished(i32),
    #[error("nothing is published yet, so there is nothing to roll back")]
    NothingPublished,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Makes release `id` the one served, in one transaction.
pub async fn publish(db: &DatabaseConnection, id: i32) -> Result<PublishOutcome, PublishError> {
    let txn = crate::connection::begin_write(db).await?;
    let result = async {
        let release = by_id(&txn, id)
            .await?
            .ok_or(PublishError::NoSuchRelease(id))?;
        Ok(publish_in(&txn, release, None, None).await?)
    }
    .await;
    crate::connection::finish(txn, result).await
}

/// Walks back through the log: without `to`, to the release published before
/// the one served (so 4 → 3 → 2 …); with `to`, to that release, back along the
/// same path when it is on it (or published again when it was published on
/// another path).
pub async fn rollback(
    db: &DatabaseConnection,
    to: Option<i32>,
) -> Result<PublishOutcome, PublishError> {
    let txn = crate::connection::begin_write(db).await?;
    let result = rollback_in(&txn, to).await;
    crate::connection::finish(txn, result).await
}

async fn rollback_in(
    txn: &impl ConnectionTrait,
    to: Option<i32>,
) -> Result<PublishOutcome, PublishError> {
    let top = current_publication(txn)
        .await?
        .ok_or(PublishError::NothingPublished)?;
    let (release, back_to) = match to {
        None => match target_of(txn, &top).await? {
            Target::Release(release, row) => (release, Some(row)),
            Target::Pruned(id) => return Err(PublishError::TargetPruned(id)),
            Target::Nothing => return Err(PublishError::NothingToRollBack),
        },
        Some(id) => {
            let release = by_id(txn, id)
                .await?
                .ok_or(PublishError::NoSuchRelease(id))?;
            let path = walk_back(txn, &top).await?;
            match path.into_iter().find(|p| p.release_id == id) {
                Some(row) if row.id == top.id => (release, None),
                Some(row) => (release, Some(row)),
                None if ever_published(txn, id).await? => (release, None),
                None => return Err(PublishError::NeverPublished(id)),
            }
        }
    };
    Ok(publish_in(txn, release, None, back_to.as_ref()).await?)
}

async fn ever_published(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    Ok(publication::Entity::find()
        .filter(publication::Column::ReleaseId.eq(id))
        .one(db)
        .await?
        .is_some())
}

/// Publishes `release` inside `txn`: the log row and the webhook event.
/// `content` is the release's content when the caller has it at hand.
/// `back_to` is the publication a rollback returns to (the new row takes its
/// way back); without it, a rollback from the new row returns to the current one.
pub(crate) async fn publish_in(
    txn: &impl ConnectionTrait,
    release: ReleaseDescription,
    content: Option<&Release>,
    back_to: Option<&publication::Model>,
) -> Result<PublishOutcome, DbErr> {
    let current = current_publication(txn).await?;
    if current.as_ref().map(|p| p.release_id) == Some(release.id) {
        return Ok(PublishOutcome::Unchanged(release));
    }
    let previous = match &current {
        Some(p) => by_id(txn, p.release_id).await?,
        None => None,
    };
    let new_content = match content {
        Some(content) => content.clone(),
        None => read_release(txn, release.id).await?,
    };
    let old_content = match &previous {
        Some(previous) => read_release(txn, previous.id).await?,
        None => Release::default(),
    };
    let changes = diff(&old_content, &new_content);
    let purge = pathways_model::purge::keys(previous.as_ref().map(|_| &old_content), &new_content);
    let published_at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let (rollback_publication_id, rollback_release_id) = match back_to {
        Some(row) => (row.rollback_publication_id, row.rollback_release_id),
        None => (
            current.as_ref().map(|p| p.id),
            current.as_ref().map(|p| p.release_id),
        ),
    };
    let row = publication::ActiveModel {
        release_id: Set(release.id),
        previous_release_id: Set(previous.as_ref().map(|p| p.id)),
        published_at: Set(published_at.clone()),
        rollback_publication_id: Set(rollback_publication_id),
        rollback_release_id: Set(rollback_release_id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    // Random bits keep event ids apart across databases that reuse publication ids.
    let random = getrandom::u64().map_err(|e| DbErr::Custom(format!("no random bits: {e}")))?;
    let event_id = format!("evt_{}_{random:016x}", row.id);
    let payload = ReleasePublished {
        kind: RELEASE_PUBLISHED,
        timestamp: &published_at,
        data: PublishedData {
            release: EventRelease::of(&release, Some(&published_at)),
            previous: previous
                .as_ref()
                .map(|p| EventRelease::of(p, current.as_ref().map(|c| c.published_at.as_str()))),
            summary: Summary::of(&changes),
            purge: &purge,
        },
    };
    let payload =
        serde_json::to_string(&payload).map_err(|e| DbErr::Custom(format!("event body: {e}")))?;
    webhook_event::ActiveModel {
        event_id: Set(event_id.clone()),
        kind: Set(RELEASE_PUBLISHED.to_owned()),
        release_id: Set(release.id),
        payload: Set(payload),
        created_at: Set(unix_millis()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let change = super::notify::Change::Published {
        release: release.id,
    };
    super::notify::announce(txn, &change).await?;
    Ok(PublishOutcome::Published(Box::new(Publication {
        release,
        previous,
        published_at,
        changes,
        purge,
        event_id,
    })))
}

/// The body of a `release.published` event, as webhook receivers get it.
#[derive(Debug, Serialize)]
pub struct ReleasePublished<'a> {
    /// `release.published`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// When it was published (RFC 3339, UTC).
    pub timestamp: &'a str,
    pub data: PublishedData<'a>,
}

#[derive(Debug, Serialize)]
pub struct PublishedData<'a> {
    pub release: EventRelease<'a>,
    /// The release served before, if any.
    pub previous: Option<EventRelease<'a>>,
    /// What changed for readers.
    pub summary: Summary,
    /// The cache keys whose content changed: purge them (from `Surrogate-Key`
    /// or `Cache-Tag`) and every answer that read the old content goes.
    pub purge: &'a [String],
}

/// A release in an event's body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRelease<'a> {
    pub id: i32,
    pub content_hash: &'a str,
    pub published_at: Option<&'a str>,
    pub note: Option<&'a str>,
    pub counts: EventCounts,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventCounts {
    pub professions: usize,
    pub pathways: usize,
    pub steps: usize,
    pub roles: usize,
    pub shared_roles: usize,
    pub routes: usize,
}

impl<'a> EventRelease<'a> {
    fn of(release: &'a ReleaseDescription, published_at: Option<&'a str>) -> EventRelease<'a> {
        let counts = &release.counts;
        EventRelease {
            id: release.id,
            content_hash: &release.content_hash,
            published_at,
            note: release.note.as_deref(),
            counts: EventCounts {
                professions: counts.professions,
                pathways: counts.pathways,
                steps: counts.steps,
                roles: counts.roles,
                shared_roles: counts.shared_roles,
                routes: counts.routes,
            },
        }
    }
}

pub fn unix_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_model::Counts;
    use serde_json::json;

    #[test]
    fn the_event_body_keeps_the_keys_receivers_read() {
        let release = ReleaseDescription {
            id: 2,
            content_hash: "ab".into(),
            imported_at: "2026-01-01T00:00:00Z".into(),
            note: Some("new roles".into()),
            counts: Counts {
                steps: 35,
                shared_roles: 3,
                duplicates_merged: 9,
                ..Counts::default()
            },
        };
        let body = ReleasePublished {
            kind: RELEASE_PUBLISHED,
            timestamp: "2026-01-02T00:00:00Z",
            data: PublishedData {
                release: EventRelease::of(&release, Some("2026-01-02T00:00:00Z")),
                previous: None,
                summary: Summary::default(),
                purge: &["pathways".to_owned()],
            },
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            json!({
                "type": "release.published",
                "timestamp": "2026-01-02T00:00:00Z",
                "data": {
                    "release": {
                        "id": 2,
                        "contentHash": "ab",
                        "publishedAt": "2026-01-02T00:00:00Z",
                        "note": "new roles",
                        "counts": {"professions": 0, "pathways": 0, "steps": 35, "roles": 0, "sharedRoles": 3, "routes": 0},
                    },
                    "previous": null,
                    "summary": {"added": 0, "removed": 0, "changed": 0},
                    "purge": ["pathways"],
                }
            })
            .to_string()
        );
    }
}
