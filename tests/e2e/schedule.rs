//! Scheduled publishing through the command and real servers, on SQLite and
//! PostgreSQL: two servers publish a schedule once, and announce it once;
//! with no server running, the next release command or `serve` publishes what
//! is overdue and says so; what cannot be scheduled is refused.

use crate::receiver::Receiver;
use crate::webhooks::new_secret;
use pathways_test_db::TestDb;
use pathways_test_support::command::{ingest_two_releases, release_statuses};
use pathways_test_support::databases::count;
use pathways_test_support::process::message;
use pathways_test_support::{each_db, json, pathways, Served};
use serde_json::Value;
use std::time::Duration;

/// Runs `pathways ARGS`: exit code, standard output and standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    let output = pathways().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn release(list: &Value, id: i64) -> Value {
    list["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn two_servers_publish_a_schedule_once_and_announce_it_once() {
    let secret = new_secret();
    for db in each_db() {
        let backend = db.backend();
        ingest_two_releases(db.url());
        let receiver = Receiver::start(&[]);
        let args = [
            "--webhook",
            &receiver.url,
            "--webhook-secret",
            &secret,
            "--release-poll",
            "200ms",
        ];
        let servers = [
            Served::start(db.url(), &args),
            Served::start(db.url(), &args),
        ];
        let (code, scheduled) = json(&["publish", "2", "--in", "2s", "--database", db.url()]);
        assert_eq!((code, &scheduled["status"]), (0, &Value::from("scheduled")));
        for server in &servers {
            server.wait_for_release("2", Duration::from_secs(20));
        }
        receiver.wait_for(1, Duration::from_secs(20));
        std::thread::sleep(Duration::from_secs(1));
        let publications = count(
            db.url(),
            "SELECT COUNT(*) FROM publications WHERE release_id = 2",
        );
        assert_eq!(publications, 1, "{backend:?}");
        let got = receiver.received();
        assert_eq!(got.len(), 1, "{backend:?}: one webhook");
        let body: Value = serde_json::from_slice(&got[0].body).unwrap();
        assert_eq!(body["data"]["release"]["id"], 2);

        let (_, list) = json(&["releases", "--database", db.url()]);
        let schedule = &release(&list, 2)["schedule"];
        assert_eq!(schedule["status"], "published", "{list:#}");
        assert_eq!(schedule["publish_at"], scheduled["publish_at"]);
        let by = schedule["published_by"].as_str().unwrap();
        assert!(!by.starts_with("pathways "), "a server published it: {by}");
        let published = humantime::parse_rfc3339(schedule["published_at"].as_str().unwrap());
        let due = humantime::parse_rfc3339(schedule["publish_at"].as_str().unwrap());
        assert!(published.unwrap() >= due.unwrap(), "{schedule:#}");
        let (_, table, _) = run(&["releases", "--database", db.url()]);
        assert!(
            table.contains(&format!(
                "release 2 was scheduled for {}: published at",
                schedule["publish_at"].as_str().unwrap()
            )),
            "{table}"
        );
        assert!(table.contains(&format!("by {by}")), "{table}");
    }
}

#[test]
fn with_no_server_running_the_next_release_command_publishes_what_is_overdue() {
    for db in each_db() {
        let backend = db.backend();
        ingest_two_releases(db.url());
        let scheduled = std::time::Instant::now();
        let (code, out, _) = run(&["publish", "2", "--in", "3s", "--database", db.url()]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.starts_with("scheduled: release 2 will be published at"),
            "{out}"
        );
        // `releases` itself publishes what is due: before the time, it shows
        // the schedule (on a machine too loaded to get there in 3 s, the
        // publication below is all there is to see).
        let (_, table, first) = run(&["releases", "--database", db.url()]);
        if scheduled.elapsed() < Duration::from_millis(2500) {
            assert!(table.contains("release 2 is scheduled for"), "{table}");
        }
        std::thread::sleep(
            Duration::from_secs(3).saturating_sub(scheduled.elapsed()) + Duration::from_millis(500),
        );
        let (code, table, second) = run(&["releases", "--database", db.url()]);
        assert_eq!(code, 0);
        let said = format!("{first}{second}");
        assert!(
            said.contains("published release 2, scheduled for")
                && said.contains("late: no server was running then"),
            "{backend:?}: {said}"
        );
        assert!(table.contains("by pathways releases ("), "{table}");
        let (_, list) = json(&["releases", "--database", db.url()]);
        assert_eq!(release(&list, 2)["status"], "published", "{backend:?}");
        let (_, _, said) = run(&["releases", "--database", db.url()]);
        assert!(!said.contains("published release"), "once only: {said}");
    }
}

