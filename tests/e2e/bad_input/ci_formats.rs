//! `--format github`, `sarif`, `junit` and `codeclimate` against `--format
//! json` on every case.

use super::problems;
use pathways_test_support::{fixtures, tool};
use quick_junit::{Report, TestCaseStatus};
use serde_json::Value;

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

/// `--format github`, `sarif`, `junit` and `codeclimate` say the same as
/// `--format json`: one annotation, result or listed problem per problem, at
/// the same file, line and column, with the same exit code; the SARIF log is
/// valid SARIF 2.1.0 and the JUnit report valid against JUnit's XSD.
pub fn agree(command: &dyn Fn() -> assert_cmd::Command, report: &Value) {
    let expected = places(report);
    junit_agrees(command, &expected);
    codeclimate_agrees(command, report);
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

/// One test suite, one test case per file, failed exactly when the file has
/// errors, listing each problem as `file:line:col: …`; valid JUnit XML.
fn junit_agrees(command: &dyn Fn() -> assert_cmd::Command, expected: &[(String, u64, u64)]) {
    let output = command().args(["--format", "junit"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert_valid_junit(&xml);
    let report = Report::deserialize_from_str(&xml).unwrap();
    assert_eq!(report.test_suites.len(), 1, "{xml}");
    let cases = &report.test_suites[0].test_cases;
    let mut listed = Vec::new();
    let mut names = Vec::new();
    for case in cases {
        let file = case.name.as_str();
        names.push(file);
        let mut text = case
            .system_out
            .as_ref()
            .map_or("", |o| o.as_str())
            .to_owned();
        match &case.status {
            TestCaseStatus::NonSuccess { description, .. } => {
                let errors = description.as_ref().unwrap().as_str();
                assert!(errors.contains(": error["), "{errors}");
                text.push_str(errors);
            }
            TestCaseStatus::Success { .. } => assert!(!text.contains(": error["), "{text}"),
            TestCaseStatus::Skipped { .. } => panic!("a skipped test case: {xml}"),
        }
        for line in text.lines().filter(|l| !l.starts_with("  help:")) {
            let place = line.strip_prefix(&format!("{file}:")).unwrap();
            let mut parts = place.splitn(3, ':');
            let mut number = || parts.next().unwrap().parse::<u64>().unwrap();
            listed.push((file.to_owned(), number(), number()));
        }
    }
    listed.sort();
    assert_eq!(listed, expected, "JUnit test cases: {xml}");
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "one test case per file: {xml}");
}

/// `xml` is valid against `tests/fixtures/junit-10.xsd`, checked by `xmllint`.
fn assert_valid_junit(xml: &str) {
    let Some(mut xmllint) = tool("xmllint", &[&["xmllint"]]) else {
        return;
    };
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), xml).unwrap();
    let output = xmllint
        .arg("--noout")
        .arg("--schema")
        .arg(fixtures().join("junit-10.xsd"))
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "not valid JUnit XML: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One GitLab Code Quality issue per problem, at the same file and line, with
/// its code, a severity for its own and a fingerprint of its own.
fn codeclimate_agrees(command: &dyn Fn() -> assert_cmd::Command, report: &Value) {
    let output = command()
        .args(["--format", "codeclimate"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let issues: Value = serde_json::from_slice(&output.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    let mut found: Vec<(String, u64, String, String)> = issues
        .iter()
        .map(|i| {
            for key in ["description", "check_name", "fingerprint", "severity"] {
                assert!(i[key].as_str().is_some_and(|v| !v.is_empty()), "{key}: {i}");
            }
            (
                i["location"]["path"].as_str().unwrap().to_owned(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                i["check_name"].as_str().unwrap().to_owned(),
                i["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let expected = problems(report, |p| {
        let severity = match p["severity"].as_str().unwrap() {
            "error" => "major",
            "warning" => "minor",
            _ => "info",
        };
        Some((
            p["file"].as_str().unwrap().to_owned(),
            p["line"].as_u64().unwrap(),
            p["code"].as_str().unwrap().to_owned(),
            severity.to_owned(),
        ))
    });
    assert_eq!(found, expected, "Code Quality issues");
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        issues.len(),
        "one fingerprint per issue"
    );
}
