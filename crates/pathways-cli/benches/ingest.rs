//! `cargo bench --bench ingest`: validate + plan, and writing the release, for
//! the seeds and for a generated corpus 100 times larger. Median of several
//! runs in one process; a fresh SQLite file (and PostgreSQL database, when
//! `PATHWAYS_TEST_POSTGRES_URL` is set) for every write.
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!

mod common;

use pathways_test_db::TestDb;
use std::path::Path;
use std::time::{Duration, Instant};

const SCALE: usize = 100;

fn main() {
    let runtime = common::runtime(2);
    let seeds = common::seeds();
    let scratch = tempfile::tempdir().expect("temp folder");
    let corpus = scratch.path().join("corpus");
    common::write_scaled_seeds(SCALE, &corpus);

    println!(
        "{:<22} {:>6} {:>5} {:>12} {:>12} {:>12} {:>14}",
        "corpus", "steps", "runs", "validate", "write", "total", "per step"
    );
    for (name, path, runs) in [("seeds", &seeds, 15), ("seeds x100", &corpus, 5)] {
        for backend in ["sqlite", "postgres"] {
            let Some(figures) = measure(&runtime, path, runs, backend) else {
                continue;
            };
            let (steps, validate, write) = figures;
            let total = validate + write;
            println!(
                "{:<22} {:>6} {:>5} {:>12} {:>12} {:>12} {:>14}",
                format!("{name} ({backend})"),
                steps,
                runs,
                fmt(validate),
                fmt(write),
                fmt(total),
                format!("{:.1} µs", total.as_secs_f64() * 1e6 / steps as f64)
            );
        }
    }
}

/// Median validate+plan time and median write time over `runs` runs.
fn measure(
    runtime: &tokio::runtime::Runtime,
    path: &Path,
    runs: usize,
    backend: &str,
) -> Option<(usize, Duration, Duration)> {
    let mut validate_times = Vec::new();
    let mut write_times = Vec::new();
    let mut steps = 0;
    for _ in 0..runs {
        let db = match backend {
            "sqlite" => TestDb::sqlite(),
            _ => runtime.block_on(TestDb::postgres())?,
        };
        let started = Instant::now();
        let validation = pathways_ingest::validate(&[path.to_path_buf()], Default::default());
        let plan = validation.plan().expect("the corpus is valid");
        validate_times.push(started.elapsed());
        steps = plan.counts().steps;
        runtime.block_on(async {
            let conn = pathways_store::connect(db.url()).await.expect("connect");
            let started = Instant::now();
            pathways_store::queries::write::write_release(&conn, &plan, &mut |_| {})
                .await
                .expect("write");
            write_times.push(started.elapsed());
            conn.close().await.expect("close");
        });
    }
    Some((steps, median(validate_times), median(write_times)))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn fmt(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
