//! Background work beside the requests: hearing of changes at once on
//! PostgreSQL and polling for them otherwise (`notify`), and publishing
//! scheduled releases (`schedule`); webhook delivery is `crate::webhooks`.
//! Each is one long-running future with a small entry point.
//!
//! They share [`Changes`]: whether the listener is up, which decides how
//! often to poll, and a signal raised whenever something changed, so the
//! deliverer and the scheduler act on a publish at once rather than at their
//! next look.
//!
//! The server holds them in a [`Background`] ([`start`] starts them): they
//! stop when it shuts down, after its connections, or when it is dropped.

pub mod notify;
pub mod schedule;

use crate::cache::ResponseCache;
use crate::config::check::ConfigError;
use crate::config::ServerConfig;
use crate::metrics::Metrics;
use crate::release_watch::ReleaseWatch;
use crate::webhooks::purge::Purger;
use crate::webhooks::{self, Deliverer, WebhookSetupError};
use pathways_store::{DatabaseConnection, DbErr};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Why a server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("webhooks cannot start: {0}")]
    Webhooks(#[from] WebhookSetupError),
    #[error("purging cannot start: {0}")]
    Purge(#[source] WebhookSetupError),
    #[error("cannot load the release: {0}")]
    Database(#[from] DbErr),
}

/// The outboxes a server delivers: webhooks, and purges of caches.
pub struct Outboxes {
    pub webhooks: Option<Deliverer>,
    pub purge: Option<Purger>,
}

/// The settings a server cannot run with, found before anything else is done:
/// each setting as `ServerConfig::check` checks it, then the webhooks (a
/// secret that signs, http(s) addresses) and the purges (http(s) addresses,
/// a header name), giving their outboxes.
pub fn prepare(config: &ServerConfig) -> Result<Outboxes, StartError> {
    config.check()?;
    let webhooks = if config.webhooks.urls.is_empty() {
        None
    } else {
        Some(webhooks::deliverer(&config.webhooks, &config.instance)?)
    };
    config.purge.check().map_err(StartError::Purge)?;
    let purge = if config.purge.urls.is_empty() {
        None
    } else {
        Some(
            webhooks::purge::purger(&config.purge, &config.webhooks, &config.instance)
                .map_err(StartError::Purge)?,
        )
    };
    Ok(Outboxes { webhooks, purge })
}

/// What the tasks share with the requests.
pub struct Shared {
    pub db: DatabaseConnection,
    pub release: ReleaseWatch,
    pub cache: ResponseCache,
    pub metrics: Metrics,
    pub live: crate::live::Live,
}

/// Starts the background tasks: hearing of changes (listening on PostgreSQL,
/// polling), publishing what is scheduled (what is due now first, before
/// returning) and delivering the `outboxes`: webhooks, purges.
pub async fn start(
    shared: Shared,
    config: &ServerConfig,
    outboxes: Outboxes,
) -> Result<Background, DbErr> {
    let Shared {
        db,
        release,
        cache,
        metrics,
        live,
    } = shared;
    let background = Background::default();
    let changes = Arc::new(Changes::new(config.release_poll, config.fallback_poll));
    let refresher = notify::Refresher {
        db: db.clone(),
        watch: release,
        cache,
        metrics: metrics.clone(),
        changes: changes.clone(),
        live,
    };
    if config.listen {
        background.spawn("listener", notify::listen(refresher.clone()));
    }
    background.spawn("release poller", notify::poll(refresher));
    let first = schedule::step(&db, &config.instance, &changes, &metrics).await;
    background.spawn(
        "scheduler",
        schedule::run(
            db.clone(),
            config.instance.clone(),
            changes.clone(),
            metrics.clone(),
            first,
        ),
    );
    if let Some(deliverer) = outboxes.webhooks {
        let targets = deliverer.register(&db).await?;
        let deliver =
            Arc::new(deliverer).run(targets, db.clone(), changes.clone(), metrics.clone());
        background.spawn("webhook deliverer", deliver);
    }
    if let Some(purger) = outboxes.purge {
        let targets = purger.register(&db).await?;
        let purge = Arc::new(purger).run(targets, db, changes, metrics);
        background.spawn("purger", purge);
    }
    Ok(background)
}

/// Background tasks held together: each runs until it ends or they are
/// stopped; dropped, they are aborted.
#[derive(Debug)]
pub struct Background {
    running: Mutex<JoinSet<()>>,
    stop: watch::Sender<bool>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            running: Mutex::new(JoinSet::new()),
            stop: watch::channel(false).0,
        }
    }
}

impl Background {
    /// Runs `task` until it ends or [`Background::stop`] is called.
    pub fn spawn(&self, name: &'static str, task: impl Future<Output = ()> + Send + 'static) {
        let mut stopping = self.stop.subscribe();
        let task = async move {
            tokio::select! {
                biased;
                _ = stopping.wait_for(|stop| *stop) => tracing::debug!(task = name, "stopped"),
                () = task => tracing::debug!(task = name, "ended"),
            }
        };
        self.lock().spawn(task);
    }

