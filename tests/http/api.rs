//! What front ends read: the nested pathway, shared roles, pagination, search.

use crate::{admitting_the_full_query, FULL_QUERY};
use pathways_test_support::server::quiet;
use pathways_test_support::TestServer;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_nested_query_over_the_seeds() {
    for server in TestServer::each(|| admitting_the_full_query(quiet())).await {
        let data = server.data(FULL_QUERY, Value::Null).await;
        assert_eq!(data["professions"]["totalCount"], 15, "{}", server.label);
        insta::assert_json_snapshot!("full_nested_query", data);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_physiotherapist_pathway_in_order() {
    for server in TestServer::each(quiet).await {
        let data = server
            .data(
                "query($slug: String!) { profession(slug: $slug) { name hasPathway steps { position title level { number label } entryRoute { slug stages { name optional } } } } }",
                json!({"slug": "physiotherapist"}),
            )
            .await;
        let steps = data["profession"]["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 7, "{}", server.label);
        let numbers: Vec<i64> = steps
            .iter()
            .map(|s| s["level"]["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [0, 2, 3, 5, 6, 6, 7]);
        assert_eq!(steps[0]["level"]["label"], "Entry Level");
        assert_eq!(steps[0]["title"], "Physiotherapy Assistant");
        let positions: Vec<i64> = steps
            .iter()
            .map(|s| s["position"].as_i64().unwrap())
            .collect();
        assert_eq!(positions, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(steps[2]["entryRoute"]["slug"], "direct");
        let traditional = &steps[5]["entryRoute"];
        assert_eq!(traditional["slug"], "traditional-optional-postgraduate");
        assert_eq!(
            traditional["stages"][2],
            json!({"name": "University Postgraduate", "optional": true})
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn levels_group_the_pathway() {
    for server in TestServer::each(quiet).await {
        let data = server
            .data(r#"{ profession(slug: "physiotherapist") { levels { level { number } steps { title } routes { slug } } six: levels(number: 6) { steps { title } } } }"#, Value::Null)
            .await;
        let levels = data["profession"]["levels"].as_array().unwrap();
        let numbers: Vec<i64> = levels
            .iter()
            .map(|l| l["level"]["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [0, 2, 3, 5, 6, 7]);
        assert_eq!(levels[4]["steps"].as_array().unwrap().len(), 2);
        assert_eq!(
            levels[4]["routes"],
            json!([{"slug": "traditional-optional-postgraduate"}])
        );
        assert_eq!(
            data["profession"]["six"][0]["steps"][0]["title"],
            "Physiotherapy Practitioner BSc"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_roles_say_who_uses_them() {
    for server in TestServer::each(quiet).await {
        let data = server
            .data(
                "{ roles(shared: true) { slug usedBy { slug } } all: roles { slug } }",
                Value::Null,
            )
            .await;
        let shared = data["roles"].as_array().unwrap();
        assert_eq!(shared.len(), 6, "{}", server.label);
        assert_eq!(data["all"].as_array().unwrap().len(), 15);
        let used_by = |slug: &str| -> Vec<String> {
            let role = shared.iter().find(|r| r["slug"] == slug).unwrap();
            role["usedBy"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["slug"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(used_by("healthcare-support-worker").len(), 6);
        assert_eq!(
            used_by("creative-therapy-support-worker"),
            ["art-therapist", "drama-therapist", "music-therapist"]
        );
        assert_eq!(
            used_by("enhanced-clinical-practitioner"),
            ["occupational-therapist", "physiotherapist"]
        );
        let role = server
            .data(r#"{ role(slug: "creative-therapy-support-worker") { jobTitles workingWith description } missing: role(slug: "nobody") { slug } }"#, Value::Null)
            .await;
        assert_eq!(role["role"]["jobTitles"].as_array().unwrap().len(), 7);
        assert_eq!(
            role["role"]["workingWith"][0],
            "elderly people, including those with dementia"
        );
        assert!(role["role"]["description"]
            .as_str()
            .unwrap()
            .contains("\n\n- activities co-ordinator\n- activity co-ordinator"));
        assert_eq!(role["missing"], Value::Null);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn professions_page_through_with_cursors() {
    for server in TestServer::each(quiet).await {
        let query = "query($after: String) { professions(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { slug } } } }";
        let mut after = Value::Null;
        let mut slugs = Vec::new();
        loop {
            let data = server.data(query, json!({"after": after})).await;
            let page = &data["professions"];
            assert_eq!(page["totalCount"], 15);
            let edges = page["edges"].as_array().unwrap();
            assert!(edges.len() <= 4);
            slugs.extend(
                edges
                    .iter()
                    .map(|e| e["node"]["slug"].as_str().unwrap().to_owned()),
            );
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(slugs.len(), 15, "{}", server.label);
        let mut sorted = slugs.clone();
        sorted.sort();
        assert_eq!(slugs, sorted);
        let filtered = server.data("{ with: professions(hasPathway: true) { totalCount } without: professions(hasPathway: false) { totalCount edges { node { hasPathway } } } }", Value::Null).await;
        assert_eq!(filtered["with"]["totalCount"], 6);
        assert_eq!(filtered["without"]["totalCount"], 9);
        assert!(filtered["without"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["hasPathway"] == false));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_the_role_that_mentions_dementia() {
    for server in TestServer::each(quiet).await {
        let data = server
            .data(
                r#"{ search(text: "dementia") { kind title snippet role { slug } } }"#,
                Value::Null,
            )
            .await;
        let hits = data["search"].as_array().unwrap();
        assert_eq!(hits.len(), 1, "{}: {data:#}", server.label);
        assert_eq!(hits[0]["kind"], "ROLE");
        assert_eq!(hits[0]["role"]["slug"], "creative-therapy-support-worker");
        assert!(
            hits[0]["snippet"]
                .as_str()
                .unwrap()
                .contains("**dementia**"),
            "{}",
            hits[0]["snippet"]
        );
        // `first` is a nullable Int with a default: null means the default.
        let null_first = server
            .data(
                r#"query($n: Int) { search(text: "dementia", first: $n) { kind } }"#,
                json!({"n": null}),
            )
            .await;
        assert_eq!(null_first["search"].as_array().unwrap().len(), 1);
        let physio = server
            .data(
                r#"{ search(text: "physiotherapist", first: 5) { kind title } }"#,
                Value::Null,
            )
            .await;
        let hits = physio["search"].as_array().unwrap();
        assert!(
            hits.iter()
                .any(|h| h["kind"] == "PROFESSION" && h["title"] == "Physiotherapist"),
            "{}: {physio:#}",
            server.label
        );
        assert!(hits.len() <= 5);
        let nothing = server
            .data(r#"{ search(text: "\" * -- ()") { title } }"#, Value::Null)
            .await;
        assert_eq!(nothing["search"], json!([]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_and_levels() {
    for server in TestServer::each(quiet).await {
        let data = server.data("{ release { id contentHash professions steps roles } levels { number label scheme } routes { slug } page { title intro footer } }", Value::Null).await;
        assert_eq!(
            data["page"],
            json!({
                "title": "Explore AHP career pathways",
                "intro": [
                    "Please note these are example pathways into each of the 15 allied health profession roles.",
                    "Take a look at our case studies to discover how flexible AHP career routes can be."
                ],
                "footer": "Please select a career above"
            })
        );
        assert_eq!(data["release"]["professions"], 15);
        assert_eq!(data["release"]["steps"], 35);
        assert_eq!(data["release"]["roles"], 15);
        assert_eq!(data["release"]["contentHash"].as_str().unwrap().len(), 64);
        let labels: Vec<&str> = data["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            labels,
            [
                "Entry Level",
                "Level 2",
                "Level 3",
                "Level 5",
                "Level 6",
                "Level 7"
            ]
        );
        assert_eq!(data["levels"][0]["scheme"], "RQF");
        assert_eq!(data["routes"].as_array().unwrap().len(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_come_back_in_the_order_selected() {
    for server in TestServer::each(quiet).await {
        let query = r#"{ z: release { steps id } profession(slug: "physiotherapist") { steps { title position level { scheme number label } } slug } a: levels { label } }"#;
        let text = server.query(query, Value::Null).await.text();
        let at = |key: &str| {
            text.find(&format!("\"{key}\""))
                .unwrap_or_else(|| panic!("{key} missing from {text}"))
        };
        let keys = [
            "z",
            "steps",
            "id",
            "profession",
            "title",
            "position",
            "scheme",
            "number",
            "label",
            "slug",
            "a",
        ];
        let positions: Vec<usize> = keys.iter().map(|k| at(k)).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{}: {text}",
            server.label
        );
    }
}
