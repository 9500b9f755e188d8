//! Nothing empty or gutted is published: a folder with no content is refused
//! by `validate`, `ingest` and `diff`, and an ingest that would remove more
//! than half of what is served needs `--allow-shrink`. Refused, nothing in the
//! database changes and servers go on answering as before, on SQLite and PostgreSQL.

use pathways_test_support::{copy_tree, each_db, json, pathways, row_counts, seeds, Served};
use serde_json::Value;
use std::path::Path;

const POLL: &str = "100ms";
/// What a reader sees: the release and every profession.
const QUERY: &str =
    "{ release { id contentHash } professions(first: 100) { edges { node { slug name } } } }";

/// An empty folder, and a folder holding only notes.
fn folders_without_content() -> (tempfile::TempDir, Vec<std::path::PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("notes.txt"), "to do: write the content\n").unwrap();
    (dir, vec![empty, notes])
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[track_caller]
fn assert_nothing_to_ingest(report: &Value, folder: &Path) {
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report:#}");
    assert_eq!(problems[0]["code"], "pathways::nothing-to-ingest");
    assert_eq!(
        problems[0]["message"],
        format!(
            "nothing to ingest in {}: no professions (professions/<slug>.yaml) and no page (page.yaml)",
            folder.display()
        )
    );
}

#[test]
fn validate_and_diff_refuse_a_folder_without_content() {
    let (_dir, folders) = folders_without_content();
    for folder in &folders {
        let (code, report) = json(&["validate", arg(folder)]);
        assert_eq!(
            (code, report["valid"].as_bool()),
            (1, Some(false)),
            "{report:#}"
        );
        assert_nothing_to_ingest(&report, folder);
        let (code, report) = json(&["diff", "seeds", arg(folder)]);
        assert_eq!(
            (code, report["status"].as_str()),
            (1, Some("invalid")),
            "{report:#}"
        );
        assert_nothing_to_ingest(&report, folder);
    }
}

#[test]
fn ingesting_a_folder_without_content_changes_nothing_served() {
    let (_dir, folders) = folders_without_content();
    for db in each_db() {
        pathways()
            .arg("ingest")
            .arg(seeds())
            .args(["--database", db.url()])
            .assert()
            .success();
        let server = Served::start(db.url(), &["--release-poll", POLL, "--no-cache"]);
        let before = (row_counts(&db), server.post(QUERY, &[]).json());
        for folder in &folders {
            let (code, report) = json(&["ingest", arg(folder), "--database", db.url()]);
            assert_eq!(
                (code, report["status"].as_str()),
                (1, Some("invalid")),
                "{report:#}"
            );
            assert_nothing_to_ingest(&report, folder);
        }
        // Long enough for the server to have seen a new release, had there been one.
        std::thread::sleep(std::time::Duration::from_millis(500));
        let after = (row_counts(&db), server.post(QUERY, &[]).json());
        assert_eq!(after, before, "{:?}", db.backend());
        assert_eq!(before.1["data"]["release"]["id"], "1");
    }
}

/// The seeds with only the professions that have a pathway: 6 of 15.
fn seeds_gutted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&seeds(), dir.path());
    // Codes name professions this removes: leave them out too.
    std::fs::remove_file(dir.path().join("codes.yaml")).unwrap();
    let page = std::fs::read_to_string(dir.path().join("page.yaml")).unwrap();
    for entry in std::fs::read_dir(dir.path().join("professions")).unwrap() {
        let path = entry.unwrap().path();
        let slug = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if !page.contains(&format!("  - {slug}\n")) {
            std::fs::remove_file(path).unwrap();
        }
    }
    dir
}

#[test]
fn an_ingest_removing_more_than_half_needs_allow_shrink() {
    let gutted = seeds_gutted();
    for db in each_db() {
        pathways()
            .arg("ingest")
            .arg(seeds())
            .args(["--database", db.url()])
            .assert()
            .success();
        let before = row_counts(&db);
        let (code, report) = json(&["ingest", arg(gutted.path()), "--database", db.url()]);
        assert_eq!(
            (code, report["status"].as_str()),
            (1, Some("refused")),
            "{report:#}"
        );
        assert_eq!(report["refused"]["before"]["professions"], 15);
        assert_eq!(report["refused"]["after"]["professions"], 6);
        assert_eq!(report["published"], false);
        assert_eq!(
            row_counts(&db),
            before,
            "{:?}: a refused ingest wrote",
            db.backend()
        );

        let output = pathways()
            .arg("ingest")
            .arg(gutted.path())
            .args(["--database", db.url(), "--dry-run"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.contains("from 15 professions and 35 steps (release 1, published) to 6 professions and 35 steps"),
            "{text}"
        );
        assert!(text.contains("--allow-shrink"), "{text}");

        // Staged, it is there to review; allowed, it is published.
        let ingest = |flag| json(&["ingest", arg(gutted.path()), "--database", db.url(), flag]);
        let (code, report) = ingest("--stage");
        assert_eq!(
            (code, report["published"].as_bool()),
            (0, Some(false)),
            "{report:#}"
        );
        let (code, report) = ingest("--allow-shrink");
        assert_eq!(
            (code, report["status"].as_str()),
            (0, Some("published")),
            "{report:#}"
        );
        assert_eq!(report["professions"], 6);
    }
}
