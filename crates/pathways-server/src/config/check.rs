//! What a setting must be, checked once at start: durations more than zero,
//! counts at least one, header values a header can carry, origins and lists
//! trimmed, the preview token long enough. Each check is a function from the
//! text of a setting to its value (the command line uses them as its parsers)
//! or over a value already made ([`ServerConfig::check`], for a server built
//! in code). A refusal says what is wrong; [`ConfigError`] adds the setting.

use super::{Secret, ServerConfig};
use axum::http::HeaderValue;
use std::time::Duration;

/// The shortest preview token accepted, in characters.
pub const MIN_PREVIEW_TOKEN: usize = 16;

/// The smallest cap on a request's headers: a request line and a few headers.
pub const MIN_HEADER_BYTES: usize = 1024;

/// A setting a server cannot run with: which one (its flag and environment
/// variable) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{flag} ({env}) {reason}")]
pub struct ConfigError {
    pub flag: &'static str,
    pub env: &'static str,
    pub reason: String,
}

/// `text` as a duration (`2s`, `500ms`), more than zero.
pub fn duration(text: &str) -> Result<Duration, String> {
    let value = humantime::parse_duration(text.trim())
        .map_err(|e| format!("is not a duration such as `2s` or `500ms`: {e}"))?;
    positive(value)
}

/// A duration more than zero: a period of zero spins, or panics a timer.
pub fn positive(value: Duration) -> Result<Duration, String> {
    if value.is_zero() {
        return Err("must be more than zero".into());
    }
    Ok(value)
}

/// `text` as a whole number, at least 1.
pub fn count(text: &str) -> Result<usize, String> {
    let value = text
        .trim()
        .parse::<usize>()
        .map_err(|_| "must be a whole number, at least 1".to_owned())?;
    at_least(value, 1)
}

/// [`count`], as the `i32` GraphQL's `first` is.
pub fn count_i32(text: &str) -> Result<i32, String> {
    let value = count(text)?;
    i32::try_from(value).map_err(|_| format!("must be at most {}", i32::MAX))
}

/// `value`, if at least `least`.
pub fn at_least(value: usize, least: usize) -> Result<usize, String> {
    if value < least {
        return Err(format!("must be at least {least}, got {value}"));
    }
    Ok(value)
}

/// The cap on a request's headers, in bytes: at least [`MIN_HEADER_BYTES`].
pub fn header_bytes(text: &str) -> Result<usize, String> {
    let value = count(text)?;
    at_least(value, MIN_HEADER_BYTES)
}

/// `text` trimmed, if a response header can carry it (no line break or other
/// control character): sent otherwise, the header would be dropped.
pub fn header_value(text: &str) -> Result<String, String> {
    let text = text.trim();
    if HeaderValue::from_str(text).is_err() {
        return Err(
            "is not a valid header value: it holds a line break or another control character"
                .into(),
        );
    }
    Ok(text.to_owned())
}

/// One item of a list, trimmed; an empty one is refused.
pub fn item(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("has an empty item".into());
    }
    Ok(text.to_owned())
}

/// A comma-separated list, each item trimmed and checked by `check`; empty
/// items (a comma at the end, an empty variable) are left out.
pub fn list(text: &str, check: fn(&str) -> Result<String, String>) -> Result<Vec<String>, String> {
    text.split(',')
        .filter(|item| !item.trim().is_empty())
        .map(check)
        .collect()
}

/// A comma-separated list of origins ([`origin`]).
pub fn origins(text: &str) -> Result<Vec<String>, String> {
    list(text, origin)
}

/// A comma-separated list of addresses, trimmed.
pub fn items(text: &str) -> Result<Vec<String>, String> {
    list(text, item)
}

