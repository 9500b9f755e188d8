//! Input built to hurt: files over the size limit, files of 300,000 keys,
//! symbolic-link loops and missing paths are refused with short messages.

use crate::bad_input::{assert_messages_bounded, errors};
use pathways_test_support::{copy_tree, fixtures, json, pathways, repo};
use serde_json::Value;

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
            .any(|m| m.starts_with("300000 unknown keys (`key0`")),
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
