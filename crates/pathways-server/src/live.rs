//! Live updates: browsers and clients told of a publish the moment this
//! server serves it, over Server-Sent Events (`GET /events`, `sse`) and
//! GraphQL subscriptions over graphql-ws on `/graphql` (`ws`).
//!
//! Whoever refreshes the served release (`tasks::notify::Refresher`) sends a
//! [`ReleaseEvent`] into one broadcast channel of [`CAPACITY`] events. Each
//! subscriber reads it at its own pace; one that falls more than
//! [`CAPACITY`] events behind is dropped (told so, then closed), never
//! buffered for: memory does not grow with slow readers. Subscribers hold a
//! [`Slot`], at most `max_subscribers` at once over both transports; past it
//! a new one is refused with the reason. [`Live::close`] ends every stream
//! when the server shuts down.

pub mod sse;
pub mod ws;

use crate::config::LiveConfig;
use crate::metrics::Metrics;
use async_graphql::futures_util::stream::{self, Stream};
use pathways_model::ListedRelease;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// Events the channel holds for its slowest reader; one further behind is dropped.
pub const CAPACITY: usize = 64;

/// A change of what this server serves.
#[derive(Debug, Clone)]
pub enum ReleaseEvent {
    /// A release was published (or rolled back to) and is served now.
    Published(Arc<Published>),
    /// A release was written that is not published: previews can read it.
    Staged(Arc<ListedRelease>),
}

/// A publication as live subscribers get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The `data` of the `release.published` webhook event, as receivers get
    /// it, with `purge`: what `GET /events` sends.
    pub data: Value,
    /// The release served now, as the catalog lists it.
    pub release: ListedRelease,
    /// The release served before, if the catalog still lists it.
    pub previous: Option<ListedRelease>,
    /// The cache keys whose content changed.
    pub purge: Vec<String>,
}

impl Published {
    /// From the stored webhook event's body (`payload`), or when there is
    /// none, from the catalog alone. `purge` comes from the body when it has
    /// it, else from [`crate::webhooks::purge`].
    pub fn new(
        payload: Option<&str>,
        release: ListedRelease,
        previous: Option<ListedRelease>,
    ) -> Published {
        let mut data = payload
            .and_then(|p| serde_json::from_str::<Value>(p).ok())
            .and_then(|mut body| body.get_mut("data").map(Value::take))
            .filter(|data| data["release"]["id"].as_i64() == Some(i64::from(release.release.id)))
            .unwrap_or_else(|| {
                let brief = |r: &ListedRelease| {
                    json!({
                        "id": r.release.id,
                        "contentHash": r.release.content_hash,
                        "publishedAt": r.published_at,
                        "note": r.release.note,
                    })
                };
                json!({"release": brief(&release), "previous": previous.as_ref().map(brief)})
            });
        if data.get("purge").is_none() {
            data["purge"] = json!(crate::webhooks::purge());
        }
        let purge = data["purge"]
            .as_array()
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Published {
            data,
            release,
            previous,
            purge,
        }
    }
}

/// What a subscriber's stream yields.
#[derive(Debug, Clone)]
pub enum Next {
    Event(ReleaseEvent),
    /// The subscriber fell `missed` events behind and is dropped: the last item.
    Dropped {
        missed: u64,
    },
}

/// Why a subscriber was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many live subscribers: this server takes at most {max} at once (GET /events and graphql-ws together); try again later")]
pub struct Full {
    pub max: usize,
}

/// The events, the subscriber slots and the signal to stop; cheap to clone.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<ReleaseEvent>,
    slots: Arc<Semaphore>,
    config: LiveConfig,
    closing: watch::Sender<bool>,
    metrics: Metrics,
}

impl Live {
    pub fn new(config: LiveConfig, metrics: Metrics) -> Live {
        for transport in [sse::TRANSPORT, ws::TRANSPORT] {
            metrics.record_live_subscriber(transport, 0);
        }
        Live {
            inner: Arc::new(Inner {
                sender: broadcast::channel(CAPACITY).0,
                slots: Arc::new(Semaphore::new(config.max_subscribers)),
                config,
                closing: watch::channel(false).0,
                metrics,
            }),
        }
    }

