//! Previews follow the release log: a pruned release is not previewable, even
//! from a running server's memory, and previews of one release arriving
//! together load it once (`pathways_preview_loads`), and a database outage
//! during a preview load is a coded 503 while published reads go on.

use pathways_server::config::{Secret, ServerConfig};
use pathways_store::queries::history::prune;
use pathways_store::queries::write::{write, WriteOptions};
use pathways_test_db::TestDb;
use pathways_test_support::databases::allow_connections;
use pathways_test_support::server::quiet;
use pathways_test_support::{seeds_plan, Response, TestServer};

const TOKEN: &str = "preview-token-for-tests";

fn previewing() -> ServerConfig {
    ServerConfig {
        preview_token: Some(Secret::new(TOKEN)),
        ..quiet()
    }
}

/// Stages the seeds under the page title `title`; returns the new release's id.
async fn stage(server: &TestServer, title: &str) -> i32 {
    let mut plan = seeds_plan();
    plan.page.title = title.into();
    let options = WriteOptions {
        stage: true,
        note: None,
    };
    let written = write(&server.db, &plan, &options, &mut |_| {})
        .await
        .unwrap();
    written.outcome.release().id
}

async fn preview(server: &TestServer, id: i32) -> Response {
    let request = server
        .get_query("{ page { title } release { id } }")
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("pathways-release", id.to_string());
    server.send(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruned_release_is_not_previewable_from_memory() {
    for server in TestServer::each(previewing).await {
        let (doomed, kept) = (stage(&server, "Doomed").await, stage(&server, "Kept").await);
        let data = preview(&server, doomed).await.assert_ok();
        assert_eq!(data["page"]["title"], "Doomed");
        prune(&server.db, 0, &[doomed], false).await.unwrap();
        // The server looks (as its poll or a notification would have it do).
        let state = &server.state;
        state
            .release()
            .refresh(&server.db, state.metrics())
            .await
            .unwrap();
        preview(&server, doomed)
            .await
            .assert_status(404)
            .assert_code("NOT_FOUND");
        preview(&server, 999).await.assert_status(404);
        assert_eq!(
            preview(&server, kept).await.assert_ok()["page"]["title"],
            "Kept"
        );
        assert_eq!(server.metric("pathways_preview_loads_total").await, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_previews_of_one_release_at_once_load_it_once() {
    for server in TestServer::each(previewing).await {
        let id = stage(&server, "Staged").await;
        let server = std::sync::Arc::new(server);
        let mut previews = tokio::task::JoinSet::new();
        for _ in 0..30 {
            let server = server.clone();
            previews.spawn(async move { preview(&server, id).await.assert_ok() });
        }
        for data in previews.join_all().await {
            assert_eq!(data["page"]["title"], "Staged");
        }
        assert_eq!(server.metric("pathways_preview_loads_total").await, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_during_a_preview_load_is_a_coded_503_and_published_reads_go_on() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url().to_owned();
    let server = TestServer::start(db, &seeds_plan(), previewing()).await;
    let id = stage(&server, "Staged").await;
    allow_connections(&url, false).await;
    let refused = preview(&server, id).await;
    refused
        .assert_status(503)
        .assert_code("DATABASE_UNAVAILABLE")
        .assert_media_type("application/json");
    let published = server.fetch("/graphql?query={page{title}}").await;
    assert_eq!(
        published.assert_ok()["page"]["title"],
        "Explore AHP career pathways"
    );
    server.fetch("/readyz").await.assert_status(200);
    allow_connections(&url, true).await;
    let data = preview(&server, id).await.assert_ok();
    assert_eq!(data["page"]["title"], "Staged");
}

/// `Authorization` belongs to the request that names a release: Basic
/// credentials a proxy forwards, or a site's own bearer token, read the
/// published release as anyone does, and are refused only with `Pathways-Release`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_authorization_reads_the_published_release() {
    for server in TestServer::each(previewing).await {
        stage(&server, "A staged title").await;
        for authorization in ["Basic c3Rld2FyZDpzZWNyZXQ=", "Bearer a-site-token"] {
            let request = server
                .get_query("{ page { title } release { id status } }")
                .header("authorization", authorization);
            let answer = server.send(request).await;
            answer.assert_cache_control("public, max-age=60");
            let data = answer.assert_ok();
            assert_eq!(data["release"]["status"], "PUBLISHED", "{}", server.label);
            assert_ne!(data["page"]["title"], "A staged title", "{}", server.label);
            let named = server
                .get_query("{ release { id } }")
                .header("authorization", authorization)
                .header("pathways-release", "2");
            server
                .send(named)
                .await
                .assert_status(401)
                .assert_code("UNAUTHENTICATED");
        }
    }
}
