//! Releases other than the served one, loaded for previews: at most a few
//! kept, the least recently used dropped first (the `lru` crate), and each
//! loaded once however many previews of it arrive together (single flight:
//! every preview of a release waits on the same cell, and one of them loads).

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

/// A release's snapshot once loaded, shared by every preview of it. A load
/// that fails leaves the cell empty: the next preview tries again.
type Slot = Arc<OnceCell<Arc<Snapshot>>>;

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
        slot.get_or_try_init(load).await.cloned()
    }

    /// The cell of `release`, now the most recently used; a new one when none
    /// is kept, or when the one kept holds another release under the same id
    /// (a database restored from an older backup, say, and written to since).
    fn slot(&self, release: &ReleaseDescription) -> Slot {
        let mut kept = lock(&self.kept);
        if let Some(slot) = kept.get(&release.id) {
            if slot
                .get()
                .is_none_or(|snapshot| snapshot.release == *release)
            {
                return slot.clone();
            }
        }
        let slot = Slot::default();
        kept.put(release.id, slot.clone());
        slot
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