#[test]
fn serve_publishes_what_is_overdue_before_serving_and_says_so() {
    for db in each_db() {
        ingest_two_releases(db.url());
        assert_eq!(
            json(&["publish", "2", "--in", "1s", "--database", db.url()]).0,
            0
        );
        std::thread::sleep(Duration::from_millis(1200));
        let server = Served::start(db.url(), &[]);
        assert_eq!(server.served_release().as_deref(), Some("2"));
        let said: Vec<String> = server
            .logs()
            .iter()
            .map(|l| message(l).to_owned())
            .collect();
        assert!(
            said.iter()
                .any(|m| m.starts_with("published release 2, scheduled for")),
            "{:?}: {said:#?}",
            db.backend()
        );
    }
}

#[test]
fn what_cannot_be_scheduled_is_refused_and_schedules_move_and_cancel() {
    let db = TestDb::sqlite();
    ingest_two_releases(db.url());
    let url = db.url();
    let refused = |args: &[&str], says: &str| {
        let mut all = args.to_vec();
        all.extend(["--database", url]);
        let (code, out, err) = run(&all);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refused(
        &["publish", "2", "--at", "2000-01-01T00:00:00Z"],
        "in the past",
    );
    refused(&["publish", "2", "--at", "monday 9am"], "RFC 3339");
    refused(
        &["publish", "2", "--at", "2030-01-01T09:00:00"],
        "with an offset",
    );
    refused(&["publish", "1", "--in", "1h"], "already the one published");
    refused(&["publish", "9", "--in", "1h"], "no release 9");
    refused(&["publish", "--cancel", "2"], "not scheduled");
    refused(
        &["publish", "2", "--in", "1h", "--cancel", "2"],
        "cannot be used with",
    );

    let (code, first) = json(&[
        "publish",
        "2",
        "--at",
        "2030-01-07T09:00:00+01:00",
        "--database",
        url,
    ]);
    assert_eq!(
        (code, &first["publish_at"]),
        (0, &Value::from("2030-01-07T08:00:00Z"))
    );
    let (_, out, _) = run(&["publish", "2", "--in", "3h", "--database", url]);
    assert!(out.contains("moved from 2030-01-07T08:00:00Z"), "{out}");
    // Pruning keeps it, and says why; naming it is refused while it is scheduled.
    let (code, pruned) = json(&["prune", "--keep", "0", "--database", url]);
    assert_eq!(code, 0, "{pruned:#}");
    assert_eq!(
        pruned["kept"],
        serde_json::json!([{"id": 2, "reasons": ["staged_newer", "scheduled"]}, {"id": 1, "reasons": ["served"]}])
    );
    refused(
        &["prune", "--keep", "0", "--remove", "2"],
        "release 2 is scheduled for publication: `pathways publish --cancel 2` cancels that first; nothing was removed",
    );
    let (code, out, _) = run(&["publish", "--cancel", "2", "--database", url]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("cancelled: release 2 will not be published at"),
        "{out}"
    );
    let (_, list) = json(&["releases", "--database", url]);
    assert_eq!(release(&list, 2)["schedule"]["status"], "cancelled");
    assert_eq!(release_statuses(url)[0], (2, "staged".to_owned()));
    let prune = ["prune", "--keep", "0", "--remove", "2", "--dry-run"];
    let (code, pruned) = json(&[&prune[..], &["--database", url]].concat());
    assert_eq!((code, &pruned["removed"]), (0, &serde_json::json!([2])));
}
