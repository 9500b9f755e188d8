//! Bad input from `tests/fixtures/invalid/<case>/`: each case's files are laid
//! over a valid base (`tests/fixtures/base/`); `expected.json` names the command,
//! the exit code and every error with its file and line. A failed ingest must
//! leave the database exactly as it was; a failed import writes no files.

use crate::helpers::{copy_tree, each_db, json, pathways, repo, row_counts};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// One test per fixture folder, and the list `every_fixture_has_a_test` checks
/// against the folders on disk: one list, so a fixture without a test is noticed.
macro_rules! cases {
    ($($test:ident => $case:literal),* $(,)?) => {
        const CASES: &[&str] = &[$($case),*];
        $(
            #[test]
            fn $test() {
                bad_input($case);
            }
        )*
    };
}

cases! {
    bad_slug => "bad-slug",
    bad_utf8 => "bad-utf8",
    broken_yaml => "broken-yaml",
    codes_bad_format => "codes-bad-format",
    codes_profession_twice => "codes-profession-twice",
    codes_unknown_profession => "codes-unknown-profession",
    dangling_role => "dangling-role",
    dangling_route => "dangling-route",
    duplicate_key => "duplicate-key",
    duplicate_slug => "duplicate-slug",
    empty_file => "empty-file",
    empty_text => "empty-text",
    first_step_entry_route => "first-step-entry-route",
    glued_level_text => "glued-level-text",
    glued_title => "glued-title",
    level_goes_down => "level-goes-down",
    level_out_of_range => "level-out-of-range",
    missing_required => "missing-required",
    over_size_limit => "over-size-limit",
    page_bare_level => "page-bare-level",
    page_no_title_boundary => "page-no-title-boundary",
    page_route_without_title => "page-route-without-title",
    page_unknown_profession => "page-unknown-profession",
    page_unknown_stage => "page-unknown-stage",
    route_line_text => "route-line-text",
    route_without_stages => "route-without-stages",
    several_problems => "several-problems",
    unknown_field => "unknown-field",
    unknown_file_kind => "unknown-file-kind",
}

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
        assert_messages_bounded(&report);
        ci_formats_agree(
            &mut || {
                let mut command = pathways();
                command
                    .arg("ingest")
                    .arg(content.path())
                    .args(["--database", db.url()])
                    .envs(env_of(expected));
                command
            },
            &report,
        );
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
    assert_messages_bounded(&report);
    ci_formats_agree(
        &mut || {
            let mut command = pathways();
            command
                .arg("import-page")
                .arg(case.join("export.txt"))
                .arg("--out")
                .arg(&target);
            command
        },
        &report,
    );
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

/// (file relative to the case, line, code) of each error the command reported.
fn errors(report: &Value, root: &Path) -> Vec<(String, u64, String)> {
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

#[test]
fn a_file_over_the_default_limit_of_10_mb_is_refused() {
    let content = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), content.path());
    let big = content.path().join("professions/podiatrist.yaml");
    let mut text = String::from("slug: podiatrist\nname: Podiatrist\n");
    text.push_str(&"# padding padding padding padding padding padding padding\n".repeat(200_000));
    assert!(text.len() > 10 * 1024 * 1024);
    std::fs::write(&big, text).unwrap();
    let (code, report) = json(&["validate", content.path().to_str().unwrap()]);
    assert_eq!(code, 1);
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

