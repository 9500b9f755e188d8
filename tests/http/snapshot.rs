//! A release is swapped in whole: a request answers from the release it
//! started with, even while a new one is published.

use crate::{admitting_the_full_query, FULL_QUERY};
use pathways_model::Block;
use pathways_server::config::ServerConfig;
use pathways_test_support::server::uncached;
use pathways_test_support::{seeds_plan, TestServer};
use serde_json::Value;
use std::time::Duration;

const MARK: &str = "(second edition)";

/// Every role description in an answer, and the release it says it is from.
fn release_and_descriptions(data: &Value) -> (String, Vec<String>) {
    let mut descriptions = Vec::new();
    for edge in data["professions"]["edges"].as_array().unwrap() {
        for level in edge["node"]["levels"].as_array().unwrap() {
            for step in level["steps"].as_array().unwrap() {
                descriptions.push(step["role"]["description"].as_str().unwrap().to_owned());
            }
        }
    }
    (
        data["release"]["id"].as_str().unwrap().to_owned(),
        descriptions,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_query_answers_wholly_from_one_release_while_another_is_published() {
    let config = || ServerConfig {
        release_poll: Duration::from_millis(20),
        ..admitting_the_full_query(uncached())
    };
    let query = FULL_QUERY.replacen("query Full {", "query Full { release { id }", 1);
    let mut edited = seeds_plan();
    for role in &mut edited.roles {
        role.blocks.push(Block::Paragraph(MARK.into()));
    }
    for server in TestServer::each(config).await {
        let publish = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            pathways_store::queries::write::write_release(&server.db, &edited, &mut |_| {})
                .await
                .unwrap();
        };
        let read = async {
            let mut seen = std::collections::BTreeMap::<String, usize>::new();
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_secs(20) {
                let data = server.data(&query, Value::Null).await;
                let (release, descriptions) = release_and_descriptions(&data);
                assert_eq!(descriptions.len(), 35);
                let marked = descriptions.iter().filter(|d| d.contains(MARK)).count();
                match release.as_str() {
                    "1" => assert_eq!(
                        marked, 0,
                        "{}: release 1 answered with new text",
                        server.label
                    ),
                    "2" => assert_eq!(
                        marked, 35,
                        "{}: release 2 answered with old text",
                        server.label
                    ),
                    other => panic!("unexpected release {other}"),
                }
                *seen.entry(release).or_default() += 1;
                if seen.get("2").is_some_and(|n| *n >= 5) {
                    break;
                }
            }
            seen
        };
        let ((), seen) = tokio::join!(publish, read);
        assert!(
            seen.contains_key("1") && seen.contains_key("2"),
            "{}: {seen:?}",
            server.label
        );
    }
}
