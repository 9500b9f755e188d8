//! `pathways validate` as a steward and an editor's on-save hook use it:
//! every problem in one run, a file judged in its content folder, messages
//! that say what to write instead, and the schemas by name.

use pathways_test_support::{copy_tree, json, pathways, repo, seeds};
use serde_json::Value;
use std::path::Path;

/// The seeds in a temporary folder, with `edits` (file, from, to) made.
fn seeds_with(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&seeds(), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} is not in {file}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

/// (severity, code, file under `root`) of every problem in a JSON report.
fn problems(report: &Value, root: &Path) -> Vec<(String, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let file = p["file"].as_str().unwrap();
            let file = Path::new(file)
                .strip_prefix(root)
                .map_or(file.to_owned(), |f| f.display().to_string());
            (
                p["severity"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
                file,
            )
        })
        .collect()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn one_run_reports_a_schema_error_and_a_dangling_reference_in_another_file() {
    let dir = seeds_with(&[
        (
            "professions/music-therapist.yaml",
            "level: Level 7",
            "level: Level 9",
        ),
        (
            "professions/physiotherapist.yaml",
            "role: advanced-clinical-practitioner",
            "role: consultant-physio",
        ),
    ]);
    let (code, report) = json(&["validate", arg(dir.path())]);
    assert_eq!(code, 1, "{report:#}");
    let errors: Vec<_> = problems(&report, dir.path())
        .into_iter()
        .filter(|p| p.0 == "error")
        .collect();
    assert!(
        errors.contains(&(
            "error".into(),
            "pathways::schema::pattern".into(),
            "professions/music-therapist.yaml".into()
        )),
        "{report:#}"
    );
    assert!(
        errors.contains(&(
            "error".into(),
            "pathways::rule::dangling-reference".into(),
            "professions/physiotherapist.yaml".into()
        )),
        "{report:#}"
    );
    assert_eq!(report["files"], 19, "every file read is counted");
}

#[test]
fn a_file_is_judged_against_its_content_folder_with_no_false_errors() {
    // Another file's problem is not this file's.
    let dir = seeds_with(&[(
        "professions/paramedic.yaml",
        "slug: paramedic",
        "slug: Paramedic",
    )]);
    let physio = dir.path().join("professions/physiotherapist.yaml");
    let (code, report) = json(&["validate", arg(&physio)]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["problems"], serde_json::json!([]));
    assert_eq!(
        (report["files"].as_u64(), report["read"].as_u64()),
        (Some(1), Some(19))
    );
    assert_eq!(report["content"][0], dir.path().display().to_string());

    // As an editor's hook runs it, from the file's own folder.
    let output = pathways()
        .current_dir(dir.path().join("professions"))
        .args(["validate", "physiotherapist.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("1 file(s) checked against"), "{text}");
    assert!(text.contains("(19 read): 0 error(s)"), "{text}");

    // The broken file, named, has its problem.
    let paramedic = dir.path().join("professions/paramedic.yaml");
    let (code, report) = json(&["validate", arg(&paramedic)]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report, dir.path()),
        [(
            "error".into(),
            "pathways::schema::pattern".into(),
            "professions/paramedic.yaml".into()
        )]
    );
}

#[test]
fn a_file_outside_any_content_folder_gets_notes_not_false_errors() {
    let dir = tempfile::tempdir().unwrap();
    let lone = dir.path().join("sports-therapist.yaml");
    std::fs::write(
        &lone,
        "# yaml-language-server: $schema=../schema/profession.schema.json\n\
         slug: sports-therapist\nname: Sports therapist\npathway:\n  steps:\n\
         \x20   - title: Healthcare support worker\n      level: Level 2\n      role: healthcare-support-worker\n\
         \x20   - title: Senior Healthcare support worker\n      level: Level 3\n      role: senior-healthcare-support-worker\n      entry_route: direct\n",
    )
    .unwrap();
    let (code, report) = json(&["validate", arg(&lone)]);
    assert_eq!(code, 0, "{report:#}");
    let found = problems(&report, dir.path());
    assert!(!found.is_empty());
    for (severity, code, _) in &found {
        assert_eq!(
            (severity.as_str(), code.as_str()),
            ("note", "pathways::check-skipped")
        );
    }
    for p in report["problems"].as_array().unwrap() {
        assert!(p["message"]
            .as_str()
            .unwrap()
            .contains("no content folder was found"));
        assert_eq!(p["help"], "name the content folder with --content DIR");
    }
    // Named, the content folder resolves every reference.
    let (code, report) = json(&["validate", arg(&lone), "--content", arg(&seeds())]);
    assert_eq!(
        (code, report["problems"].clone()),
        (0, serde_json::json!([]))
    );
}

#[test]
fn messages_say_what_is_allowed_and_what_was_meant() {
    let dir = seeds_with(&[
        (
            "professions/physiotherapist.yaml",
            "title: Assistant Practitioner\n      level: Level 5",
            "title: Assistant Practitioner\n      level: Level Five",
        ),
        (
            "professions/music-therapist.yaml",
            "      level: Level 2\n",
            "      levle: Level 2\n",
        ),
    ]);
    let physio = dir.path().join("professions/physiotherapist.yaml");
    let (_, report) = json(&["validate", arg(&physio)]);
    let problem = &report["problems"][0];
    assert_eq!(
        problem["message"],
        r#""Level Five" is not a level: did you mean "Level 5"? Levels are Entry Level, Level 1 … Level 8"#
    );
    let help = problem["help"].as_str().unwrap();
    assert!(
        help.contains("https://pathways.example/schema/profession.schema.json"),
        "{help}"
    );

    let music = dir.path().join("professions/music-therapist.yaml");
    let line = std::fs::read_to_string(&music)
        .unwrap()
        .lines()
        .position(|l| l.contains("levle:"))
        .unwrap()
        + 1;
    let (code, report) = json(&["validate", arg(&music)]);
    assert_eq!((code, report["files"].as_u64()), (1, Some(1)));
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(
        problems.len(),
        1,
        "the missing `level` is folded in: {report:#}"
    );
    assert_eq!(
        problems[0]["message"],
        "unknown key `levle`: did you mean `level`? (`level` is required and missing)"
    );
    assert_eq!(
        (problems[0]["line"].as_u64(), problems[0]["column"].as_u64()),
        (Some(line as u64), Some(7))
    );
}

#[test]
fn the_schemas_are_printed_by_name() {
    let output = pathways().args(["schema", "profession"]).output().unwrap();
    assert!(output.status.success());
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/profession.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(printed, committed);
    let listed = pathways().arg("schema").output().unwrap();
    let text = String::from_utf8_lossy(&listed.stdout);
    for name in ["page", "routes", "roles", "profession"] {
        assert!(
            text.contains(&format!(
                "https://pathways.example/schema/{name}.schema.json"
            )),
            "{text}"
        );
    }
}
