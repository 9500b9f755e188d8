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
        let started = Instant::now();
        let mut seeded = false;
        let address = loop {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not start"
            );
            let Some(Ok(line)) = lines.next() else {
                panic!("the server exited before listening")
            };
            let log: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"));
            let message = log["fields"]["message"].as_str().unwrap_or_default();
            seeded |= message.contains("loaded the seeds");
            if message.starts_with("serving GraphQL") {
                break log["fields"]["address"].as_str().unwrap().to_owned();
            }
        };
        assert!(
            seeded,
            "{:?}: the empty database was not seeded",
            db.backend()
        );

        let answer: Value = runtime().block_on(async {
            reqwest::Client::new()
                .post(format!("http://{address}/graphql"))
                .json(&json!({"query": "{ profession(slug: \"physiotherapist\") { steps { title } } }"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
        assert_eq!(
            answer["data"]["profession"]["steps"]
                .as_array()
                .unwrap()
                .len(),
            7
        );

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
    let mut seeded_from = None;
    let address = loop {
        let Some(Ok(line)) = lines.next() else {
            panic!("the server exited before listening")
        };
        let log: Value = serde_json::from_str(&line).unwrap();
        if log["fields"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("loaded the seeds")
        {
            seeded_from = log["fields"]["seeds"].as_str().map(str::to_owned);
        }
        if log["fields"]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("serving GraphQL")
        {
            break log["fields"]["address"].as_str().unwrap().to_owned();
        }
    };
    assert_eq!(seeded_from.as_deref(), Some("built in"));
    let answer: Value = runtime().block_on(async {
        reqwest::Client::new()
            .post(format!("http://{address}/graphql"))
            .json(
                &json!({"query": "{ profession(slug: \"physiotherapist\") { steps { title } } }"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(
        answer["data"]["profession"]["steps"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let _ = child.kill();
    let _ = child.wait();
}
