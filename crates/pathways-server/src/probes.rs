//! The probes a load balancer or an orchestrator asks: `/healthz`, the process
//! is up; `/readyz`, it has a release to serve. The server answers from the
//! snapshot in memory, so a database outage does not stop it serving, and
//! `/readyz` does not ask the database: during a blip every replica stays in.
//! The outage shows in `/metrics` (`pathways_database_up`, set by each look
//! for new releases) and in `/readyz?database`, which pings the database.

use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// How long `/readyz?database` waits for the database to answer.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up: fixed bytes, no database.
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// A release is loaded: 200 even while the database is unreachable. With
/// `?database`, the database must answer a ping as well.
pub(crate) async fn readyz(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let inner = &state.inner;
    let database = asks_database(query.as_deref());
    if database {
        let pinged = match tokio::time::timeout(PING_TIMEOUT, inner.db.ping()).await {
            Ok(pinged) => pinged.map_err(|error| error.to_string()),
            Err(_) => Err(format!("no answer within {PING_TIMEOUT:?}")),
        };
        inner.metrics.record_database(pinged.is_ok());
        if let Err(error) = pinged {
            tracing::warn!(%error, "readiness: database unreachable");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
        }
    }
    match inner.release.current() {
        Some(release) if database => {
            format!("ready: release {}; database reachable", release.id()).into_response()
        }
        Some(release) => format!("ready: release {}", release.id()).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "no release loaded").into_response(),
    }
}

/// Whether the query string names `database` (`?database`, `?database=1`).
fn asks_database(query: Option<&str>) -> bool {
    query.is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.split('=').next() == Some("database"))
    })
}

#[cfg(test)]
mod tests {
    use super::asks_database;

    #[test]
    fn the_database_is_checked_when_the_query_names_it() {
        for query in ["database", "database=1", "x=1&database", "database="] {
            assert!(asks_database(Some(query)), "{query}");
        }
        for query in [None, Some(""), Some("databases"), Some("x=database")] {
            assert!(!asks_database(query), "{query:?}");
        }
    }
}
