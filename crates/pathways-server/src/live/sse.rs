//! `GET /events`: Server-Sent Events. Each publication this server serves is
//! sent as `event: release.published` with the `data` of the webhook event
//! (`purge` included) as one line of JSON; a comment (`:heartbeat`) goes out
//! when nothing else has for the heartbeat interval. A reader that falls
//! [`super::CAPACITY`] events behind gets `event: dropped` and the stream
//! ends (`EventSource` connects again by itself). Past the subscriber cap the
//! answer is 503 with the reason and `Retry-After`.

use super::{dropped_message, Full, Next, ReleaseEvent};
use crate::AppState;
use async_graphql::futures_util::{future, StreamExt};
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;

/// The `transport` label of SSE subscribers in the metrics.
pub const TRANSPORT: &str = "sse";

/// The event type of a publication, as webhooks name it.
pub const PUBLISHED: &str = "release.published";

pub(crate) async fn events(State(state): State<AppState>) -> Response {
    let live = state.live().clone();
    let slot = match live.admit(TRANSPORT) {
        Ok(slot) => slot,
        Err(full) => return refused(full),
    };
    let metrics = live.metrics().clone();
    let stream = live.events().filter_map(move |next| {
        // The slot lives as long as the stream (which holds its connection
        // busy, as every response's body does, until it ends: no idle close).
        let _held = &slot;
        let event = match next {
            Next::Event(ReleaseEvent::Published(published)) => {
                metrics.record_live_event(TRANSPORT);
                Some(
                    Event::default()
                        .event(PUBLISHED)
                        .data(published.data.to_string()),
                )
            }
            Next::Event(ReleaseEvent::Staged(_)) => None,
            Next::Dropped { missed } => {
                metrics.record_live_dropped(TRANSPORT, "lagged");
                Some(
                    Event::default()
                        .event("dropped")
                        .data(dropped_message(missed)),
                )
            }
        };
        future::ready(event.map(Ok::<_, Infallible>))
    });
    let keep_alive = KeepAlive::new()
        .interval(live.heartbeat())
        .text("heartbeat");
    (
        // Proxies such as nginx must pass each event on at once.
        [(
            HeaderName::from_static("x-accel-buffering"),
            HeaderValue::from_static("no"),
        )],
        Sse::new(stream).keep_alive(keep_alive),
    )
        .into_response()
}

/// 503, saying why and when to come back.
fn refused(full: Full) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "5"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        format!("{full}\n"),
    )
        .into_response()
}
