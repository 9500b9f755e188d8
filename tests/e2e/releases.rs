//! The steward's workflow end to end, on SQLite and PostgreSQL, with real
//! processes: stage, preview, publish (seen by a second server), roll back,
//! list, diff and prune; and failures that change nothing.

use crate::helpers::{changed_seeds, each_db, json, pathways, row_counts, seeds, Served};
use serde_json::Value;
use std::time::Duration;

const TOKEN: &str = "preview-token-for-tests";
const POLL: &str = "200ms";
/// The poll interval, and a margin for a loaded 2-core machine.
const WITHIN: Duration = Duration::from_millis(200 + 1_800);

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

fn statuses(url: &str) -> Vec<(i64, String)> {
    let (code, list) = json(&["releases", "--database", url]);
    assert_eq!(code, 0, "{list:#}");
    list["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn stage_preview_publish_roll_back_list_diff_and_prune() {
    let changed = changed_seeds();
    let changed_path = changed.path().to_str().unwrap();
    for db in each_db() {
        let url = db.url();
        let (code, first) = json(&["ingest", "seeds", "--database", url]);
        assert_eq!(
            (code, first["status"].as_str(), first["published"].as_bool()),
            (0, Some("created"), Some(true))
        );

        // Staged: written, not served.
        let (code, staged) = json(&[
            "ingest",
            changed_path,
            "--stage",
            "--note",
            "three edits",
            "--database",
            url,
        ]);
        assert_eq!(code, 0, "{staged:#}");
        assert_eq!(staged["status"], "created");
        assert_eq!(staged["published"], false);
        assert_eq!(staged["release"]["id"], 2);
        let a = Served::start(url, &["--preview-token", TOKEN, "--release-poll", POLL]);
        let b = Served::start(url, &["--release-poll", POLL]);
        assert_eq!(a.served_release().as_deref(), Some("1"));
        let (_, _, public) = a.post(
            "{ releases { totalCount edges { node { id status } } } }",
            &[],
        );
        assert_eq!(
            public["data"]["releases"]["totalCount"], 1,
            "staged releases are hidden: {public:#}"
        );

        // Preview with the token; without it, 401 and no data.
        let query = r#"{ release { id status note } profession(slug: "sports-therapist") { name } releases { edges { node { id status } } } }"#;
        let (status, headers, body) = a.post(
            query,
            &[("authorization", &bearer()), ("pathways-release", "2")],
        );
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(body["data"]["release"]["id"], "2");
        assert_eq!(body["data"]["release"]["status"], "STAGED");
        assert_eq!(body["data"]["release"]["note"], "three edits");
        assert_eq!(body["data"]["profession"]["name"], "Sports therapist");
        assert_eq!(
            body["data"]["releases"]["edges"][0]["node"]["status"],
            "STAGED"
        );
        assert_eq!(headers["cache-control"], "private, no-store");
        for refused in [
            vec![("pathways-release", "2")],
            vec![
                ("pathways-release", "2"),
                ("authorization", "Bearer not-the-token"),
            ],
        ] {
            let (status, headers, body) = a.post(query, &refused);
            assert_eq!(status, 401, "{refused:?}: {body:#}");
            assert!(body.get("data").is_none(), "{body:#}");
            assert_eq!(headers["www-authenticate"], "Bearer");
        }
        // A server without a preview token refuses previews whatever the token.
        assert_eq!(
            b.post(
                query,
                &[("authorization", &bearer()), ("pathways-release", "2")]
            )
            .0,
            401
        );
        assert_eq!(
            a.post(
                query,
                &[("authorization", &bearer()), ("pathways-release", "9")]
            )
            .0,
            404
        );

        // Publish: both servers serve it within the poll interval.
        let output = pathways()
            .args(["publish", "2", "--database", url])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{text}");
        assert!(
            text.starts_with("published release 2 (was release 1): 1 added, 1 removed, 1 changed"),
            "{text}"
        );
        assert!(
            text.contains("+ profession sports-therapist (1 step)"),
            "{text}"
        );
        for server in [&a, &b] {
            let took = server.wait_for_release("2", WITHIN);
            eprintln!("{:?}: release 2 served after {took:?}", db.backend());
        }
        let (code, again) = json(&["publish", "2", "--database", url]);
        assert_eq!((code, again["status"].as_str()), (0, Some("unchanged")));

        // A third release, staged: the three statuses at once.
        let third = tempfile::tempdir().unwrap();
        crate::helpers::copy_tree(changed.path(), third.path());
        std::fs::remove_file(third.path().join("professions/sports-therapist.yaml")).unwrap();
        let (code, _) = json(&[
            "ingest",
            third.path().to_str().unwrap(),
            "--stage",
            "--database",
            url,
        ]);
        assert_eq!(code, 0);
        assert_eq!(
            statuses(url),
            [
                (3, "staged".into()),
                (2, "published".into()),
                (1, "retired".into())
            ]
        );

        // Roll back: release 1 again, everywhere.
        let (code, rolled) = json(&["rollback", "--database", url]);
        assert_eq!(code, 0, "{rolled:#}");
        assert_eq!(rolled["status"], "published");
        assert_eq!(rolled["release"]["id"], 1);
        assert_eq!(rolled["previous"]["id"], 2);
        assert_eq!(
            rolled["summary"],
            serde_json::json!({"added": 1, "removed": 1, "changed": 1})
        );
        for server in [&a, &b] {
            server.wait_for_release("1", WITHIN);
        }
        assert_eq!(
            statuses(url),
            [
                (3, "staged".into()),
                (2, "retired".into()),
                (1, "published".into())
            ]
        );

        // Diff a release against content and releases against each other.
        let (code, found) = json(&["diff", "published", changed_path, "--database", url]);
        assert_eq!(code, 1, "{found:#}");
        assert_eq!(
            found["summary"],
            serde_json::json!({"added": 1, "removed": 1, "changed": 1})
        );
        assert_eq!(json(&["diff", "2", changed_path, "--database", url]).0, 0);

        // Prune keeps the newest and the published one.
        let (code, pruned) = json(&["prune", "--keep", "1", "--dry-run", "--database", url]);
        assert_eq!(
            (code, pruned["removed"].clone()),
            (0, serde_json::json!([2]))
        );
        assert_eq!(statuses(url).len(), 3, "a dry run removed something");
        let (code, pruned) = json(&["prune", "--keep", "1", "--database", url]);
        assert_eq!(
            (code, pruned["removed"].clone()),
            (0, serde_json::json!([2]))
        );
        assert_eq!(
            statuses(url),
            [(3, "staged".into()), (1, "published".into())]
        );
        assert_eq!(a.served_release().as_deref(), Some("1"));
    }
}

#[test]
fn diff_names_exactly_the_changes_made() {
    let changed = changed_seeds();
    let (code, report) = json(&["diff", "seeds", changed.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{report:#}");
    let changes: Vec<(String, String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["op"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["key"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "changed".into(),
                "role".into(),
                "senior-healthcare-support-worker".into()
            ),
            (
                "added".into(),
                "profession".into(),
                "sports-therapist".into()
            ),
            ("removed".into(), "step".into(), "physiotherapist/1".into()),
        ]
    );
    let fields = &report["changes"][0]["fields"];
    assert_eq!(fields.as_array().unwrap().len(), 1);
    assert_eq!(fields[0]["name"], "paragraph 1");

    let output = pathways()
        .args(["diff", "seeds", changed.path().to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text.contains("~ role senior-healthcare-support-worker: paragraph 1\n"),
        "{text}"
    );
    assert!(
        text.contains("more [-advanced-]{+specialised+} skills"),
        "{text}"
    );
    assert!(
        text.contains("+ profession sports-therapist (1 step)\n"),
        "{text}"
    );
    assert!(text.contains("- step 1 of physiotherapist\n"), "{text}");

    // Equal sides: exit 0. Invalid content: exit 1 with its problems. Nonsense: exit 2.
    assert_eq!(json(&["diff", "seeds", "seeds"]).0, 0);
    let broken = tempfile::tempdir().unwrap();
    crate::helpers::copy_tree(&seeds(), broken.path());
    std::fs::write(broken.path().join("roles.yaml"), "roles: [").unwrap();
    let (code, invalid) = json(&["diff", "seeds", broken.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(invalid["status"], "invalid");
    assert!(
        invalid["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "pathways::syntax" && p["severity"] == "error"),
        "{invalid:#}"
    );
    assert_eq!(
        pathways()
            .args(["diff", "seeds", "no/such/folder"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_failed_publish_or_rollback_changes_nothing_and_says_why() {
    for db in each_db() {
        let url = db.url();
        assert_eq!(json(&["ingest", "seeds", "--database", url]).0, 0);
        let before = row_counts(&db);
        let output = pathways()
            .args(["publish", "42", "--database", url])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("there is no release 42"));
        let output = pathways()
            .args(["rollback", "--database", url])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("nothing to roll back to"));
        assert_eq!(row_counts(&db), before, "{:?}", db.backend());
    }
    // The database gone: an I/O error, exit 2.
    let output = pathways()
        .args([
            "publish",
            "1",
            "--database",
            "postgres://postgres@127.0.0.1:9/none?connect_timeout=1",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Failed to open the database"));
}

#[test]
fn a_dry_run_prints_the_diff_against_the_published_release_and_writes_nothing() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        assert_eq!(json(&["ingest", "seeds", "--database", url]).0, 0);
        let before = row_counts(&db);
        let (code, report) = json(&[
            "ingest",
            changed.path().to_str().unwrap(),
            "--dry-run",
            "--database",
            url,
        ]);
        assert_eq!(code, 0, "{report:#}");
        assert_eq!(report["status"], "would create");
        assert_eq!(report["published"], true);
        assert_eq!(
            report["summary"],
            serde_json::json!({"added": 1, "removed": 1, "changed": 1})
        );
        assert_eq!(row_counts(&db), before);
        let (_, same) = json(&["ingest", "seeds", "--dry-run", "--database", url]);
        assert_eq!(same["status"], "unchanged");
        assert!(same.get("changes").is_none());
    }
}

#[test]
fn the_json_report_says_whether_the_release_is_published() {
    for db in each_db() {
        let url = db.url();
        let (_, staged) = json(&["ingest", "seeds", "--stage", "--database", url]);
        assert_eq!(
            (staged["status"].as_str(), staged["published"].as_bool()),
            (Some("created"), Some(false))
        );
        // The same content again, without --stage: the staged release is published.
        let (_, published) = json(&["ingest", "seeds", "--database", url]);
        assert_eq!(
            (
                published["status"].as_str(),
                published["published"].as_bool(),
                published["release"]["id"].as_i64()
            ),
            (Some("published"), Some(true), Some(1))
        );
        let (_, again) = json(&["ingest", "seeds", "--database", url]);
        assert_eq!(again["status"], "unchanged");
        let _: &Value = &again;
    }
}
