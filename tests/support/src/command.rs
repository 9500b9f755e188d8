//! The `pathways` binary as a command.

use crate::paths::repo;
use serde_json::Value;
use std::path::PathBuf;

/// Where cargo built the `pathways` binary.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("pathways")
}

/// `pathways`, run from the repository without the variables a developer's shell may set.
pub fn command() -> std::process::Command {
    let mut command = std::process::Command::new(binary());
    command
        .current_dir(repo())
        .env_remove("DATABASE_URL")
        .env_remove("PATHWAYS_MAX_FILE_SIZE");
    command
}

/// [`command`] with `assert_cmd`'s assertions.
pub fn pathways() -> assert_cmd::Command {
    assert_cmd::Command::from_std(command())
}

/// Runs `pathways ARGS... --format json`, returning exit code and the document.
#[track_caller]
pub fn json(args: &[&str]) -> (i32, Value) {
    let output = pathways()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run pathways");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), document)
}

/// Ingests the seeds (published: release 1), then the changed seeds staged
/// (release 2), into the database at `url`.
#[track_caller]
pub fn ingest_two_releases(url: &str) {
    assert_eq!(json(&["ingest", "seeds", "--database", url]).0, 0);
    let changed = crate::content::changed_seeds();
    let changed = changed.path().to_str().expect("a UTF-8 path");
    let (code, report) = json(&["ingest", changed, "--stage", "--database", url]);
    assert_eq!(code, 0, "{report:#}");
}

/// (id, status) of every release in the database, newest first, as
/// `pathways releases` lists them.
#[track_caller]
pub fn release_statuses(url: &str) -> Vec<(i64, String)> {
    let (code, list) = json(&["releases", "--database", url]);
    assert_eq!(code, 0, "{list:#}");
    list["releases"]
        .as_array()
        .expect("a list of releases")
        .iter()
        .map(|r| {
            let id = r["id"].as_i64().expect("an id");
            (id, r["status"].as_str().expect("a status").to_owned())
        })
        .collect()
}

/// What `pathways export-page` prints for the database's published release.
#[track_caller]
pub fn exported_page(database: &str) -> String {
    let output = pathways()
        .args(["export-page", "--database", database])
        .output()
        .expect("run pathways export-page");
    assert!(
        output.status.success(),
        "export-page failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Text with separators and white space folded away, for round-trip comparison.
pub fn folded(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .strip_suffix(" -")
                .unwrap_or(l.trim())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty() && l != "-")
        .collect()
}
