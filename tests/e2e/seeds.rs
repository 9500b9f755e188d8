//! The committed seeds: valid, ingested with the expected counts, regenerated
//! exactly by `import-page`, and exported back to the source text.

use pathways_test_support::command::{exported_page, folded};
use pathways_test_support::databases::count;
use pathways_test_support::{each_db, json, pathways, repo, row_counts, seeds};

#[test]
fn the_seeds_are_valid_with_one_spelling_warning() {
    let (code, report) = json(&["validate", "seeds"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report:#}");
    assert_eq!(problems[0]["code"], "pathways::rule::title-variant");
    assert_eq!(problems[0]["file"], "seeds/professions/art-therapist.yaml");
    assert_eq!(problems[0]["pointer"], "/pathway/steps/2/title");
}

#[test]
fn ingest_loads_the_seeds_once_then_says_unchanged() {
    for db in each_db() {
        let (code, first) = json(&["ingest", "seeds", "--database", db.url()]);
        assert_eq!(code, 0, "{first:#}");
        assert_eq!(first["status"], "created");
        for (key, expected) in [
            ("professions", 15),
            ("pathways", 6),
            ("steps", 35),
            ("roles", 15),
            ("shared_roles", 6),
            ("routes", 3),
            ("duplicates_merged", 20),
        ] {
            assert_eq!(first[key], expected, "{key} on {:?}", db.backend());
        }
        assert_eq!(first["release"]["content_hash"].as_str().unwrap().len(), 64);
        let counts = row_counts(&db);
        let (code, second) = json(&["ingest", "seeds", "--database", db.url()]);
        assert_eq!(code, 0);
        assert_eq!(second["status"], "unchanged");
        assert_eq!(second["release"]["id"], first["release"]["id"]);
        assert_eq!(row_counts(&db), counts);
    }
}

#[test]
fn a_dry_run_writes_nothing_anywhere_and_says_what_would_happen() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let (code, report) = json(&["ingest", "seeds", "--dry-run", "--database", &url]);
    assert_eq!(code, 0);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["status"], "would create");
    assert_eq!(report["release"], serde_json::Value::Null);
    assert_eq!(report["steps"], 35);
    assert!(
        !dir.path().join("p.db").exists(),
        "a dry run created the SQLite file"
    );
    // An empty database: no migration runs, no table appears.
    for db in each_db() {
        if db.backend() == pathways_test_db::Backend::Sqlite {
            continue;
        }
        let (code, report) = json(&["ingest", "seeds", "--dry-run", "--database", db.url()]);
        assert_eq!((code, report["status"].as_str()), (0, Some("would create")));
        let tables = count(
            db.url(),
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'",
        );
        assert_eq!(tables, 0, "a dry run created tables");
    }
}

#[test]
fn import_page_regenerates_the_committed_seeds_exactly() {
    let out = tempfile::tempdir().unwrap();
    pathways()
        .args([
            "import-page",
            "seeds/source/explore-ahp-career-pathways.txt",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let generated = yaml_files(out.path());
    let committed = yaml_files(&seeds());
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (name, text) in &generated {
        assert_eq!(
            text, &committed[name],
            "seeds/{name} differs from what import-page produces"
        );
    }
}

#[test]
fn export_page_gives_back_the_source_text() {
    let source =
        std::fs::read_to_string(repo().join("seeds/source/explore-ahp-career-pathways.txt"))
            .unwrap();
    for db in each_db() {
        pathways()
            .args(["ingest", "seeds", "--database", db.url()])
            .assert()
            .success();
        let exported = exported_page(db.url());
        assert_eq!(folded(&exported), folded(&source), "{:?}", db.backend());
    }
}

#[test]
fn exported_text_imports_to_the_same_content() {
    let db = pathways_test_db::TestDb::sqlite();
    pathways()
        .args(["ingest", "seeds", "--database", db.url()])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.txt");
    pathways()
        .args(["export-page", "--database", db.url(), "--out"])
        .arg(&export)
        .assert()
        .success();
    let out = dir.path().join("content");
    pathways()
        .arg("import-page")
        .arg(&export)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(yaml_files(&out), yaml_files(&seeds()));
}

fn yaml_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut files = std::collections::BTreeMap::new();
    for sub in ["", "professions"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}
