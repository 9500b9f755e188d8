//! Metrics in the Prometheus text format, through the Prometheus project's own
//! client (`prometheus-client`): requests, latency, GraphQL errors, SQL
//! statements, the response cache, the served snapshot, refused and timed-out
//! connections, webhook deliveries, notifications heard, scheduled
//! publications, releases loaded for previews, and whether the database
//! answered the last look.

use crate::snapshot::{LoadTimes, Snapshot};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Metric, Registry};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

/// The media type of `/metrics`: OpenMetrics text, which Prometheus reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    path: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
    /// As shown: credentials and query string redacted.
    address: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LiveLabels {
    /// `sse` or `graphql-ws`.
    transport: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DroppedLabels {
    transport: &'static str,
    /// `lagged`: missed events the channel no longer held; `slow`: a write
    /// took longer than the send timeout.
    reason: &'static str,
}

#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Histogram,
    graphql_errors: Counter,
    sql_statements: Counter,
    cache_hits: Counter,
    cache_misses: Counter,
    cache_bytes: Gauge,
    release_id: Gauge,
    snapshot_bytes: Gauge,
    snapshot_build_seconds: Gauge<f64, AtomicU64>,
    snapshot_read_seconds: Gauge<f64, AtomicU64>,
    connections_refused: Counter,
    header_timeouts: Counter,
    large_heads_refused: Counter,
    idle_closes: Counter,
    webhooks: Family<OutcomeLabels, Counter>,
    notifications: Counter,
    listener_reconnects: Counter,
    listening: Gauge,
    scheduled_publications: Counter,
    preview_loads: Counter,
    database_up: Gauge,
    live_subscribers: Family<LiveLabels, Gauge>,
    live_events: Family<LiveLabels, Counter>,
    live_dropped: Family<DroppedLabels, Counter>,
    live_refused: Counter,
}

/// A new metric, registered under `name` with `help`.
fn registered<M: Metric + Default + Clone>(registry: &mut Registry, name: &str, help: &str) -> M {
    let metric = M::default();
    registry.register(name, help, metric.clone());
    metric
}

/// `gauge`, set to 1: a server starts only once it has read the database.
fn up(gauge: Gauge) -> Gauge {
    gauge.set(1);
    gauge
}

impl Default for Metrics {
    fn default() -> Self {
        let mut r = Registry::default();
        let latency = Histogram::new(BUCKETS);
        r.register(
            "pathways_graphql_request_duration_seconds",
            "Time to answer /graphql",
            latency.clone(),
        );
        Metrics {
            requests: registered(
                &mut r,
                "pathways_http_requests",
                "HTTP requests by path and status",
            ),
            latency,
            graphql_errors: registered(
                &mut r,
                "pathways_graphql_errors",
                "GraphQL errors returned",
            ),
            sql_statements: registered(&mut r, "pathways_sql_statements", "SQL statements run"),
            cache_hits: registered(
                &mut r,
                "pathways_response_cache_hits",
                "Responses answered from the cache",
            ),
            cache_misses: registered(
                &mut r,
                "pathways_response_cache_misses",
                "Cacheable responses not in the cache",
            ),
            connections_refused: registered(
                &mut r,
                "pathways_connections_refused",
                "Connections refused with 503 because the connection cap was reached",
            ),
            header_timeouts: registered(
                &mut r,
                "pathways_header_read_timeouts",
                "Connections closed because a request's headers took longer than the header-read timeout",
            ),
            large_heads_refused: registered(
                &mut r,
                "pathways_large_heads_refused",
                "Requests refused with 431 because their headers ran past 8 KiB while --max-large-heads others did",
            ),
            idle_closes: registered(
                &mut r,
                "pathways_idle_connections_closed",
                "Keep-alive connections closed after sitting idle",
            ),
            cache_bytes: registered(
                &mut r,
                "pathways_response_cache_bytes",
                "Bytes held by the response cache",
            ),
            release_id: registered(
                &mut r,
                "pathways_release_id",
                "The release being served (0: none)",
            ),
            snapshot_bytes: registered(
                &mut r,
                "pathways_snapshot_bytes",
                "Bytes held by the last loaded release's snapshot, indexes included",
            ),
            snapshot_build_seconds: registered(
                &mut r,
                "pathways_snapshot_build_seconds",
                "Time to build the last loaded snapshot's indexes",
            ),
            snapshot_read_seconds: registered(
                &mut r,
                "pathways_snapshot_read_seconds",
                "Time to read the last loaded release from the database",
            ),
            webhooks: registered(
                &mut r,
                "pathways_webhook_attempts",
                "Webhook delivery attempts by outcome (delivered: a 2xx; failed: anything else) and address (credentials and query string redacted)",
            ),
            notifications: registered(
                &mut r,
                "pathways_release_notifications",
                "Changes heard of through PostgreSQL notifications",
            ),
            listener_reconnects: registered(
                &mut r,
                "pathways_listener_reconnects",
                "Times the listening connection was lost and opened again (what was announced meanwhile is looked for)",
            ),
            listening: registered(
                &mut r,
                "pathways_listening",
                "Whether the server hears of changes through PostgreSQL notifications now: 1 or 0 (then it polls every release poll)",
            ),
            scheduled_publications: registered(
                &mut r,
                "pathways_scheduled_publications",
                "Scheduled releases this server published",
            ),
            preview_loads: registered(
                &mut r,
                "pathways_preview_loads",
                "Releases read from the database for previews (kept previews and previews waiting on a load under way do not count)",
            ),
            database_up: up(registered(
                &mut r,
                "pathways_database_up",
                "Whether the database answered the server's last look (a poll, a notification, /readyz?database): 1 or 0. The server serves its release from memory either way",
            )),
            live_subscribers: registered(
                &mut r,
                "pathways_live_subscribers",
                "Live subscribers connected now, by transport (sse: GET /events; graphql-ws: WebSocket connections on /graphql)",
            ),
            live_events: registered(
                &mut r,
                "pathways_live_events_sent",
                "Release events sent to live subscribers, by transport",
            ),
            live_dropped: registered(
                &mut r,
                "pathways_live_subscribers_dropped",
                "Live subscribers dropped for falling behind (lagged: events missed; slow: a write took longer than the send timeout)",
            ),
            live_refused: registered(
                &mut r,
                "pathways_live_subscribers_refused",
                "Live subscribers refused because the subscriber cap was reached",
            ),
            registry: Arc::new(r),
        }
    }
}

