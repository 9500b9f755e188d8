//! Every refusal `/graphql` gives, one table: the status, `extensions.code` and
//! media type of each, on each database.

use pathways_server::config::{PersistedConfig, Secret, ServerConfig};
use pathways_test_support::server::quiet;
use pathways_test_support::{Response, TestServer};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::RequestBuilder;
use serde_json::json;

const TOKEN: &str = "refusals-preview-token-0123456789";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn config() -> ServerConfig {
    let mut config = quiet();
    config.preview_token = Some(Secret::new(TOKEN));
    config.body_limit = 4096;
    // Depth is what the deep case checks, not complexity.
    crate::admitting_the_full_query(config)
}

/// A request as a test sends it, and what must come back.
struct Case {
    name: &'static str,
    request: fn(&TestServer) -> RequestBuilder,
    status: u16,
    code: &'static str,
}

fn post(server: &TestServer, body: serde_json::Value) -> RequestBuilder {
    server.post("/graphql").json(&body)
}

fn deep_query() -> String {
    let mut query = String::from("slug");
    for _ in 0..8 {
        query = format!("steps {{ role {{ usedBy {{ {query} }} }} }}");
    }
    format!("{{ professions {{ edges {{ node {{ {query} }} }} }} }}")
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "bad media type",
            status: 415,
            code: "UNSUPPORTED_MEDIA_TYPE",
            request: |s| {
                s.post("/graphql")
                    .header(CONTENT_TYPE, "text/plain")
                    .body("{ release { id } }")
            },
        },
        Case {
            name: "body not JSON",
            status: 400,
            code: "BAD_REQUEST",
            request: |s| {
                s.post("/graphql")
                    .header(CONTENT_TYPE, "application/json")
                    .body("{")
            },
        },
        Case {
            name: "no document",
            status: 400,
            code: "BAD_REQUEST",
            request: |s| post(s, json!({"variables": {}})),
        },
        Case {
            name: "GET mutation",
            status: 405,
            code: "METHOD_NOT_ALLOWED",
            request: |s| s.get_query("mutation { publish }"),
        },
        Case {
            name: "batch too large",
            status: 400,
            code: "BATCH_TOO_LARGE",
            request: |s| post(s, json!(vec![json!({"query": "{ release { id } }"}); 11])),
        },
        Case {
            name: "unparsable",
            status: 400,
            code: "GRAPHQL_PARSE_FAILED",
            request: |s| s.get_query("{ release { id }"),
        },
        Case {
            name: "unknown field",
            status: 400,
            code: "GRAPHQL_VALIDATION_FAILED",
            request: |s| s.get_query("{ nowhere }"),
        },
        Case {
            name: "depth",
            status: 400,
            code: "QUERY_TOO_DEEP",
            request: |s| s.get_query(&deep_query()),
        },
        Case {
            name: "aliases",
            status: 400,
            code: "TOO_MANY_ALIASES",
            request: |s| {
                let aliases: String = (0..31)
                    .map(|i| format!("a{i}: release {{ id }} "))
                    .collect();
                s.get_query(&format!("{{ {aliases} }}"))
            },
        },
        Case {
            name: "first",
            status: 200,
            code: "BAD_USER_INPUT",
            request: |s| s.get_query("{ professions(first: 1000) { totalCount } }"),
        },
        Case {
            name: "unknown document",
            status: 400,
            code: "PERSISTED_QUERY_NOT_FOUND",
            request: |s| {
                post(
                    s,
                    json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0".repeat(64)}}}),
                )
            },
        },
        Case {
            name: "malformed hash",
            status: 400,
            code: "PERSISTED_QUERY_HASH_INVALID",
            request: |s| {
                post(
                    s,
                    json!({"query": "{ release { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}}}),
                )
            },
        },
        Case {
            name: "hash of another document",
            status: 400,
            code: "BAD_REQUEST",
            request: |s| {
                post(
                    s,
                    json!({"query": "{ release { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0".repeat(64)}}}),
                )
            },
        },
        Case {
            name: "bad preview token",
            status: 401,
            code: "UNAUTHENTICATED",
            request: |s| {
                s.get_query("{ release { id } }")
                    .header(AUTHORIZATION, "Bearer wrong")
                    .header("pathways-release", "1")
            },
        },
        Case {
            name: "release named without a token",
            status: 401,
            code: "UNAUTHENTICATED",
            request: |s| {
                s.get_query("{ release { id } }")
                    .header("pathways-release", "1")
            },
        },
        Case {
            name: "release header not an id",
            status: 400,
            code: "BAD_REQUEST",
            request: |s| {
                s.get_query("{ release { id } }")
                    .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
                    .header("pathways-release", "x")
            },
        },
        Case {
            name: "unknown release",
            status: 404,
            code: "NOT_FOUND",
            request: |s| {
                s.get_query("{ release { id } }")
                    .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
                    .header("pathways-release", "99")
            },
        },
        Case {
            name: "body too large",
            status: 413,
            code: "PAYLOAD_TOO_LARGE",
            request: |s| {
                post(
                    s,
                    json!({"query": format!("{{ release {{ id }} }}{}", " ".repeat(5000))}),
                )
            },
        },
    ]
}

#[track_caller]
fn check(answer: &Response, name: &str, status: u16, code: &str, media: &str) {
    assert_eq!(
        answer.status,
        status,
        "{}: {name}: {}",
        answer.label,
        answer.text()
    );
    assert_eq!(
        answer.code().as_deref(),
        Some(code),
        "{}: {name}: {}",
        answer.label,
        answer.text()
    );
    answer.assert_media_type(media);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_has_its_status_code_and_media_type() {
    for server in TestServer::each(config).await {
        for case in cases() {
            let request = (case.request)(&server).header(ACCEPT, GRAPHQL_RESPONSE);
            let answer = server.send(request).await;
            check(&answer, case.name, case.status, case.code, GRAPHQL_RESPONSE);
        }
        // Headers over the cap (32 KiB): hyper answers 431 itself, before any
        // request exists to give a body to.
        let answer = server
            .send(
                server
                    .get_query("{ release { id } }")
                    .header("x-padding", "x".repeat(40 * 1024)),
            )
            .await;
        assert_eq!(answer.status, 431, "{}: headers too large", answer.label);
        // Accepting neither media type: plain JSON, still coded.
        let answer = server
            .send(
                server
                    .get_query("{ release { id } }")
                    .header(ACCEPT, "text/html"),
            )
            .await;
        check(
            &answer,
            "not acceptable",
            406,
            "NOT_ACCEPTABLE",
            "application/json",
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persisted_only_refuses_other_documents_with_a_code() {
    let config = || ServerConfig {
        persisted: PersistedConfig {
            manifest: Default::default(),
            only: true,
        },
        ..quiet()
    };
    for server in TestServer::each(config).await {
        let request = server
            .get_query("{ release { id } }")
            .header(ACCEPT, GRAPHQL_RESPONSE);
        let answer = server.send(request).await;
        check(
            &answer,
            "persisted-only",
            400,
            "PERSISTED_QUERY_REQUIRED",
            GRAPHQL_RESPONSE,
        );
    }
}
