//! Live updates over real HTTP: a publish reaches a `GET /events` client as
//! `event: release.published` with the webhook's `data`, and past the
//! subscriber cap both transports refuse with the reason.

use futures_util::{SinkExt, StreamExt};
use pathways_server::config::{LiveConfig, Secret, ServerConfig};
use pathways_store::queries::outbox::published_event;
use pathways_store::queries::publish::publish;
use pathways_store::queries::write::{write, WriteOptions};
use pathways_test_support::{seeds_plan, Http, TestServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// Polling (and on PostgreSQL listening) as `serve` does, quickly, with a
/// short heartbeat so a client that left is noticed soon.
fn live(max_subscribers: usize) -> ServerConfig {
    ServerConfig {
        preview_token: Some(Secret::new(TOKEN)),
        release_poll: Duration::from_millis(200),
        live: LiveConfig {
            max_subscribers,
            heartbeat: Duration::from_millis(200),
            ..LiveConfig::default()
        },
        ..ServerConfig::default()
    }
}

const TOKEN: &str = "live-preview-token";

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A WebSocket to `/graphql` speaking graphql-transport-ws.
async fn graphql_ws(http: &Http) -> Socket {
    let mut request = http
        .url("/graphql")
        .replacen("http", "ws", 1)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    socket
}

/// The next graphql-ws message (WebSocket pings skipped); fails the test after 10 s.
async fn receive(socket: &mut Socket) -> Value {
    let read = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a graphql-ws message, got {other:?}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("no graphql-ws message in time")
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// A `GET /events` stream, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(http: &Http) -> Events {
        let response = http.get("/events").send().await.expect("GET /events");
        assert_eq!(response.status(), 200, "{}", http.label);
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "{}",
            http.label
        );
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's type and data, skipping comments (heartbeats);
    /// fails the test after `within`.
    async fn next(&mut self, within: Duration) -> (String, String) {
        let read = async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let field = |name: &str| {
                        block
                            .lines()
                            .filter_map(|l| l.strip_prefix(name))
                            .map(|v| v.strip_prefix(' ').unwrap_or(v))
                            .collect::<Vec<_>>()
                            .join("\n")
                    };
                    let event = field("event:");
                    if !event.is_empty() {
                        return (event, field("data:"));
                    }
                    continue;
                }
                let chunk = self.response.chunk().await.expect("read /events");
                let chunk = chunk.expect("the event stream ended");
                self.buffer.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        tokio::time::timeout(within, read)
            .await
            .expect("no event in time")
    }
}

/// Stages the seeds with another page title; returns the new release's id.
async fn stage(server: &TestServer) -> i32 {
    let mut plan = seeds_plan();
    plan.page.title = "Career pathways, updated".into();
    let options = WriteOptions {
        stage: true,
        note: Some("live test".into()),
    };
    let written = write(&server.db, &plan, &options, &mut |_| {})
        .await
        .unwrap();
    written.outcome.release().id
}

