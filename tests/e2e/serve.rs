//! `pathways serve` as a process: an empty database is seeded, the API answers,
//! logs are JSON when asked, and SIGTERM shuts it down cleanly.

use pathways_test_support::process::{copy_of_binary, message, serve_command_at, Starting};
use pathways_test_support::{each_db, runtime, Served};
use serde_json::Value;

#[test]
fn serve_seeds_an_empty_database_and_stops_on_sigterm() {
    for db in each_db() {
        let server = Served::start(db.url(), &[]);
        assert!(
            server
                .logs()
                .iter()
                .any(|log| message(log).contains("loaded the seeds")),
            "{:?}: the empty database was not seeded",
            db.backend()
        );

        assert_eq!(physiotherapist_steps(&server), 7);

        let (exit, logs) = server.terminate();
        assert!(exit.success(), "{exit:?}");
        assert!(
            logs.iter().any(|l| message(l).contains("shutting down")),
            "{logs:?}"
        );
    }
}

#[test]
fn a_binary_copied_elsewhere_seeds_an_empty_database_from_its_built_in_seeds() {
    let elsewhere = tempfile::tempdir().unwrap();
    let binary = copy_of_binary(elsewhere.path());
    let server = Starting::new(serve_command_at(
        &binary,
        elsewhere.path(),
        "sqlite://data/p.db",
    ))
    .wait();
    let seeded_from = server
        .logs()
        .iter()
        .find(|log| message(log).contains("loaded the seeds"))
        .and_then(|log| log["fields"]["seeds"].as_str().map(str::to_owned));
    assert_eq!(seeded_from.as_deref(), Some("built in"));
    assert_eq!(physiotherapist_steps(&server), 7);
}

/// How many steps the served release has for physiotherapists, over HTTP.
fn physiotherapist_steps(server: &Served) -> usize {
    let query = r#"{ profession(slug: "physiotherapist") { steps { title } } }"#;
    let http = server.http();
    let data = runtime().block_on(http.data(query, Value::Null));
    data["profession"]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in {data}"))
        .len()
}
