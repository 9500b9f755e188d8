//! No SQL on the request path: every query reads the served snapshot, so the
//! statements a request runs are none, on the seeds and on a corpus 100 times larger.

use crate::{admitting_the_full_query, FULL_QUERY};
use pathways_test_db::TestDb;
use pathways_test_support::content::scaled_plan;
use pathways_test_support::server::uncached;
use pathways_test_support::{seeds_plan, TestServer};
use serde_json::{json, Value};

/// What front ends ask, every root field among them.
const QUERIES: &[(&str, &str)] = &[
    ("full nested", FULL_QUERY),
    (
        "one profession",
        r#"{ profession(slug: "physiotherapist") { name steps { title role { description usedBy { slug } } entryRoute { stages { name } } } } }"#,
    ),
    (
        "search",
        r#"{ search(text: "dementia care", first: 50) { kind title snippet profession { slug } step { title } role { slug } } }"#,
    ),
    (
        "lists",
        "{ levels { label } roles(shared: true) { slug } routes { slug } release { id } page { title } }",
    ),
    (
        "role",
        r#"{ role(slug: "healthcare-support-worker") { title jobTitles workingWith usedBy { name } } }"#,
    ),
    (
        "page of professions",
        r#"{ professions(hasPathway: true, first: 5, after: "a") { totalCount pageInfo { endCursor } edges { node { slug } } } }"#,
    ),
];

async fn statements(server: &TestServer) -> u64 {
    server.metric("pathways_sql_statements_total").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_query_runs_sql_on_the_seeds_or_a_corpus_100_times_larger() {
    let large = scaled_plan(100);
    assert_eq!(large.counts().steps, 3500);
    let small = seeds_plan();
    for (plan, professions) in [(&small, 15), (&large, 100)] {
        for db in TestDb::each().await {
            let server = TestServer::start(db, plan, admitting_the_full_query(uncached())).await;
            for (name, query) in QUERIES {
                let before = statements(&server).await;
                let data = server.data(query, Value::Null).await;
                assert_ne!(data, json!(null));
                let ran = statements(&server).await - before;
                eprintln!(
                    "{name}: {ran} statements ({}, {} steps)",
                    server.label,
                    plan.counts().steps
                );
                assert_eq!(ran, 0, "{name} ran SQL on {}", server.label);
            }
            let data = server.data(FULL_QUERY, Value::Null).await;
            assert_eq!(
                data["professions"]["edges"].as_array().unwrap().len(),
                professions
            );
        }
    }
}
