//! GraphQL subscriptions over graphql-ws (the `graphql-transport-ws`
//! protocol, which Apollo Client, urql and Relay speak) on `/graphql`: a GET
//! asking to upgrade to a WebSocket comes here, every other request goes to
//! the usual pipeline. The protocol itself is async-graphql's
//! (`async_graphql::http::WebSocket`, the one async-graphql-axum's
//! `GraphQLSubscription` wraps); this module drives it over axum's WebSocket
//! itself rather than through async-graphql-axum, whose loop awaits each
//! write without bound and has no way to end on shutdown, to add the bounds:
//!
//! - each connection holds a [`super::Slot`]; past the cap the socket is
//!   closed at once with 1013 (try again later) and the reason;
//! - at most [`SUBSCRIPTIONS_PER_CONNECTION`] subscriptions per connection;
//! - only subscriptions run here (queries go over GET and POST, where the
//!   limits, cache and previews apply);
//! - a WebSocket ping goes out every heartbeat interval, and a message that
//!   cannot be written within the send timeout drops the subscriber.
//!
//! `releaseStaged` is for connections whose `connection_init` payload
//! carries the preview token (`{"previewToken": "…"}` or
//! `{"Authorization": "Bearer …"}`), compared in constant time. A wrong
//! token closes the connection (4403).

use super::{Live, Slot};
use crate::config::Secret;
use crate::graphql::PathwaysSchema;
use crate::AppState;
use async_graphql::futures_util::stream::{self, BoxStream};
use async_graphql::futures_util::{future, SinkExt, StreamExt};
use async_graphql::http::{WebSocket as GraphqlWs, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request as HttpRequest};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use serde_json::Value;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The `transport` label of graphql-ws subscribers in the metrics.
pub const TRANSPORT: &str = "graphql-ws";

/// The WebSocket subprotocol spoken.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// Most subscriptions one connection may have open at once.
pub const SUBSCRIPTIONS_PER_CONNECTION: usize = 16;

/// Whether `headers` ask to upgrade to a WebSocket.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("websocket"))
}

/// Upgrades `request` to a graphql-ws connection.
pub async fn upgrade(state: AppState, request: HttpRequest) -> HttpResponse {
    let (mut parts, _body) = request.into_parts();
    let asked = parts
        .headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    if !asked {
        return (
            StatusCode::BAD_REQUEST,
            format!("subscriptions on /graphql speak graphql-ws: ask for the `{PROTOCOL}` subprotocol (Sec-WebSocket-Protocol)\n"),
        )
            .into_response();
    }
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let live = state.live().clone();
    let slot = live.admit(TRANSPORT);
    upgrade
        .protocols([PROTOCOL])
        .on_upgrade(move |socket| async move {
            match slot {
                Ok(slot) => serve(socket, state, slot).await,
                Err(full) => close(socket, 1013, &full.to_string()).await,
            }
        })
}

/// Closes `socket` at once with `code` and `reason`.
async fn close(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Runs one connection until either side closes, the server shuts down, or
/// the peer reads too slowly.
async fn serve(socket: WebSocket, state: AppState, slot: Slot) {
    let live = state.live().clone();
    let config = *live.config();
    let (mut sink, incoming) = socket.split();
    let input = incoming
        .take_while(|message| future::ready(message.is_ok()))
        .filter_map(|message| {
            future::ready(match message {
                Ok(message @ (Message::Text(_) | Message::Binary(_))) => Some(message.into_data()),
                _ => None,
            })
        });
    let token = state.inner.config.preview_token.clone();
    let session_live = live.clone();
    let messages = GraphqlWs::new(
        SubscriptionsOnly(state.inner.schema.clone()),
        input,
        WebSocketProtocols::GraphQLWS,
    )
    .on_connection_init(move |payload| async move {
        let preview = preview_of(&payload, token.as_ref())?;
        let mut data = Data::default();
        data.insert(Session {
            live: session_live,
            preview,
            open: Arc::new(AtomicUsize::new(0)),
        });
        Ok(data)
    });
    let mut messages = std::pin::pin!(messages);
    let closed = live.closed();
    let mut closed = std::pin::pin!(closed);
    let mut heartbeat = tokio::time::interval(config.heartbeat);
    heartbeat.tick().await;
    loop {
        let (message, last) = tokio::select! {
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => (Message::Text(text.into()), false),
                Some(WsMessage::Close(code, reason)) => {
                    // 4403 rather than 1002 for a refused token, as graphql-ws says.
                    let code = if [TOKEN_WRONG, NO_PREVIEWS].contains(&reason.as_str()) {
                        4403
                    } else {
                        code
                    };
                    (Message::Close(Some(CloseFrame { code, reason: reason.into() })), true)
                }
                None => break,
            },
            _ = heartbeat.tick() => (Message::Ping(Default::default()), false),
            () = &mut closed => {
                let frame = CloseFrame { code: 1001, reason: "the server is shutting down".into() };
                (Message::Close(Some(frame)), true)
            }
        };
        match tokio::time::timeout(config.send_timeout, sink.send(message)).await {
            Ok(Ok(())) if !last => {}
            Ok(_) => break,
            Err(_) => {
                live.metrics().record_live_dropped(TRANSPORT, "slow");
                tracing::info!("dropped a graphql-ws subscriber that read too slowly");
                break;
            }
        }
    }
    drop(slot);
}

