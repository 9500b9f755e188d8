//! Delivering the webhook outbox. Every server with webhooks configured runs
//! this loop; each attempt is claimed in the database first (a lease only one
//! server wins), so any number of servers deliver each event once, and a
//! server killed mid-attempt leaves it to the others, or to itself restarted.
//!
//! Each POST is signed as Standard Webhooks 1.0 says: `webhook-id` (the
//! event's, the same on every retry), `webhook-timestamp` (this attempt, Unix
//! seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` of
//! `<id>.<timestamp>.<body>`). A 2xx ends it; anything else is retried with
//! exponential backoff until `retry_for` after the event.

use crate::config::WebhookConfig;
use crate::metrics::Metrics;
use pathways_store::queries::publish::unix_millis;
use pathways_store::queries::webhooks::{self, Attempt, Due};
use pathways_store::DatabaseConnection;
use standardwebhooks::Webhook;
use std::sync::Arc;
use std::time::Duration;

/// Deliveries one round takes on at most.
const BATCH: u64 = 32;

/// Why webhooks cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WebhookSetupError {
    #[error("webhooks need a secret: pass --webhook-secret (or PATHWAYS_WEBHOOK_SECRET); `pathways webhooks new-secret` prints one")]
    NoSecret,
    #[error("the webhook secret is not `whsec_` followed by base64: {0}")]
    BadSecret(String),
    #[error("`{0}` is not an http:// or https:// address")]
    BadUrl(String),
    #[error("cannot build the HTTP client for webhooks: {0}")]
    Client(String),
}

/// The signer, client and addresses, checked.
pub struct Deliverer {
    config: WebhookConfig,
    signer: Webhook,
    client: reqwest::Client,
}

impl Deliverer {
    pub fn new(config: WebhookConfig) -> Result<Deliverer, WebhookSetupError> {
        let secret = config.secret.as_ref().ok_or(WebhookSetupError::NoSecret)?;
        let key = secret.expose().strip_prefix("whsec_").ok_or_else(|| {
            WebhookSetupError::BadSecret("it does not start with `whsec_`".into())
        })?;
        if key.is_empty() {
            return Err(WebhookSetupError::BadSecret("the key is empty".into()));
        }
        let signer = Webhook::new(secret.expose())
            .map_err(|e| WebhookSetupError::BadSecret(e.to_string()))?;
        if let Some(bad) = config.urls.iter().find(|u| {
            reqwest::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
        }) {
            return Err(WebhookSetupError::BadUrl(bad.clone()));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("pathways/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| WebhookSetupError::Client(e.to_string()))?;
        Ok(Deliverer {
            config,
            signer,
            client,
        })
    }

    /// Delivers what is due every `interval`, for as long as the server runs.
    pub fn spawn(
        self,
        db: DatabaseConnection,
        interval: Duration,
        metrics: Metrics,
    ) -> tokio::task::JoinHandle<()> {
        let deliverer = Arc::new(self);
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                if let Err(error) = deliverer.round(&db, &metrics).await {
                    tracing::warn!(%error, "could not deliver webhooks this round");
                }
            }
        })
    }

    /// One round: add deliveries for new events, then attempt those due.
    pub async fn round(
        &self,
        db: &DatabaseConnection,
        metrics: &Metrics,
    ) -> Result<(), pathways_store::DbErr> {
        let now = unix_millis();
        let window = millis(self.config.retry_for);
        webhooks::add_deliveries(db, &self.config.urls, now - window, now).await?;
        for due in webhooks::due(db, &self.config.urls, now, BATCH).await? {
            let lease = now + millis(self.config.timeout) + 30_000;
            if !webhooks::claim(db, due.delivery.id, now, lease).await? {
                continue;
            }
            let attempt = self.attempt(&due).await;
            metrics.record_webhook(matches!(attempt, Attempt::Delivered { .. }));
            webhooks::record(db, due.delivery.id, &attempt, unix_millis()).await?;
        }
        Ok(())
    }

    async fn attempt(&self, due: &Due) -> Attempt {
        let event = &due.event;
        let url = &due.delivery.url;
        let timestamp = unix_millis() / 1000;
        let signature = match self
            .signer
            .sign(&event.event_id, timestamp, event.payload.as_bytes())
        {
            Ok(signature) => signature,
            Err(e) => return self.failed(due, None, format!("cannot sign: {e}")),
        };
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header(standardwebhooks::HEADER_WEBHOOK_ID, &event.event_id)
            .header(
                standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
                timestamp.to_string(),
            )
            .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
            .body(event.payload.clone())
            .send()
            .await;
        let shown = without_query(url);
        match sent {
            Ok(response) if response.status().is_success() => {
                let status = response.status().as_u16();
                tracing::info!(event = %event.event_id, url = %shown, status, "webhook delivered");
                Attempt::Delivered { status }
            }
            Ok(response) => {
                let status = response.status().as_u16();
                self.failed(due, Some(status), format!("the receiver answered {status}"))
            }
            Err(error) => {
                let why = if error.is_timeout() {
                    format!("no answer within {:?}", self.config.timeout)
                } else if error.is_connect() {
                    "could not connect".to_owned()
                } else {
                    error.without_url().to_string()
                };
                self.failed(due, None, why)
            }
        }
    }

    fn failed(&self, due: &Due, status: Option<u16>, error: String) -> Attempt {
        let now = unix_millis();
        let retry_at = now + millis(backoff(&self.config, due.delivery.attempts));
        let deadline = due.event.created_at + millis(self.config.retry_for);
        let retry_at = (retry_at <= deadline).then_some(retry_at);
        tracing::warn!(
            event = %due.event.event_id,
            url = %without_query(&due.delivery.url),
            attempt = due.delivery.attempts + 1,
            error = %error,
            gave_up = retry_at.is_none(),
            "webhook not delivered"
        );
        Attempt::Failed {
            status,
            error,
            retry_at,
        }
    }
}

/// The wait after attempt `attempts + 1` fails: `backoff`, doubled each time,
/// at most `max_backoff`.
fn backoff(config: &WebhookConfig, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.clamp(0, 30)).unwrap_or(0);
    config
        .backoff
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(config.max_backoff)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// An address for the logs: a query string may carry a receiver's own token.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let config = WebhookConfig {
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(60),
            ..WebhookConfig::default()
        };
        let waits: Vec<u64> = (0..6).map(|n| backoff(&config, n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
    }

    #[test]
    fn a_secret_is_required_and_checked() {
        let with = |secret: Option<&str>, url: &str| {
            Deliverer::new(WebhookConfig {
                urls: vec![url.into()],
                secret: secret.map(Secret::new),
                ..WebhookConfig::default()
            })
            .err()
            .map(|e| e.to_string())
        };
        assert!(with(None, "http://x/").unwrap().contains("need a secret"));
        assert!(with(Some("plain"), "http://x/").unwrap().contains("whsec_"));
        assert!(with(Some("whsec_%%%"), "http://x/")
            .unwrap()
            .contains("base64"));
        assert!(with(Some("whsec_c2VjcmV0"), "ftp://x/")
            .unwrap()
            .contains("ftp://x/"));
        assert_eq!(with(Some("whsec_c2VjcmV0"), "https://x/hook"), None);
    }

    #[test]
    fn logs_leave_out_query_strings() {
        assert_eq!(without_query("https://h/p?token=t"), "https://h/p");
    }
}
