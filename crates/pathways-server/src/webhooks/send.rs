//! The signed POST of a webhook, and what a failed one records: connection
//! refused, timed out, reset or closed early, TLS, or the HTTP status with the
//! first bytes of the answer. Addresses never appear in it (they may hold
//! credentials): errors are described without their URL.

use super::outbox::{Sent, Transport};
use super::WebhookSetupError;
use pathways_store::entities::webhook_event;
use standardwebhooks::Webhook;
use std::error::Error as _;
use std::time::Duration;

/// Bytes of a failed answer's body kept in its record.
const BODY_BYTES: usize = 200;

/// Signs and POSTs each event (Standard Webhooks 1.0).
pub struct Signed {
    signer: Webhook,
    client: reqwest::Client,
    timeout: Duration,
}

impl Signed {
    pub fn new(signer: Webhook, timeout: Duration) -> Result<Signed, WebhookSetupError> {
        Ok(Signed {
            signer,
            client: client(timeout)?,
            timeout,
        })
    }
}

/// The HTTP client of an outbox transport: `timeout` per attempt, no
/// redirects followed, this version named.
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, WebhookSetupError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("pathways/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| WebhookSetupError::Client(e.without_url().to_string()))
}

impl Transport for Signed {
    async fn send(&self, event: &webhook_event::Model, address: &str) -> Sent {
        let timestamp = pathways_store::queries::publish::unix_millis() / 1000;
        let signature = match self
            .signer
            .sign(&event.event_id, timestamp, event.payload.as_bytes())
        {
            Ok(signature) => signature,
            Err(e) => {
                return Sent::Failed {
                    status: None,
                    error: format!("cannot sign: {e}"),
                }
            }
        };
        let sent = self
            .client
            .post(address)
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
        outcome(sent, self.timeout).await
    }
}

/// What an HTTP exchange came to: a 2xx is delivered; anything else failed,
/// described.
pub async fn outcome(sent: Result<reqwest::Response, reqwest::Error>, timeout: Duration) -> Sent {
    let mut response = match sent {
        Ok(response) => response,
        Err(error) => {
            return Sent::Failed {
                status: None,
                error: describe(error, timeout),
            }
        }
    };
    let status = response.status().as_u16();
    if response.status().is_success() {
        return Sent::Delivered { status };
    }
    let mut body = Vec::new();
    while body.len() < BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    let error = if body.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {}", excerpt(&body))
    };
    Sent::Failed {
        status: Some(status),
        error,
    }
}

/// The first bytes of a body, as text on one line.
fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_BYTES)];
    let text: String = String::from_utf8_lossy(cut)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > BODY_BYTES {
        format!("{text}…")
    } else {
        text
    }
}

/// What went wrong with a request that got no answer, in a few words and
/// without its URL.
pub fn describe(error: reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return format!(
            "timed out: no answer within {}",
            humantime::format_duration(timeout)
        );
    }
    let mut source = error.source();
    let mut innermost = None;
    while let Some(cause) = source {
        if let Some(said) = cause.downcast_ref::<std::io::Error>().and_then(io_failure) {
            return said;
        }
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return format!("TLS: {tls}");
        }
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() {
                return "the receiver closed the connection before a complete answer".to_owned();
            }
            if hyper.is_parse() {
                return format!("not an HTTP answer: {hyper}");
            }
        }
        innermost = Some(cause);
        source = cause.source();
    }
    match innermost {
        Some(cause) if error.is_connect() => format!("could not connect: {cause}"),
        Some(cause) => cause.to_string(),
        None => error.without_url().to_string(),
    }
}

/// What an I/O error says, looking through the I/O errors it wraps (a TLS
/// failure comes as an I/O error inside another).
fn io_failure(error: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind::*;
    let said = match error.kind() {
        ConnectionRefused => "connection refused",
        ConnectionReset => "connection reset by the receiver",
        ConnectionAborted | BrokenPipe | UnexpectedEof => {
            "the receiver closed the connection before answering"
        }
        TimedOut => "timed out connecting",
        _ => {
            let inner = error.get_ref()?;
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(format!("TLS: {tls}"));
            }
            return inner.downcast_ref::<std::io::Error>().and_then(io_failure);
        }
    };
    Some(said.to_owned())
}

#[cfg(test)]
mod tests;