const TOKEN_WRONG: &str = "Forbidden: the preview token is not right";
const NO_PREVIEWS: &str =
    "Forbidden: this server has no preview token, so it tells only of publications";

/// Whether `payload` (of `connection_init`) carries the preview token: no
/// token is a public connection, a wrong one is refused.
fn preview_of(payload: &Value, token: Option<&Secret>) -> async_graphql::Result<bool> {
    let given = payload
        .get("previewToken")
        .and_then(Value::as_str)
        .or_else(|| {
            ["Authorization", "authorization"]
                .iter()
                .find_map(|key| payload.get(*key).and_then(Value::as_str))
                .map(|v| {
                    v.trim()
                        .strip_prefix("Bearer ")
                        .or_else(|| v.trim().strip_prefix("bearer "))
                        .unwrap_or("")
                        .trim()
                })
        });
    match (given, token) {
        (None, _) => Ok(false),
        (Some(given), Some(token)) if token.matches(given) => Ok(true),
        (Some(_), Some(_)) => Err(TOKEN_WRONG.into()),
        (Some(_), None) => Err(NO_PREVIEWS.into()),
    }
}

/// What the subscription fields read: the events, whether the connection
/// carried the preview token, and how many subscriptions it has open.
pub struct Session {
    pub live: Live,
    pub preview: bool,
    open: Arc<AtomicUsize>,
}

impl Session {
    /// A place for one more subscription on this connection, or why not.
    pub fn open(&self) -> async_graphql::Result<Open> {
        let open = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        let guard = Open(self.open.clone());
        if open > SUBSCRIPTIONS_PER_CONNECTION {
            return Err(format!("a connection may have at most {SUBSCRIPTIONS_PER_CONNECTION} subscriptions open at once").into());
        }
        Ok(guard)
    }
}

/// One subscription open on a connection, until dropped.
pub struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The schema, running subscriptions only.
#[derive(Clone)]
struct SubscriptionsOnly(PathwaysSchema);

const SUBSCRIPTIONS_ONLY: &str =
    "over graphql-ws, /graphql runs subscriptions only: send queries as GET or POST";

impl SubscriptionsOnly {
    fn refuses(request: &Request) -> bool {
        async_graphql::parser::parse_query(&request.query).is_ok_and(|document| {
            document
                .operations
                .iter()
                .any(|(_, operation)| operation.node.ty != OperationType::Subscription)
        })
    }
}

impl Executor for SubscriptionsOnly {
    fn execute(&self, request: Request) -> impl Future<Output = Response> + Send {
        let schema = self.0.clone();
        async move {
            if SubscriptionsOnly::refuses(&request) {
                return Response::from_errors(vec![ServerError::new(SUBSCRIPTIONS_ONLY, None)]);
            }
            schema.execute(request).await
        }
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if SubscriptionsOnly::refuses(&request) {
            let refused = Response::from_errors(vec![ServerError::new(SUBSCRIPTIONS_ONLY, None)]);
            return stream::once(future::ready(refused)).boxed();
        }
        self.0
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_token_comes_in_the_init_payload_and_a_wrong_one_is_refused() {
        let token = Secret::new("s3cret");
        let with = |payload: Value| preview_of(&payload, Some(&token)).map_err(|e| e.message);
        assert_eq!(with(json!({})), Ok(false));
        assert_eq!(with(Value::Null), Ok(false));
        assert_eq!(with(json!({"previewToken": "s3cret"})), Ok(true));
        assert_eq!(with(json!({"Authorization": "Bearer s3cret"})), Ok(true));
        assert_eq!(
            with(json!({"previewToken": "nope"})),
            Err(TOKEN_WRONG.into())
        );
        assert_eq!(
            preview_of(&json!({"previewToken": "s3cret"}), None).map_err(|e| e.message),
            Err(NO_PREVIEWS.into())
        );
    }

    #[test]
    fn only_subscriptions_run_over_the_socket() {
        let refuses = |q: &str| SubscriptionsOnly::refuses(&Request::new(q));
        assert!(!refuses("subscription { releasePublished { purge } }"));
        assert!(refuses("{ release { id } }"));
        assert!(refuses(
            "subscription A { releasePublished { purge } } query B { release { id } }"
        ));
    }
}
