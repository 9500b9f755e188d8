//! Readiness means "has a release to serve": a server answers from memory
//! through a database outage, so `/readyz` stays 200 (a load balancer keeps
//! every replica in), while `/readyz?database` and `/metrics`
//! (`pathways_database_up`) say the database is down, and up again after.

use pathways_server::config::ServerConfig;
use pathways_test_db::TestDb;
use pathways_test_support::databases::allow_connections;
use pathways_test_support::server::{metric, quiet};
use pathways_test_support::{seeds_plan, TestServer};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Polls for new releases every 100 ms: the database is looked at often.
fn polling() -> ServerConfig {
    ServerConfig {
        release_poll: Duration::from_millis(100),
        ..quiet()
    }
}

/// Waits until `/metrics` shows `pathways_database_up` at `up`.
async fn wait_for_database_up(server: &TestServer, up: u64) {
    let started = Instant::now();
    loop {
        let text = server.metrics().await;
        if metric(&text, "pathways_database_up") == up {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "pathways_database_up is not {up} after 10 s:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_with_a_release_and_the_database_checked_on_request() {
    let server = TestServer::sqlite(quiet()).await;
    let ready = server.fetch("/readyz").await;
    ready.assert_status(200);
    assert_eq!(ready.text(), "ready: release 1");
    let checked = server.fetch("/readyz?database").await;
    checked.assert_status(200);
    assert_eq!(checked.text(), "ready: release 1; database reachable");
    assert_eq!(server.metric("pathways_database_up").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_leaves_the_server_ready_and_shows_in_the_metrics() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url().to_owned();
    let server = TestServer::start(db, &seeds_plan(), polling()).await;
    wait_for_database_up(&server, 1).await;
    let release = server.data("{ release { id } }", Value::Null).await;
    allow_connections(&url, false).await;
    wait_for_database_up(&server, 0).await;
    let ready = server.fetch("/readyz").await;
    ready.assert_status(200);
    assert_eq!(ready.text(), "ready: release 1");
    let started = Instant::now();
    let checked = server.fetch("/readyz?database").await;
    checked.assert_status(503);
    assert_eq!(checked.text(), "database unreachable");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let served = server.data("{ release { id } }", Value::Null).await;
    assert_eq!(served, release, "served from memory meanwhile");
    allow_connections(&url, true).await;
    wait_for_database_up(&server, 1).await;
    server.fetch("/readyz?database").await.assert_status(200);
}
