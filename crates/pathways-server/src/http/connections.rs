//! Accepting connections with the limits `axum::serve` does not offer: a cap
//! on open connections (past it a client is refused at once with 503, not left
//! hanging), a header-read timeout and an idle keep-alive timeout (hyper's
//! HTTP/1 connection builder with a Tokio timer), a cap on the size of a
//! request's headers (431 beyond, from hyper: what a client that never ends
//! its headers makes the server hold), a body announced over the limit refused
//! with 413 before any `100 Continue`, and a graceful shutdown that finishes
//! the requests under way; and turns for request heads past 8 KiB
//! ([`heads`]), so that slow clients cannot each make the server hold the
//! header cap. What is refused is counted in `/metrics`.
//!
//! A connection closed after such a refusal is closed the way RFC 9112 §9.6
//! asks: the answer sent, the sending side shut, and what the client still
//! sends read and discarded for a moment (at most [`LINGER`]), so that a
//! close with unread bytes does not reset the connection and lose the answer.

mod heads;
mod stream;

use heads::{Head, LargeHeads};
use stream::Tracked;

use super::graphql::negotiate::MediaType;
use super::graphql::rejection::Rejection;
use crate::config::ConnectionLimits;
use crate::metrics::Metrics;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// What a client past the cap gets before the connection closes.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 36\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many connections: try again soon";

/// Longest a connection closed after a refusal reads what its client still sends.
pub const LINGER: Duration = Duration::from_secs(2);

/// What a connection may send: [`ConnectionLimits`], and the largest body.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connections: ConnectionLimits,
    pub body_limit: usize,
}

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting and waits (at most `drain`) for the connections to finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    metrics: Metrics,
    drain: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (limits, body_limit) = (limits.connections, limits.body_limit);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let large_heads = LargeHeads::new(limits.max_large_heads);
    let (stop, stopping) = watch::channel(false);
    let builder = http1_builder(&limits);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            metrics.record_refused_connection();
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            builder: builder.clone(),
            router: router.clone(),
            keep_alive: limits.keep_alive_timeout,
            body_limit,
            metrics: metrics.clone(),
            stopping: stopping.clone(),
            large_heads: large_heads.clone(),
        };
        tokio::spawn(async move {
            connection.run(stream).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(drain, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {drain:?}: closing them");
    }
    Ok(())
}

/// hyper's HTTP/1 connections with the limits on heads and idle time.
fn http1_builder(limits: &ConnectionLimits) -> http1::Builder {
    let mut builder = http1::Builder::new();
    // The read buffer stops growing at the header cap too (hyper's least is
    // 8 KiB), so a header that never ends costs no more than the cap.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(limits.max_header_bytes)
        .max_buf_size(limits.max_header_bytes.max(8192))
        .keep_alive(true);
    builder
}

/// Past the cap: a short 503 and the connection closed, within a second.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(REFUSAL).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

struct Connection {
    builder: http1::Builder,
    router: Router,
    keep_alive: Duration,
    body_limit: usize,
    metrics: Metrics,
    stopping: watch::Receiver<bool>,
    large_heads: LargeHeads,
}

/// Requests in flight on one connection, and when the last one ended or the
/// client last sent something: a connection whose client is sending the
/// headers of a request is not idle, however slowly they come (the
/// header-read timeout bounds that).
struct Activity {
    started: Instant,
    in_flight: AtomicUsize,
    last_ms: AtomicU64,
    /// The count of request heads, so that long ones take turns.
    head: Head,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// How long the connection has had nothing to do; `None` while a request runs.
    fn idle(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        Some(self.started.elapsed().saturating_sub(last))
    }
}

/// A connection busy with a request: from its head until its response's body
/// has been sent, however long that goes on (`GET /events`), it is not idle.
struct BusyGuard(Arc<Activity>);

impl BusyGuard {
    fn hold(activity: &Arc<Activity>) -> BusyGuard {
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        BusyGuard(activity.clone())
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.head.responded();
        self.0.touch();
    }
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let activity = Arc::new(Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_ms: AtomicU64::new(0),
            head: Head::default(),
        });
        let stream = Tracked {
            stream,
            activity: activity.clone(),
            large_heads: self.large_heads.clone(),
        };
        let refused = Arc::new(AtomicBool::new(false));
        // Shared by the requests of the connection: one count to take each.
        let service = Arc::new(Service {
            router: self.router.clone(),
            activity: activity.clone(),
            body_limit: self.body_limit,
            metrics: self.metrics.clone(),
            refused: refused.clone(),
        });
        // Called as soon as hyper has parsed a head, before any of its body
        // is read: the count of heads learns where this one ended.
        let service = hyper::service::service_fn(move |request| {
            let busy = BusyGuard::hold(&service.activity);
            let head = &service.activity.head;
            head.parsed(heads::length_of(&request), heads::framing_of(&request));
            service.clone().call(request, busy)
        });
        // With upgrades, for graphql-ws: the connection's future ends once a
        // WebSocket takes the stream over, and the live slot bounds it from then.
        let mut conn = self
            .builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut closing = false;
        let linger = loop {
            let wait = activity
                .idle()
                .map_or(self.keep_alive, |idle| self.keep_alive.saturating_sub(idle));
            tokio::select! {
                result = &mut conn => {
                    break answered(result, &self.metrics)
                        || refused.load(Ordering::Relaxed)
                        || activity.head.refused();
                }
                () = tokio::time::sleep(wait.max(Duration::from_millis(10))), if !closing => {
                    if activity.idle().is_some_and(|idle| idle >= self.keep_alive) {
                        self.metrics.record_idle_close();
                        std::pin::Pin::new(&mut conn).graceful_shutdown();
                        closing = true;
                    }
                }
                _ = self.stopping.changed(), if !closing => {
                    std::pin::Pin::new(&mut conn).graceful_shutdown();
                    closing = true;
                }
            }
        };
        if activity.head.refused() {
            self.metrics.record_large_head_refused();
        }
        activity.head.release();
        // A connection a WebSocket took over has no parts left to linger on.
        if let Some(parts) = conn.into_parts().filter(|_| linger) {
            let stream = parts.io.into_inner().stream;
            stream::close_lingering(stream, activity.head.refused()).await;
        }
    }
}

