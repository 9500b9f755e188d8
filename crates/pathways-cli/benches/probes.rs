//! `cargo bench -p pathways-cli --bench probes` (or `just bench-probes`): how
//! fast `/healthz` and `/readyz` answer while `BENCH_CONNECTIONS` (default 32)
//! connections run the heaviest query the default limits allow, over a release
//! of about 6,000 steps on SQLite. A load balancer's probe with a 1 s timeout
//! must never flap: the target is a p99 under 100 ms.
//!
//! `BENCH_SECONDS` (default 10) sets how long the load runs.
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!
#![allow(clippy::print_stdout)]

mod common;

use pathways_server::config::ServerConfig;
use pathways_test_db::TestDb;
use serde_json::json;
use std::time::{Duration, Instant};

/// Copies of the seeds: 172 × 35 steps, 6,020.
const COPIES: usize = 172;

/// As much of every profession as the default complexity limit admits at once.
const HEAVY: &str = "{ professions(first: 30) { edges { node { slug name steps { title intro role { title description paragraphs } } } } } }";

fn main() {
    let seconds: u64 = env("BENCH_SECONDS", 10);
    let connections: usize = env("BENCH_CONNECTIONS", 32);
    let server_runtime = common::runtime(2);
    let client_runtime = common::runtime(1);
    let scratch = tempfile::tempdir().expect("temp folder");
    common::write_scaled_seeds(COPIES, scratch.path());
    let plan = pathways_ingest::validate(&[scratch.path().to_path_buf()], Default::default())
        .plan()
        .expect("a valid corpus");
    let steps: usize = plan.professions.iter().map(|p| p.steps.len()).sum();
    let db = TestDb::sqlite();
    let base = server_runtime.block_on(async {
        let conn = pathways_store::connect(db.url()).await.expect("connect");
        pathways_store::queries::write::write_release(&conn, &plan, &mut |_| {})
            .await
            .expect("load the corpus");
        start(db.url()).await
    });
    let client = reqwest::Client::new();
    let heavy = client_runtime.block_on(async {
        let answer = client
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": HEAVY }))
            .send()
            .await
            .expect("the heavy query");
        let body = answer.bytes().await.expect("its body");
        assert!(
            !body.starts_with(b"{\"errors\""),
            "the limits refuse the heavy query: {}",
            String::from_utf8_lossy(&body)
        );
        body.len()
    });
    println!(
        "{steps} steps; {connections} connections running a {} KB answer for {seconds} s",
        heavy / 1024
    );
    let (healthz, readyz, answered) =
        client_runtime.block_on(probe_under_load(&base, connections, seconds));
    for (name, latencies) in [("/healthz", healthz), ("/readyz", readyz)] {
        println!(
            "{name:<9} {:>4} probes  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            latencies.len(),
            at(&latencies, 0.5),
            at(&latencies, 0.99),
            at(&latencies, 1.0),
        );
    }
    println!("heavy answers: {:.1}/s", answered as f64 / seconds as f64);
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

async fn start(url: &str) -> String {
    let mut config = ServerConfig::default();
    // Every heavy request runs: the probes compete with execution, not the cache.
    config.cache.enabled = false;
    common::serve(url, config).await
}

/// Runs the load, and probes each path every 50 ms on fresh connections, as a
/// load balancer does; the probes' latencies, and how many heavy answers came.
async fn probe_under_load(
    base: &str,
    connections: usize,
    seconds: u64,
) -> (Vec<Duration>, Vec<Duration>, usize) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let load: Vec<_> = (0..connections)
        .map(|_| {
            let base = base.to_owned();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut answered = 0;
                while Instant::now() < deadline {
                    let sent = client
                        .post(format!("{base}/graphql"))
                        .json(&json!({ "query": HEAVY }))
                        .send()
                        .await;
                    if let Ok(answer) = sent {
                        if answer.bytes().await.is_ok() {
                            answered += 1;
                        }
                    }
                }
                answered
            })
        })
        .collect();
    // Let the load build up before probing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let probe = |path: &'static str| {
        let url = format!("{base}{path}");
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(0)
                    .build()
                    .expect("client");
                let started = Instant::now();
                let answer = client.get(&url).send().await.expect("a probe");
                assert!(answer.status().is_success(), "{url}: {}", answer.status());
                latencies.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            latencies.sort();
            latencies
        })
    };
    let (healthz, readyz) = (probe("/healthz"), probe("/readyz"));
    let healthz = healthz.await.expect("probes");
    let readyz = readyz.await.expect("probes");
    let mut answered = 0;
    for task in load {
        answered += task.await.expect("load");
    }
    (healthz, readyz, answered)
}

/// The latency at quantile `q`, in milliseconds.
fn at(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}
