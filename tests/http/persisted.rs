//! Persisted documents over HTTP, with the requests Apollo Client sends:
//! automatic persisted queries on POST and GET, and a manifest of trusted
//! documents made by GraphQL Codegen's client preset from the explorer's queries.

use crate::harness::{quiet, repo, TestServer};
use pathways_server::config::{PersistedConfig, ServerConfig};
use pathways_server::persisted::{hash_of, read_manifest};
use reqwest::header::{ACCEPT, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{json, Value};

const QUERY: &str = "query Levels {\n  levels {\n    label\n  }\n}";
/// What Apollo Client's HttpLink sends as `accept`.
const APOLLO_ACCEPT: &str = "application/graphql-response+json,application/json;q=0.9";

async fn post(server: &TestServer, body: Value) -> (u16, Value) {
    let response = server
        .client()
        .post(format!("{}/graphql", server.url))
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, APOLLO_ACCEPT)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
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
        let (status, body) = post(
            &server,
            json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash)}),
        )
        .await;
        assert_eq!(status, 400, "{body:#}");
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        // 2. The retry with the document registers it.
        let (status, body) = post(&server, json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash), "query": QUERY})).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(body["data"]["levels"][0]["label"], "Entry Level");
        // 3. From then on the hash alone is enough.
        let (status, again) = post(
            &server,
            json!({"operationName": "Levels", "variables": {}, "extensions": persisted(&hash)}),
        )
        .await;
        assert_eq!((status, &again), (200, &body), "{}", server.label());
        // A hash that is not the document's is a bad request.
        let (status, wrong) = post(
            &server,
            json!({"extensions": persisted(&hash_of("{ routes { slug } }")), "query": QUERY}),
        )
        .await;
        assert_eq!(status, 400, "{wrong:#}");
        assert_eq!(
            wrong["errors"][0]["message"],
            "provided sha does not match query"
        );
        // With plain JSON, PersistedQueryNotFound is a 200, as older clients expect.
        let response = server
            .client()
            .post(format!("{}/graphql", server.url))
            .json(&json!({"extensions": persisted(&hash_of("{ page { title } }"))}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
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
                .client()
                .get(format!("{}/graphql", server.url))
                .header(ACCEPT, APOLLO_ACCEPT)
                .query(&[
                    ("operationName", "Levels"),
                    ("variables", "{}"),
                    ("extensions", &persisted(&hash).to_string()),
                ]);
            if let Some(etag) = etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            request.send()
        };
        let first = get(None).await.unwrap();
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], "public, max-age=60");
        let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
        let body: Value = first.json().await.unwrap();
        assert_eq!(body["data"]["levels"].as_array().unwrap().len(), 6);
        assert_eq!(
            get(Some(etag)).await.unwrap().status(),
            304,
            "{}",
            server.label()
        );
    }
}

/// The explorer's queries, as GraphQL Codegen's client preset wrote them
/// (`npm run persisted-documents` in `tests/web` regenerates the file).
fn manifest() -> std::collections::HashMap<String, String> {
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/persisted-documents.json")).unwrap();
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
                let (status, answer) = post(&server, body.clone()).await;
                assert_eq!(status, 200, "{}: {body}: {answer:#}", server.label());
                assert!(answer.get("errors").is_none(), "{answer:#}");
            }
        }
        // Any other document is refused, even sent in full or with its hash.
        let (status, refused) = post(&server, json!({"query": "{ release { id } }"})).await;
        assert_eq!(status, 400);
        assert_eq!(
            refused["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_REQUIRED"
        );
        let other = "{ release { id } }";
        let (status, refused) = post(
            &server,
            json!({"query": other, "extensions": persisted(&hash_of(other))}),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(
            refused["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
    }
}
