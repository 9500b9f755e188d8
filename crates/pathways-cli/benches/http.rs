//! `cargo bench -p pathways-cli --bench http` (or `just bench-http`): requests/s
//! and p50/p99 latency over HTTP for the full nested query, a one-profession
//! query, a search, and the physiotherapist's page (HTML) beside the GraphQL query
//! it needs, with the response cache on and off, beside the same server
//! answering fixed bytes from a plain axum route (`/healthz`): the ceiling on this
//! machine. Over SQLite, and over PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set.
//!
//! Set `BENCH_SECONDS` (default 5), `BENCH_CONNECTIONS` (default 32),
//! `BENCH_CACHE` (`on`, `off`; both by default), `BENCH_DATABASE` (`sqlite`,
//! `postgres`; both by default) and `BENCH_ROWS` (words of the rows to run, such
//! as `search,page`; the fixed-bytes ceiling always runs). With `BENCH_URL=http://host:port` it starts no
//! server and drives that one instead (cache and database are then the server's;
//! `benches/rss.sh` uses this to watch a real `pathways serve` process, and
//! `benches/before_after.sh` to compare two builds), reading the CPU time of the
//! process `BENCH_PID` when set.
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

mod common;

use common::Cpu;
use pathways_server::config::ServerConfig;
use pathways_test_db::{Backend, TestDb};
use serde_json::json;
use std::time::{Duration, Instant};

const FULL: &str = "{ professions(first: 100) { totalCount edges { node { slug name hasPathway levels { level { number label } routes { slug name stages { position name optional } } steps { position title intro entryRoute { slug } role { slug title shared description jobTitles workingWith usedBy { slug } } } } } } } }";
const ONE: &str = r#"{ profession(slug: "physiotherapist") { name steps { position title level { number label } entryRoute { name stages { name optional } } role { slug title description } } } }"#;
const SEARCH: &str = r#"{ search(text: "dementia care", first: 20) { kind title snippet profession { slug } role { slug } } }"#;
/// What the physiotherapist's page shows, as the explorer asks GraphQL for it.
const PAGE_QUERY: &str = r#"{ profession(slug: "physiotherapist") { slug name hasPathway levels { level { number label } steps { position title intro level { label } entryRoute { slug name stages { position name optional } } role { slug title description shared usedBy { slug name } } } } } }"#;
const QUERIES: [(&str, &str); 4] = [
    ("full nested query", FULL),
    ("one profession", ONE),
    ("search", SEARCH),
    ("a page's query", PAGE_QUERY),
];
/// The same profession as a page rendered on the server.
const PAGE: &str = "/professions/physiotherapist";
const PAGE_ROW: &str = "its page (HTML)";

/// The name of the server's threads, whose CPU time each row reports.
const SERVER_THREADS: &str = "bench-server";
const SERVER: Cpu = Cpu::Threads(SERVER_THREADS);

struct Figures {
    /// The server's CPU time (its threads') per request answered.
    cpu: Duration,
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let connections: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let server_runtime = common::named_runtime(2, SERVER_THREADS);
    let client_runtime = common::runtime(1);
    if let Ok(base) = std::env::var("BENCH_URL") {
        println!("{connections} connections, {seconds} s per row, against {base}");
        // Without a process to read, the CPU column stays at zero.
        let whose = std::env::var("BENCH_PID")
            .ok()
            .and_then(|pid| pid.parse().ok())
            .map_or(Cpu::Threads(SERVER_THREADS), Cpu::Process);
        let run =
            |target| client_runtime.block_on(drive(&base, target, whose, connections, seconds));
        let ceiling = run(Target::Fixed);
        print_row(
            "fixed bytes (/healthz)",
            "external",
            false,
            &ceiling,
            ceiling.rps,
        );
        for (name, query) in QUERIES.into_iter().filter(|(name, _)| row_wanted(name)) {
            let figures = run(Target::Graphql(query));
            print_row(name, "external", false, &figures, ceiling.rps);
        }
        return;
    }
    let plan = pathways_ingest::validate(&[common::seeds()], Default::default())
        .plan()
        .expect("valid seeds");
    let wanted = std::env::var("BENCH_DATABASE").ok();
    let mut databases = Vec::new();
    if wanted.as_deref().is_none_or(|w| w == "sqlite") {
        databases.push(TestDb::sqlite());
    }
    if wanted.as_deref().is_none_or(|w| w == "postgres") {
        databases.extend(server_runtime.block_on(TestDb::postgres()));
    }
    let caches: &[bool] = match std::env::var("BENCH_CACHE").as_deref() {
        Ok("on") => &[true],
        Ok("off") => &[false],
        _ => &[true, false],
    };

