//! Background work beside the requests: hearing of changes at once on
//! PostgreSQL and polling for them otherwise (`notify`), and publishing
//! scheduled releases (`schedule`); webhook delivery is `crate::webhooks`.
//! Each is one long-running future with a small entry point.
//!
//! They share [`Changes`]: whether the listener is up, which decides how
//! often to poll, and a signal raised whenever something changed, so the
//! deliverer and the scheduler act on a publish at once rather than at their
//! next look.

pub mod notify;
pub mod schedule;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// What the background tasks share about changes to the releases.
#[derive(Debug)]
pub struct Changes {
    signal: watch::Sender<u64>,
    listening: AtomicBool,
    release_poll: Duration,
    fallback_poll: Duration,
}

impl Changes {
    pub fn new(release_poll: Duration, fallback_poll: Duration) -> Changes {
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
