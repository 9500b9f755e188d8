//! A publish reaches every replica at once on PostgreSQL: servers that never
//! poll serve it through notifications alone, and a replica whose listening
//! connection is killed, and cannot open another, still picks up a publish
//! whose notification it never heard (the poll it falls back on), then
//! listens again.

use pathways_store::listen::APPLICATION_NAME;
use pathways_store::queries::publish::publish;
use pathways_test_db::TestDb;
use pathways_test_support::command::ingest_two_releases;
use pathways_test_support::process::message;
use pathways_test_support::{json, runtime, Served};
use sea_orm::ConnectionTrait;
use std::time::{Duration, Instant};

/// How many log lines of `server` say it is listening.
fn times_listening(server: &Served) -> usize {
    server
        .logs()
        .iter()
        .filter(|log| message(log).starts_with("listening for changes"))
        .count()
}

#[track_caller]
fn wait_until(within: Duration, what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < within, "not {what} within {within:?}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn replicas_that_never_poll_serve_a_publish_through_notifications() {
    let Some(db) = runtime().block_on(TestDb::postgres()) else {
        return;
    };
    ingest_two_releases(db.url());
    let never = ["--release-poll", "1h", "--fallback-poll", "1h"];
    let replicas = [
        Served::start(db.url(), &never),
        Served::start(db.url(), &never),
    ];
    for replica in &replicas {
        wait_until(Duration::from_secs(10), "listening", || {
            times_listening(replica) > 0
        });
    }
    for (release, args) in [("2", vec!["publish", "2"]), ("1", vec!["rollback"])] {
        let mut args = args.clone();
        args.extend(["--database", db.url()]);
        assert_eq!(json(&args).0, 0);
        for replica in &replicas {
            replica.wait_for_release(release, Duration::from_secs(10));
        }
    }
}

/// Lets connections to the test database in again when dropped, however the
/// test ends.
struct Closed<'a> {
    runtime: &'a tokio::runtime::Runtime,
    admin: sea_orm::DatabaseConnection,
    name: String,
}

impl Closed<'_> {
    /// Refuses new connections to `db`'s database (existing ones stay).
    fn close<'a>(db: &TestDb, runtime: &'a tokio::runtime::Runtime) -> Closed<'a> {
        let (server, name) = db.url().rsplit_once('/').unwrap();
        let admin = runtime
            .block_on(sea_orm::Database::connect(format!("{server}/postgres")))
            .unwrap();
        let closed = Closed {
            runtime,
            admin,
            name: name.to_owned(),
        };
        closed.allow(false);
        closed
    }

    fn allow(&self, allow: bool) {
        let sql = format!("ALTER DATABASE \"{}\" ALLOW_CONNECTIONS {allow}", self.name);
        self.runtime
            .block_on(self.admin.execute_unprepared(&sql))
            .unwrap();
    }
}

impl Drop for Closed<'_> {
    fn drop(&mut self) {
        self.allow(true);
    }
}

#[test]
fn a_replica_picks_up_a_publish_whose_notification_was_lost() {
    let Some(db) = runtime().block_on(TestDb::postgres()) else {
        return;
    };
    ingest_two_releases(db.url());
    let replica = Served::start(
        db.url(),
        &["--release-poll", "500ms", "--fallback-poll", "1h"],
    );
    wait_until(Duration::from_secs(10), "listening", || {
        times_listening(&replica) > 0
    });
    // A connection of the test's own, open before the database closes, on a
    // runtime whose workers return pooled connections between statements.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // One connection, kept: the pool waits for it rather than opening another.
    let mut options = sea_orm::ConnectOptions::new(db.url());
    options.max_connections(1).min_connections(1);
    let conn = runtime
        .block_on(sea_orm::Database::connect(options))
        .unwrap();
    let listeners = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = '{APPLICATION_NAME}'"
    );
    let kill_listeners = || {
        runtime
            .block_on(conn.execute_unprepared(&listeners))
            .unwrap()
            .rows_affected()
    };
    // The replica's pool opens connections as it needs them and keeps them
    // idle: have it hold a few before the database closes, so that its polls
    // do not hang on whether one happened to be open (a run failed so).
    runtime.block_on(async {
        let http = replica.http();
        let checks = (0..8).map(|_| http.fetch("/readyz?database"));
        for answer in futures_util::future::join_all(checks).await {
            answer.assert_status(200);
        }
    });
    let closed = Closed::close(&db, &runtime);
    assert_eq!(kill_listeners(), 1, "the replica's listening connection");
    wait_until(Duration::from_secs(10), "the listener gone", || {
        kill_listeners() == 0
    });
    // Nobody listens, and nobody can: this notification is lost. The poll
    // finds it within a few ticks; the wide bound is for a loaded CI machine
    // (a run there once took over 10 s), not a target.
    runtime.block_on(publish(&conn, 2)).unwrap();
    let took = replica.wait_for_release("2", Duration::from_secs(30));
    let metrics = runtime.block_on(async { replica.http().fetch("/metrics").await.text() });
    assert!(
        metrics.contains("pathways_listening 0"),
        "still not listening after {took:?}:\n{metrics}"
    );
    assert_eq!(times_listening(&replica), 1);
    // Connections come back: the replica listens again, and hears.
    drop(closed);
    wait_until(Duration::from_secs(30), "listening again", || {
        times_listening(&replica) > 1
    });
    runtime.block_on(publish(&conn, 1)).unwrap();
    replica.wait_for_release("1", Duration::from_secs(10));
}
