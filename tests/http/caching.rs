//! The response cache, ETags, and what a new release does to both.

use crate::harness::{quiet, repo, seeds_plan, TestServer};
use pathways_model::Block;
use pathways_server::config::ServerConfig;
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use serde_json::Value;
use std::time::Duration;

const QUERY: &str = "{ release { id } roles(shared: true) { slug paragraphs } }";

async fn get(server: &TestServer, etag: Option<&str>) -> reqwest::Response {
    let mut request = server
        .client()
        .get(format!("{}/graphql", server.url))
        .query(&[("query", QUERY)]);
    if let Some(etag) = etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_give_304_until_a_new_release() {
    let config = || ServerConfig {
        release_poll: Duration::from_millis(100),
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let first = get(&server, None).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()[CACHE_CONTROL], "public, max-age=60");
        let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
        let again = get(&server, Some(&etag)).await;
        assert_eq!(again.status(), 304, "{}", server.label());
        assert_eq!(again.headers()[ETAG].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());

        // A new release, written by anyone over the same database.
        let mut edited = seeds_plan();
        edited.roles[0]
            .blocks
            .push(Block::Paragraph("A new closing paragraph.".into()));
        pathways_store::queries::write::write_release(&server.db, &edited, &mut |_| {})
            .await
            .unwrap();
        let mut waited = Duration::ZERO;
        while server.state.release().current().map(|r| r.id()) != Some(2) {
            assert!(
                waited < Duration::from_secs(5),
                "the new release was not noticed"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += Duration::from_millis(50);
        }
        let after = get(&server, Some(&etag)).await;
        assert_eq!(after.status(), 200, "{}", server.label());
        assert_ne!(after.headers()[ETAG].to_str().unwrap(), etag);
        let body: Value = after.json().await.unwrap();
        assert_eq!(body["data"]["release"]["id"], "2");
        let paragraphs = body["data"]["roles"][0]["paragraphs"].as_array().unwrap();
        assert_eq!(paragraphs.last().unwrap(), "A new closing paragraph.");
        let _ = repo();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_requests_come_from_the_cache() {
    for server in TestServer::each(quiet).await {
        let first = server.post(QUERY, Value::Null).await;
        let (hits, misses) = server.cache_counts().await;
        let second = server.post(QUERY, Value::Null).await;
        assert_eq!(second, first);
        assert_eq!(
            server.cache_counts().await,
            (hits + 1, misses),
            "{}: the second answer did not come from the cache",
            server.label()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_cache_off_every_request_runs() {
    for server in TestServer::each(crate::harness::uncached).await {
        let first = server.post(QUERY, Value::Null).await;
        let second = server.post(QUERY, Value::Null).await;
        assert_eq!(second, first, "{}", server.label());
        assert_eq!(server.cache_counts().await, (0, 0), "{}", server.label());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_are_private_never_cached_and_name_their_release_in_the_etag() {
    let config = || ServerConfig {
        preview_token: Some(pathways_server::config::Secret::new("t")),
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let mut staged = seeds_plan();
        staged.page.title = "A staged title".into();
        let options = pathways_store::queries::write::WriteOptions {
            stage: true,
            note: None,
        };
        pathways_store::queries::write::write(&server.db, &staged, &options, &mut |_| {})
            .await
            .unwrap();
        let preview = |etag: Option<String>| {
            let mut request = server
                .client()
                .get(format!("{}/graphql", server.url))
                .query(&[("query", "{ page { title } release { id status } }")])
                .header("authorization", "Bearer t")
                .header("pathways-release", "2");
            if let Some(etag) = etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            request.send()
        };
        let (hits, misses) = server.cache_counts().await;
        let first = preview(None).await.unwrap();
        assert_eq!(first.headers()[CACHE_CONTROL], "private, no-store");
        let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
        assert!(etag.starts_with("\"r2-"), "{etag}");
        let body: Value = first.json().await.unwrap();
        assert_eq!(body["data"]["page"]["title"], "A staged title");
        assert_eq!(body["data"]["release"]["status"], "STAGED");
        assert_eq!(preview(Some(etag)).await.unwrap().status(), 304);
        assert_eq!(preview(None).await.unwrap().status(), 200);
        assert_eq!(
            server.cache_counts().await,
            (hits, misses),
            "{}: a preview used the shared cache",
            server.label()
        );
        // The public still gets release 1, from the cache as before.
        let public = get(&server, None).await;
        assert_eq!(public.headers()[CACHE_CONTROL], "public, max-age=60");
        assert!(public.headers()[ETAG]
            .to_str()
            .unwrap()
            .starts_with("\"r1-"));
    }
}
