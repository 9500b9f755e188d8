//! The response cache, ETags, and what a new release does to both.

use pathways_server::config::{Secret, ServerConfig};
use pathways_store::queries::write::{write, write_release, WriteOptions};
use pathways_test_support::server::{quiet, uncached};
use pathways_test_support::{edited, seeds_plan, Response, TestServer};
use reqwest::header::IF_NONE_MATCH;
use serde_json::Value;
use std::time::Duration;

const QUERY: &str = "{ release { id } roles(shared: true) { slug paragraphs } }";

async fn get(server: &TestServer, etag: Option<&str>) -> Response {
    let mut request = server.get_query(QUERY);
    if let Some(etag) = etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    server.send(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_give_304_until_a_new_release() {
    let config = || ServerConfig {
        release_poll: Duration::from_millis(100),
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let first = get(&server, None).await;
        first
            .assert_status(200)
            .assert_cache_control("public, max-age=60");
        let etag = first.etag();
        get(&server, Some(&etag)).await.assert_not_modified(&etag);

        // A new release, written by anyone over the same database.
        write_release(&server.db, &edited(&seeds_plan()), &mut |_| {})
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
        let data = after.assert_ok();
        assert_ne!(after.etag(), etag);
        assert_eq!(data["release"]["id"], "2");
        let paragraphs = data["roles"][0]["paragraphs"].as_array().unwrap();
        assert_eq!(paragraphs.last().unwrap(), "A new closing paragraph.");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_requests_come_from_the_cache() {
    for server in TestServer::each(quiet).await {
        let first = server.query(QUERY, Value::Null).await;
        let (hits, misses) = server.cache_counts().await;
        let second = server.query(QUERY, Value::Null).await;
        assert_eq!((second.status, second.json()), (first.status, first.json()));
        assert_eq!(
            server.cache_counts().await,
            (hits + 1, misses),
            "{}: the second answer did not come from the cache",
            server.label
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_cache_off_every_request_runs() {
    for server in TestServer::each(uncached).await {
        let first = server.query(QUERY, Value::Null).await;
        let second = server.query(QUERY, Value::Null).await;
        assert_eq!(
            (second.status, second.json()),
            (first.status, first.json()),
            "{}",
            server.label
        );
        assert_eq!(server.cache_counts().await, (0, 0), "{}", server.label);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_are_private_never_cached_and_name_their_release_in_the_etag() {
    let config = || ServerConfig {
        preview_token: Some(Secret::new("preview-token-for-tests")),
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let mut staged = seeds_plan();
        staged.page.title = "A staged title".into();
        let options = WriteOptions {
            stage: true,
            note: None,
        };
        write(&server.db, &staged, &options, &mut |_| {})
            .await
            .unwrap();
        let preview = |etag: Option<String>| {
            let mut request = server
                .get_query("{ page { title } release { id status } }")
                .header("authorization", "Bearer preview-token-for-tests")
                .header("pathways-release", "2");
            if let Some(etag) = etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            server.send(request)
        };
        let (hits, misses) = server.cache_counts().await;
        let first = preview(None).await;
        first.assert_cache_control("private, no-store");
        let etag = first.etag();
        assert!(etag.starts_with("\"r2-"), "{etag}");
        let data = first.assert_ok();
        assert_eq!(data["page"]["title"], "A staged title");
        assert_eq!(data["release"]["status"], "STAGED");
        preview(Some(etag)).await.assert_status(304);
        preview(None).await.assert_status(200);
        assert_eq!(
            server.cache_counts().await,
            (hits, misses),
            "{}: a preview used the shared cache",
            server.label
        );
        // The public still gets release 1, from the cache as before, under
        // an ETag no preview has: the token alone previews the same release
        // with the same bytes, and still gets an ETag of its own.
        let public = get(&server, None).await;
        public.assert_cache_control("public, max-age=60");
        let token_alone = server
            .send(
                server
                    .get_query(QUERY)
                    .header("authorization", "Bearer preview-token-for-tests"),
            )
            .await;
        token_alone.assert_cache_control("private, no-store");
        assert_eq!(token_alone.text(), public.text());
        assert_ne!(token_alone.etag(), public.etag());
        assert!(!public.etag().starts_with("\"r"), "{}", public.etag());
        let sent_back = server.get_query(QUERY).header(IF_NONE_MATCH, public.etag());
        server
            .send(sent_back.header("authorization", "Bearer preview-token-for-tests"))
            .await
            .assert_status(200);
    }
}

/// `If-None-Match: *` matches only an answer that exists: an invalid document,
/// a refusal and a preview's error are answered as they are, never 304.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_none_match_star_never_turns_an_error_into_a_304() {
    for server in TestServer::each(quiet).await {
        for query in ["{ nowhere }", "{ release { id }", "mutation { x }"] {
            let answer = server
                .send(server.get_query(query).header(IF_NONE_MATCH, "*"))
                .await;
            assert_ne!(answer.status, 304, "{}: {query}", server.label);
            assert!(
                answer.header("etag").is_none(),
                "{}: {query}: an error with an ETag",
                server.label
            );
            assert!(
                answer.code().is_some(),
                "{}: {query}: {}",
                server.label,
                answer.text()
            );
        }
        let ok = server
            .send(server.get_query(QUERY).header(IF_NONE_MATCH, "*"))
            .await;
        ok.assert_status(304);
    }
}
