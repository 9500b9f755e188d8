//! `pathways serve` as a process: an empty database is seeded, the API answers,
//! logs are JSON when asked, and SIGTERM shuts it down cleanly. Settings it
//! cannot run with are refused at start, naming the flag and its variable.

use pathways_test_support::process::{
    copy_of_binary, message, serve_command, serve_command_at, Starting,
};
use pathways_test_support::{each_db, runtime, Served};
use serde_json::Value;
use std::time::{Duration, Instant};

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

/// `pathways serve` with `args` and `env` on `url`: its exit code and standard error.
fn refused(url: &str, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = serve_command(url);
    command.args(args).envs(env.iter().copied());
    let output = command.output().expect("run pathways serve");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Arguments, environment, and the flag and variable the refusal must name.
type Refusal = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

#[test]
fn settings_a_server_cannot_run_with_are_refused_with_exit_2_naming_flag_and_variable() {
    let url = "sqlite::memory:";
    let cases: &[Refusal] = &[
        (
            &["--release-poll", "0s"],
            &[],
            "--release-poll",
            "PATHWAYS_RELEASE_POLL",
        ),
        (
            &[],
            &[("PATHWAYS_FALLBACK_POLL", "0ms")],
            "--fallback-poll",
            "PATHWAYS_FALLBACK_POLL",
        ),
        (
            &["--request-timeout", "0s"],
            &[],
            "--request-timeout",
            "PATHWAYS_REQUEST_TIMEOUT",
        ),
        (
            &["--header-read-timeout", "0s"],
            &[],
            "--header-read-timeout",
            "PATHWAYS_HEADER_READ_TIMEOUT",
        ),
        (
            &["--webhook-backoff", "0s"],
            &[],
            "--webhook-backoff",
            "PATHWAYS_WEBHOOK_BACKOFF",
        ),
        (
            &["--max-batch", "0"],
            &[],
            "--max-batch",
            "PATHWAYS_MAX_BATCH",
        ),
        (
            &[],
            &[("PATHWAYS_MAX_CONNECTIONS", "0")],
            "--max-connections",
            "PATHWAYS_MAX_CONNECTIONS",
        ),
        (
            &["--max-first", "0"],
            &[],
            "--max-first",
            "PATHWAYS_MAX_FIRST",
        ),
        (
            &["--body-limit", "0"],
            &[],
            "--body-limit",
            "PATHWAYS_BODY_LIMIT",
        ),
        (
            &["--max-header-bytes", "100"],
            &[],
            "--max-header-bytes",
            "PATHWAYS_MAX_HEADER_BYTES",
        ),
        (
            &[],
            &[("PATHWAYS_MAX_LARGE_HEADS", "0")],
            "--max-large-heads",
            "PATHWAYS_MAX_LARGE_HEADS",
        ),
        (
            &["--cache-control", "public,\nmax-age=60"],
            &[],
            "--cache-control",
            "PATHWAYS_CACHE_CONTROL",
        ),
        (
            &["--cors-origin", "https://a.example/"],
            &[],
            "--cors-origin",
            "PATHWAYS_CORS_ORIGINS",
        ),
        (
            &["--preview-token", "t"],
            &[],
            "--preview-token",
            "PATHWAYS_PREVIEW_TOKEN",
        ),
        (
            &[],
            &[("PATHWAYS_PREVIEW_TOKEN", "fifteen-chars!!\n")],
            "--preview-token",
            "PATHWAYS_PREVIEW_TOKEN",
        ),
    ];
    for (args, env, flag, variable) in cases {
        let (code, stderr) = refused(url, args, env);
        assert_eq!(code, Some(2), "{args:?} {env:?}: {stderr}");
        assert!(
            stderr.contains(flag) && stderr.contains(variable),
            "{args:?} {env:?} does not name {flag} and {variable}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // A secret's value is never shown, even refused.
    let (_, stderr) = refused(url, &["--preview-token", "tiny-secret"], &[]);
    assert!(stderr.contains("at least 16 characters"), "{stderr}");
    assert!(!stderr.contains("tiny-secret"), "{stderr}");
}

#[test]
fn lists_and_the_preview_token_from_the_environment_are_trimmed() {
    let db = pathways_test_db::TestDb::sqlite();
    let mut command = serve_command(db.url());
    command
        .env(
            "PATHWAYS_CORS_ORIGINS",
            "https://a.example, https://b.example,",
        )
        // Set to nothing: no webhooks.
        .env("PATHWAYS_WEBHOOKS", "")
        // As read from a secret file: a line break at the end.
        .env("PATHWAYS_PREVIEW_TOKEN", "preview-token-from-a-file\n");
    let server = Starting::new(command).wait();
    for origin in ["https://a.example", "https://b.example"] {
        let answer = server.post("{ release { id } }", &[("origin", origin)]);
        assert_eq!(
            answer.header("access-control-allow-origin"),
            Some(origin),
            "{origin} not allowed"
        );
    }
    let preview = server.post(
        "{ release { id status } }",
        &[
            ("authorization", "Bearer preview-token-from-a-file"),
            ("pathways-release", "1"),
        ],
    );
    preview.assert_status(200);
    assert_eq!(
        preview.json()["data"]["release"]["id"],
        "1",
        "{}",
        preview.text()
    );
}

#[test]
fn a_bad_webhook_setup_is_refused_before_the_server_listens() {
    for db in each_db() {
        let (code, stderr) = refused(
            db.url(),
            &[
                "--webhook",
                "ftp://127.0.0.1:9/hook",
                "--webhook-secret",
                "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=",
            ],
            &[],
        );
        assert_eq!(code, Some(2), "{:?}: {stderr}", db.backend());
        assert!(
            stderr.contains("error: The server cannot start: webhooks cannot start: `ftp://127.0.0.1:9/hook` is not an http:// or https:// address"),
            "{:?}: {stderr}",
            db.backend()
        );
        assert!(!stderr.contains("serving GraphQL"), "{stderr}");
    }
}

#[test]
fn sigterm_stops_the_server_and_its_background_tasks_promptly() {
    for db in each_db() {
        // Every task running: polling often, webhooks retrying an address
        // that refuses, scheduling.
        let server = Served::start(
            db.url(),
            &[
                "--release-poll",
                "50ms",
                "--webhook",
                "http://127.0.0.1:9/hook",
                "--webhook-secret",
                "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=",
                "--webhook-backoff",
                "50ms",
            ],
        );
        assert_eq!(physiotherapist_steps(&server), 7);
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        let (exit, logs) = server.terminate();
        let took = started.elapsed();
        assert!(exit.success(), "{exit:?}");
        assert!(
            took < Duration::from_secs(3),
            "{:?}: took {took:?}",
            db.backend()
        );
        let stopped = logs
            .iter()
            .find(|l| message(l).contains("stopped the background tasks"))
            .unwrap_or_else(|| panic!("{logs:#?}"));
        // The listener (which ends at once on SQLite), the poller, the
        // scheduler and the deliverer.
        assert_eq!(stopped["fields"]["tasks"], 4, "{stopped}");
    }
}
