//! Releases other than the served one, loaded for previews: at most a few
//! kept, the least recently used dropped first (the `lru` crate), and each
//! loaded once however many previews of it arrive together (single flight:
//! every preview of a release waits on the same cell, and one of them loads).
//! A load that fails fails every preview that waited on it, at once, rather
//! than each trying in turn against a database that is not answering; the
//! next preview tries again.

use crate::snapshot::Snapshot;
use lru::LruCache;
use pathways_model::ReleaseDescription;
use pathways_store::DbErr;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Preview snapshots kept in memory besides the published one.
pub(super) const KEPT: NonZeroUsize = NonZeroUsize::new(4).unwrap();

/// A release's snapshot once loaded, shared by every preview of it, or why
/// the load failed (then the slot is dropped, for the next preview to load).
type Slot = Arc<OnceCell<Result<Arc<Snapshot>, Arc<DbErr>>>>;

#[derive(Debug)]
pub(super) struct Previews {
    kept: Mutex<LruCache<i32, Slot>>,
}

impl Default for Previews {
    fn default() -> Previews {
        Previews::new(KEPT)
    }
}

impl Previews {
    /// Keeps at most `capacity` releases, loaded or loading.
    pub(super) fn new(capacity: NonZeroUsize) -> Previews {
        Previews {
            kept: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// `release`'s snapshot: kept, being loaded by another preview (then
    /// waited for), or loaded now with `load`.
    pub(super) async fn get_or_load<F, Fut>(
        &self,
        release: &ReleaseDescription,
        load: F,
    ) -> Result<Arc<Snapshot>, DbErr>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Arc<Snapshot>, DbErr>>,
    {
        let slot = self.slot(release);
        let loaded = slot
            .get_or_init(|| async { load().await.map_err(Arc::new) })
            .await;
        match loaded {
            Ok(snapshot) => Ok(snapshot.clone()),
            Err(error) => {
                self.drop_slot(release.id, &slot);
                // `DbErr` is not `Clone`: each preview of the flight gets its text.
                Err(DbErr::Custom(error.to_string()))
            }
        }
    }

    /// The cell of `release`, now the most recently used; a new one when none
    /// is kept, when the one kept holds a failed load, or when it holds
    /// another release under the same id (a database restored from an older
    /// backup, say, and written to since).
    fn slot(&self, release: &ReleaseDescription) -> Slot {
        let mut kept = lock(&self.kept);
        if let Some(slot) = kept.get(&release.id) {
            // A failed load's slot is for no one: it is being dropped.
            let usable = match slot.get() {
                None => true,
                Some(Ok(snapshot)) => snapshot.release == *release,
                Some(Err(_)) => false,
            };
            if usable {
                return slot.clone();
            }
        }
        let slot = Slot::default();
        kept.put(release.id, slot.clone());
        slot
    }

    /// Drops `slot`, if it is still the one kept for release `id`.
    fn drop_slot(&self, id: i32, slot: &Slot) {
        let mut kept = lock(&self.kept);
        if kept.peek(&id).is_some_and(|kept| Arc::ptr_eq(kept, slot)) {
            kept.pop(&id);
        }
    }

    /// Drops release `id`, if kept.
    pub(super) fn forget(&self, id: i32) {
        lock(&self.kept).pop(&id);
    }

    /// Drops every release for which `known` is false.
    pub(super) fn retain(&self, known: impl Fn(i32) -> bool) {
        let mut kept = lock(&self.kept);
        let gone: Vec<i32> = kept
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !known(*id))
            .collect();
        for id in gone {
            kept.pop(&id);
        }
    }

    /// The releases kept, most recently used first.
    #[cfg(test)]
    pub(super) fn ids(&self) -> Vec<i32> {
        lock(&self.kept).iter().map(|(id, _)| *id).collect()
    }
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_model::{Counts, Release};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn release(id: i32) -> ReleaseDescription {
        ReleaseDescription {
            id,
            content_hash: format!("hash {id}"),
            imported_at: "2026-12-06T00:00:00Z".into(),
            note: None,
            counts: Counts::default(),
        }
    }

    /// Loads `id` after a while, failing while `failing` is set; counts loads.
    async fn load(id: i32, loads: &AtomicUsize, failing: bool) -> Result<Arc<Snapshot>, DbErr> {
        loads.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        if failing {
            return Err(DbErr::Custom("the database is not answering".into()));
        }
        Ok(Arc::new(Snapshot::build(release(id), Release::default())))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_load_fails_every_preview_that_waited_on_it_and_the_next_tries_again() {
        let previews = Arc::new(Previews::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let mut waiting = tokio::task::JoinSet::new();
        for _ in 0..30 {
            let (previews, loads) = (previews.clone(), loads.clone());
            waiting.spawn(async move {
                previews
                    .get_or_load(&release(2), || load(2, &loads, true))
                    .await
            });
        }
        let failed = waiting.join_all().await;
        assert!(failed.iter().all(Result::is_err));
        assert_eq!(loads.load(Ordering::SeqCst), 1, "one attempt for all 30");
        assert!(previews.ids().is_empty(), "nothing kept of a failed load");
        let loaded = previews
            .get_or_load(&release(2), || load(2, &loads, false))
            .await
            .unwrap();
        assert_eq!((loaded.id(), loads.load(Ordering::SeqCst)), (2, 2));
        assert_eq!(previews.ids(), [2]);
    }

    #[tokio::test]
    async fn another_release_under_a_kept_id_is_loaded_anew() {
        let previews = Previews::default();
        let loads = AtomicUsize::new(0);
        previews
            .get_or_load(&release(2), || load(2, &loads, false))
            .await
            .unwrap();
        let mut other = release(2);
        other.content_hash = "other content".into();
        let reloaded = previews
            .get_or_load(&other, || async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(Arc::new(Snapshot::build(other.clone(), Release::default())))
            })
            .await
            .unwrap();
        assert_eq!(reloaded.release, other);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}
