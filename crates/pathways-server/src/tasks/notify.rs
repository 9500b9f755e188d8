//! How a server learns that what is published changed. On PostgreSQL every
//! change is announced (`NOTIFY`) by the transaction that makes it, and the
//! server listens on a connection of its own (`listen`): the new release is
//! loaded the moment it is heard of. The connection is opened again with
//! backoff when it fails, and each time the server looks for itself, since
//! what was announced meanwhile is lost. The poll (`poll`) stays as the
//! fallback: every `release_poll` while nothing is heard (and always on
//! SQLite), every `fallback_poll` while the listener is up.

use super::{Backoff, Changes};
use crate::cache::ResponseCache;
use crate::live::{Live, Published, ReleaseEvent};
use crate::metrics::Metrics;
use crate::release_watch::{Catalog, ReleaseWatch};
use pathways_model::ReleaseStatus;
use pathways_store::listen::{Heard, Listener};
use pathways_store::DatabaseConnection;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Looks for changes and acts on them: a new release loaded, the response
/// cache emptied, the other tasks woken, live subscribers told.
#[derive(Clone)]
pub struct Refresher {
    pub db: DatabaseConnection,
    pub watch: ReleaseWatch,
    pub cache: ResponseCache,
    pub metrics: Metrics,
    pub changes: Arc<Changes>,
    pub live: Live,
}

impl Refresher {
    /// Looks once; returns whether anything changed. `why` is for the log.
    /// Whether the database answered shows in the metrics.
    pub async fn refresh(&self, why: &'static str) -> bool {
        let looked = self.watch.look(&self.db, &self.metrics).await;
        self.metrics.record_database(looked.is_ok());
        match looked {
            Ok(before) => {
                if let Some(before) = &before {
                    tracing::debug!(why, "the releases changed");
                    self.cache.clear();
                    self.changes.raise();
                    self.announce(before.served, &before.catalog).await;
                }
                before.is_some()
            }
            Err(error) => {
                tracing::warn!(%error, why, "could not look for a new release");
                false
            }
        }
    }
}

impl Refresher {
    /// Tells live subscribers what changed since the release `served` and
    /// `before` were current: staged releases that appeared, then the
    /// release published, if it changed. A publication's event carries the
    /// `data` of its webhook event, read from the outbox.
    async fn announce(&self, served: Option<i32>, before: &Catalog) {
        let catalog = self.watch.catalog();
        for staged in catalog.releases.iter().rev() {
            if staged.status == ReleaseStatus::Staged && before.get(staged.release.id).is_none() {
                self.live
                    .send(ReleaseEvent::Staged(Arc::new(staged.clone())));
            }
        }
        let Some(now) = self.watch.current().map(|s| s.id()) else {
            return;
        };
        if Some(now) == served {
            return;
        }
        let Some(release) = catalog.get(now).cloned() else {
            return;
        };
        let payload = pathways_store::queries::outbox::published_event(&self.db, now)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "could not read the publication's event; telling live subscribers without it");
                None
            })
            .map(|event| event.payload);
        let previous_id = payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .and_then(|body| body["data"]["previous"]["id"].as_i64())
            .and_then(|id| i32::try_from(id).ok())
            .or(served);
        let previous = previous_id.and_then(|id| catalog.get(id).cloned());
        let published = Published::new(payload.as_deref(), release, previous);
        self.live.send(ReleaseEvent::Published(Arc::new(published)));
    }
}

/// Listens for as long as the server runs (returns at once on SQLite).
pub async fn listen(refresher: Refresher) {
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
    let changes = refresher.changes.clone();
    loop {
        match Listener::connect(&refresher.db).await {
            Ok(None) => return,
            Ok(Some(mut listener)) => {
                tracing::info!("listening for changes: a publish anywhere is served at once");
                set_listening(&refresher, true);
                backoff.reset();
                // Whatever was announced before this connection listened.
                refresher.refresh("listening again").await;
                changes.raise();
                let error = hear(&refresher, &mut listener).await;
                set_listening(&refresher, false);
                tracing::warn!(%error, "stopped hearing of changes; polling until listening again");
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for changes; polling meanwhile")
            }
        }
        tokio::time::sleep(backoff.next_wait()).await;
    }
}

/// Acts on each notification until the listener fails; returns why.
async fn hear(refresher: &Refresher, listener: &mut Listener) -> pathways_store::DbErr {
    loop {
        match listener.next().await {
            Ok(Heard::Change(change)) => {
                refresher.metrics.record_notification();
                tracing::debug!(?change, "heard of a change");
                refresher.refresh("notified").await;
                refresher.changes.raise();
            }
            Ok(Heard::Reconnected) => {
                refresher.metrics.record_listener_reconnect();
                tracing::warn!("the listening connection was lost and opened again: looking for changes announced meanwhile");
                refresher.refresh("reconnected").await;
                refresher.changes.raise();
            }
            Err(error) => return error,
        }
    }
}

fn set_listening(refresher: &Refresher, up: bool) {
    refresher.changes.set_listening(up);
    refresher.metrics.record_listening(up);
}

/// Polls for as long as the server runs: every `release_poll`, or every
/// `fallback_poll` while the listener is up.
pub async fn poll(refresher: Refresher) {
    let tick = refresher.changes.release_poll();
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    let mut looked = Instant::now();
    loop {
        ticker.tick().await;
        // Half a tick of slack, so a look every tick is not skipped for a
        // tick that came a little early.
        if looked.elapsed() + tick / 2 >= refresher.changes.poll_interval() {
            refresher.refresh("polled").await;
            looked = Instant::now();
        }
    }
}