    println!("{connections} connections, {seconds} s per row, release build");
    println!(
        "{:<26} {:>9} {:>6} {:>10} {:>9} {:>9} {:>9} {:>7} {:>10}",
        "target", "database", "cache", "req/s", "p50", "p99", "ceiling", "errors", "CPU/req"
    );
    for db in &databases {
        server_runtime.block_on(async {
            let conn = pathways_store::connect(db.url()).await.expect("connect");
            pathways_store::queries::write::write_release(&conn, &plan, &mut |_| {})
                .await
                .expect("load seeds");
        });
        let database = match db.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        for &cache in caches {
            let base = server_runtime.block_on(start(db.url(), cache));
            let run = |target| {
                client_runtime.block_on(drive(&base, target, SERVER, connections, seconds))
            };
            let ceiling = run(Target::Fixed);
            let row = |name: &str, figures: &Figures| {
                print_row(name, database, cache, figures, ceiling.rps)
            };
            row("fixed bytes (/healthz)", &ceiling);
            for (name, query) in QUERIES.into_iter().filter(|(name, _)| row_wanted(name)) {
                row(name, &run(Target::Graphql(query)));
            }
            if row_wanted(PAGE_ROW) {
                row(PAGE_ROW, &run(Target::Page(PAGE)));
            }
        }
    }
}

/// Whether `BENCH_ROWS` asks for the row `name` (all rows without it).
fn row_wanted(name: &str) -> bool {
    std::env::var("BENCH_ROWS").map_or(true, |rows| {
        rows.split(',')
            .any(|word| !word.trim().is_empty() && name.contains(word.trim()))
    })
}

fn print_row(name: &str, database: &str, cache: bool, f: &Figures, ceiling: f64) {
    println!(
        "{:<26} {:>9} {:>6} {:>10.0} {:>7.2}ms {:>7.2}ms {:>8.3}x {:>7} {:>8.0}µs",
        name,
        database,
        if cache { "on" } else { "off" },
        f.rps,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        f.rps / ceiling,
        f.errors,
        f.cpu.as_secs_f64() * 1e6
    );
}

async fn start(url: &str, cache: bool) -> String {
    let mut config = ServerConfig::default();
    config.cache.enabled = cache;
    // The full nested query costs more than the default complexity limit admits.
    config.limits.max_complexity = 1_000_000;
    common::serve(url, config).await
}

/// One request; whether it succeeded.
async fn send(client: &reqwest::Client, base: &str, target: Target) -> bool {
    let response = match target {
        Target::Fixed => client.get(format!("{base}/healthz")).send().await,
        Target::Page(path) => client.get(format!("{base}{path}")).send().await,
        Target::Graphql(query) => {
            client
                .post(format!("{base}/graphql"))
                .json(&json!({"query": query}))
                .send()
                .await
        }
    };
    match response {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    }
}

#[derive(Clone, Copy)]
enum Target {
    Fixed,
    Page(&'static str),
    Graphql(&'static str),
}

async fn drive(
    base: &str,
    target: Target,
    whose: Cpu<'_>,
    connections: usize,
    seconds: u64,
) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    // Warm up connections and caches.
    for _ in 0..connections {
        send(&client, base, target).await;
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let cpu_before = common::cpu_of(whose);
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let client = client.clone();
            let base = base.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if send(&client, &base, target).await {
                        latencies.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (l, e) = worker.await.expect("worker");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    let cpu = common::cpu_of(whose).saturating_sub(cpu_before);
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Figures {
        cpu: cpu / u32::try_from(latencies.len().max(1)).unwrap_or(u32::MAX),
        rps: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        errors,
    }
}
