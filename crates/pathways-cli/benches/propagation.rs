//! `cargo bench -p pathways-cli --bench propagation` (or `just bench-propagation`):
//! how soon a publish reaches every replica. Two `pathways serve` processes of
//! the release binary run over one PostgreSQL database (`PATHWAYS_TEST_POSTGRES_URL`);
//! `pathways publish` (a process, as a steward runs it) publishes the seeds
//! and a changed copy in turn, `BENCH_PUBLISHES` times (default 20), each
//! after a pause of 0 to 2 s so publishes fall anywhere in a poll. Each is
//! timed from the command's return to both replicas answering `{ release { id } }`
//! with the new release (asked every millisecond or so).
//!
//! Twice in one run: *before*, the replicas poll as they did before they
//! listened (`--no-listen --release-poll 2s`); *after*, as they run by
//! default (listening, polling every 30 s as the fallback). Each row also
//! gives the statements a replica runs per minute when nothing happens,
//! counted by `/metrics` over `BENCH_IDLE_SECONDS` (default 10).
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

mod common;

use pathways_test_db::TestDb;
use pathways_test_support::process::{serve_command_at, Starting};
use pathways_test_support::{changed_seeds, Served};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_pathways");

fn main() {
    let publishes: usize = env_number("BENCH_PUBLISHES", 20);
    let idle = Duration::from_secs(env_number("BENCH_IDLE_SECONDS", 10) as u64);
    let runtime = common::runtime(1);
    let Some(db) = runtime.block_on(TestDb::postgres()) else {
        println!("the propagation benchmark needs PostgreSQL: set PATHWAYS_TEST_POSTGRES_URL");
        return;
    };
    let changed = changed_seeds();
    pathways(&["ingest", common::seeds().to_str().unwrap()], db.url());
    pathways(
        &["ingest", changed.path().to_str().unwrap(), "--stage"],
        db.url(),
    );
    println!("{publishes} publishes, two replicas on PostgreSQL, release binary");
    println!(
        "{:<44} {:>9} {:>9} {:>9} {:>9} {:>16}",
        "replicas", "p50", "p95", "max", "mean", "idle statements"
    );
    let modes: [(&str, &[&str]); 2] = [
        (
            "before: polling (--no-listen, poll 2 s)",
            &["--no-listen", "--release-poll", "2s"],
        ),
        ("after: listening (poll 2 s, fallback 30 s)", &[]),
    ];
    let mut served = 1;
    for (name, args) in modes {
        let replicas = [replica(db.url(), args), replica(db.url(), args)];
        let idle_rate = runtime.block_on(idle_statements(&replicas, idle));
        let mut times = Vec::new();
        let mut pause = Pause(7);
        for _ in 0..publishes {
            served = 3 - served;
            std::thread::sleep(pause.next());
            pathways(&["publish", &served.to_string()], db.url());
            let returned = Instant::now();
            runtime.block_on(both_serve(&replicas, served));
            times.push(returned.elapsed());
        }
        times.sort();
        let percentile = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "{:<44} {:>7.0}ms {:>7.0}ms {:>7.0}ms {:>7.0}ms {:>11.1}/min",
            name,
            ms(percentile(0.5)),
            ms(percentile(0.95)),
            ms(percentile(1.0)),
            ms(mean),
            idle_rate,
        );
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `pathways ARGS --database URL`, which must succeed.
fn pathways(args: &[&str], url: &str) {
    let output = Command::new(BINARY)
        .args(args)
        .args(["--database", url])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run pathways");
    assert!(
        output.status.success(),
        "pathways {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A replica: `pathways serve` of the release binary with `args`.
fn replica(url: &str, args: &[&str]) -> Served {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = serve_command_at(Path::new(BINARY), dir, url);
    command.args(args);
    Starting::new(command).wait()
}

/// Waits until both replicas answer with release `id`.
async fn both_serve(replicas: &[Served; 2], id: i32) {
    let wanted = id.to_string();
    let wait = |replica: &Served| {
        let http = replica.http();
        let wanted = wanted.clone();
        async move {
            loop {
                let body = http.query("{ release { id } }", json!({})).await.json();
                if body["data"]["release"]["id"].as_str() == Some(&wanted) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    };
    let both = async { tokio::join!(wait(&replicas[0]), wait(&replicas[1])) };
    tokio::time::timeout(Duration::from_secs(60), both)
        .await
        .expect("both replicas serve the release within a minute");
}

/// Statements per minute the replicas run (each, on average) while nothing happens.
async fn idle_statements(replicas: &[Served; 2], over: Duration) -> f64 {
    let count = |replica: &Served| {
        let http = replica.http();
        async move {
            let text = http.fetch("/metrics").await.text();
            text.lines()
                .find_map(|l| l.strip_prefix("pathways_sql_statements_total "))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        }
    };
    let before = count(&replicas[0]).await + count(&replicas[1]).await;
    tokio::time::sleep(over).await;
    let after = count(&replicas[0]).await + count(&replicas[1]).await;
    (after - before) / 2.0 * 60.0 / over.as_secs_f64()
}

/// Pauses of 0 to 2 s, the same in every run (a small linear congruential
/// generator), so publishes land anywhere in a 2 s poll.
struct Pause(u64);

impl Pause {
    fn next(&mut self) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        Duration::from_millis((self.0 >> 33) % 2001)
    }
}
