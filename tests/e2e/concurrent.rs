//! Processes started together over one new database, as a first deploy with
//! several replicas does: they migrate once, seed once, and all come up.

use pathways_store::migrations::Migrator;
use pathways_test_db::TestDb;
use pathways_test_support::command::command;
use pathways_test_support::databases::count;
use pathways_test_support::{runtime, Served};
use sea_orm_migration::MigratorTrait;

/// Starts `servers` servers and `ingests` ingests of the seeds at once on `db`,
/// then checks every one came up or succeeded, that there is one release, and
/// that every migration is recorded once.
fn start_together(db: &TestDb, servers: usize, ingests: usize) {
    let starting: Vec<_> = (0..servers).map(|_| Served::spawn(db.url(), &[])).collect();
    let ingesting: Vec<_> = (0..ingests)
        .map(|_| {
            command()
                .args([
                    "ingest",
                    "seeds",
                    "--database",
                    db.url(),
                    "--format",
                    "json",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start pathways ingest")
        })
        .collect();
    for ingest in ingesting {
        let output = ingest.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{:?}: an ingest failed: {}{}",
            db.backend(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let served: Vec<Served> = starting.into_iter().map(|s| s.wait()).collect();
    for server in &served {
        assert_eq!(
            server.served_release().as_deref(),
            Some("1"),
            "{:?}",
            db.backend()
        );
    }
    assert_eq!(
        count(db.url(), "SELECT COUNT(*) FROM releases"),
        1,
        "{:?}: the seeds were loaded more than once",
        db.backend()
    );
    assert_eq!(
        count(db.url(), "SELECT COUNT(*) FROM seaql_migrations"),
        Migrator::migrations().len() as i64,
        "{:?}",
        db.backend()
    );
}

#[test]
fn three_servers_and_two_ingests_start_together_on_an_empty_postgres_database_ten_times() {
    for _ in 0..10 {
        let Some(db) = runtime().block_on(TestDb::postgres()) else {
            return;
        };
        start_together(&db, 3, 2);
    }
}

#[test]
fn two_servers_start_together_on_one_new_sqlite_file_ten_times() {
    for _ in 0..10 {
        start_together(&TestDb::sqlite(), 2, 0);
    }
}

#[test]
fn servers_and_ingests_start_together_on_one_new_sqlite_file() {
    for _ in 0..3 {
        start_together(&TestDb::sqlite(), 2, 2);
    }
}
