//! Delivering the store's outbox to one kind of target. Every server with
//! targets configured runs [`Outbox::run`]: it registers its targets, then at
//! every look (each `release_poll`, and at once when something changed) adds
//! deliveries for new events and starts a *lane* for each target with work,
//! at most `concurrency` at once. A lane sends its target's events one at a
//! time, oldest first, and stops at the first failure (its retry waits for
//! its time), so a receiver that hangs holds up only itself.
//!
//! Each attempt is claimed in the database just before it is made, with a
//! lease counted from that moment that outlasts the attempt, so no two
//! servers ever send the same event at once. A server stopped mid-attempt
//! leaves its claim to run out; the event is then sent again by whichever
//! server claims it next: delivery is at least once.

use crate::metrics::Metrics;
use crate::tasks::Changes;
use pathways_store::address;
use pathways_store::entities::webhook_event;
use pathways_store::queries::outbox::{self, Attempt, Due};
use pathways_store::queries::publish::unix_millis;
use pathways_store::{DatabaseConnection, DbErr};
use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How one kind of target is sent an event.
pub trait Transport: Send + Sync + 'static {
    /// Sends `event` to `address` once.
    fn send(
        &self,
        event: &webhook_event::Model,
        address: &str,
    ) -> impl Future<Output = Sent> + Send;
}

/// How one send went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Delivered {
        status: u16,
    },
    /// `error` says what failed, for people: refused, timed out, reset, TLS,
    /// or the status with the first bytes of the answer.
    Failed {
        status: Option<u16>,
        error: String,
    },
}

/// When to try again, and for how long a claim holds.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Wait after the first failure, doubled after each one after.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// No retry later than this after the event.
    pub retry_for: Duration,
    pub lease: Duration,
}

impl RetryPolicy {
    /// The wait after a delivery's `attempts + 1`th attempt failed.
    fn wait(&self, attempts: i32) -> Duration {
        let doublings = u32::try_from(attempts.clamp(0, 30)).unwrap_or(0);
        self.backoff
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max_backoff)
    }
}

/// The targets a server registered, to deliver to.
#[derive(Debug, Clone)]
pub struct Targets(Arc<Vec<Target>>);

/// A configured target: its row, its whole address, and the address as shown.
#[derive(Debug, Clone)]
struct Target {
    id: i32,
    address: String,
    shown: String,
}

pub struct Outbox<T> {
    transport: T,
    kind: &'static str,
    addresses: Vec<String>,
    configured_at: i64,
    policy: RetryPolicy,
    lanes: Arc<Semaphore>,
    instance: String,
    /// Targets with a lane running in this server.
    busy: Mutex<HashSet<i32>>,
}

impl<T: Transport> Outbox<T> {
    pub fn new(
        transport: T,
        kind: &'static str,
        addresses: Vec<String>,
        configured_at: i64,
        policy: RetryPolicy,
        concurrency: usize,
        instance: String,
    ) -> Outbox<T> {
        Outbox {
            transport,
            kind,
            addresses,
            configured_at,
            policy,
            lanes: Arc::new(Semaphore::new(concurrency.max(1))),
            instance,
            busy: Mutex::new(HashSet::new()),
        }
    }

    /// Registers the targets: from now on they get every new event, whether
    /// or not this server lives to deliver it.
    pub async fn register(&self, db: &DatabaseConnection) -> Result<Targets, DbErr> {
        let ids = outbox::register(db, self.kind, &self.addresses, self.configured_at).await?;
        let targets = ids
            .into_iter()
            .zip(&self.addresses)
            .map(|(id, address)| Target {
                id,
                address: address.clone(),
                shown: address::shown(address),
            })
            .collect();
        Ok(Targets(Arc::new(targets)))
    }

    /// Delivers to the registered `targets` for as long as the server runs.
    /// Lanes under way stop with it (their claims run out, and their events
    /// go again).
    pub async fn run(
        self: Arc<Self>,
        targets: Targets,
        db: DatabaseConnection,
        changes: Arc<Changes>,
        metrics: Metrics,
    ) {
        let mut woken = changes.subscribe();
        let mut lanes = JoinSet::new();
        loop {
            while lanes.try_join_next().is_some() {}
            if let Err(error) = self.look(&db, &targets.0, &mut lanes, &metrics).await {
                tracing::warn!(%error, kind = self.kind, "could not look for deliveries");
            }
            Changes::wait(&mut woken, changes.release_poll()).await;
        }
    }