    pub fn config(&self) -> &LiveConfig {
        &self.inner.config
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Tells every subscriber of `event` (nobody listening is fine).
    pub fn send(&self, event: ReleaseEvent) {
        tracing::debug!(?event, "live event");
        let _ = self.inner.sender.send(event);
    }

    /// A slot for a subscriber on `transport`, or why not.
    pub fn admit(&self, transport: &'static str) -> Result<Slot, Full> {
        match self.inner.slots.clone().try_acquire_owned() {
            Ok(permit) => {
                self.inner.metrics.record_live_subscriber(transport, 1);
                Ok(Slot {
                    _permit: permit,
                    transport,
                    metrics: self.inner.metrics.clone(),
                })
            }
            Err(_) => {
                self.inner.metrics.record_live_refused();
                Err(Full {
                    max: self.inner.config.max_subscribers,
                })
            }
        }
    }

    /// Every event from now on, until the server closes, the channel ends,
    /// or the reader falls too far behind ([`Next::Dropped`], then the end).
    pub fn events(&self) -> impl Stream<Item = Next> + Send + 'static {
        let state = (
            self.inner.sender.subscribe(),
            self.inner.closing.subscribe(),
        );
        stream::unfold(Some(state), |state| async move {
            let (mut receiver, mut closing) = state?;
            let received = tokio::select! {
                biased;
                _ = closing.wait_for(|closed| *closed) => return None,
                received = receiver.recv() => received,
            };
            match received {
                Ok(event) => Some((Next::Event(event), Some((receiver, closing)))),
                Err(RecvError::Lagged(missed)) => Some((Next::Dropped { missed }, None)),
                Err(RecvError::Closed) => None,
            }
        })
    }

    /// Completes when the server shuts down.
    pub async fn closed(&self) {
        let mut closing = self.inner.closing.subscribe();
        let _ = closing.wait_for(|closed| *closed).await;
    }

    /// Ends every stream: the server is shutting down.
    pub fn close(&self) {
        self.inner.closing.send_replace(true);
    }

    pub fn heartbeat(&self) -> Duration {
        self.inner.config.heartbeat
    }
}

/// A subscriber's place under the cap, given back when dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    transport: &'static str,
    metrics: Metrics,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.metrics.record_live_subscriber(self.transport, -1);
    }
}

/// What a dropped subscriber is told.
pub fn dropped_message(missed: u64) -> String {
    format!("this subscriber fell {missed} events behind and was dropped; subscribe again (the next release event arrives as usual)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::futures_util::StreamExt;
    use pathways_model::{ReleaseDescription, ReleaseStatus};

    fn listed(id: i32, status: ReleaseStatus) -> ListedRelease {
        ListedRelease {
            release: ReleaseDescription {
                id,
                content_hash: format!("hash{id}"),
                imported_at: "2026-01-01T00:00:00Z".into(),
                note: Some(format!("release {id}")),
                counts: Default::default(),
            },
            status,
            published_at: Some("2026-01-02T00:00:00Z".into()),
        }
    }

    fn live(max: usize) -> Live {
        Live::new(
            LiveConfig {
                max_subscribers: max,
                ..LiveConfig::default()
            },
            Metrics::default(),
        )
    }

    #[test]
    fn the_data_is_the_webhooks_with_purge_added_when_missing() {
        let payload = r#"{"type":"release.published","timestamp":"t","data":{"release":{"id":2,"note":"n"},"previous":{"id":1},"summary":{"added":1}}}"#;
        let published = Published::new(
            Some(payload),
            listed(2, ReleaseStatus::Published),
            Some(listed(1, ReleaseStatus::Retired)),
        );
        assert_eq!(
            published.data,
            json!({"release":{"id":2,"note":"n"},"previous":{"id":1},"summary":{"added":1},"purge":["pathways"]})
        );
        assert_eq!(published.purge, ["pathways"]);

        let with_purge = r#"{"data":{"release":{"id":2},"purge":["profession:x","routes"]}}"#;
        let published = Published::new(Some(with_purge), listed(2, ReleaseStatus::Published), None);
        assert_eq!(published.purge, ["profession:x", "routes"]);

        // No stored event, or one of another release: built from the catalog.
        let published = Published::new(None, listed(3, ReleaseStatus::Published), None);
        assert_eq!(published.data["release"]["id"], 3);
        assert_eq!(published.data["previous"], Value::Null);
        assert_eq!(published.data["purge"], json!(["pathways"]));
    }

    #[test]
    fn the_cap_refuses_and_a_slot_given_back_admits_again() {
        let live = live(1);
        let slot = live.admit(sse::TRANSPORT).unwrap();
        let refused = live.admit(ws::TRANSPORT).err().unwrap();
        assert!(
            refused.to_string().contains("at most 1 at once"),
            "{refused}"
        );
        drop(slot);
        assert!(live.admit(ws::TRANSPORT).is_ok());
    }

    #[tokio::test]
    async fn a_reader_that_falls_behind_is_dropped_and_close_ends_the_rest() {
        let live = live(10);
        let slow = live.events();
        let prompt = live.events();
        for id in 0..(CAPACITY as i32 + 5) {
            live.send(ReleaseEvent::Staged(Arc::new(listed(
                id,
                ReleaseStatus::Staged,
            ))));
        }
        let items: Vec<Next> = slow.collect().await;
        assert!(
            matches!(items.as_slice(), [Next::Dropped { missed: 5 }]),
            "{items:?}"
        );
        let mut prompt = Box::pin(prompt);
        assert!(matches!(prompt.next().await, Some(Next::Dropped { .. })));
        let rest = live.events();
        live.close();
        assert_eq!(rest.collect::<Vec<_>>().await.len(), 0);
    }
}
