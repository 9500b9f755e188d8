//! `serve --purge URL`: on a publish, one HTTP `PURGE` naming the keys that
//! changed (and the same again a moment later), through the webhooks' outbox,
//! on SQLite and PostgreSQL.

use crate::receiver::Receiver;
use pathways_test_support::{changed_seeds, each_db, json, Served};
use std::time::Duration;

#[test]
fn a_publish_purges_the_keys_that_changed() {
    let changed = changed_seeds();
    for db in each_db() {
        let receiver = Receiver::start(&[]);
        assert_eq!(json(&["ingest", "seeds", "--database", db.url()]).0, 0);
        let args = [
            "--purge",
            &format!(" {} ", receiver.url),
            "--purge-header",
            "x-purge-keys",
            "--release-poll",
            "100ms",
        ];
        let _server = Served::start(db.url(), &args);
        let ingest = [
            "ingest",
            changed.path().to_str().unwrap(),
            "--database",
            db.url(),
        ];
        assert_eq!(json(&ingest).0, 0);
        let got = receiver.wait_for(2, Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(
            receiver.received().len(),
            2,
            "{:?}: sent twice only",
            db.backend()
        );
        for request in &got {
            assert_eq!(request.method, "PURGE");
            assert_eq!(request.header("webhook-id"), got[0].header("webhook-id"));
            let keys = request.header("x-purge-keys");
            let keys: Vec<&str> = keys.split(' ').collect();
            for key in [
                "release",
                "search",
                "professions",
                "profession:physiotherapist",
                "profession:sports-therapist",
                // Its shared role's text changed: the role, and each profession showing it.
                "role:senior-healthcare-support-worker",
                "profession:art-therapist",
            ] {
                assert!(keys.contains(&key), "{:?}: {keys:?}", db.backend());
            }
            // Only what changed: not everything, not an untouched profession.
            assert!(!keys.contains(&"pathways"), "{keys:?}");
            assert!(!keys.contains(&"profession:dietitian"), "{keys:?}");
        }
    }
}

#[test]
fn a_purge_address_or_header_that_cannot_work_is_refused_at_start() {
    for (args, says) in [
        (["--purge", "ftp://cache/"], "ftp://cache/"),
        (["--purge-header", "no such header"], "--purge-header"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let mut all = vec!["serve", "--database", &url, "--bind", "127.0.0.1:0"];
        all.extend(args);
        let output = pathways_test_support::pathways()
            .args(&all)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
        assert!(stderr.contains("purging cannot start"), "{stderr}");
    }
}