/// Whether hyper answered the error that ended a connection itself (it
/// answers what it cannot parse: 400, 431, 414), so that it closes lingering.
fn answered(result: hyper::Result<()>, metrics: &Metrics) -> bool {
    match result {
        Ok(()) => false,
        Err(error) => {
            if error.is_timeout() {
                metrics.record_header_timeout();
            }
            error.is_parse() || error.is_parse_too_large()
        }
    }
}

/// The service of one connection: the router, after the checks made before
/// a body is read.
struct Service {
    router: Router,
    activity: Arc<Activity>,
    body_limit: usize,
    metrics: Metrics,
    /// Whether a request was refused here, so the connection closes lingering.
    refused: Arc<AtomicBool>,
}

impl Service {
    /// Answers `request`; `busy` holds the connection busy (no head of it is
    /// refused, it is not idle) until the response's body has been sent.
    async fn call(
        self: Arc<Self>,
        request: hyper::Request<hyper::body::Incoming>,
        busy: BusyGuard,
    ) -> Result<hyper::Response<stream::Sending>, std::convert::Infallible> {
        let activity = &self.activity;
        let response = match announced_over(&request, self.body_limit) {
            Some(length) => {
                self.refused.store(true, Ordering::Relaxed);
                let started = Instant::now();
                let path = request.uri().path();
                let response = too_large(&request, self.body_limit);
                self.metrics.record_request(path, 413, started.elapsed());
                tracing::info!(method = %request.method(), path, status = 413, length, "request");
                response
            }
            None => {
                let request = request.map(axum::body::Body::new);
                match self.router.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            }
        };
        if response.status() == hyper::StatusCode::SWITCHING_PROTOCOLS {
            activity.head.upgraded();
        }
        Ok(response.map(|body| stream::Sending { body, _busy: busy }))
    }
}

/// The length a request announces (`Content-Length`), if over `limit`.
fn announced_over<B>(request: &hyper::Request<B>, limit: usize) -> Option<u64> {
    let length = request
        .headers()
        .get(hyper::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    (length > limit as u64).then_some(length)
}

/// 413 for a body announced over the limit, before it is read: so a client
/// that sent `Expect: 100-continue` is told at once and never sends it. The
/// same answer `/graphql` gives a body found too large while read.
fn too_large<B>(request: &hyper::Request<B>, limit: usize) -> axum::response::Response {
    let media = MediaType::negotiate(request.headers()).unwrap_or(MediaType::Json);
    let mut response = Rejection::BodyTooLarge(limit).respond(media);
    response.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}
