//! Bad input from `tests/fixtures/invalid/<case>/`: each case's files are laid
//! over a valid base (`tests/fixtures/base/`); `expected.json` names the command,
//! the exit code and every error with its file and line. A failed ingest must
//! leave the database exactly as it was; a failed import writes no files.

use crate::helpers::{copy_tree, each_db, pathways, repo, row_counts};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use test_case::test_case;

const CASES: &[&str] = &[
    "bad-slug",
    "bad-utf8",
    "broken-yaml",
    "dangling-role",
    "dangling-route",
    "duplicate-key",
    "duplicate-slug",
    "empty-file",
    "empty-text",
    "glued-level-text",
    "glued-title",
    "level-goes-down",
    "level-out-of-range",
    "missing-required",
    "over-size-limit",
    "page-bare-level",
    "page-no-title-boundary",
    "page-route-without-title",
    "page-unknown-profession",
    "page-unknown-stage",
    "route-line-text",
    "route-without-stages",
    "several-problems",
    "unknown-field",
    "unknown-file-kind",
];

fn fixtures() -> std::path::PathBuf {
    repo().join("tests/fixtures")
}

#[test]
fn every_fixture_has_a_test() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(on_disk, CASES.iter().map(|c| c.to_string()).collect());
}

#[test]
fn the_base_is_valid() {
    pathways()
        .arg("validate")
        .arg(fixtures().join("base"))
        .assert()
        .success();
}

#[test_case("bad-slug")]
#[test_case("bad-utf8")]
#[test_case("broken-yaml")]
#[test_case("dangling-role")]
#[test_case("dangling-route")]
#[test_case("duplicate-key")]
#[test_case("duplicate-slug")]
#[test_case("empty-file")]
#[test_case("empty-text")]
#[test_case("glued-level-text")]
#[test_case("glued-title")]
#[test_case("level-goes-down")]
#[test_case("level-out-of-range")]
#[test_case("missing-required")]
#[test_case("over-size-limit")]
#[test_case("page-bare-level")]
#[test_case("page-no-title-boundary")]
#[test_case("page-route-without-title")]
#[test_case("page-unknown-profession")]
#[test_case("page-unknown-stage")]
#[test_case("route-line-text")]
#[test_case("route-without-stages")]
#[test_case("several-problems")]
#[test_case("unknown-field")]
#[test_case("unknown-file-kind")]
fn bad_input(case: &str) {
    let dir = fixtures().join("invalid").join(case);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    match expected["command"].as_str() {
        Some("ingest") => ingest_case(&dir, &expected),
        Some("import-page") => import_case(&dir, &expected),
        other => panic!("unknown command {other:?} in {case}/expected.json"),
    }
}

fn ingest_case(case: &Path, expected: &Value) {
    let content = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), content.path());
    copy_tree(case, content.path());
    std::fs::remove_file(content.path().join("expected.json")).unwrap();
    for db in each_db() {
        pathways()
            .arg("ingest")
            .arg(fixtures().join("base"))
            .args(["--database", db.url()])
            .assert()
            .success();
        let before = row_counts(&db);
        let mut command = pathways();
        command.arg("ingest").arg(content.path()).args([
            "--database",
            db.url(),
            "--format",
            "json",
        ]);
        for (key, value) in expected["env"].as_object().into_iter().flatten() {
            command.env(key, value.as_str().unwrap());
        }
        let output = command.output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{report:#}");
        assert_eq!(report["status"], "invalid");
        assert_eq!(
            errors(&report, content.path()),
            expected_errors(expected),
            "{:?}: {report:#}",
            db.backend()
        );
        assert_eq!(
            row_counts(&db),
            before,
            "{:?}: a failed ingest changed the database",
            db.backend()
        );
    }
    // validate says the same as ingest.
    let output = pathways()
        .arg("validate")
        .arg(content.path())
        .args(["--format", "json"])
        .envs(env_of(expected))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

fn import_case(case: &Path, expected: &Value) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("content");
    let output = pathways()
        .arg("import-page")
        .arg(case.join("export.txt"))
        .arg("--out")
        .arg(&target)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(
        errors(&report, case),
        expected_errors(expected),
        "{report:#}"
    );
    assert!(!target.exists(), "a failed import wrote files");
}

fn env_of(expected: &Value) -> Vec<(String, String)> {
    expected["env"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// (file relative to the case, line, code) of each error the command reported.
fn errors(report: &Value, root: &Path) -> Vec<(String, u64, String)> {
    let mut found: Vec<_> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| {
            let file = p["file"].as_str().unwrap();
            let relative = Path::new(file)
                .strip_prefix(root)
                .map_or(file.to_owned(), |r| r.display().to_string());
            (
                relative,
                p["line"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn expected_errors(expected: &Value) -> Vec<(String, u64, String)> {
    let mut list: Vec<_> = expected["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_owned(),
                p["line"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn a_file_over_the_default_limit_of_10_mb_is_refused() {
    let content = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), content.path());
    let big = content.path().join("professions/podiatrist.yaml");
    let mut text = String::from("slug: podiatrist\nname: Podiatrist\n");
    text.push_str(&"# padding padding padding padding padding padding padding\n".repeat(200_000));
    assert!(text.len() > 10 * 1024 * 1024);
    std::fs::write(&big, text).unwrap();
    let output = pathways()
        .arg("validate")
        .arg(content.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        errors(&report, content.path()),
        vec![(
            "professions/podiatrist.yaml".to_owned(),
            1,
            "pathways::too-large".to_owned()
        )]
    );
}

#[test]
fn a_missing_path_is_an_io_error() {
    let output = pathways()
        .args(["validate", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
