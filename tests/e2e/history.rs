//! History that walks back, on SQLite and PostgreSQL, over six releases with
//! staged ones among them: each `rollback` goes to the release published before
//! the one served (6 → 4 → 2 → 1), `rollback --to` goes to any kept release,
//! and `prune` keeps the published releases asked for, the served one, its
//! rollback target and releases staged after it, saying why.

use pathways_test_support::command::release_statuses as statuses;
use pathways_test_support::{copy_tree, each_db, json, pathways, seeds};
use serde_json::{json, Value};
use std::process::Output;

/// The seeds with the page title marking edition `n`: new content each time.
fn edition(n: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&seeds(), dir.path());
    let page = dir.path().join("page.yaml");
    let text = std::fs::read_to_string(&page).unwrap().replacen(
        "title: Explore AHP career pathways",
        &format!("title: Explore AHP career pathways (edition {n})"),
        1,
    );
    std::fs::write(page, text).unwrap();
    dir
}

/// Six releases: 1, 2, 4 and 6 published in turn (6 served), 3 and 5 staged.
fn six_releases(url: &str) {
    for n in 1..=6 {
        let content = edition(n);
        let mut args = vec![
            "ingest",
            content.path().to_str().unwrap(),
            "--database",
            url,
        ];
        if n == 3 || n == 5 {
            args.push("--stage");
        }
        let (code, report) = json(&args);
        assert_eq!(
            (code, report["release"]["id"].as_u64()),
            (0, Some(n.into())),
            "{report:#}"
        );
    }
}

fn served(url: &str) -> i64 {
    let list = statuses(url);
    list.iter()
        .find(|(_, s)| s == "published")
        .unwrap_or_else(|| panic!("nothing published: {list:?}"))
        .0
}

/// `pathways rollback [ARGS] --database URL --format json`, which must succeed:
/// the release it went to.
#[track_caller]
fn rollback(url: &str, args: &[&str]) -> Value {
    let mut all = vec!["rollback", "--database", url];
    all.extend(args);
    let (code, report) = json(&all);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["status"], "published", "{report:#}");
    report
}

fn failing(args: &[&str]) -> Output {
    let output = pathways().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn each_rollback_goes_to_the_release_published_before_the_one_served() {
    for db in each_db() {
        let url = db.url();
        six_releases(url);
        assert_eq!(
            statuses(url),
            [
                (6, "published".into()),
                (5, "staged".into()),
                (4, "retired".into()),
                (3, "staged".into()),
                (2, "retired".into()),
                (1, "retired".into())
            ]
        );
        for (from, to) in [(6, 4), (4, 2), (2, 1)] {
            let report = rollback(url, &[]);
            assert_eq!(report["previous"]["id"], from, "{:?}", db.backend());
            assert_eq!(report["release"]["id"], to, "{:?}", db.backend());
            assert_eq!(served(url), to);
        }
        let output = failing(&["rollback", "--database", url]);
        assert!(
            stderr(&output).contains("nothing to roll back to"),
            "{}",
            stderr(&output)
        );
        assert_eq!(served(url), 1, "a failed rollback changed what is served");
    }
}

#[test]
fn rollback_to_goes_to_any_kept_release() {
    for db in each_db() {
        let url = db.url();
        six_releases(url);
        // Back along the path, past 4, to 2; the next rollback goes on to 1.
        assert_eq!(rollback(url, &["--to", "2"])["release"]["id"], 2);
        assert_eq!(served(url), 2);
        // 6 is no longer on the way back, but was published: it is published
        // again, and a rollback from it returns to 2.
        assert_eq!(rollback(url, &["--to", "6"])["release"]["id"], 6);
        assert_eq!(rollback(url, &[])["release"]["id"], 2);
        assert_eq!(rollback(url, &[])["release"]["id"], 1);
        let never = failing(&["rollback", "--to", "3", "--database", url]);
        assert!(
            stderr(&never).contains("release 3 was never published"),
            "{}",
            stderr(&never)
        );
        let missing = failing(&["rollback", "--to", "99", "--database", url]);
        assert!(
            stderr(&missing).contains("there is no release 99"),
            "{}",
            stderr(&missing)
        );
        assert_eq!(served(url), 1, "{:?}", db.backend());
    }
}

#[test]
fn prune_keeps_the_served_release_its_rollback_target_and_newer_staged_ones() {
    for db in each_db() {
        let url = db.url();
        six_releases(url);
        rollback(url, &[]); // 4 served; a rollback would go to 2
        let staged = edition(7);
        let (code, _) = json(&[
            "ingest",
            staged.path().to_str().unwrap(),
            "--stage",
            "--database",
            url,
        ]);
        assert_eq!(code, 0);

        let (code, plan) = json(&["prune", "--keep", "1", "--dry-run", "--database", url]);
        assert_eq!(code, 0, "{plan:#}");
        assert_eq!(
            plan["removed"],
            json!([6, 3, 1]),
            "{:?}: {plan:#}",
            db.backend()
        );
        assert_eq!(
            plan["kept"],
            json!([
                {"id": 7, "reasons": ["staged_newer"]},
                {"id": 5, "reasons": ["staged_newer"]},
                {"id": 4, "reasons": ["served", "recently_published"]},
                {"id": 2, "reasons": ["rollback_target"]},
            ])
        );
        assert_eq!(statuses(url).len(), 7, "a dry run removed something");
        let output = pathways()
            .args(["prune", "--keep", "1", "--database", url])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{text}");
        for line in [
            "removed release 6 ",
            "kept release 4: served, recently published",
            "kept release 2: rollback target",
            "kept release 5: staged after the served release",
        ] {
            assert!(text.contains(line), "{line:?} not in:\n{text}");
        }
        assert_eq!(
            statuses(url).iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [7, 5, 4, 2]
        );
        // A named staged release goes; the served one is never pruned.
        let (code, named) = json(&["prune", "--keep", "1", "--remove", "5", "--database", url]);
        assert_eq!(
            (code, named["removed"].clone()),
            (0, json!([5])),
            "{named:#}"
        );
        let refused = failing(&["prune", "--keep", "1", "--remove", "4", "--database", url]);
        assert!(stderr(&refused).contains("release 4 is the one being served"));

        // The walk back reaches 2, whose own way back (release 1) was pruned: said so.
        assert_eq!(rollback(url, &[])["release"]["id"], 2);
        let pruned = failing(&["rollback", "--database", url]);
        assert!(
            stderr(&pruned).contains("release 1, the one to roll back to, was pruned"),
            "{}",
            stderr(&pruned)
        );
        assert_eq!(served(url), 2, "{:?}", db.backend());
    }
}
