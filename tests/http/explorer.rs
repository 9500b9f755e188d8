//! The explorer's files as the server sends them; its behaviour in a browser
//! is tested in `tests/web`.

use pathways_test_support::server::quiet;
use pathways_test_support::TestServer;
use reqwest::header::CONTENT_SECURITY_POLICY;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_is_served_from_this_server_only() {
    let server = TestServer::sqlite(quiet()).await;
    for (path, media) in [
        ("/", "text/html"),
        ("/explorer/app.js", "text/javascript"),
        ("/explorer/style.css", "text/css"),
        ("/explorer/icon.svg", "image/svg+xml"),
    ] {
        let response = server.fetch(path).await;
        response.assert_status(200).assert_media_type(media);
        let policy = response
            .header(CONTENT_SECURITY_POLICY.as_str())
            .unwrap_or_default();
        assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
        let body = response.text();
        // Nothing fetched from elsewhere: no absolute URLs to other hosts (the
        // canonical link names this server itself).
        for scheme in ["http://", "https://", "//cdn", "//unpkg"] {
            let outside: Vec<&str> = body
                .lines()
                .filter(|l| l.contains(scheme) && !l.contains("http://www.w3.org/2000/svg"))
                .filter(|l| {
                    !l.contains(&format!(r#"<link rel="canonical" href="{}/"#, server.base))
                })
                .collect();
            assert!(outside.is_empty(), "{path} refers outside: {outside:?}");
        }
    }
    let page = server.fetch("/?profession=physiotherapist").await.text();
    assert!(page.contains(r#"<script type="module" src="/explorer/app.js">"#));
    assert!(page.contains("<main"));
}

/// The explorer's queries, as its script sends them, are valid against the
/// schema: a schema change that would break the page fails here, in `cargo test`,
/// before the browser tests run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorers_queries_run_without_errors() {
    let script = include_str!("../../crates/pathways-server/src/http/explorer/app.js");
    let queries = queries_in(script);
    let names: Vec<&str> = queries.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["PAGE", "PROFESSIONS", "PATHWAY", "ROLE", "SEARCH"],
        "the queries of app.js"
    );
    for server in TestServer::each(quiet).await {
        for (name, query) in &queries {
            let variables = match name.as_str() {
                "PATHWAY" => json!({"slug": "physiotherapist"}),
                "ROLE" => json!({"slug": "healthcare-support-worker"}),
                "SEARCH" => json!({"text": "dementia"}),
                _ => Value::Null,
            };
            let data = server.data(query, variables).await;
            assert!(
                data.as_object()
                    .is_some_and(|d| d.values().all(|v| !v.is_null())),
                "{name}: {data:#}"
            );
        }
    }
}

/// `const NAME = `query ...`;` declarations, in order.
fn queries_in(script: &str) -> Vec<(String, String)> {
    script
        .split("\nconst ")
        .skip(1)
        .filter_map(|declaration| {
            let (name, rest) = declaration.split_once(" = `")?;
            let (body, _) = rest.split_once('`')?;
            body.trim_start()
                .starts_with("query ")
                .then(|| (name.to_owned(), body.to_owned()))
        })
        .collect()
}
