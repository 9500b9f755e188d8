//! GraphQL over HTTP: methods, media types and status codes.

use crate::harness::{quiet, TestServer};
use pathways_server::config::ServerConfig;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{json, Value};

const GQL_RESPONSE: &str = "application/graphql-response+json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_and_post_give_the_same_answer() {
    for server in TestServer::each(quiet).await {
        let query =
            r#"query One($slug: String!) { profession(slug: $slug) { name steps { title } } }"#;
        let variables = json!({"slug": "art-therapist"});
        let (status, posted) = server.post(query, variables.clone()).await;
        assert_eq!(status, 200);
        let got: Value = server
            .client()
            .get(format!("{}/graphql", server.url))
            .query(&[
                ("query", query),
                ("variables", &variables.to_string()),
                ("operationName", "One"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got, posted, "{}", server.label());
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
            server
                .client()
                .post(format!("{}/graphql", server.url))
                .header(ACCEPT, accept)
                .json(&body)
                .send()
        };
        let ok = post(GQL_RESPONSE, json!({"query": "{ release { id } }"}))
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        assert!(ok.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(GQL_RESPONSE));
        // A document that does not parse, or does not validate, is a request error.
        for query in ["{ release { id }", "{ nope }"] {
            let strict = post(GQL_RESPONSE, json!({"query": query})).await.unwrap();
            assert_eq!(strict.status(), 400, "{query}");
            let body: Value = strict.json().await.unwrap();
            assert!(body["errors"][0]["message"].is_string());
            // An error before execution leaves `data` out altogether.
            assert!(body.get("data").is_none(), "{query}: {body}");
            let legacy = post("application/json", json!({"query": query}))
                .await
                .unwrap();
            assert_eq!(legacy.status(), 200, "{query}");
            assert!(legacy.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
        }
        let refused = post("text/html", json!({"query": "{ release { id } }"}))
            .await
            .unwrap();
        assert_eq!(refused.status(), 406);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_400_and_415() {
    let server = TestServer::each(quiet).await.remove(0);
    let url = format!("{}/graphql", server.url);
    let client = server.client();
    // Raw bodies: no content type, another content type, JSON that does not parse.
    for (content_type, body, status) in [
        (None, r#"{"query":"{ release { id } }"}"#, 415),
        (Some("text/plain"), "{ release { id } }", 415),
        (Some("application/json"), "{", 400),
    ] {
        let mut request = client.post(&url).body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{content_type:?}: {body}");
    }
    for body in [
        json!({}),
        json!({"query": 5}),
        json!({"query": "{ release { id } }", "variables": [1]}),
        json!({"query": "{ release { id } }", "extensions": "x"}),
        json!([]),
    ] {
        let response = client.post(&url).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }
    let no_query = client.get(&url).send().await.unwrap();
    assert_eq!(no_query.status(), 400);
    let bad_variables = client
        .get(&url)
        .query(&[("query", "{ release { id } }"), ("variables", "[")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_variables.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutations_are_refused_over_get() {
    let server = TestServer::each(quiet).await.remove(0);
    let response = server
        .client()
        .get(format!("{}/graphql", server.url))
        .query(&[("query", "mutation { x }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()[ALLOW], "POST");
    // Over POST a mutation reaches the schema, which has none: an error, not a change.
    let (_, body) = server.post("mutation { x }", Value::Null).await;
    assert!(body["errors"][0]["message"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_are_answered_in_order_up_to_the_cap() {
    let server = TestServer::each(quiet).await.remove(0);
    let url = format!("{}/graphql", server.url);
    let batch = json!([{"query": "{ release { steps } }"}, {"query": "{ levels { number } }"}]);
    let answers: Value = server
        .client()
        .post(&url)
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answers[0]["data"]["release"]["steps"], 35);
    assert_eq!(answers[1]["data"]["levels"][0]["number"], 0);
    let too_many: Vec<Value> = (0..11)
        .map(|_| json!({"query": "{ release { id } }"}))
        .collect();
    let response = server
        .client()
        .post(&url)
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_metrics_and_graphiql() {
    let server = TestServer::each(quiet).await.remove(0);
    let get = |path: &str| server.client().get(format!("{}{path}", server.url)).send();
    assert_eq!(get("/healthz").await.unwrap().text().await.unwrap(), "ok");
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready: release 1");
    server.post("{ nope }", Value::Null).await;
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
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
    assert!(crate::harness::metric(&metrics, "pathways_snapshot_bytes") > 10_000);
    let graphiql = get("/graphiql").await.unwrap().text().await.unwrap();
    assert!(graphiql.contains("GraphiQL"));
    assert_eq!(get("/nowhere").await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_are_refused() {
    let config = || ServerConfig {
        body_limit: 1024,
        ..quiet()
    };
    let server = TestServer::each(config).await.remove(0);
    let padding = " ".repeat(2000);
    let response = server
        .client()
        .post(format!("{}/graphql", server.url))
        .json(&json!({"query": format!("{{ release {{ id }} }}{padding}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_the_configured_origins() {
    let config = || ServerConfig {
        cors_origins: vec!["https://careers.example".into()],
        ..quiet()
    };
    let server = TestServer::each(config).await.remove(0);
    let from = |origin: &'static str| {
        server
            .client()
            .post(format!("{}/graphql", server.url))
            .header("origin", origin)
            .json(&json!({"query": "{ release { id } }"}))
            .send()
    };
    let allowed = from("https://careers.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://careers.example"
    );
    let other = from("https://elsewhere.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