    /// Adds deliveries for new events, and starts a lane for each target
    /// with work and none running here, while lanes are free.
    async fn look(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        targets: &Arc<Vec<Target>>,
        lanes: &mut JoinSet<()>,
        metrics: &Metrics,
    ) -> Result<(), DbErr> {
        let ids: Vec<i32> = targets.iter().map(|t| t.id).collect();
        let now = unix_millis();
        let since = now.saturating_sub(millis(self.policy.retry_for));
        outbox::add_deliveries(db, &ids, since, now).await?;
        for id in outbox::with_open_work(db, &ids).await? {
            let Some(target) = targets.iter().find(|t| t.id == id) else {
                continue;
            };
            let Ok(permit) = self.lanes.clone().try_acquire_owned() else {
                break;
            };
            if !lock(&self.busy).insert(id) {
                continue;
            }
            let (outbox, db, target, metrics) =
                (self.clone(), db.clone(), target.clone(), metrics.clone());
            lanes.spawn(async move {
                let _free = (permit, Busy(&outbox.busy, target.id));
                if let Err(error) = outbox.lane(&db, &target, &metrics).await {
                    tracing::warn!(%error, address = %target.shown, "could not deliver");
                }
            });
        }
        Ok(())
    }

    /// Sends `target` its due events in order, until one fails or none is due.
    async fn lane(
        &self,
        db: &DatabaseConnection,
        target: &Target,
        metrics: &Metrics,
    ) -> Result<(), DbErr> {
        while let Some(due) = outbox::head(db, target.id).await? {
            let now = unix_millis();
            let held = due.delivery.locked_until.is_some_and(|until| until >= now);
            if due.delivery.next_attempt_at > now || held {
                // Waiting for its retry, or another server's attempt.
                return Ok(());
            }
            let Some(claim) = outbox::claim(
                db,
                due.delivery.id,
                &self.instance,
                now,
                millis(self.policy.lease),
            )
            .await?
            else {
                // Another server claimed it first.
                return Ok(());
            };
            let sent = self.transport.send(&due.event, &target.address).await;
            let attempt = self.judge(&due, sent, target);
            metrics.record_webhook(matches!(attempt, Attempt::Delivered { .. }), &target.shown);
            if !outbox::record(db, &claim, &attempt, unix_millis()).await? {
                tracing::warn!(event = %due.event.event_id, address = %target.shown, "the claim ran out before the attempt was recorded: another server may send it again");
                return Ok(());
            }
            if !matches!(attempt, Attempt::Delivered { .. }) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// What an attempt comes to, logged: delivered, or failed and when to retry.
    fn judge(&self, due: &Due, sent: Sent, target: &Target) -> Attempt {
        let (event, attempt) = (&due.event.event_id, due.delivery.attempts + 1);
        match sent {
            Sent::Delivered { status } => {
                tracing::info!(%event, address = %target.shown, kind = self.kind, status, attempt, "webhook delivered");
                Attempt::Delivered { status }
            }
            Sent::Failed { status, error } => {
                let retry_at = unix_millis() + millis(self.policy.wait(due.delivery.attempts));
                let deadline = due.event.created_at + millis(self.policy.retry_for);
                let retry_at = (retry_at <= deadline).then_some(retry_at);
                tracing::warn!(%event, address = %target.shown, kind = self.kind, attempt, %error, gave_up = retry_at.is_none(), "webhook not delivered");
                Attempt::Failed {
                    status,
                    error,
                    retry_at,
                }
            }
        }
    }
}

/// Frees a target for another lane when its lane ends, however it ends.
struct Busy<'a>(&'a Mutex<HashSet<i32>>, i32);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        lock(self.0).remove(&self.1);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let policy = RetryPolicy {
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            retry_for: Duration::from_secs(3600),
            lease: Duration::from_secs(25),
        };
        let waits: Vec<u64> = (0..6).map(|n| policy.wait(n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
    }
}
