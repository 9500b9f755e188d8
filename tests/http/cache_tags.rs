//! `Surrogate-Key` and `Cache-Tag`: every public answer names what it read,
//! the same from the response cache, bounded in length; previews name nothing.

use pathways_server::config::{Secret, ServerConfig};
use pathways_store::queries::write::{write, WriteOptions};
use pathways_test_support::server::quiet;
use pathways_test_support::{seeds_plan, Response, TestServer};
use serde_json::Value;

const TOKEN: &str = "preview-token-for-tests";

fn config() -> ServerConfig {
    crate::admitting_the_full_query(ServerConfig {
        preview_token: Some(Secret::new(TOKEN)),
        ..quiet()
    })
}

/// The answer's keys, checked against its `Cache-Tag`.
fn keys(response: &Response) -> Vec<String> {
    let keys = response.header("surrogate-key").expect("a Surrogate-Key");
    let tags = response.header("cache-tag").expect("a Cache-Tag");
    assert_eq!(tags, keys.replace(' ', ","));
    assert!(keys.len() <= 1_000, "{} bytes", keys.len());
    keys.split(' ').map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_name_what_they_read() {
    let plan = seeds_plan();
    let (first, second) = (&plan.professions[0], &plan.professions[1]);
    let role = &plan.roles[first.steps[0].role];
    for server in TestServer::each(config).await {
        let query = format!(
            r#"{{ profession(slug: "{}") {{ name steps {{ title role {{ slug }} }} }} }}"#,
            first.slug
        );
        let answer = server.send(server.get_query(&query)).await;
        answer.assert_ok();
        let got = keys(&answer);
        assert_eq!(got[0], "pathways");
        assert!(
            got.contains(&format!("profession:{}", first.slug)),
            "{got:?}"
        );
        assert!(got.contains(&format!("role:{}", role.slug)), "{got:?}");
        assert!(
            !got.contains(&format!("profession:{}", second.slug)),
            "{got:?}"
        );
        assert!(
            !got.iter().any(|k| k == "release" || k == "search"),
            "{got:?}"
        );
        // From the response cache: the same keys.
        let again = server.send(server.get_query(&query)).await;
        assert_eq!(keys(&again), got);
        assert!(server.cache_counts().await.0 >= 1);

        let cases = [
            (
                r#"{ profession(slug: "nobody") { name } }"#,
                "pathways professions",
            ),
            (r#"{ role(slug: "nobody") { title } }"#, "pathways roles"),
            (
                "{ professions(first: 2) { totalCount edges { cursor } } }",
                "pathways professions",
            ),
            ("{ release { id } }", "pathways release"),
            (
                "{ page { title } levels { number } }",
                "pathways levels page",
            ),
            ("{ routes { slug stages { name } } }", "pathways routes"),
            ("{ __typename }", "pathways"),
        ];
        for (query, expected) in cases {
            let answer = server.send(server.get_query(query)).await;
            answer.assert_ok();
            assert_eq!(keys(&answer).join(" "), expected, "{query}");
        }
        let search = server
            .query(r#"{ search(text: "care") { title } }"#, Value::Null)
            .await;
        assert!(keys(&search).contains(&"search".to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_keys_fall_back_to_the_release() {
    for server in TestServer::each(config).await {
        let answer = server
            .send(server.get_query(
                "{ professions(first: 100) { edges { node { name steps { role { title } } } } } roles { slug } }",
            ))
            .await;
        answer.assert_ok();
        let got = keys(&answer);
        let plan = seeds_plan();
        let listed = 2 + plan.professions.len() + plan.roles.len();
        let length: usize = plan
            .professions
            .iter()
            .map(|p| p.slug.len() + 12)
            .chain(plan.roles.iter().map(|r| r.slug.len() + 6))
            .sum();
        if length + 30 > 1_000 {
            assert_eq!(got, ["pathways", "release"]);
        } else {
            assert_eq!(got.len(), listed + 1, "{got:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_carry_no_keys() {
    for server in TestServer::each(config).await {
        let mut plan = seeds_plan();
        plan.page.title = "Staged".into();
        let options = WriteOptions {
            stage: true,
            note: None,
        };
        let staged = write(&server.db, &plan, &options, &mut |_| {})
            .await
            .unwrap()
            .outcome
            .release()
            .id;
        let request = server
            .get_query("{ page { title } }")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("pathways-release", staged.to_string());
        let preview = server.send(request).await;
        assert_eq!(preview.assert_ok()["page"]["title"], "Staged");
        assert_eq!(preview.header("surrogate-key"), None);
        assert_eq!(preview.header("cache-tag"), None);
    }
}
