//! Persisted documents over HTTP, with the requests Apollo Client sends:
//! automatic persisted queries on POST and GET, and a manifest of trusted
//! documents made by GraphQL Codegen's client preset from the explorer's queries.

use pathways_server::config::{PersistedConfig, ServerConfig};
use pathways_server::persisted::{hash_of, read_manifest};
use pathways_test_support::server::quiet;
use pathways_test_support::{fixtures, Response, TestServer};
use reqwest::header::{ACCEPT, CONTENT_TYPE, IF_NONE_MATCH};
use serde_json::{json, Value};

const QUERY: &str = "query Levels {\n  levels {\n    label\n  }\n}";
/// What Apollo Client's HttpLink sends as `accept`.
const APOLLO_ACCEPT: &str = "application/graphql-response+json,application/json;q=0.9";

async fn post(server: &TestServer, body: Value) -> Response {
    let request = server
        .post("/graphql")
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, APOLLO_ACCEPT)
        .body(body.to_string());
    server.send(request).await
}

/// `createPersistedQueryLink`'s extension.
fn persisted(hash: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_persisted_queries_as_apollo_client_sends_them() {
    for server in TestServer::each(quiet).await {
        let hash = hash_of(QUERY);
        // 1. The hash alone: unknown, so the error Apollo Client retries on.
        let unknown = post(
            &server,
            json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash)}),
        )
        .await;
        unknown
            .assert_status(400)
            .assert_code("PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(unknown.message(), "PersistedQueryNotFound");
        // 2. The retry with the document registers it.
        let registered = post(&server, json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash), "query": QUERY})).await;
        let data = registered.assert_ok();
        assert_eq!(data["levels"][0]["label"], "Entry Level");
        // 3. From then on the hash alone is enough.
        let again = post(
            &server,
            json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash)}),
        )
        .await;
        assert_eq!(again.assert_ok(), data, "{}", server.label);
        // A hash that is not the document's is a bad request.
        let wrong = post(
            &server,
            json!({"extensions": persisted(&hash_of("{ routes { slug } }")), "query": QUERY}),
        )
        .await;
        wrong.assert_status(400);
        assert_eq!(wrong.message(), "provided sha does not match query");
        // With plain JSON, PersistedQueryNotFound is a 200, as older clients expect.
        let request = server
            .post("/graphql")
            .json(&json!({"extensions": persisted(&hash_of("{ page { title } }"))}));
        server.send(request).await.assert_status(200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_by_hash_gets_etags_and_cache_control() {
    for server in TestServer::each(quiet).await {
        let hash = hash_of(QUERY);
        post(
            &server,
            json!({"extensions": persisted(&hash), "query": QUERY}),
        )
        .await;
        // `useGETForHashedQueries`: the document stays out of the URL.
        let get = |etag: Option<String>| {
            let mut request = server
                .get("/graphql")
                .header(ACCEPT, APOLLO_ACCEPT)
                .query(&[
                    ("operationName", "Levels"),
                    ("variables", "{}"),
                    ("extensions", &persisted(&hash).to_string()),
                ]);
            if let Some(etag) = etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            server.send(request)
        };
        let first = get(None).await;
        let data = first.assert_ok();
        first.assert_cache_control("public, max-age=60");
        let etag = first.etag();
        assert_eq!(data["levels"].as_array().unwrap().len(), 6);
        get(Some(etag)).await.assert_status(304);
    }
}

/// The explorer's queries, as GraphQL Codegen's client preset wrote them
/// (`npm run persisted-documents` in `tests/web` regenerates the file).
fn manifest() -> std::collections::HashMap<String, String> {
    let text = std::fs::read_to_string(fixtures().join("persisted-documents.json")).unwrap();
    read_manifest(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_manifest_runs_in_trusted_documents_mode() {
    let config = || ServerConfig {
        persisted: PersistedConfig {
            manifest: manifest(),
            only: true,
        },
        ..quiet()
    };
    let documents = manifest();
    assert!(documents.len() >= 5, "{documents:?}");
    for server in TestServer::each(config).await {
        for (id, document) in &documents {
            assert!(id.starts_with("sha256:"), "{id}");
            let bare = id.trim_start_matches("sha256:");
            let variables = if document.contains("$slug") {
                json!({"slug": "physiotherapist"})
            } else if document.contains("$text") {
                json!({"text": "dementia"})
            } else {
                json!({})
            };
            // By `documentId`, with and without the prefix, and by APQ hash.
            for body in [
                json!({"documentId": id, "variables": variables}),
                json!({"documentId": bare, "variables": variables}),
                json!({"extensions": persisted(bare), "variables": variables}),
            ] {
                let answer = post(&server, body.clone()).await;
                assert!(
                    answer.status == 200 && answer.json().get("errors").is_none(),
                    "{}: {body}: {}",
                    server.label,
                    answer.text()
                );
            }
        }
        // Any other document is refused, even sent in full or with its hash.
        post(&server, json!({"query": "{ release { id } }"}))
            .await
            .assert_status(400)
            .assert_code("PERSISTED_QUERY_REQUIRED");
        let other = "{ release { id } }";
        post(
            &server,
            json!({"query": other, "extensions": persisted(&hash_of(other))}),
        )
        .await
        .assert_status(400)
        .assert_code("PERSISTED_QUERY_NOT_FOUND");
    }
}

/// The explorer's own documents run by id wherever the server runs, even
/// where only a manifest's documents may: the binary trusts its own page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorers_documents_run_by_id_under_persisted_only() {
    let config = || ServerConfig {
        persisted: PersistedConfig {
            manifest: Default::default(),
            only: true,
        },
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let variables = json!({"slug": "physiotherapist"}).to_string();
        let request = server.get("/graphql").query(&[
            ("documentId", "explorer.Pathway"),
            ("variables", variables.as_str()),
        ]);
        let data = server.send(request).await.assert_ok();
        assert_eq!(
            data["profession"]["name"], "Physiotherapist",
            "{}",
            server.label
        );
        server
            .send(
                server
                    .get("/graphql")
                    .query(&[("documentId", "explorer.Nothing")]),
            )
            .await
            .assert_code("PERSISTED_QUERY_NOT_FOUND");
    }
}