/// Every message within 500 characters, however large the value it is about.
fn assert_messages_bounded(report: &Value) {
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

#[test]
fn a_file_of_300000_keys_gets_short_messages() {
    let content = tempfile::tempdir().unwrap();
    let mut text = String::from("slug: podiatrist\nname: Podiatrist\n");
    for i in 0..300_000 {
        text.push_str(&format!("key{i}: {i}\n"));
    }
    let file = content.path().join("professions/podiatrist.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &text).unwrap();
    let big_value = content.path().join("roles.yaml");
    std::fs::write(
        &big_value,
        format!(
            "roles:\n  - slug: [{}]\n",
            (0..100_000)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .unwrap();
    let (code, report) = json(&["validate", content.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_messages_bounded(&report);
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("300000 unexpected properties (`key0`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("bytes)")),
        "{messages:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_reported_once_and_each_file_read_once() {
    let content = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("seeds"), content.path());
    std::os::unix::fs::symlink(content.path(), content.path().join("professions/loop")).unwrap();
    std::os::unix::fs::symlink("..", content.path().join("professions/up")).unwrap();
    let (code, report) = json(&["validate", content.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["files"], 19, "each real file once");
    let loops: Vec<&Value> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "pathways::link-loop")
        .collect();
    assert_eq!(loops.len(), 2, "one problem per link: {report:#}");
    assert!(loops[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("professions/loop"));
    assert!(loops[1]["file"]
        .as_str()
        .unwrap()
        .ends_with("professions/up"));
}

#[test]
fn problems_are_rendered_without_reading_files_refused_as_too_large() {
    let content = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), content.path());
    let big = content.path().join("professions/podiatrist.yaml");
    std::fs::write(
        &big,
        format!(
            "# NOT-TO-BE-READ\nslug: podiatrist\nname: Podiatrist\n{}",
            "# x\n".repeat(1000)
        ),
    )
    .unwrap();
    // The narrated rendering shows source lines of the files it may read.
    let output = pathways()
        .arg("validate")
        .arg(content.path())
        .args(["--format", "narrated", "--max-file-size", "1000"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("pathways::too-large"), "{text}");
    assert!(
        !text.contains("NOT-TO-BE-READ"),
        "a refused file was read to show it: {text}"
    );
}

/// (file, line, column) of every problem in a JSON report, sorted.
fn places(report: &Value) -> Vec<(String, u64, u64)> {
    problems(report, |p| {
        Some((
            p["file"].as_str().unwrap().to_owned(),
            p["line"].as_u64().unwrap(),
            p["column"].as_u64().unwrap(),
        ))
    })
}

/// `--format github` and `--format sarif` say the same as `--format json`: one
/// annotation or result per problem, at the same file, line and column, with the
/// same exit code; and the SARIF log is valid SARIF 2.1.0.
fn ci_formats_agree(command: &mut dyn FnMut() -> assert_cmd::Command, report: &Value) {
    let expected = places(report);
    let github = command().args(["--format", "github"]).output().unwrap();
    assert_eq!(github.status.code(), Some(1));
    let mut annotated: Vec<(String, u64, u64)> = String::from_utf8_lossy(&github.stdout)
        .lines()
        .filter(|l| {
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")
        })
        .map(|l| {
            let properties = l.split_once(' ').unwrap().1.split("::").next().unwrap();
            let get = |key: &str| {
                properties
                    .split(',')
                    .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                    .unwrap()
                    .to_owned()
            };
            (
                get("file")
                    .replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%25", "%"),
                get("line").parse().unwrap(),
                get("col").parse().unwrap(),
            )
        })
        .collect();
    annotated.sort();
    assert_eq!(annotated, expected, "github annotations");

    let sarif = command().args(["--format", "sarif"]).output().unwrap();
    assert_eq!(sarif.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The OASIS schema, as `serde-sarif` ships it, with one fix: its pattern
    // for a language tag, `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, has a stray
    // `]` no regular-expression dialect accepts; the fixture has `(-...)?` there.
    let validator = jsonschema::validator_for(&schema).unwrap();
    let invalid: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(
        invalid.is_empty(),
        "the SARIF log is not valid SARIF 2.1.0: {invalid:?}"
    );
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "pathways");
    let mut results: Vec<(String, u64, u64)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            (
                physical["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .replace("%20", " "),
                physical["region"]["startLine"].as_u64().unwrap(),
                physical["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    results.sort();
    assert_eq!(results, expected, "SARIF results");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], result["ruleId"].as_str().unwrap());
    }
}
