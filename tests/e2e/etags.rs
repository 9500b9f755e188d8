//! ETags are made from the bytes served: a publish that changes one profession
//! leaves every other profession's answer with the ETag it had, on every
//! server, however far apart they started, for GET and POST alike.

use pathways_test_support::{copy_tree, each_db, json, runtime, seeds, Http, Served};
use serde_json::json as value;
use std::collections::BTreeMap;
use std::time::Duration;

const PROFESSION: &str = "query Profession($slug: String!) { profession(slug: $slug) { name levels { level { label } steps { title role { title paragraphs } } } } }";

/// The seeds with one paragraph of a role only the physiotherapist has edited.
fn physiotherapy_edited() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    copy_tree(&seeds(), dir.path());
    let physio = dir.path().join("professions/physiotherapist.yaml");
    let text = std::fs::read_to_string(&physio).unwrap();
    let edited = text.replacen(
        "Physiotherapy assistants make a difference",
        "Physiotherapy assistants make a real difference",
        1,
    );
    assert_ne!(edited, text, "the paragraph to edit is gone from the seeds");
    std::fs::write(&physio, edited).unwrap();
    dir
}

/// The ETag of each profession's answer, by GET and by POST.
fn etags(server: &Served, slugs: &[String]) -> BTreeMap<(String, &'static str), String> {
    let http: Http = server.http();
    runtime().block_on(async {
        let mut etags = BTreeMap::new();
        for slug in slugs {
            let variables = value!({ "slug": slug }).to_string();
            let get = http
                .get("/graphql")
                .query(&[("query", PROFESSION), ("variables", &variables)]);
            let post = http.post_query(PROFESSION, value!({ "slug": slug }));
            for (method, request) in [("GET", get), ("POST", post)] {
                let answer = http.send(request).await;
                answer.assert_ok();
                etags.insert((slug.clone(), method), answer.etag());
            }
        }
        etags
    })
}

fn slugs(server: &Served) -> Vec<String> {
    let body = server
        .post(
            "{ professions(first: 100) { edges { node { slug } } } }",
            &[],
        )
        .json();
    body["data"]["professions"]["edges"]
        .as_array()
        .expect("professions")
        .iter()
        .map(|edge| edge["node"]["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_publish_changing_one_profession_keeps_the_others_etags_on_every_server() {
    for db in each_db() {
        assert_eq!(json(&["ingest", "seeds", "--database", db.url()]).0, 0);
        let early = Served::start(db.url(), &["--release-poll", "100ms"]);
        let slugs = slugs(&early);
        assert_eq!(slugs.len(), 15);
        let before = etags(&early, &slugs);

        let edited = physiotherapy_edited();
        let (code, report) = json(&[
            "ingest",
            edited.path().to_str().unwrap(),
            "--database",
            db.url(),
        ]);
        assert_eq!(code, 0, "{report:#}");
        early.wait_for_release("2", Duration::from_secs(10));
        let late = Served::start(db.url(), &[]);
        for server in [&early, &late] {
            let after = etags(server, &slugs);
            for (key, etag) in &before {
                if key.0 == "physiotherapist" {
                    assert_ne!(
                        &after[key], etag,
                        "{key:?}: the changed answer kept its ETag"
                    );
                } else {
                    assert_eq!(
                        &after[key], etag,
                        "{key:?}: an unchanged answer got a new ETag"
                    );
                }
            }
        }
    }
}
