//! Abuse limits: each gives a clear GraphQL error, and introspection still works.

use pathways_test_support::server::quiet;
use pathways_test_support::TestServer;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_deep_is_refused() {
    // Lists multiply what is under them, so a deep document is too complex
    // long before it is too deep: let only depth refuse it here.
    let server = TestServer::sqlite(crate::admitting_the_full_query(quiet())).await;
    // Each step → role → usedBy → steps → ... adds depth.
    let mut query = String::from("slug");
    for _ in 0..8 {
        query = format!("steps {{ role {{ usedBy {{ {query} }} }} }}");
    }
    let answer = server
        .query(
            &format!("{{ professions {{ edges {{ node {{ {query} }} }} }} }}"),
            Value::Null,
        )
        .await;
    assert!(
        answer.message().contains("nested too deep"),
        "{}",
        answer.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_complex_is_refused() {
    let mut config = quiet();
    config.limits.max_complexity = 10;
    let server = TestServer::sqlite(config).await;
    let answer = server.query("{ roles { slug title shared description paragraphs jobTitles workingWith level { number label scheme } } }", Value::Null).await;
    assert!(
        answer.message().contains("too complex"),
        "{}",
        answer.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_is_capped() {
    let server = TestServer::sqlite(quiet()).await;
    let answer = server
        .query("{ professions(first: 1000) { totalCount } }", Value::Null)
        .await;
    answer.assert_status(200).assert_code("BAD_USER_INPUT");
    assert_eq!(
        answer.message(),
        "`first` must be between 0 and 100, got 1000"
    );
    assert_eq!(answer.json()["errors"][0]["path"], json!(["professions"]));
    server
        .query(
            "{ search(text: \"care\", first: -1) { title } }",
            Value::Null,
        )
        .await
        .assert_code("BAD_USER_INPUT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aliases_are_capped() {
    let server = TestServer::sqlite(quiet()).await;
    let fields: Vec<String> = (0..31).map(|i| format!("a{i}: release {{ id }}")).collect();
    let answer = server
        .query(&format!("{{ {} }}", fields.join(" ")), Value::Null)
        .await;
    assert_eq!(
        answer.message(),
        "the document uses 31 aliases; at most 30 are allowed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_introspection_passes_tight_limits() {
    let mut config = quiet();
    config.limits.max_depth = 5;
    config.limits.max_complexity = 20;
    let server = TestServer::sqlite(config).await;
    let data = server.data(INTROSPECTION, Value::Null).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "PathwayStep"));
    // Data beside introspection is held to the limits.
    let mixed = server.query("{ __schema { queryType { name } } professions { edges { node { steps { role { usedBy { slug } } } } } } }", Value::Null).await.json();
    assert!(mixed["errors"].is_array(), "{mixed:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_built_to_explode_is_refused() {
    // Telling its cost takes seconds in a debug build on a loaded machine:
    // the refusal asserted is the complexity limit's, not the request timeout's.
    let server = TestServer::sqlite(pathways_server::config::ServerConfig {
        request_timeout: std::time::Duration::from_secs(60),
        ..quiet()
    })
    .await;
    // Each fragment selects the next three times: 3^12 fields once expanded.
    let mut query = String::from("{ __schema { types { ...F0 } } }");
    for n in 0..12 {
        query.push_str(&format!(
            " fragment F{n} on __Type {{ name ofType {{ ...F{m} }} interfaces {{ ...F{m} }} possibleTypes {{ ...F{m} }} }}",
            m = n + 1
        ));
    }
    query.push_str(" fragment F12 on __Type { name }");
    let answer = server.query(&query, Value::Null).await;
    answer.assert_status(200);
    assert!(
        answer.message().contains("too complex"),
        "{}",
        answer.text()
    );
    assert!(answer.json().get("data").is_none(), "{}", answer.text());
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
