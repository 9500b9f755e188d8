//! Webhooks with real receivers: signed as Standard Webhooks 1.0 (checked with
//! its reference Rust library), retried until a 2xx, delivered once by any
//! number of servers, and delivered after a server is killed and restarted.

use crate::receiver::{Received, Receiver};
use pathways_test_support::{changed_seeds, each_db, json, pathways, Served};
use serde_json::Value;
use std::time::Duration;

pub fn new_secret() -> String {
    let output = pathways()
        .args(["webhooks", "new-secret"])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn body(received: &Received) -> Value {
    serde_json::from_slice(&received.body).unwrap()
}

fn header(received: &Received, name: &str) -> String {
    received.header(name)
}

#[test]
fn new_secrets_are_fresh_standard_webhooks_keys() {
    let (a, b) = (new_secret(), new_secret());
    assert_ne!(a, b);
    assert!(a.starts_with("whsec_"), "{a}");
    assert!(standardwebhooks::Webhook::new(&a).is_ok());
    assert_eq!(a.len(), "whsec_".len() + 44, "32 bytes in base64");
}

#[test]
fn a_receiver_that_fails_twice_gets_one_success_after_three_signed_attempts() {
    let secret = new_secret();
    for db in each_db() {
        let receiver = Receiver::start(&[500, 503]);
        // An empty database: the server seeds it, and that publication is announced.
        let _server = Served::start(
            db.url(),
            &[
                "--webhook",
                &receiver.url,
                "--webhook-secret",
                &secret,
                "--webhook-backoff",
                "100ms",
                "--release-poll",
                "100ms",
            ],
        );
        let got = receiver.wait_for(3, Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(500));
        let got_all = receiver.received();
        assert_eq!(
            got_all.len(),
            3,
            "{:?}: a delivered event was sent again",
            db.backend()
        );
        assert_eq!(
            got.iter().map(|r| r.answered).collect::<Vec<_>>(),
            [500, 503, 200]
        );
        let verifier = standardwebhooks::Webhook::new(&secret).unwrap();
        for attempt in &got {
            verifier
                .verify(&attempt.body, &attempt.headers)
                .unwrap_or_else(|e| panic!("the signature does not verify: {e}"));
            assert_eq!(header(attempt, "content-type"), "application/json");
        }
        let ids: Vec<String> = got.iter().map(|r| header(r, "webhook-id")).collect();
        assert!(
            ids.iter().all(|id| *id == ids[0]),
            "one event id on every retry: {ids:?}"
        );
        // A wrong key does not verify.
        let other = standardwebhooks::Webhook::new(&new_secret()).unwrap();
        assert!(other.verify(&got[2].body, &got[2].headers).is_err());

        let event = body(&got[2]);
        assert_eq!(event["type"], "release.published");
        assert_eq!(event["data"]["release"]["id"], 1);
        assert_eq!(event["data"]["release"]["counts"]["steps"], 35);
        assert_eq!(event["data"]["previous"], Value::Null);
        assert!(
            event["data"]["release"]["contentHash"]
                .as_str()
                .unwrap()
                .len()
                == 64
        );
        assert!(event["timestamp"].as_str().unwrap().ends_with('Z'));

        let (code, list) = json(&["webhooks", "list", "--database", db.url()]);
        assert_eq!(code, 0);
        let delivery = &list["events"][0]["deliveries"][0];
        assert_eq!(list["events"][0]["id"], ids[0].as_str());
        assert_eq!(delivery["attempts"], 3, "{list:#}");
        assert_eq!(delivery["last_status"], 200);
        assert!(delivery["delivered_at"].is_string());
    }
}

#[test]
fn two_servers_on_one_database_deliver_each_event_once() {
    let secret = new_secret();
    let changed = changed_seeds();
    for db in each_db() {
        let receiver = Receiver::start(&[]);
        let args = [
            "--webhook",
            receiver.url.as_str(),
            "--webhook-secret",
            secret.as_str(),
            "--release-poll",
            "50ms",
        ];
        // Before any server had the address: not its event.
        assert_eq!(json(&["ingest", "seeds", "--database", db.url()]).0, 0);
        let _a = Served::start(db.url(), &args);
        let _b = Served::start(db.url(), &args);
        let (code, report) = json(&[
            "ingest",
            changed.path().to_str().unwrap(),
            "--database",
            db.url(),
        ]);
        assert_eq!(code, 0, "{report:#}");
        let output = pathways()
            .args(["rollback", "--database", db.url()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        receiver.wait_for(2, Duration::from_secs(20));
        std::thread::sleep(Duration::from_secs(1));
        let got = receiver.received();
        let mut ids: Vec<String> = got.iter().map(|r| header(r, "webhook-id")).collect();
        assert_eq!(ids.len(), 2, "{:?}: {ids:?}", db.backend());
        ids.sort();
        ids.dedup();
        assert_eq!(
            ids.len(),
            2,
            "{:?}: an event was delivered twice",
            db.backend()
        );
        let releases: Vec<i64> = got
            .iter()
            .map(|r| body(r)["data"]["release"]["id"].as_i64().unwrap())
            .collect();
        assert_eq!(releases, [2, 1], "in the order they were published");
    }
}

#[test]
fn a_server_killed_before_delivering_leaves_it_to_the_next() {
    let secret = new_secret();
    let changed = changed_seeds();
    for db in each_db() {
        let receiver = Receiver::start(&[]);
        assert_eq!(json(&["ingest", "seeds", "--database", db.url()]).0, 0);
        let quiet = [
            "--webhook",
            receiver.url.as_str(),
            "--webhook-secret",
            secret.as_str(),
            "--release-poll",
            "1h",
            "--no-listen",
        ];
        // It configures the address, then never looks again before it dies.
        let first = Served::start(db.url(), &quiet);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            json(&[
                "ingest",
                changed.path().to_str().unwrap(),
                "--database",
                db.url()
            ])
            .0,
            0
        );
        first.kill9();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(receiver.received().len(), 0, "delivered before the kill");
        let fast = [
            "--webhook",
            receiver.url.as_str(),
            "--webhook-secret",
            secret.as_str(),
            "--release-poll",
            "100ms",
        ];
        let _second = Served::start(db.url(), &fast);
        let got = receiver.wait_for(1, Duration::from_secs(20));
        assert_eq!(body(&got[0])["data"]["release"]["id"], 2);
        assert_eq!(body(&got[0])["data"]["previous"]["id"], 1);
        assert_eq!(body(&got[0])["data"]["summary"]["added"], 1);
        let purge = &body(&got[0])["data"]["purge"];
        for key in ["release", "professions", "profession:sports-therapist"] {
            assert!(purge.as_array().unwrap().contains(&key.into()), "{purge}");
        }
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(
            receiver.received().len(),
            1,
            "{:?}: the seeds' event came before the address was configured",
            db.backend()
        );
    }
}

#[test]
fn webhooks_without_a_secret_refuse_to_start() {
    // Refused in building the server, once the database is open.
    let db = pathways_test_db::TestDb::sqlite();
    let output = pathways()
        .args([
            "serve",
            "--webhook",
            "http://127.0.0.1:9/hook",
            "--database",
            db.url(),
        ])
        .env_remove("PATHWAYS_WEBHOOK_SECRET")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("webhooks need a secret"), "{stderr}");
}