impl Metrics {
    /// The counter the database connection's metric callback adds to.
    pub fn sql_counter(&self) -> Counter {
        self.sql_statements.clone()
    }

    pub fn sql_statements(&self) -> u64 {
        self.sql_statements.get()
    }

    pub fn record_request(&self, path: &str, status: u16, elapsed: Duration) {
        // Unknown paths are one label, so scanners cannot grow the metrics without bound.
        let path = match path {
            "/graphql" => "/graphql",
            "/graphiql" => "/graphiql",
            "/healthz" => "/healthz",
            "/readyz" => "/readyz",
            "/metrics" => "/metrics",
            "/" => "/",
            _ => "other",
        };
        self.requests
            .get_or_create(&RequestLabels { path, status })
            .inc();
        if path == "/graphql" {
            self.latency.observe(elapsed.as_secs_f64());
        }
    }

    pub fn record_graphql_errors(&self, n: usize) {
        self.graphql_errors.inc_by(n as u64);
    }

    pub fn record_cache(&self, hit: bool) {
        if hit {
            self.cache_hits.inc();
        } else {
            self.cache_misses.inc();
        }
    }

    /// A client past the connection cap, refused with 503.
    pub fn record_refused_connection(&self) {
        self.connections_refused.inc();
    }

    /// A connection closed because its request's headers took too long.
    pub fn record_header_timeout(&self) {
        self.header_timeouts.inc();
    }

    /// A request whose headers ran past 8 KiB with no turn free, refused with 431.
    pub fn record_large_head_refused(&self) {
        self.large_heads_refused.inc();
    }

    /// A keep-alive connection closed after sitting idle.
    pub fn record_idle_close(&self) {
        self.idle_closes.inc();
    }

    /// An attempt to `address`, given as shown (redacted).
    pub fn record_webhook(&self, delivered: bool, address: &str) {
        let outcome = if delivered { "delivered" } else { "failed" };
        self.webhooks
            .get_or_create(&OutcomeLabels {
                outcome,
                address: address.to_owned(),
            })
            .inc();
    }

    pub fn record_notification(&self) {
        self.notifications.inc();
    }

    pub fn record_listener_reconnect(&self) {
        self.listener_reconnects.inc();
    }

    pub fn record_listening(&self, up: bool) {
        self.listening.set(i64::from(up));
    }

    /// A release read from the database for a preview.
    pub fn record_preview_load(&self) {
        self.preview_loads.inc();
    }

    /// Releases read from the database for previews so far.
    pub fn preview_loads(&self) -> u64 {
        self.preview_loads.get()
    }

    /// Whether the database answered a look at it.
    pub fn record_database(&self, up: bool) {
        self.database_up.set(i64::from(up));
    }

    pub fn record_scheduled_publication(&self) {
        self.scheduled_publications.inc();
    }

    /// A live subscriber on `transport` came (`+1`) or went (`-1`).
    pub fn record_live_subscriber(&self, transport: &'static str, delta: i64) {
        self.live_subscribers
            .get_or_create(&LiveLabels { transport })
            .inc_by(delta);
    }

    pub fn record_live_event(&self, transport: &'static str) {
        self.live_events
            .get_or_create(&LiveLabels { transport })
            .inc();
    }

    pub fn record_live_dropped(&self, transport: &'static str, reason: &'static str) {
        self.live_dropped
            .get_or_create(&DroppedLabels { transport, reason })
            .inc();
    }

    pub fn record_live_refused(&self) {
        self.live_refused.inc();
    }

    pub fn record_snapshot(&self, snapshot: &Snapshot, times: LoadTimes) {
        self.snapshot_bytes
            .set(i64::try_from(snapshot.bytes).unwrap_or(i64::MAX));
        self.snapshot_build_seconds.set(times.build.as_secs_f64());
        self.snapshot_read_seconds.set(times.read.as_secs_f64());
    }

    /// The text `/metrics` answers, with the gauges read at the time of asking.
    pub fn render(&self, release_id: Option<i32>, cache_bytes: usize) -> String {
        self.release_id.set(release_id.map_or(0, i64::from));
        self.cache_bytes
            .set(i64::try_from(cache_bytes).unwrap_or(i64::MAX));
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::error!("could not encode the metrics");
        }
        out
    }
}
