//! Prometheus text metrics: requests, latency, GraphQL errors, SQL statements, cache use.

use crate::snapshot::LoadTimes;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5,
];

#[derive(Debug, Clone, Default)]
pub struct Metrics {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    graphql_errors: AtomicU64,
    sql_statements: Arc<AtomicU64>,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
    snapshot: Mutex<SnapshotFigures>,
    webhooks_delivered: AtomicU64,
    webhooks_failed: AtomicU64,
    connections_refused: AtomicU64,
    header_timeouts: AtomicU64,
    idle_closes: AtomicU64,
}

/// The served snapshot's size and what it took to load.
#[derive(Debug, Default, Clone, Copy)]
struct SnapshotFigures {
    bytes: usize,
    build_seconds: f64,
    read_seconds: f64,
}

impl Metrics {
    /// The counter the database connection's metric callback adds to.
    pub fn sql_counter(&self) -> Arc<AtomicU64> {
        self.inner.sql_statements.clone()
    }

    pub fn sql_statements(&self) -> u64 {
        self.inner.sql_statements.load(Ordering::Relaxed)
    }

    pub fn record_request(&self, path: &str, status: u16, elapsed: Duration) {
        // Unknown paths are one label, so scanners cannot grow the metrics without bound.
        let path = match path {
            "/graphql" | "/graphiql" | "/healthz" | "/readyz" | "/metrics" | "/" => path,
            _ => "other",
        };
        *self
            .lock_requests()
            .entry((path.to_owned(), status))
            .or_default() += 1;
        if path == "/graphql" {
            let seconds = elapsed.as_secs_f64();
            for (bucket, bound) in self.inner.latency_buckets.iter().zip(BUCKETS) {
                if seconds <= bound {
                    bucket.fetch_add(1, Ordering::Relaxed);
                }
            }
            self.inner.latency_count.fetch_add(1, Ordering::Relaxed);
            self.inner
                .latency_micros
                .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        }
    }

    pub fn record_graphql_errors(&self, n: usize) {
        self.inner
            .graphql_errors
            .fetch_add(n as u64, Ordering::Relaxed);
    }

    pub fn record_cache(&self, hit: bool) {
        let counter = if hit {
            &self.inner.cache_hits
        } else {
            &self.inner.cache_misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// A client past the connection cap, refused with 503.
    pub fn record_refused_connection(&self) {
        self.inner
            .connections_refused
            .fetch_add(1, Ordering::Relaxed);
    }

    /// A connection closed because its request's headers took too long.
    pub fn record_header_timeout(&self) {
        self.inner.header_timeouts.fetch_add(1, Ordering::Relaxed);
    }

    /// A keep-alive connection closed after sitting idle.
    pub fn record_idle_close(&self) {
        self.inner.idle_closes.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_webhook(&self, delivered: bool) {
        let counter = if delivered {
            &self.inner.webhooks_delivered
        } else {
            &self.inner.webhooks_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_snapshot(&self, snapshot: &crate::snapshot::Snapshot, times: LoadTimes) {
        *self
            .inner
            .snapshot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = SnapshotFigures {
            bytes: snapshot.bytes,
            build_seconds: times.build.as_secs_f64(),
            read_seconds: times.read.as_secs_f64(),
        };
    }

    pub fn render(&self, release_id: Option<i32>, cache_bytes: usize) -> String {
        let mut out = String::new();
        let i = &self.inner;
        out.push_str("# HELP pathways_http_requests_total HTTP requests by path and status.\n# TYPE pathways_http_requests_total counter\n");
        for ((path, status), n) in self.lock_requests().iter() {
            let _ = writeln!(
                out,
                "pathways_http_requests_total{{path=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP pathways_graphql_request_duration_seconds Time to answer /graphql.\n# TYPE pathways_graphql_request_duration_seconds histogram\n");
        for (bucket, bound) in i.latency_buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "pathways_graphql_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = i.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "pathways_graphql_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "pathways_graphql_request_duration_seconds_sum {}",
            i.latency_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "pathways_graphql_request_duration_seconds_count {count}"
        );
        let counters = [
            (
                "pathways_graphql_errors_total",
                "GraphQL errors returned.",
                i.graphql_errors.load(Ordering::Relaxed),
            ),
            (
                "pathways_sql_statements_total",
                "SQL statements run.",
                i.sql_statements.load(Ordering::Relaxed),
            ),
            (
                "pathways_response_cache_hits_total",
                "Responses answered from the cache.",
                i.cache_hits.load(Ordering::Relaxed),
            ),
            (
                "pathways_response_cache_misses_total",
                "Cacheable responses not in the cache.",
                i.cache_misses.load(Ordering::Relaxed),
            ),
            (
                "pathways_connections_refused_total",
                "Connections refused with 503 because the connection cap was reached.",
                i.connections_refused.load(Ordering::Relaxed),
            ),
            (
                "pathways_header_read_timeouts_total",
                "Connections closed because a request's headers took longer than the header-read timeout.",
                i.header_timeouts.load(Ordering::Relaxed),
            ),
            (
                "pathways_idle_connections_closed_total",
                "Keep-alive connections closed after sitting idle.",
                i.idle_closes.load(Ordering::Relaxed),
            ),
            (
                "pathways_webhooks_delivered_total",
                "Webhook attempts answered with a 2xx.",
                i.webhooks_delivered.load(Ordering::Relaxed),
            ),
            (
                "pathways_webhooks_failed_total",
                "Webhook attempts that failed (to be retried, or given up).",
                i.webhooks_failed.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        }
        let _ = writeln!(out, "# HELP pathways_response_cache_bytes Bytes held by the response cache.\n# TYPE pathways_response_cache_bytes gauge\npathways_response_cache_bytes {cache_bytes}");
        let snapshot = *i
            .snapshot
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = writeln!(out, "# HELP pathways_snapshot_bytes Estimated heap bytes of the served release's snapshot, indexes included.\n# TYPE pathways_snapshot_bytes gauge\npathways_snapshot_bytes {}", snapshot.bytes);
        let _ = writeln!(out, "# HELP pathways_snapshot_build_seconds Time to build the served snapshot's indexes.\n# TYPE pathways_snapshot_build_seconds gauge\npathways_snapshot_build_seconds {}", snapshot.build_seconds);
        let _ = writeln!(out, "# HELP pathways_snapshot_read_seconds Time to read the served release from the database.\n# TYPE pathways_snapshot_read_seconds gauge\npathways_snapshot_read_seconds {}", snapshot.read_seconds);
        let _ = writeln!(out, "# HELP pathways_release_id The release being served (0: none).\n# TYPE pathways_release_id gauge\npathways_release_id {}", release_id.unwrap_or(0));
        out
    }

    fn lock_requests(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, u16), u64>> {
        self.inner
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