    /// How many tasks are running.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stops every task where it waits (each is safe to stop anywhere: a
    /// publish is one transaction, a webhook is delivered at least once) and
    /// waits for them, at most `within`; those still running then are aborted.
    /// Returns how many were running.
    pub async fn stop(&self, within: Duration) -> usize {
        self.stop.send_replace(true);
        let mut running = std::mem::take(&mut *self.lock());
        let count = running.len();
        let all = async { while running.join_next().await.is_some() {} };
        if tokio::time::timeout(within, all).await.is_err() {
            tracing::warn!("background tasks still running after {within:?}: aborting them");
            running.shutdown().await;
        }
        count
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JoinSet<()>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What the background tasks share about changes to the releases.
#[derive(Debug)]
pub struct Changes {
    signal: watch::Sender<u64>,
    listening: AtomicBool,
    release_poll: Duration,
    fallback_poll: Duration,
}

impl Changes {
    /// A period of zero (refused by `ServerConfig::check`) is taken as 1 ms,
    /// never passed to a timer, which would panic.
    pub fn new(release_poll: Duration, fallback_poll: Duration) -> Changes {
        let (release_poll, fallback_poll) = (
            release_poll.max(Duration::from_millis(1)),
            fallback_poll.max(Duration::from_millis(1)),
        );
        Changes {
            signal: watch::channel(0).0,
            listening: AtomicBool::new(false),
            release_poll,
            fallback_poll,
        }
    }

    /// Something changed (or may have): wakes whoever waits in [`Changes::wait`].
    pub fn raise(&self) {
        self.signal.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.signal.subscribe()
    }

    pub fn set_listening(&self, listening: bool) {
        self.listening.store(listening, Ordering::Relaxed);
    }

    /// Whether notifications are arriving now.
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Relaxed)
    }

    /// How often to look for changes nobody announced: the fallback while
    /// listening, the release poll otherwise.
    pub fn poll_interval(&self) -> Duration {
        if self.listening() {
            self.fallback_poll
        } else {
            self.release_poll
        }
    }

    /// The release poll: the shortest a look waits.
    pub fn release_poll(&self) -> Duration {
        self.release_poll
    }

    /// Waits until something changes or `at_most` has passed.
    pub async fn wait(receiver: &mut watch::Receiver<u64>, at_most: Duration) {
        let _ = tokio::time::timeout(at_most, receiver.changed()).await;
    }
}

/// Waits that double from `first` up to `most`, for reconnecting.
#[derive(Debug)]
pub struct Backoff {
    first: Duration,
    most: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(first: Duration, most: Duration) -> Backoff {
        Backoff {
            first,
            most,
            next: first,
        }
    }

    /// The wait before the next try.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(self.most);
        wait
    }

    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap_and_starts_over() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_millis(500));
        let waits: Vec<u128> = (0..5).map(|_| backoff.next_wait().as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        backoff.reset();
        assert_eq!(backoff.next_wait(), Duration::from_millis(100));
    }

    #[tokio::test]
    async fn background_tasks_stop_when_asked_and_when_dropped() {
        let background = Background::default();
        let (ended, mut ends) = tokio::sync::mpsc::channel::<()>(2);
        for name in ["one", "two"] {
            let ended = ended.clone();
            background.spawn(name, async move {
                let _ended = ended;
                std::future::pending::<()>().await;
            });
        }
        drop(ended);
        assert_eq!(background.len(), 2);
        let started = std::time::Instant::now();
        assert_eq!(background.stop(Duration::from_secs(5)).await, 2);
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(background.is_empty());
        // Every task's future was dropped: the channel is closed.
        assert_eq!(ends.recv().await, None);
        // Dropped without stopping: aborted.
        let background = Background::default();
        let (ended, mut ends) = tokio::sync::mpsc::channel::<()>(1);
        background.spawn("three", async move {
            let _ended = ended;
            std::future::pending::<()>().await;
        });
        drop(background);
        assert_eq!(ends.recv().await, None);
    }

    #[tokio::test]
    async fn the_poll_lengthens_while_listening_and_a_change_wakes_waiters() {
        let changes = Changes::new(Duration::from_secs(2), Duration::from_secs(30));
        assert_eq!(changes.poll_interval(), Duration::from_secs(2));
        changes.set_listening(true);
        assert_eq!(changes.poll_interval(), Duration::from_secs(30));
        let mut receiver = changes.subscribe();
        changes.raise();
        let started = std::time::Instant::now();
        Changes::wait(&mut receiver, Duration::from_secs(60)).await;
        assert!(started.elapsed() < Duration::from_secs(30));
    }
}
