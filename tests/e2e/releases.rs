//! The steward's workflow end to end, on SQLite and PostgreSQL, with real
//! processes: stage, preview, publish (seen by a second server), roll back,
//! list, diff a release and prune; and failures that change nothing.

use pathways_test_support::command::release_statuses as statuses;
use pathways_test_support::{
    changed_seeds, copy_tree, each_db, json, pathways, row_counts, Served,
};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "preview-token-for-tests";
const POLL: &str = "200ms";
/// The poll interval, and a margin for a loaded 2-core machine.
const WITHIN: Duration = Duration::from_millis(200 + 1_800);

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// Two servers polling every 200 ms: `a` takes previews with [`TOKEN`], `b` has no token.
fn two_servers(url: &str) -> (Served, Served) {
    (
        Served::start(url, &["--preview-token", TOKEN, "--release-poll", POLL]),
        Served::start(url, &["--release-poll", POLL]),
    )
}

/// `pathways ingest DIR --database URL [extra...] --format json`, which must succeed.
#[track_caller]
fn ingest(dir: &str, url: &str, extra: &[&str]) -> Value {
    let mut args = vec!["ingest", dir, "--database", url];
    args.extend(extra);
    let (code, report) = json(&args);
    assert_eq!(code, 0, "{report:#}");
    report
}

/// Release 1 (the seeds, published) and release 2 (the changed seeds, staged
/// with a note).
fn one_published_one_staged(url: &str, changed: &Path) -> (Value, Value) {
    let first = ingest("seeds", url, &[]);
    let staged = ingest(
        changed.to_str().unwrap(),
        url,
        &["--stage", "--note", "three edits"],
    );
    (first, staged)
}

/// Three releases: 1 retired, 2 published, 3 staged (the changed seeds less the
/// profession they add).
fn retired_published_staged(url: &str, changed: &Path) {
    one_published_one_staged(url, changed);
    assert_eq!(json(&["publish", "2", "--database", url]).0, 0);
    let third = tempfile::tempdir().unwrap();
    copy_tree(changed, third.path());
    std::fs::remove_file(third.path().join("professions/sports-therapist.yaml")).unwrap();
    ingest(third.path().to_str().unwrap(), url, &["--stage"]);
}

#[test]
fn a_staged_release_is_written_but_not_served() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        let (first, staged) = one_published_one_staged(url, changed.path());
        assert_eq!(
            (first["status"].as_str(), first["published"].as_bool()),
            (Some("created"), Some(true))
        );
        assert_eq!(staged["status"], "created");
        assert_eq!(staged["published"], false);
        assert_eq!(staged["release"]["id"], 2);
        let server = Served::start(url, &["--release-poll", POLL]);
        assert_eq!(server.served_release().as_deref(), Some("1"));
        let public = server
            .post(
                "{ releases { totalCount edges { node { id status } } } }",
                &[],
            )
            .assert_ok();
        assert_eq!(
            public["releases"]["totalCount"], 1,
            "staged releases are hidden: {public:#}"
        );
    }
}

#[test]
fn a_staged_release_is_previewed_only_with_the_token() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        one_published_one_staged(url, changed.path());
        let (a, b) = two_servers(url);
        let query = r#"{ release { id status note } profession(slug: "sports-therapist") { name } releases { edges { node { id status } } } }"#;
        let bearer = bearer();
        let with_token = [
            ("authorization", bearer.as_str()),
            ("pathways-release", "2"),
        ];
        let preview = a.post(query, &with_token);
        let data = preview.assert_ok();
        preview.assert_cache_control("private, no-store");
        assert_eq!(data["release"]["id"], "2");
        assert_eq!(data["release"]["status"], "STAGED");
        assert_eq!(data["release"]["note"], "three edits");
        assert_eq!(data["profession"]["name"], "Sports therapist");
        assert_eq!(data["releases"]["edges"][0]["node"]["status"], "STAGED");
        for refused in [
            vec![("pathways-release", "2")],
            vec![
                ("pathways-release", "2"),
                ("authorization", "Bearer not-the-token"),
            ],
        ] {
            let answer = a.post(query, &refused);
            answer.assert_status(401);
            assert!(answer.json().get("data").is_none(), "{refused:?}");
            assert_eq!(answer.header("www-authenticate"), Some("Bearer"));
        }
        // A server without a preview token refuses previews whatever the token.
        b.post(query, &with_token).assert_status(401);
        a.post(
            query,
            &[
                ("authorization", bearer.as_str()),
                ("pathways-release", "9"),
            ],
        )
        .assert_status(404);
    }
}

#[test]
fn a_published_release_is_served_by_every_server_within_the_poll_interval() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        one_published_one_staged(url, changed.path());
        let (a, b) = two_servers(url);
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
    }
}

#[test]
fn releases_lists_staged_published_and_retired_releases() {
    let changed = changed_seeds();
    for db in each_db() {
        retired_published_staged(db.url(), changed.path());
        assert_eq!(
            statuses(db.url()),
            [
                (3, "staged".into()),
                (2, "published".into()),
                (1, "retired".into())
            ]
        );
    }
}

#[test]
fn rollback_serves_the_release_published_before_on_every_server() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        retired_published_staged(url, changed.path());
        let a = Served::start(url, &["--release-poll", POLL]);
        let b = Served::start(url, &["--release-poll", POLL]);
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
    }
}

#[test]
fn diff_compares_a_release_with_a_content_folder() {
    let changed = changed_seeds();
    let changed_path = changed.path().to_str().unwrap();
    for db in each_db() {
        let url = db.url();
        one_published_one_staged(url, changed.path());
        let (code, found) = json(&["diff", "published", changed_path, "--database", url]);
        assert_eq!(code, 1, "{found:#}");
        assert_eq!(
            found["summary"],
            serde_json::json!({"added": 1, "removed": 1, "changed": 1})
        );
        assert_eq!(json(&["diff", "2", changed_path, "--database", url]).0, 0);
    }
}

#[test]
fn prune_keeps_the_newest_and_the_published_release() {
    let changed = changed_seeds();
    for db in each_db() {
        let url = db.url();
        retired_published_staged(url, changed.path());
        assert_eq!(json(&["rollback", "--database", url]).0, 0);
        let server = Served::start(url, &["--release-poll", POLL]);
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
        assert_eq!(server.served_release().as_deref(), Some("1"));
    }
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
    }
}