/// The value of `name{labels}` in `/metrics`.
fn labelled(text: &str, name: &str, labels: &str) -> f64 {
    let prefix = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {prefix} in:\n{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_reaches_an_sse_client_with_the_webhooks_data() {
    for server in TestServer::each(|| live(10)).await {
        let label = server.label.clone();
        let served = server.state.release().current().expect("served").id();
        let mut events = Events::open(&server).await;
        let staged = stage(&server).await;
        let published_at = Instant::now();
        publish(&server.db, staged).await.unwrap();
        let (event, data) = events.next(Duration::from_secs(10)).await;
        let took = published_at.elapsed();
        assert_eq!(event, "release.published", "{label}");
        let data: Value = serde_json::from_str(&data).unwrap();
        assert_eq!(data["release"]["id"], staged, "{label}: {data}");
        assert_eq!(data["release"]["note"], "live test", "{label}: {data}");
        assert_eq!(data["previous"]["id"], served, "{label}: {data}");
        let purge = data["purge"].as_array().expect("purge");
        assert!(
            !purge.is_empty() && purge.iter().all(Value::is_string),
            "{label}: {data}"
        );

        // Exactly the webhook event's `data` (with `purge` filled in where
        // the stored event has none yet).
        let stored = published_event(&server.db, staged).await.unwrap().unwrap();
        let mut webhook: Value = serde_json::from_str(&stored.payload).unwrap();
        let mut expected = webhook["data"].take();
        if expected.get("purge").is_none() {
            expected["purge"] = json!(pathways_server::webhooks::purge());
        }
        assert_eq!(data, expected, "{label}");

        let metrics = server.metrics().await;
        let sent = labelled(
            &metrics,
            "pathways_live_events_sent_total",
            r#"transport="sse""#,
        );
        let subscribers = labelled(&metrics, "pathways_live_subscribers", r#"transport="sse""#);
        assert_eq!((sent, subscribers), (1.0, 1.0), "{label}");
        eprintln!("{label}: the publish reached the SSE client in {took:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_both_transports_refuse_with_the_reason() {
    for server in TestServer::each(|| live(1)).await {
        let label = server.label.clone();
        let first = Events::open(&server).await;

        let refused = server.send(server.get("/events")).await;
        refused.assert_status(503);
        assert_eq!(refused.header("retry-after"), Some("5"), "{label}");
        assert!(
            refused
                .text()
                .contains("too many live subscribers: this server takes at most 1 at once"),
            "{label}: {}",
            refused.text()
        );

        // graphql-ws: the socket opens and is closed at once, 1013 (try
        // again later) with the reason.
        let mut request = server
            .url("/graphql")
            .replacen("http", "ws", 1)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("closed in time");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => {
                assert_eq!(frame.code, CloseCode::Again, "{label}");
                assert!(
                    frame.reason.contains("at most 1 at once"),
                    "{label}: {frame:?}"
                );
            }
            other => panic!("{label}: expected a close frame, got {other:?}"),
        }
        let metrics = server.metrics().await;
        assert_eq!(
            pathways_test_support::server::metric(
                &metrics,
                "pathways_live_subscribers_refused_total"
            ),
            2,
            "{label}"
        );

        // The slot comes back once the client has gone (the next heartbeat
        // finds the connection closed).
        drop(first);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let response = server.get("/events").send().await.unwrap();
            if response.status() == 200 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{label}: the slot never came back"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_ws_subscribers_hear_of_staged_releases_with_the_token_and_of_publications() {
    for server in TestServer::each(|| live(10)).await {
        let label = server.label.clone();
        let served = server.state.release().current().expect("served").id();
        let mut socket = graphql_ws(&server).await;
        send(
            &mut socket,
            json!({"type": "connection_init", "payload": {"previewToken": TOKEN}}),
        )
        .await;
        assert_eq!(
            receive(&mut socket).await["type"],
            "connection_ack",
            "{label}"
        );
        let published = "subscription { releasePublished { release { id status note } previous { id status } purge } }";
        let staged = "subscription { releaseStaged { release { id status note } } }";
        for (id, query) in [("p", published), ("s", staged)] {
            send(
                &mut socket,
                json!({"id": id, "type": "subscribe", "payload": {"query": query}}),
            )
            .await;
        }
        // The subscriptions start as the server reads the messages.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let metrics = server.metrics().await;
        let connected = labelled(
            &metrics,
            "pathways_live_subscribers",
            r#"transport="graphql-ws""#,
        );
        assert_eq!(connected, 1.0, "{label}");

        let id = stage(&server).await;
        let message = receive(&mut socket).await;
        assert_eq!(
            message,
            json!({"id": "s", "type": "next", "payload": {"data": {"releaseStaged": {
                "release": {"id": id.to_string(), "status": "STAGED", "note": "live test"}}}}}),
            "{label}"
        );

        publish(&server.db, id).await.unwrap();
        let message = receive(&mut socket).await;
        assert_eq!(message["id"], "p", "{label}: {message}");
        let event = &message["payload"]["data"]["releasePublished"];
        assert_eq!(
            event["release"],
            json!({"id": id.to_string(), "status": "PUBLISHED", "note": "live test"}),
            "{label}"
        );
        assert_eq!(
            event["previous"],
            json!({"id": served.to_string(), "status": "RETIRED"}),
            "{label}"
        );
        assert!(!event["purge"].as_array().unwrap().is_empty(), "{label}");

        // A connection without the token may not hear of staged releases.
        let mut public = graphql_ws(&server).await;
        send(&mut public, json!({"type": "connection_init"})).await;
        assert_eq!(receive(&mut public).await["type"], "connection_ack");
        send(
            &mut public,
            json!({"id": "s", "type": "subscribe", "payload": {"query": staged}}),
        )
        .await;
        let refused = receive(&mut public).await;
        assert_eq!(
            refused["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{label}: {refused}"
        );
    }
}
