//! `pathways serve` as a process: an empty database is seeded, the API answers,
//! logs are JSON when asked, and SIGTERM shuts it down cleanly.

use crate::helpers::{each_db, repo, runtime};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn serve_seeds_an_empty_database_and_stops_on_sigterm() {
    for db in each_db() {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("pathways"))
            .current_dir(repo())
            .args([
                "serve",
                "--database",
                db.url(),
                "--bind",
                "127.0.0.1:0",
                "--log-format",
                "json",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pathways serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let (address, logs) = until_listening(&mut lines);
        assert!(
            logs.iter()
                .any(|log| message(log).contains("loaded the seeds")),
            "{:?}: the empty database was not seeded",
            db.backend()
        );

        assert_eq!(physiotherapist_steps(&address), 7);

        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        let exit = child.wait().unwrap();
        assert!(exit.success(), "{exit:?}");
        assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
    }
}

#[test]
fn a_binary_copied_elsewhere_seeds_an_empty_database_from_its_built_in_seeds() {
    let elsewhere = tempfile::tempdir().unwrap();
    let binary = elsewhere.path().join("pathways");
    std::fs::copy(assert_cmd::cargo::cargo_bin("pathways"), &binary).unwrap();
    let mut child = Command::new(&binary)
        .current_dir(elsewhere.path())
        .args([
            "serve",
            "--database",
            "sqlite://data/p.db",
            "--bind",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .env_remove("DATABASE_URL")
        .env_remove("PATHWAYS_SEEDS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let (address, logs) = until_listening(&mut lines);
    let seeded_from = logs
        .iter()
        .find(|log| message(log).contains("loaded the seeds"))
        .and_then(|log| log["fields"]["seeds"].as_str());
    assert_eq!(seeded_from, Some("built in"));
    assert_eq!(physiotherapist_steps(&address), 7);
    let _ = child.kill();
    let _ = child.wait();
}

/// How many steps the served release has for physiotherapists, over HTTP.
fn physiotherapist_steps(address: &str) -> usize {
    let query = r#"{ profession(slug: "physiotherapist") { steps { title } } }"#;
    let answer: Value = runtime().block_on(async {
        reqwest::Client::new()
            .post(format!("http://{address}/graphql"))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    answer["data"]["profession"]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in {answer}"))
        .len()
}

/// Reads the server's JSON log until it says where it listens: that address, and
/// every log line up to it.
fn until_listening(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> (String, Vec<Value>) {
    let started = Instant::now();
    let mut logs = Vec::new();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        let Some(Ok(line)) = lines.next() else {
            panic!("the server exited before listening")
        };
        let log: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"));
        if message(&log).starts_with("serving GraphQL") {
            let address = log["fields"]["address"].as_str().unwrap().to_owned();
            return (address, logs);
        }
        logs.push(log);
    }
}

fn message(log: &Value) -> &str {
    log["fields"]["message"].as_str().unwrap_or_default()
}