/// An origin browsers send (`https://careers.example`, `http://localhost:3000`)
/// or `*`, trimmed: a scheme and a host, with no path, not even `/`.
pub fn origin(text: &str) -> Result<String, String> {
    let text = item(text)?;
    if text == "*" {
        return Ok(text);
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let fine = rest.is_some_and(|host| {
        !host.is_empty()
            && !host.contains(['/', '?', '#', '@'])
            && HeaderValue::from_str(&text).is_ok()
            && !text.contains(char::is_whitespace)
    });
    if !fine {
        return Err(format!(
            "has `{text}`, which is not an origin: `*`, or `https://` or `http://` and a host (with its port if not the default), no path and no `/` at the end"
        ));
    }
    Ok(text)
}

/// The preview token: trimmed (a secret file ends with a line break), at least
/// [`MIN_PREVIEW_TOKEN`] characters, and nothing a header would not carry.
pub fn preview_token(text: &str) -> Result<Secret, String> {
    let text = text.trim();
    let length = text.chars().count();
    if length < MIN_PREVIEW_TOKEN {
        return Err(format!(
            "must be at least {MIN_PREVIEW_TOKEN} characters (it has {length}); `openssl rand -hex 32` makes one"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err("must be visible ASCII characters, without spaces".into());
    }
    Ok(Secret::new(text))
}

/// A secret, trimmed, not empty.
pub fn secret(text: &str) -> Result<Secret, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("cannot be empty".into());
    }
    Ok(Secret::new(text))
}

fn setting<T>(
    flag: &'static str,
    env: &'static str,
    checked: Result<T, String>,
) -> Result<T, ConfigError> {
    checked.map_err(|reason| ConfigError { flag, env, reason })
}

impl ServerConfig {
    /// Whether a server can run with these settings, each checked as the
    /// command line checks it. [`crate::AppState::start`] calls it.
    pub fn check(&self) -> Result<(), ConfigError> {
        let webhooks = &self.webhooks;
        let connections = &self.connections;
        for (flag, env, value) in [
            (
                "--request-timeout",
                "PATHWAYS_REQUEST_TIMEOUT",
                self.request_timeout,
            ),
            ("--release-poll", "PATHWAYS_RELEASE_POLL", self.release_poll),
            (
                "--fallback-poll",
                "PATHWAYS_FALLBACK_POLL",
                self.fallback_poll,
            ),
            (
                "--header-read-timeout",
                "PATHWAYS_HEADER_READ_TIMEOUT",
                connections.header_read_timeout,
            ),
            (
                "--keep-alive-timeout",
                "PATHWAYS_KEEP_ALIVE_TIMEOUT",
                connections.keep_alive_timeout,
            ),
            (
                "--webhook-backoff",
                "PATHWAYS_WEBHOOK_BACKOFF",
                webhooks.backoff,
            ),
            (
                "--webhook-timeout",
                "PATHWAYS_WEBHOOK_TIMEOUT",
                webhooks.timeout,
            ),
            ("webhooks.max_backoff", "no variable", webhooks.max_backoff),
            ("webhooks.retry_for", "no variable", webhooks.retry_for),
        ] {
            setting(flag, env, positive(value))?;
        }
        let limits = &self.limits;
        for (flag, env, value, least) in [
            ("--body-limit", "PATHWAYS_BODY_LIMIT", self.body_limit, 1),
            (
                "--cache-bytes",
                "PATHWAYS_CACHE_BYTES",
                self.cache.max_bytes,
                1,
            ),
            ("--max-depth", "PATHWAYS_MAX_DEPTH", limits.max_depth, 1),
            (
                "--max-complexity",
                "PATHWAYS_MAX_COMPLEXITY",
                limits.max_complexity,
                1,
            ),
            (
                "--max-first",
                "PATHWAYS_MAX_FIRST",
                usize::try_from(limits.max_first).unwrap_or(0),
                1,
            ),
            (
                "--max-aliases",
                "PATHWAYS_MAX_ALIASES",
                limits.max_aliases,
                1,
            ),
            ("--max-batch", "PATHWAYS_MAX_BATCH", limits.max_batch, 1),
            (
                "--max-connections",
                "PATHWAYS_MAX_CONNECTIONS",
                connections.max_connections,
                1,
            ),
            (
                "--max-header-bytes",
                "PATHWAYS_MAX_HEADER_BYTES",
                connections.max_header_bytes,
                MIN_HEADER_BYTES,
            ),
            (
                "--max-large-heads",
                "PATHWAYS_MAX_LARGE_HEADS",
                connections.max_large_heads,
                1,
            ),
            (
                "webhooks.concurrency",
                "no variable",
                webhooks.concurrency,
                1,
            ),
        ] {
            setting(flag, env, at_least(value, least))?;
        }
        let control = &self.cache.cache_control;
        setting(
            "--cache-control",
            "PATHWAYS_CACHE_CONTROL",
            header_value(control).and_then(|trimmed| same(control, trimmed)),
        )?;
        for origin_ in &self.cors_origins {
            setting(
                "--cors-origin",
                "PATHWAYS_CORS_ORIGINS",
                origin(origin_).and_then(|trimmed| same(origin_, trimmed)),
            )?;
        }
        if let Some(token) = &self.preview_token {
            setting(
                "--preview-token",
                "PATHWAYS_PREVIEW_TOKEN",
                preview_token(token.expose()).and_then(|trimmed| {
                    if trimmed.expose() == token.expose() {
                        Ok(())
                    } else {
                        Err("has spaces or a line break around it".into())
                    }
                }),
            )?;
        }
        Ok(())
    }
}

/// Refuses a value a check would have trimmed: in code, nothing trims it later.
fn same(value: &str, trimmed: String) -> Result<(), String> {
    if value == trimmed {
        Ok(())
    } else {
        Err(format!("has spaces around it: `{value}`"))
    }
}

#[cfg(test)]
mod tests;
