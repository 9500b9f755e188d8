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
use crate::metrics::Metrics;
use crate::release_watch::ReleaseWatch;
use pathways_store::listen::{Heard, Listener};
use pathways_store::DatabaseConnection;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Looks for changes and acts on them: a new release loaded, the response
/// cache emptied, the other tasks woken.
#[derive(Clone)]
pub struct Refresher {
    pub db: DatabaseConnection,
    pub watch: ReleaseWatch,
    pub cache: ResponseCache,
    pub metrics: Metrics,
    pub changes: Arc<Changes>,
}

impl Refresher {
    /// Looks once; returns whether anything changed. `why` is for the log.
    /// Whether the database answered shows in the metrics.
    pub async fn refresh(&self, why: &'static str) -> bool {
        let looked = self.watch.refresh(&self.db, &self.metrics).await;
        self.metrics.record_database(looked.is_ok());
        match looked {
            Ok(changed) => {
                if changed {
                    tracing::debug!(why, "the releases changed");
                    self.cache.clear();
                    self.changes.raise();
                }
                changed
            }
            Err(error) => {
                tracing::warn!(%error, why, "could not look for a new release");
                false
            }
        }
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
