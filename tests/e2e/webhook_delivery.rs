//! Webhooks delivered once, promptly, without leaking (issue 17), on SQLite
//! and PostgreSQL, with real servers and receivers: no event sent by two
//! servers at once however they start, a hung receiver holding up no other,
//! addresses redacted everywhere they show, an address getting only events
//! newer than itself and none of a pruned release, and an event sent again
//! with the same `webhook-id` after its server was killed mid-POST.

use crate::receiver::{Received, Receiver, Reply};
use crate::webhooks::new_secret;
use pathways_store::queries::publish::{publish, PublishOutcome};
use pathways_test_db::TestDb;
use pathways_test_support::command::ingest_two_releases;
use pathways_test_support::{changed_seeds, each_db, json, pathways, runtime, Served};
use serde_json::Value;
use std::time::{Duration, Instant};

/// Publishes each release of `ids` in turn, in this process; their event ids.
fn publish_each(db: &TestDb, ids: impl IntoIterator<Item = i32>) -> Vec<String> {
    runtime().block_on(async {
        let conn = pathways_store::connect(db.url()).await.unwrap();
        let mut events = Vec::new();
        for id in ids {
            match publish(&conn, id).await.unwrap() {
                PublishOutcome::Published(p) => events.push(p.event_id),
                PublishOutcome::Unchanged(_) => panic!("release {id} was already published"),
            }
        }
        events
    })
}

fn ids(got: &[Received]) -> Vec<String> {
    got.iter().map(|r| r.header("webhook-id")).collect()
}

/// `pathways serve` delivering to `urls`, with more arguments.
fn serve(db: &TestDb, urls: &[&str], secret: &str, more: &[&str]) -> Served {
    let mut args = Vec::new();
    for url in urls {
        args.extend(["--webhook", url]);
    }
    args.extend(["--webhook-secret", secret]);
    args.extend(more);
    Served::start(db.url(), &args)
}

/// Each database in a thread of its own, at once: these tests mostly wait.
fn on_each_db(test: impl Fn(&TestDb) + Sync) {
    let dbs = each_db();
    std::thread::scope(|scope| {
        for db in &dbs {
            let test = &test;
            scope.spawn(move || test(db));
        }
    });
}

#[test]
fn staggered_servers_never_send_an_event_twice() {
    let secret = new_secret();
    on_each_db(|db| {
        let backend = db.backend();
        ingest_two_releases(db.url());
        let receiver = Receiver::replying(vec![], Reply::after(200, Duration::from_millis(800)));
        let args = ["--release-poll", "200ms", "--webhook-timeout", "3s"];
        let _first = serve(db, &[&receiver.url], &secret, &args);
        // 22 events, pending at once: 18 s of work for a receiver that takes 0.8 s each.
        let published = publish_each(db, (0..22).map(|n| if n % 2 == 0 { 2 } else { 1 }));
        std::thread::sleep(Duration::from_secs(4));
        let _second = serve(db, &[&receiver.url], &secret, &args);
        receiver.wait_until(Duration::from_secs(90), "every event", |got| {
            got.iter().filter(|r| r.finished.is_some()).count() >= published.len()
        });
        std::thread::sleep(Duration::from_secs(2));
        let got = receiver.received();
        for (n, a) in got.iter().enumerate() {
            for b in &got[n + 1..] {
                let overlap = b.arrived < a.finished.unwrap_or(b.arrived);
                assert!(
                    a.header("webhook-id") != b.header("webhook-id"),
                    "{backend:?}: {} sent twice{}",
                    a.header("webhook-id"),
                    if overlap { ", at the same time" } else { "" }
                );
            }
        }
        assert_eq!(ids(&got), published, "{backend:?}: each once, in order");
        let (_, list) = json(&["webhooks", "list", "--database", db.url()]);
        let events = list["events"].as_array().unwrap();
        // The seeds' event came before any server had the address.
        let sent: Vec<_> = events
            .iter()
            .filter(|e| e["deliveries"] != serde_json::json!([]))
            .collect();
        assert_eq!(sent.len(), published.len(), "{backend:?}: {list:#}");
        for event in sent {
            let delivery = &event["deliveries"][0];
            assert_eq!(
                (
                    &delivery["state"],
                    &delivery["attempts"],
                    &delivery["interrupted"]
                ),
                (&Value::from("delivered"), &Value::from(1), &Value::from(0)),
                "{backend:?}: {event:#}"
            );
        }
    });
}

