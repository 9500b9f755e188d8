//! `cargo bench -p pathways-cli --bench snapshot` (or `just bench-snapshot`):
//! loading a release into the server's snapshot, and search, for a corpus of
//! over 6,000 steps (the seeds copied 172 times, each copy with its own slugs and
//! text). Reading is the store's whole-release read; building is the indexes.
//! Search is timed both ways on the same release: the database's own full-text
//! index (FTS5 / `tsvector`, one statement) and the snapshot's in-memory index.
//! Medians of several runs in one process; SQLite, and PostgreSQL when
//! `PATHWAYS_TEST_POSTGRES_URL` is set.
#![allow(clippy::disallowed_macros)] // a benchmark prints its figures with println!

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

mod common;

use pathways_server::snapshot::Snapshot;
use pathways_test_db::{Backend, TestDb};
use std::time::{Duration, Instant};

const COPIES: usize = 172;
const RUNS: usize = 5;
const SEARCHES: [&str; 4] = [
    "dementia",
    "assistant practitioner",
    "music therapy",
    "unicorn",
];

fn main() {
    let runtime = common::runtime(2);
    let scratch = tempfile::tempdir().expect("temp folder");
    common::write_scaled_seeds(COPIES, scratch.path());
    let plan = pathways_ingest::validate(&[scratch.path().to_path_buf()], Default::default())
        .plan()
        .expect("a valid corpus");
    let steps = plan.counts().steps;
    println!(
        "{steps} steps, {} roles, median of {RUNS} runs",
        plan.counts().roles
    );

    runtime.block_on(async {
        let mut databases = vec![TestDb::sqlite()];
        databases.extend(TestDb::postgres().await);
        for test in databases {
            let name = match test.backend() {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            };
            let db = pathways_store::connect(test.url()).await.expect("connect");
            pathways_store::queries::write::write_release(&db, &plan, &mut |_| {})
                .await
                .expect("write the corpus");
            let release = pathways_store::queries::releases::published(&db)
                .await
                .expect("read")
                .expect("a release");
            let mut reads = Vec::new();
            let mut builds = Vec::new();
            let mut snapshot = None;
            for _ in 0..RUNS {
                let (loaded, times) = Snapshot::load(&db, release.clone()).await.expect("load");
                reads.push(times.read);
                builds.push(times.build);
                snapshot = Some(loaded);
            }
            let snapshot = snapshot.expect("loaded");
            println!(
                "{name:<9} read {:>9.1?}  build {:>9.1?}  total {:>9.1?}  snapshot {:.1} MB",
                median(&mut reads),
                median(&mut builds),
                median(&mut reads) + median(&mut builds),
                snapshot.bytes as f64 / 1e6
            );
            for text in SEARCHES {
                let mut sql = Vec::new();
                let mut memory = Vec::new();
                let mut hits = (0, 0);
                for _ in 0..RUNS * 4 {
                    let started = Instant::now();
                    hits.0 = pathways_store::queries::search::search(&db, release.id, text, 20)
                        .await
                        .expect("search")
                        .len();
                    sql.push(started.elapsed());
                    let started = Instant::now();
                    hits.1 = snapshot.search(text, 20).len();
                    memory.push(started.elapsed());
                }
                println!(
                    "{name:<9} search {text:<24} database {:>9.1?} ({:>2} hits)  in memory {:>9.1?} ({:>2} hits)",
                    median(&mut sql),
                    hits.0,
                    median(&mut memory),
                    hits.1
                );
            }
        }
    });
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
