//! GraphQL over HTTP: methods, media types and status codes.

use pathways_server::config::ServerConfig;
use pathways_test_support::server::{metric, quiet};
use pathways_test_support::TestServer;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

const GQL_RESPONSE: &str = "application/graphql-response+json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_and_post_give_the_same_answer() {
    for server in TestServer::each(quiet).await {
        let query =
            r#"query One($slug: String!) { profession(slug: $slug) { name steps { title } } }"#;
        let variables = json!({"slug": "art-therapist"});
        let posted = server.query(query, variables.clone()).await;
        posted.assert_status(200);
        let request = server.get("/graphql").query(&[
            ("query", query),
            ("variables", &variables.to_string()),
            ("operationName", "One"),
        ]);
        let got = server.send(request).await.json();
        assert_eq!(got, posted.json(), "{}", server.label);
        assert_eq!(
            got["data"]["profession"]["steps"].as_array().unwrap().len(),
            5
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_types_follow_the_accept_header() {
    for server in TestServer::each(quiet).await {
        let post = |accept: &'static str, body: Value| {
            server.send(server.post("/graphql").header(ACCEPT, accept).json(&body))
        };
        post(GQL_RESPONSE, json!({"query": "{ release { id } }"}))
            .await
            .assert_status(200)
            .assert_media_type(GQL_RESPONSE);
        // A document that does not parse, or does not validate, is a request error.
        for query in ["{ release { id }", "{ nope }"] {
            let strict = post(GQL_RESPONSE, json!({"query": query})).await;
            strict.assert_status(400);
            let body = strict.json();
            assert!(body["errors"][0]["message"].is_string());
            // An error before execution leaves `data` out altogether.
            assert!(body.get("data").is_none(), "{query}: {body}");
            post("application/json", json!({"query": query}))
                .await
                .assert_status(200)
                .assert_media_type("application/json");
        }
        post("text/html", json!({"query": "{ release { id } }"}))
            .await
            .assert_status(406);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_400_and_415() {
    let server = TestServer::sqlite(quiet()).await;
    // Raw bodies: no content type, another content type, JSON that does not parse.
    for (content_type, body, status) in [
        (None, r#"{"query":"{ release { id } }"}"#, 415),
        (Some("text/plain"), "{ release { id } }", 415),
        (Some("application/json"), "{", 400),
    ] {
        let mut request = server.post("/graphql").body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let response = server.send(request).await;
        assert_eq!(response.status, status, "{content_type:?}: {body}");
    }
    for body in [
        json!({}),
        json!({"query": 5}),
        json!({"query": "{ release { id } }", "variables": [1]}),
        json!({"query": "{ release { id } }", "extensions": "x"}),
        json!([]),
    ] {
        let response = server.send(server.post("/graphql").json(&body)).await;
        assert_eq!(response.status, 400, "{body}");
    }
    server.fetch("/graphql").await.assert_status(400);
    let bad_variables = server
        .get("/graphql")
        .query(&[("query", "{ release { id } }"), ("variables", "[")]);
    server.send(bad_variables).await.assert_status(400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutations_are_refused_over_get() {
    let server = TestServer::sqlite(quiet()).await;
    let response = server.send(server.get_query("mutation { x }")).await;
    response.assert_status(405);
    assert_eq!(response.header("allow"), Some("POST"));
    // Over POST a mutation reaches the schema, which has none: an error, not a change.
    let body = server.query("mutation { x }", Value::Null).await.json();
    assert!(body["errors"][0]["message"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_answered_in_order_up_to_the_cap() {
    let server = TestServer::sqlite(quiet()).await;
    let batch = json!([{"query": "{ release { steps } }"}, {"query": "{ levels { number } }"}]);
    let answers = server
        .send(server.post("/graphql").json(&batch))
        .await
        .json();
    assert_eq!(answers[0]["data"]["release"]["steps"], 35);
    assert_eq!(answers[1]["data"]["levels"][0]["number"], 0);
    let too_many: Vec<Value> = (0..11)
        .map(|_| json!({"query": "{ release { id } }"}))
        .collect();
    server
        .send(server.post("/graphql").json(&too_many))
        .await
        .assert_status(400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_metrics_and_graphiql() {
    let server = TestServer::sqlite(quiet()).await;
    assert_eq!(server.fetch("/healthz").await.text(), "ok");
    let ready = server.fetch("/readyz").await;
    ready.assert_status(200);
    assert_eq!(ready.text(), "ready: release 1");
    server.query("{ nope }", Value::Null).await;
    let metrics = server.metrics().await;
    for name in [
        "pathways_http_requests_total{path=\"/graphql\",status=\"200\"}",
        "pathways_graphql_request_duration_seconds_bucket",
        "pathways_graphql_errors_total 1",
        "pathways_sql_statements_total",
        "pathways_release_id 1",
        "pathways_snapshot_build_seconds",
        "pathways_snapshot_read_seconds",
    ] {
        assert!(metrics.contains(name), "{name} missing from:\n{metrics}");
    }
    assert!(metric(&metrics, "pathways_snapshot_bytes") > 10_000);
    assert!(server.fetch("/graphiql").await.text().contains("GraphiQL"));
    server.fetch("/nowhere").await.assert_status(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_are_refused() {
    let server = TestServer::sqlite(ServerConfig {
        body_limit: 1024,
        ..quiet()
    })
    .await;
    let padding = " ".repeat(2000);
    server
        .query(&format!("{{ release {{ id }} }}{padding}"), Value::Null)
        .await
        .assert_status(413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origins() {
    let server = TestServer::sqlite(ServerConfig {
        cors_origins: vec!["https://careers.example".into()],
        ..quiet()
    })
    .await;
    let from = |origin: &'static str| {
        let request = server
            .post("/graphql")
            .header("origin", origin)
            .json(&json!({"query": "{ release { id } }"}));
        server.send(request)
    };
    let allowed = from("https://careers.example").await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://careers.example")
    );
    let other = from("https://elsewhere.example").await;
    assert!(other.header("access-control-allow-origin").is_none());
}