#[test]
fn a_hung_receiver_holds_up_no_other() {
    let secret = new_secret();
    on_each_db(|db| {
        let backend = db.backend();
        ingest_two_releases(db.url());
        let hung = Receiver::replying(vec![], Reply::NEVER);
        let slow = Receiver::replying(vec![], Reply::after(200, Duration::from_secs(3)));
        let healthy = Receiver::start(&[]);
        let poll = Duration::from_millis(500);
        let urls = [hung.url.as_str(), &slow.url, &healthy.url];
        let _server = serve(db, &urls, &secret, &["--release-poll", "500ms"]);
        for (n, release) in [2, 1, 2, 1].into_iter().enumerate() {
            let published = Instant::now();
            let event = publish_each(db, [release]).remove(0);
            let got = healthy.wait_until(Duration::from_secs(30), &event, |got| {
                ids(got).contains(&event)
            });
            let arrived = got
                .iter()
                .find(|r| r.header("webhook-id") == event)
                .unwrap();
            let late = arrived.arrived - published;
            assert!(
                late <= poll + Duration::from_secs(1),
                "{backend:?}: event {n} reached the healthy receiver {late:?} after it was published"
            );
            std::thread::sleep(Duration::from_millis(700));
        }
        let first = ids(&hung.received());
        assert!(
            first.iter().all(|id| *id == first[0]),
            "{backend:?}: the hung receiver was sent a later event before its first: {first:?}"
        );
        // What is being sent reads so, never as an attempt due in the past.
        let (_, list) = json(&["webhooks", "list", "--database", db.url()]);
        let now = std::time::SystemTime::now();
        let states: Vec<(String, String)> = list["events"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["deliveries"].as_array().unwrap().clone())
            .map(|d| {
                if let Some(at) = d["next_attempt_at"].as_str() {
                    let at = humantime::parse_rfc3339(at).unwrap();
                    assert!(at + Duration::from_secs(2) >= now, "{backend:?}: {d:#}");
                }
                (
                    d["url"].as_str().unwrap().to_owned(),
                    d["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        // Its first event is being sent (or, past the 10 s timeout, waits for
        // its retry); the others wait behind it.
        assert!(
            states.contains(&(hung.url.clone(), "in_flight".to_owned()))
                || states.contains(&(hung.url.clone(), "retrying".to_owned())),
            "{backend:?}: {states:?}"
        );
        assert!(
            states.contains(&(hung.url.clone(), "queued".to_owned())),
            "{backend:?}: {states:?}"
        );
    });
}

#[test]
fn addresses_are_redacted_in_logs_metrics_and_listings() {
    let secret = new_secret();
    on_each_db(|db| {
        let backend = db.backend();
        let receiver = Receiver::start(&[500]);
        let port = receiver
            .url
            .split(':')
            .nth(2)
            .unwrap()
            .split('/')
            .next()
            .unwrap();
        let address = format!("http://user:hunter2@127.0.0.1:{port}/hook?token=s3cr3t");
        let shown = format!("http://***@127.0.0.1:{port}/hook?***");
        let args = ["--webhook-backoff", "100ms", "--release-poll", "100ms"];
        // An empty database: the server seeds it, and announces that.
        let server = serve(db, &[&address], &secret, &args);
        receiver.wait_for(2, Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(300));
        let metrics = runtime().block_on(async { server.http().fetch("/metrics").await.text() });
        let logs = serde_json::to_string(&server.logs()).unwrap();
        let human = pathways()
            .args(["webhooks", "list", "--database", db.url()])
            .output()
            .unwrap();
        let human = String::from_utf8(human.stdout).unwrap();
        let (_, listed) = json(&["webhooks", "list", "--database", db.url()]);
        for (place, text) in [
            ("the log", &logs),
            ("/metrics", &metrics),
            ("webhooks list", &human),
            ("webhooks list --format json", &listed.to_string()),
        ] {
            assert!(
                !text.contains("hunter2") && !text.contains("s3cr3t"),
                "{backend:?}: a secret in {place}:\n{text}"
            );
            assert!(
                text.contains(&shown),
                "{backend:?}: {place} does not show {shown}:\n{text}"
            );
        }
        assert!(
            logs.contains("HTTP 500"),
            "{backend:?}: the failed attempt is logged: {logs}"
        );
        assert!(human.contains("delivered"), "{human}");
    });
}

#[test]
fn an_address_gets_events_from_its_first_configuration_and_none_of_a_pruned_release() {
    let secret = new_secret();
    let changed = changed_seeds();
    let again = changed_seeds();
    std::fs::write(
        again.path().join("professions/sports-therapist.yaml"),
        std::fs::read_to_string(again.path().join("professions/sports-therapist.yaml"))
            .unwrap()
            .replace("Sports therapist", "Sport and exercise therapist"),
    )
    .unwrap();
    on_each_db(|db| {
        let backend = db.backend();
        let (old, new) = (Receiver::start(&[]), Receiver::start(&[]));
        let fast = ["--release-poll", "100ms"];
        // The old address is configured, and its server stops.
        serve(db, &[&old.url], &secret, &fast).kill9();
        let url = db.url();
        assert_eq!(json(&["ingest", "seeds", "--database", url]).0, 0);
        let changed = changed.path().to_str().unwrap();
        assert_eq!(json(&["ingest", changed, "--database", url]).0, 0);
        assert_eq!(json(&["publish", "1", "--database", url]).0, 0);
        // Release 2, published in between (the rollback target), goes when named.
        let prune = ["prune", "--keep", "0", "--remove", "2", "--database", url];
        let (code, pruned) = json(&prune);
        assert_eq!((code, &pruned["removed"]), (0, &serde_json::json!([2])));
        let _server = serve(db, &[&old.url, &new.url], &secret, &fast);
        let again = again.path().to_str().unwrap();
        assert_eq!(json(&["ingest", again, "--database", url]).0, 0);
        let release = |got: Vec<Received>| -> Vec<i64> {
            got.iter()
                .map(|r| {
                    let body: Value = serde_json::from_slice(&r.body).unwrap();
                    body["data"]["release"]["id"].as_i64().unwrap()
                })
                .collect()
        };
        let got_old = old.wait_for(3, Duration::from_secs(20));
        let got_new = new.wait_for(1, Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(
            release(got_old),
            [1, 1, 3],
            "{backend:?}: never release 2's event"
        );
        assert_eq!(
            release(got_new),
            [3],
            "{backend:?}: only what came after it"
        );
        assert_eq!((old.received().len(), new.received().len()), (3, 1));
    });
}

#[test]
fn a_server_killed_mid_post_is_followed_by_the_same_event_again() {
    let secret = new_secret();
    on_each_db(|db| {
        let backend = db.backend();
        let receiver = Receiver::replying(vec![Reply::NEVER], Reply::OK);
        let args = ["--webhook-timeout", "2s", "--release-poll", "200ms"];
        // An empty database: the server seeds it, and starts to announce it.
        let first = serve(db, &[&receiver.url], &secret, &args);
        let held = receiver.wait_for(1, Duration::from_secs(20)).remove(0);
        let (_, list) = json(&["webhooks", "list", "--database", db.url()]);
        let delivery = &list["events"][0]["deliveries"][0];
        assert_eq!(delivery["state"], "in_flight", "{backend:?}: {list:#}");
        assert_eq!(delivery["next_attempt_at"], Value::Null);
        first.kill9();
        let _second = serve(db, &[&receiver.url], &secret, &args);
        // Once the killed server's claim (2 × 2 s + 5 s) has run out.
        let got = receiver.wait_for(2, Duration::from_secs(30));
        assert_eq!(got[1].header("webhook-id"), held.header("webhook-id"));
        assert_eq!(got[1].body, held.body, "{backend:?}: the same event");
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(receiver.received().len(), 2);
        let (_, list) = json(&["webhooks", "list", "--database", db.url()]);
        let delivery = &list["events"][0]["deliveries"][0];
        assert_eq!(
            (
                &delivery["state"],
                &delivery["attempts"],
                &delivery["interrupted"]
            ),
            (&Value::from("delivered"), &Value::from(1), &Value::from(1)),
            "{backend:?}: {list:#}"
        );
        let human = pathways()
            .args(["webhooks", "list", "--database", db.url()])
            .output()
            .unwrap();
        let human = String::from_utf8(human.stdout).unwrap();
        assert!(human.contains("1 attempt(s) and 1 interrupted"), "{human}");
    });
}
