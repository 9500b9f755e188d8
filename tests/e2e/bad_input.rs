//! Bad input from `tests/fixtures/invalid/<case>/`: each case's files are laid
//! over a valid base (`tests/fixtures/base/`); `expected.json` names the command,
//! the exit code and every error with its file and line. A failed ingest must
//! leave the database exactly as it was; a failed import writes no files.
//!
//! The cases are found in the folder when this target is compiled (rstest's
//! `#[files]`), so a new case folder is a new test, and one without an
//! `expected.json` fails.

mod ci_formats;
mod renderings;

use pathways_test_support::{copy_tree, each_db, fixtures, pathways, row_counts};
use rstest::rstest;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[rstest]
fn bad_input(
    #[files("../../tests/fixtures/invalid/*")]
    #[dirs]
    case: PathBuf,
) {
    let expected = expected(&case);
    match expected["command"].as_str() {
        Some("ingest") => ingest_case(&case, &expected),
        Some("import-page") => import_case(&case, &expected),
        other => panic!("unknown command {other:?} in {}", case.display()),
    }
}

#[test]
fn the_base_is_valid() {
    pathways()
        .arg("validate")
        .arg(fixtures().join("base"))
        .assert()
        .success();
}

/// The case's `expected.json`, which every case must have.
#[track_caller]
fn expected(case: &Path) -> Value {
    let file = case.join("expected.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: a bad-input case needs its expectations ({e})",
            file.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The base with the case's files laid over it, in `content/` of a temporary folder.
fn laid_over_base(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    copy_tree(&fixtures().join("base"), &content);
    copy_tree(case, &content);
    std::fs::remove_file(content.join("expected.json")).unwrap();
    dir
}

fn ingest_case(case: &Path, expected: &Value) {
    let dir = laid_over_base(case);
    let content = dir.path().join("content");
    for db in each_db() {
        pathways()
            .arg("ingest")
            .arg(fixtures().join("base"))
            .args(["--database", db.url()])
            .assert()
            .success();
        let before = row_counts(&db);
        let ingest = || {
            let mut command = pathways();
            command
                .arg("ingest")
                .arg(&content)
                .args(["--database", db.url()])
                .envs(env_of(expected));
            command
        };
        let output = ingest().args(["--format", "json"]).output().unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{report:#}");
        assert_eq!(report["status"], "invalid");
        assert_messages_bounded(&report);
        ci_formats::agree(&ingest, &report);
        assert_eq!(
            errors(&report, &content),
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
    // validate says the same as ingest, in every format.
    let validate = || {
        let mut command = pathways();
        command.arg("validate").arg(&content).envs(env_of(expected));
        command
    };
    let output = validate().args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    ci_formats::agree(&validate, &report);
    assert_eq!(
        errors(&report, &content),
        expected_errors(expected),
        "{report:#}"
    );
}

fn import_case(case: &Path, expected: &Value) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("content");
    let import = || {
        let mut command = pathways();
        command
            .arg("import-page")
            .arg(case.join("export.txt"))
            .arg("--out")
            .arg(&target);
        command
    };
    let output = import().args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_messages_bounded(&report);
    ci_formats::agree(&import, &report);
    assert_eq!(
        errors(&report, case),
        expected_errors(expected),
        "{report:#}"
    );
    assert!(!target.exists(), "a failed import wrote files");
}

/// The variables a case sets (`"env"` in `expected.json`).
fn env_of(expected: &Value) -> Vec<(String, String)> {
    expected["env"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// `pick` applied to each problem in a report (or expected report), sorted;
/// problems it returns `None` for are left out.
fn problems<T: Ord>(report: &Value, pick: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    let mut found: Vec<T> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(pick)
        .collect();
    found.sort();
    found
}

fn file_line_code(p: &Value, file: String) -> (String, u64, String) {
    (
        file,
        p["line"].as_u64().unwrap(),
        p["code"].as_str().unwrap().to_owned(),
    )
}

/// (file relative to `root`, line, code) of each error the command reported.
pub fn errors(report: &Value, root: &Path) -> Vec<(String, u64, String)> {
    problems(report, |p| {
        (p["severity"] == "error").then(|| {
            let file = p["file"].as_str().unwrap();
            let relative = Path::new(file)
                .strip_prefix(root)
                .map_or(file.to_owned(), |r| r.display().to_string());
            file_line_code(p, relative)
        })
    })
}

fn expected_errors(expected: &Value) -> Vec<(String, u64, String)> {
    problems(expected, |p| {
        Some(file_line_code(p, p["file"].as_str().unwrap().to_owned()))
    })
}

/// Every message within 500 characters, however large the value it is about.
pub fn assert_messages_bounded(report: &Value) {
    for problem in report["problems"].as_array().unwrap() {
        let message = problem["message"].as_str().unwrap();
        assert!(
            message.chars().count() <= 500,
            "a message of {} characters: {}…",
            message.chars().count(),
            message.chars().take(200).collect::<String>()
        );
    }
}
