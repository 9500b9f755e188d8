//! Which releases the server knows and which one it serves. Every server over
//! the same database polls it (one statement when nothing changed), so a
//! publish, rollback or new staged release anywhere is seen everywhere within
//! the poll interval. The published release is read whole and its snapshot
//! built before it is swapped in at once; requests under way finish on the
//! snapshot they started with. Previews load other releases on demand and keep
//! the few most recent.

use crate::cache::ResponseCache;
use crate::metrics::Metrics;
use crate::snapshot::Snapshot;
use arc_swap::{ArcSwap, ArcSwapOption};
use pathways_model::{ListedRelease, ReleaseDescription, ReleaseStatus};
use pathways_store::queries::releases::{self, Marks};
use pathways_store::{DatabaseConnection, DbErr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Preview snapshots kept in memory besides the published one.
const PREVIEWS_KEPT: usize = 4;

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

#[derive(Debug, Clone, Default)]
pub struct ReleaseWatch {
    current: Arc<ArcSwapOption<Snapshot>>,
    catalog: Arc<ArcSwap<Catalog>>,
    marks: Arc<Mutex<Option<Marks>>>,
    previews: Arc<Mutex<Vec<Arc<Snapshot>>>>,
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
        let marks = releases::marks(db).await?;
        if *lock(&self.marks) == Some(marks) {
            return Ok(false);
        }
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
        self.catalog.store(Arc::new(Catalog {
            releases: list,
            version: marks.version(),
        }));
        *lock(&self.marks) = Some(marks);
        Ok(true)
    }

    /// Release `id` for a preview: the served snapshot, a recent preview, or
    /// read now. `None` when there is no such release.
    pub async fn preview(
        &self,
        db: &DatabaseConnection,
        id: i32,
        metrics: &Metrics,
    ) -> Result<Option<Arc<Snapshot>>, DbErr> {
        if let Some(current) = self.current().filter(|s| s.id() == id) {
            return Ok(Some(current));
        }
        if let Some(kept) = {
            let mut previews = lock(&self.previews);
            let at = previews.iter().position(|s| s.id() == id);
            at.map(|at| {
                // Most recently used last.
                let snapshot = previews.remove(at);
                previews.push(snapshot.clone());
                snapshot
            })
        } {
            return Ok(Some(kept));
        }
        let Some(release) = releases::by_id(db, id).await? else {
            return Ok(None);
        };
        let snapshot = self.load(db, release, metrics, false).await?;
        let mut previews = lock(&self.previews);
        if previews.len() >= PREVIEWS_KEPT {
            previews.remove(0);
        }
        previews.push(snapshot.clone());
        Ok(Some(snapshot))
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

    /// Polls for changes every `interval`, dropping cached responses when
    /// anything changed.
    pub fn spawn_poller(
        &self,
        db: DatabaseConnection,
        interval: Duration,
        cache: ResponseCache,
        metrics: Metrics,
    ) -> tokio::task::JoinHandle<()> {
        let watch = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker.tick().await;
            loop {
                ticker.tick().await;
                match watch.refresh(&db, &metrics).await {
                    Ok(true) => cache.clear(),
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "could not look for a new release"),
                }
            }
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
