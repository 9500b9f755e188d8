//! Purging caches: on every event, an HTTP `PURGE` to each configured address
//! carrying the event's `data.purge` keys, space-separated, in one header
//! (`xkey-purge` by default, which Varnish's xkey module reads). It goes
//! through the same outbox as webhooks: durable, claimed by one server at a
//! time, retried with backoff, in order per address.
//!
//! The server sending it has loaded the new release (it looks at the outbox
//! once it has), but a replica may load it a moment later, and a cache that
//! asks that replica meanwhile would keep the old answer again. So a purge
//! that went through is sent once more `again_after` later (half a second by
//! default), when every replica that heard of the publish serves it.

use super::outbox::{Outbox, RetryPolicy, Sent, Transport};
use super::send::outcome;
use super::WebhookSetupError;
use crate::config::{PurgeConfig, WebhookConfig};
use pathways_store::entities::webhook_event;
use pathways_store::queries::outbox::PURGE;
use reqwest::header::HeaderName;
use reqwest::Method;
use std::time::Duration;

/// Sends `PURGE` with the event's keys.
pub struct Purge {
    client: reqwest::Client,
    header: HeaderName,
    timeout: Duration,
    again_after: Duration,
}

impl Purge {
    pub fn new(
        header: &str,
        timeout: Duration,
        again_after: Duration,
    ) -> Result<Purge, WebhookSetupError> {
        let header = HeaderName::try_from(header)
            .map_err(|_| WebhookSetupError::BadHeader(header.to_owned()))?;
        Ok(Purge {
            client: super::send::client(timeout)?,
            header,
            timeout,
            again_after,
        })
    }
}

/// The keys an event's body names in `data.purge`, space-separated; an event
/// without them (written before purge keys existed) purges everything.
pub fn keys_of(payload: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    let keys: Vec<&str> = body["data"]["purge"]
        .as_array()
        .map(|keys| keys.iter().filter_map(|k| k.as_str()).collect())
        .unwrap_or_default();
    if keys.is_empty() {
        super::purge().join(" ")
    } else {
        keys.join(" ")
    }
}

impl Purge {
    async fn once(&self, event: &webhook_event::Model, address: &str) -> Sent {
        let Ok(method) = Method::from_bytes(b"PURGE") else {
            return Sent::Failed {
                status: None,
                error: "no PURGE method".into(),
            };
        };
        let sent = self
            .client
            .request(method, address)
            .header(self.header.clone(), keys_of(&event.payload))
            .header(standardwebhooks::HEADER_WEBHOOK_ID, &event.event_id)
            .send()
            .await;
        outcome(sent, self.timeout).await
    }
}

impl Transport for Purge {
    async fn send(&self, event: &webhook_event::Model, address: &str) -> Sent {
        let sent = self.once(event, address).await;
        if matches!(sent, Sent::Delivered { .. }) && !self.again_after.is_zero() {
            tokio::time::sleep(self.again_after).await;
            if let Sent::Failed { error, .. } = self.once(event, address).await {
                let address = pathways_store::address::shown(address);
                tracing::warn!(event = %event.event_id, %address, %error, "the second purge failed");
            }
        }
        sent
    }
}

impl PurgeConfig {
    /// Whether these addresses can be purged: http(s) addresses and a header
    /// name that is one.
    pub fn check(&self) -> Result<(), WebhookSetupError> {
        if HeaderName::try_from(self.header.as_str()).is_err() {
            return Err(WebhookSetupError::BadHeader(self.header.clone()));
        }
        if let Some(bad) = self.urls.iter().find(|u| {
            reqwest::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
        }) {
            return Err(WebhookSetupError::BadUrl(pathways_store::address::shown(
                bad,
            )));
        }
        Ok(())
    }
}

/// The purge outbox: what a server with `--purge` runs.
pub type Purger = Outbox<Purge>;

/// The purge outbox of `config`, timed and retried as `webhooks` are.
pub fn purger(
    config: &PurgeConfig,
    webhooks: &WebhookConfig,
    instance: &str,
) -> Result<Purger, WebhookSetupError> {
    config.check()?;
    Ok(Outbox::new(
        Purge::new(&config.header, webhooks.timeout, config.again_after)?,
        PURGE,
        config.urls.clone(),
        webhooks.configured_at,
        RetryPolicy {
            backoff: webhooks.backoff,
            max_backoff: webhooks.max_backoff,
            retry_for: webhooks.retry_for,
            lease: webhooks.lease(),
        },
        webhooks.concurrency,
        instance.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_the_event_or_everything_goes() {
        assert_eq!(
            keys_of(r#"{"data":{"purge":["release","profession:dietitian"]}}"#),
            "release profession:dietitian"
        );
        assert_eq!(keys_of(r#"{"data":{}}"#), "pathways");
        assert_eq!(keys_of("not json"), "pathways");
    }

    #[test]
    fn addresses_and_the_header_are_checked() {
        let config = |url: &str, header: &str| PurgeConfig {
            urls: vec![url.into()],
            header: header.into(),
            ..PurgeConfig::default()
        };
        assert!(config("http://varnish:6081/", "xkey-purge").check().is_ok());
        assert!(config("ftp://x/", "xkey-purge").check().is_err());
        assert!(config("http://x/", "bad header").check().is_err());
    }
}
