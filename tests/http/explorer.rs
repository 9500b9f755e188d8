//! The explorer's files as the server sends them; its behaviour in a browser
//! is tested in `tests/web`.

use crate::harness::{quiet, TestServer};
use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_is_served_from_this_server_only() {
    let server = TestServer::each(quiet).await.remove(0);
    for (path, media) in [
        ("/", "text/html"),
        ("/explorer/app.js", "text/javascript"),
        ("/explorer/style.css", "text/css"),
        ("/explorer/icon.svg", "image/svg+xml"),
    ] {
        let response = server
            .client()
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers[CONTENT_TYPE].to_str().unwrap().starts_with(media),
            "{path}"
        );
        let policy = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'"), "{path}: {policy}");
        let body = response.text().await.unwrap();
        // Nothing fetched from elsewhere: no absolute URLs to other hosts.
        for scheme in ["http://", "https://", "//cdn", "//unpkg"] {
            let outside: Vec<&str> = body
                .lines()
                .filter(|l| l.contains(scheme) && !l.contains("http://www.w3.org/2000/svg"))
                .collect();
            assert!(outside.is_empty(), "{path} refers outside: {outside:?}");
        }
    }
    let page = server
        .client()
        .get(format!("{}/?profession=physiotherapist", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<script type="module" src="/explorer/app.js">"#));
    assert!(page.contains("<main"));
}

/// The explorer's queries, as its script sends them, are valid against the
/// schema: a schema change that would break the page fails here, in `cargo test`,
/// before the browser tests run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorers_queries_run_without_errors() {
    let script = include_str!("../../crates/pathways-server/src/explorer/app.js");
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
