//! `--format github` and `--format sarif` against `--format json` on every case.

use super::problems;
use pathways_test_support::fixtures;
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

/// `--format github` and `--format sarif` say the same as `--format json`: one
/// annotation or result per problem, at the same file, line and column, with the
/// same exit code; and the SARIF log is valid SARIF 2.1.0.
pub fn agree(command: &dyn Fn() -> assert_cmd::Command, report: &Value) {
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
