//! `pathways diff` between content folders: exactly the changes made, in JSON and
//! as text for people, and its exit codes.

use pathways_test_support::{changed_seeds, copy_tree, json, pathways, seeds};

#[test]
fn diff_names_exactly_the_changes_made() {
    let changed = changed_seeds();
    let (code, report) = json(&["diff", "seeds", changed.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{report:#}");
    let changes: Vec<(String, String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["op"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["key"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "changed".into(),
                "role".into(),
                "senior-healthcare-support-worker".into()
            ),
            (
                "added".into(),
                "profession".into(),
                "sports-therapist".into()
            ),
            ("removed".into(), "step".into(), "physiotherapist/1".into()),
        ]
    );
    let fields = &report["changes"][0]["fields"];
    assert_eq!(fields.as_array().unwrap().len(), 1);
    assert_eq!(fields[0]["name"], "paragraph 1");

    let output = pathways()
        .args(["diff", "seeds", changed.path().to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text.contains("~ role senior-healthcare-support-worker: paragraph 1\n"),
        "{text}"
    );
    assert!(
        text.contains("more [-advanced-]{+specialised+} skills"),
        "{text}"
    );
    assert!(
        text.contains("+ profession sports-therapist (1 step)\n"),
        "{text}"
    );
    assert!(text.contains("- step 1 of physiotherapist\n"), "{text}");

    // Equal sides: exit 0. Invalid content: exit 1 with its problems. Nonsense: exit 2.
    assert_eq!(json(&["diff", "seeds", "seeds"]).0, 0);
    let broken = tempfile::tempdir().unwrap();
    copy_tree(&seeds(), broken.path());
    std::fs::write(broken.path().join("roles.yaml"), "roles: [").unwrap();
    let (code, invalid) = json(&["diff", "seeds", broken.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(invalid["status"], "invalid");
    assert!(
        invalid["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "pathways::syntax" && p["severity"] == "error"),
        "{invalid:#}"
    );
    assert_eq!(
        pathways()
            .args(["diff", "seeds", "no/such/folder"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}
