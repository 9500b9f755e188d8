//! Which releases the server knows and which one it serves. Every server over
//! the same database looks at it when told of a change, and polls it (one
//! statement when nothing changed; see `tasks::notify`), so a publish,
//! rollback or new staged release anywhere is seen everywhere. The published
//! release is read whole and its snapshot built before it is swapped in at
//! once; requests under way finish on the snapshot they started with. Previews
//! load other releases on demand and keep the few most recently used
//! (`previews`), but only releases the release log still holds: a pruned
//! release is not previewable, even while its snapshot is in memory.

use crate::metrics::Metrics;
use crate::snapshot::Snapshot;
use arc_swap::{ArcSwap, ArcSwapOption};
use pathways_model::{ListedRelease, ReleaseDescription, ReleaseStatus};
use pathways_store::queries::releases::{self, Marks};
use pathways_store::{DatabaseConnection, DbErr};
use previews::{lock, Previews};
use std::sync::{Arc, Mutex};

mod previews;
#[cfg(test)]
mod tests;

/// Every release, newest first, with its status: what `releases` lists.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub releases: Vec<ListedRelease>,
    /// Changes whenever a release is written, published or pruned: part of
    /// every ETag and cache key, since `releases` answers from the catalog.
    pub version: u64,
}

impl Catalog {
    pub fn get(&self, id: i32) -> Option<&ListedRelease> {
        self.releases.iter().find(|r| r.release.id == id)
    }

    /// Whether release `id` would be newer than every release listed: one
    /// written since this catalog was read, perhaps. Any other id missing
    /// from the list was pruned, or never was.
    fn newer(&self, id: i32) -> bool {
        // Newest first.
        self.releases.first().is_none_or(|r| r.release.id < id)
    }

    /// How `snapshot`'s release stands. A release newer than this catalog
    /// (previewed before the next poll) has never been published as far as it
    /// knows, unless it is the one this server serves.
    pub fn info(&self, snapshot: &Snapshot, served: bool) -> ListedRelease {
        self.get(snapshot.id())
            .cloned()
            .unwrap_or_else(|| ListedRelease {
                release: snapshot.release.clone(),
                status: if served {
                    ReleaseStatus::Published
                } else {
                    ReleaseStatus::Staged
                },
                published_at: None,
            })
    }
}

/// What a server knew before a look that found changes.
#[derive(Debug, Clone)]
pub struct Before {
    /// The release it served.
    pub served: Option<i32>,
    pub catalog: Arc<Catalog>,
}

#[derive(Debug, Clone, Default)]
pub struct ReleaseWatch {
    current: Arc<ArcSwapOption<Snapshot>>,
    catalog: Arc<ArcSwap<Catalog>>,
    marks: Arc<Mutex<Option<Marks>>>,
    previews: Arc<Previews>,
    /// One refresh at a time (the poll and the listener both refresh), so
    /// an older look never overwrites a newer one.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl ReleaseWatch {
    /// The snapshot being served, if any: a request keeps it to the end.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.load_full()
    }

    /// Looks for changes; when the published release changed, loads it.
    /// Returns whether anything changed.
    pub async fn refresh(&self, db: &DatabaseConnection, metrics: &Metrics) -> Result<bool, DbErr> {
        Ok(self.look(db, metrics).await?.is_some())
    }

    /// [`ReleaseWatch::refresh`], returning what was known before when
    /// anything changed: taken under the same lock, so two looks at once
    /// never both report one change.
    pub async fn look(
        &self,
        db: &DatabaseConnection,
        metrics: &Metrics,
    ) -> Result<Option<Before>, DbErr> {
        let _one_at_a_time = self.refreshing.lock().await;
        let marks = releases::marks(db).await?;
        if *lock(&self.marks) == Some(marks) {
            return Ok(None);
        }
        let before = Before {
            served: self.current().map(|s| s.id()),
            catalog: self.catalog(),
        };
        let list = releases::list(db).await?;
        let published = list
            .iter()
            .find(|r| r.status == ReleaseStatus::Published)
            .map(|r| r.release.clone());
        let served = self.current.load().as_ref().map(|s| s.id());
        if published.as_ref().map(|r| r.id) != served {
            match published {
                Some(row) => {
                    let snapshot = self.load(db, row, metrics, true).await?;
                    tracing::info!(release = snapshot.id(), "serving release {}", snapshot.id());
                    self.current.store(Some(snapshot));
                }
                None => self.current.store(None),
            }
        }
        let catalog = Arc::new(Catalog {
            releases: list,
            version: marks.version(),
        });
        self.previews.retain(|id| catalog.get(id).is_some());
        self.catalog.store(catalog);
        *lock(&self.marks) = Some(marks);
        Ok(Some(before))
    }

    /// Release `id` for a preview: the served snapshot, a recent preview, or
    /// read now. `None` when the release log does not hold it (pruned, or
    /// never written): whether it does is read from the catalog, so the
    /// database is asked only to load a release, or about an id newer than
    /// the catalog knows. Previews of one release arriving together load it
    /// once. `Err` when the database could not be read.
    pub async fn preview(
        &self,
        db: &DatabaseConnection,
        id: i32,
        metrics: &Metrics,
    ) -> Result<Option<Arc<Snapshot>>, DbErr> {
        if let Some(current) = self.current().filter(|s| s.id() == id) {
            return Ok(Some(current));
        }
        let Some(release) = self.listed(db, id).await? else {
            self.previews.forget(id);
            return Ok(None);
        };
        let snapshot = self
            .previews
            .get_or_load(&release, || async {
                metrics.record_preview_load();
                self.load(db, release.clone(), metrics, false).await
            })
            .await?;
        Ok(Some(snapshot))
    }

    /// Release `id` as the release log has it: from the catalog, or for an
    /// id newer than the catalog's releases, from the database.
    async fn listed(
        &self,
        db: &DatabaseConnection,
        id: i32,
    ) -> Result<Option<ReleaseDescription>, DbErr> {
        let catalog = self.catalog();
        match catalog.get(id) {
            Some(listed) => Ok(Some(listed.release.clone())),
            None if catalog.newer(id) => releases::by_id(db, id).await,
            None => Ok(None),
        }
    }

    async fn load(
        &self,
        db: &DatabaseConnection,
        release: ReleaseDescription,
        metrics: &Metrics,
        served: bool,
    ) -> Result<Arc<Snapshot>, DbErr> {
        let (snapshot, times) = Snapshot::load(db, release).await?;
        if served {
            metrics.record_snapshot(&snapshot, times);
        }
        tracing::info!(
            release = snapshot.id(),
            content_hash = %snapshot.release.content_hash,
            snapshot_bytes = snapshot.bytes,
            read_ms = times.read.as_secs_f64() * 1e3,
            build_ms = times.build.as_secs_f64() * 1e3,
            "loaded release {}: a snapshot of {} bytes, read in {:.1} ms and built in {:.1} ms",
            snapshot.id(),
            snapshot.bytes,
            times.read.as_secs_f64() * 1e3,
            times.build.as_secs_f64() * 1e3,
        );
        Ok(Arc::new(snapshot))
    }
}
