//! Problems as a Code Climate report, the format of GitLab's Code Quality
//! widget: a JSON array of issues, each with `description`, `check_name`,
//! `fingerprint`, `severity` and `location.path` / `location.lines.begin`.

use pathways_ingest::diagnostic::{Problem, Problems, Severity};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub fn render(problems: &Problems) -> Value {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = problems
        .iter()
        .map(|problem| {
            // The same problem twice (rare) still gets two fingerprints.
            let identity = identity(problem);
            let count = seen.entry(identity.clone()).or_default();
            *count += 1;
            issue(problem, &fingerprint(&format!("{identity}\0{count}")))
        })
        .collect();
    Value::Array(issues)
}

fn issue(problem: &Problem, fingerprint: &str) -> Value {
    let (severity, category) = match problem.severity {
        Severity::Error => ("major", "Bug Risk"),
        Severity::Warning => ("minor", "Style"),
        Severity::Note => ("info", "Clarity"),
    };
    let mut description = problem.message.clone();
    if let Some(pointer) = &problem.location.pointer {
        description.push_str(&format!(" (at {pointer})"));
    }
    json!({
        "type": "issue",
        "check_name": problem.code.as_str(),
        "description": description,
        "content": {"body": problem.help.clone().unwrap_or_default()},
        "categories": [category],
        "severity": severity,
        "fingerprint": fingerprint,
        "location": {
            "path": problem.location.file,
            "lines": {"begin": problem.location.line}
        }
    })
}

/// What makes a problem the same problem in the next run: its code, file,
/// where in the file's values (or, without a pointer, its line) and message,
/// so a fixed problem leaves the report and moving lines does not renew it.
fn identity(problem: &Problem) -> String {
    let l = &problem.location;
    let place = l.pointer.clone().unwrap_or_else(|| l.line.to_string());
    format!("{}\0{}\0{place}\0{}", problem.code, l.file, problem.message)
}

fn fingerprint(identity: &str) -> String {
    Sha256::digest(identity.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_ingest::diagnostic::{Code, Location};

    #[test]
    fn one_issue_per_problem_with_a_stable_fingerprint() {
        let at = |line| Location {
            file: "professions/a.yaml".into(),
            line,
            column: 5,
            pointer: Some("/slug".into()),
            ..Location::default()
        };
        let mut problems = Problems::default();
        problems.push(Problem::error(Code::DuplicateSlug, at(2), "twice"));
        problems.push(Problem::warning(Code::TitleVariant, at(4), "variant"));
        let report = render(&problems);
        let issues = report.as_array().unwrap();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0]["check_name"], "pathways::rule::duplicate-slug");
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[1]["severity"], "minor");
        assert_eq!(issues[0]["location"]["path"], "professions/a.yaml");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
        assert_eq!(issues[0]["description"], "twice (at /slug)");
        assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
        // The same problem on another line is the same issue.
        let mut moved = Problems::default();
        moved.push(Problem::error(Code::DuplicateSlug, at(12), "twice"));
        assert_eq!(render(&moved)[0]["fingerprint"], issues[0]["fingerprint"]);
    }
}
