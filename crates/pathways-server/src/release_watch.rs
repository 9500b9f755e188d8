//! Which release is served. Every server over the same database polls for the
//! newest release, so an ingest anywhere is served everywhere within seconds.
//! A new release is read whole and its snapshot built before it is swapped in
//! at once; requests under way finish on the snapshot they started with.

use crate::cache::ResponseCache;
use crate::metrics::Metrics;
use crate::snapshot::Snapshot;
use arc_swap::ArcSwapOption;
use pathways_store::{DatabaseConnection, DbErr};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct ReleaseWatch {
    current: Arc<ArcSwapOption<Snapshot>>,
}

impl ReleaseWatch {
    /// The snapshot being served, if any: a request keeps it to the end.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// Loads the newest release when it is not the one served; returns whether
    /// it changed. One statement when nothing changed.
    pub async fn refresh(&self, db: &DatabaseConnection, metrics: &Metrics) -> Result<bool, DbErr> {
        let latest = pathways_store::queries::write::latest(db).await?;
        let served = self.current.load().as_ref().map(|s| s.id());
        let Some(row) = latest.filter(|r| Some(r.id) != served) else {
            return Ok(false);
        };
        let (snapshot, times) = Snapshot::load(db, row).await?;
        metrics.record_snapshot(&snapshot, times);
        tracing::info!(
            release = snapshot.id(),
            content_hash = %snapshot.release.content_hash,
            snapshot_bytes = snapshot.bytes,
            read_ms = times.read.as_secs_f64() * 1e3,
            build_ms = times.build.as_secs_f64() * 1e3,
            "serving release {}: a snapshot of {} bytes, read in {:.1} ms and built in {:.1} ms",
            snapshot.id(),
            snapshot.bytes,
            times.read.as_secs_f64() * 1e3,
            times.build.as_secs_f64() * 1e3,
        );
        self.current.store(Some(Arc::new(snapshot)));
        Ok(true)
    }

    /// Polls for a new release every `interval`, dropping cached responses when one appears.
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
