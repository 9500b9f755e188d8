//! Webhooks: a signed POST of each event in the store's outbox to every
//! configured address. The delivering itself (`outbox`) knows nothing of
//! HTTP: it hands each attempt to a [`outbox::Transport`], here the signed
//! POST of `send`, so another kind of target (a cache's purge URL, say) is
//! another transport over the same outbox.
//!
//! Each POST is signed as Standard Webhooks 1.0 says: `webhook-id` (the
//! event's, the same on every attempt), `webhook-timestamp` (this attempt,
//! Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` of
//! `<id>.<timestamp>.<body>`). A 2xx ends it; anything else is retried with
//! exponential backoff until `retry_for` after the event. Delivery is at least
//! once: a server stopped mid-attempt leaves it to be sent again, with the
//! same `webhook-id`.

pub mod outbox;
pub mod purge;
pub mod send;

use crate::config::WebhookConfig;
use outbox::{Outbox, RetryPolicy};
use pathways_store::queries::outbox::WEBHOOK;
use send::Signed;
use standardwebhooks::Webhook;
use std::time::Duration;

/// The cache keys to purge for an event that names none. A
/// `release.published` event's `data.purge` lists the keys whose content the
/// publication changed ([`pathways_model::purge::keys`], computed when it is
/// published), and its live updates (`GET /events`, the `releasePublished`
/// subscription) and cache purges (`purge`) pass them on; an event stored
/// before events carried them gets these: everything, `pathways`, the key
/// every answer carries.
pub fn purge() -> Vec<String> {
    vec![pathways_model::purge::ALL.to_owned()]
}

/// Why webhooks cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookSetupError {
    #[error("webhooks need a secret: pass --webhook-secret (or PATHWAYS_WEBHOOK_SECRET); `pathways webhooks new-secret` prints one")]
    NoSecret,
    #[error("the webhook secret is not `whsec_` followed by base64: {0}")]
    BadSecret(String),
    #[error("`{0}` is not an http:// or https:// address")]
    BadUrl(String),
    #[error("`{0}` is not an HTTP header name (for --purge-header)")]
    BadHeader(String),
    #[error("cannot build the HTTP client for webhooks: {0}")]
    Client(String),
}

impl WebhookConfig {
    /// Whether these webhooks can be delivered: a secret that signs, and
    /// http(s) addresses. Nothing to check without addresses.
    pub fn check(&self) -> Result<(), WebhookSetupError> {
        if self.urls.is_empty() {
            return Ok(());
        }
        signer(self)?;
        if let Some(bad) = self.urls.iter().find(|u| {
            reqwest::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
        }) {
            // Shown redacted: the address may hold a password.
            return Err(WebhookSetupError::BadUrl(pathways_store::address::shown(
                bad,
            )));
        }
        Ok(())
    }

    /// How long a server holds an attempt it claimed: twice the timeout and
    /// 5 s more, from the claim, so it outlasts the attempt and its record.
    pub fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(5)
    }
}

/// The Standard Webhooks signer of `config`'s secret.
fn signer(config: &WebhookConfig) -> Result<Webhook, WebhookSetupError> {
    let secret = config.secret.as_ref().ok_or(WebhookSetupError::NoSecret)?;
    let key = secret
        .expose()
        .strip_prefix("whsec_")
        .ok_or_else(|| WebhookSetupError::BadSecret("it does not start with `whsec_`".into()))?;
    if key.is_empty() {
        return Err(WebhookSetupError::BadSecret("the key is empty".into()));
    }
    Webhook::new(secret.expose()).map_err(|e| WebhookSetupError::BadSecret(e.to_string()))
}

/// The webhook outbox of `config`, checked: what a server runs to deliver.
pub type Deliverer = Outbox<Signed>;

/// Builds the deliverer of `config` for the server named `instance`.
pub fn deliverer(config: &WebhookConfig, instance: &str) -> Result<Deliverer, WebhookSetupError> {
    config.check()?;
    let transport = Signed::new(signer(config)?, config.timeout)?;
    Ok(Outbox::new(
        transport,
        WEBHOOK,
        config.urls.clone(),
        config.configured_at,
        RetryPolicy {
            backoff: config.backoff,
            max_backoff: config.max_backoff,
            retry_for: config.retry_for,
            lease: config.lease(),
        },
        config.concurrency,
        instance.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn a_secret_is_required_and_checked() {
        let with = |secret: Option<&str>, url: &str| {
            WebhookConfig {
                urls: vec![url.into()],
                secret: secret.map(Secret::new),
                ..WebhookConfig::default()
            }
            .check()
            .err()
            .map(|e| e.to_string())
        };
        assert!(with(None, "http://x/").unwrap().contains("need a secret"));
        assert!(with(Some("plain"), "http://x/").unwrap().contains("whsec_"));
        assert!(with(Some("whsec_%%%"), "http://x/")
            .unwrap()
            .contains("base64"));
        assert!(with(Some("whsec_c2VjcmV0"), "ftp://u:pw@x/")
            .unwrap()
            .contains("ftp://***@x/"));
        assert_eq!(with(Some("whsec_c2VjcmV0"), "https://x/hook"), None);
    }

    #[test]
    fn a_claim_outlasts_an_attempt() {
        let config = WebhookConfig {
            timeout: Duration::from_secs(10),
            ..WebhookConfig::default()
        };
        assert_eq!(config.lease(), Duration::from_secs(25));
    }
}
