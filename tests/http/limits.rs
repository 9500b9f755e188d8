//! Abuse limits: each gives a clear GraphQL error, and introspection still works.

use crate::harness::{quiet, TestServer};
use pathways_server::config::ServerConfig;
use serde_json::{json, Value};

fn message(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_deep_is_refused() {
    let server = TestServer::each(quiet).await.remove(0);
    // Each step → role → usedBy → steps → ... adds depth.
    let mut query = String::from("slug");
    for _ in 0..8 {
        query = format!("steps {{ role {{ usedBy {{ {query} }} }} }}");
    }
    let (_, body) = server
        .post(
            &format!("{{ professions {{ edges {{ node {{ {query} }} }} }} }}"),
            Value::Null,
        )
        .await;
    assert!(message(&body).contains("nested too deep"), "{body:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_complex_is_refused() {
    let config = || {
        let mut config = quiet();
        config.limits.max_complexity = 10;
        config
    };
    let server = TestServer::each(config).await.remove(0);
    let (_, body) = server.post("{ roles { slug title shared description paragraphs jobTitles workingWith level { number label scheme } } }", Value::Null).await;
    assert!(message(&body).contains("too complex"), "{body:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_is_capped() {
    let server = TestServer::each(quiet).await.remove(0);
    let (status, body) = server
        .post("{ professions(first: 1000) { totalCount } }", Value::Null)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        message(&body),
        "`first` must be between 0 and 100, got 1000"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["path"], json!(["professions"]));
    let (_, body) = server
        .post(
            "{ search(text: \"care\", first: -1) { title } }",
            Value::Null,
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aliases_are_capped() {
    let server = TestServer::each(quiet).await.remove(0);
    let fields: Vec<String> = (0..31).map(|i| format!("a{i}: release {{ id }}")).collect();
    let (_, body) = server
        .post(&format!("{{ {} }}", fields.join(" ")), Value::Null)
        .await;
    assert_eq!(
        message(&body),
        "the document uses 31 aliases; at most 30 are allowed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_introspection_passes_tight_limits() {
    let config = || {
        let mut config = ServerConfig { ..quiet() };
        config.limits.max_depth = 5;
        config.limits.max_complexity = 20;
        config
    };
    let server = TestServer::each(config).await.remove(0);
    let (status, body) = server.post(INTROSPECTION, Value::Null).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body:#}");
    let types = body["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "PathwayStep"));
    // Data beside introspection is held to the limits.
    let (_, mixed) = server.post("{ __schema { queryType { name } } professions { edges { node { steps { role { usedBy { slug } } } } } } }", Value::Null).await;
    assert!(mixed["errors"].is_array(), "{mixed:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_built_to_explode_is_refused() {
    let server = TestServer::each(quiet).await.remove(0);
    // Each fragment selects the next three times: 3^12 fields once expanded.
    let mut query = String::from("{ __schema { types { ...F0 } } }");
    for n in 0..12 {
        query.push_str(&format!(
            " fragment F{n} on __Type {{ name ofType {{ ...F{m} }} interfaces {{ ...F{m} }} possibleTypes {{ ...F{m} }} }}",
            m = n + 1
        ));
    }
    query.push_str(" fragment F12 on __Type { name }");
    let (status, body) = server.post(&query, Value::Null).await;
    assert_eq!(status, 200);
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too complex"), "{body:#}");
    assert!(body.get("data").is_none(), "{body:#}");
}

/// GraphiQL's own introspection query (graphql-js `getIntrospectionQuery()`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}"#;
