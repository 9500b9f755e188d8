//! Which release is served. Every server over the same database polls for the
//! newest release, so an ingest anywhere is served everywhere within seconds.

use crate::cache::ResponseCache;
use pathways_store::entities::release;
use pathways_store::DatabaseConnection;
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct ReleaseWatch {
    current: Arc<RwLock<Option<Arc<release::Model>>>>,
}

impl ReleaseWatch {
    /// The release being served, if any.
    pub fn current(&self) -> Option<Arc<release::Model>> {
        self.current
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Loads the newest release; returns whether it changed.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<bool, pathways_store::DbErr> {
        let latest = pathways_store::queries::write::latest(db).await?;
        let changed = self.current().map(|r| r.id) != latest.as_ref().map(|r| r.id);
        if changed {
            let mut guard = self
                .current
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            *guard = latest.map(Arc::new);
        }
        Ok(changed)
    }

    /// Polls for a new release every `interval`, dropping cached responses when one appears.
    pub fn spawn_poller(
        &self,
        db: DatabaseConnection,
        interval: Duration,
        cache: ResponseCache,
    ) -> tokio::task::JoinHandle<()> {
        let watch = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker.tick().await;
            loop {
                ticker.tick().await;
                match watch.refresh(&db).await {
                    Ok(true) => {
                        cache.clear();
                        let id = watch.current().map(|r| r.id);
                        tracing::info!(release = ?id, "serving a new release");
                    }
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "could not look for a new release"),
                }
            }
        })
    }
}
