//! Accepting connections with the limits `axum::serve` does not offer: a cap
//! on open connections (past it a client is refused at once with 503, not left
//! hanging), a header-read timeout and an idle keep-alive timeout (hyper's
//! HTTP/1 connection builder with a Tokio timer), and a graceful shutdown that
//! finishes the requests under way. What is refused is counted in `/metrics`.

use crate::config::ConnectionLimits;
use crate::metrics::Metrics;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// What a client past the cap gets before the connection closes.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 36\r\nretry-after: 1\r\nconnection: close\r\n\r\ntoo many connections: try again soon";

/// Serves `router` on `listener` until `shutdown` completes, then stops
/// accepting and waits (at most `drain`) for the connections to finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    metrics: Metrics,
    drain: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
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
            metrics: metrics.clone(),
            stopping: stopping.clone(),
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
    metrics: Metrics,
    stopping: watch::Receiver<bool>,
}

/// Requests in flight on one connection, and when the last one ended.
struct Activity {
    started: Instant,
    in_flight: AtomicUsize,
    last_ms: AtomicU64,
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

/// In every request's extensions: a response that goes on after its head
/// (`GET /events`) holds it, so its connection is busy, not idle, until the
/// stream ends.
#[derive(Clone)]
pub(crate) struct Busy(Arc<Activity>);

impl Busy {
    pub(crate) fn hold(&self) -> BusyGuard {
        self.0.in_flight.fetch_add(1, Ordering::Relaxed);
        BusyGuard(self.0.clone())
    }
}

pub(crate) struct BusyGuard(Arc<Activity>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let activity = Arc::new(Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_ms: AtomicU64::new(0),
        });
        let tracked = activity.clone();
        let router = self.router.clone();
        let service =
            hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                let activity = tracked.clone();
                activity.in_flight.fetch_add(1, Ordering::Relaxed);
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(Busy(activity.clone()));
                let response = router.clone().oneshot(request);
                async move {
                    let response = response.await;
                    activity.in_flight.fetch_sub(1, Ordering::Relaxed);
                    activity.touch();
                    response
                }
            });
        // With upgrades, for graphql-ws: the connection's future ends once a
        // WebSocket takes the stream over, and the live slot bounds it from then.
        let conn = self
            .builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut conn = std::pin::pin!(conn);
        let mut closing = false;
        loop {
            let wait = activity
                .idle()
                .map_or(self.keep_alive, |idle| self.keep_alive.saturating_sub(idle));
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(error) = result {
                        if error.is_timeout() {
                            self.metrics.record_header_timeout();
                        }
                    }
                    return;
                }
                () = tokio::time::sleep(wait.max(Duration::from_millis(10))), if !closing => {
                    if activity.idle().is_some_and(|idle| idle >= self.keep_alive) {
                        self.metrics.record_idle_close();
                        conn.as_mut().graceful_shutdown();
                        closing = true;
                    }
                }
                _ = self.stopping.changed(), if !closing => {
                    conn.as_mut().graceful_shutdown();
                    closing = true;
                }
            }
        }
    }
}
