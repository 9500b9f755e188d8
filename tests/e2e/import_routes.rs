//! An export whose route lines join known stages in combinations no route
//! definition has: `import-page` defines those routes, the content ingests,
//! and `export-page` gives the export back.

use pathways_test_support::command::{exported_page, folded};
use pathways_test_support::{each_db, json, repo};
use std::path::Path;

/// The seeds' export with two new combinations: Drama's Direct route with the
/// apprenticeship alone (line 42), and Music's Traditional route without the
/// postgraduate stage (line 24).
fn export_with_new_routes(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo().join("seeds/source/explore-ahp-career-pathways.txt"))
        .unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines[23].starts_with(
        "routeSixth form / collegeUniversity UndergraduateUniversity PostgraduateMusic"
    ));
    lines[23] = lines[23].replace(
        "University UndergraduateUniversity Postgraduate",
        "University Undergraduate",
    );
    assert!(lines[41].starts_with("routeAPPRENTICESHIPDEGREE APPRENTICESHIP"));
    lines[41] = lines[41].replace("APPRENTICESHIPDEGREE APPRENTICESHIP", "APPRENTICESHIP");
    let path = dir.join("export.txt");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn new_stage_combinations_become_routes_that_ingest_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let export = export_with_new_routes(dir.path());
    let out = dir.path().join("content");
    let (code, report) = import_page(&export, &out);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["routes_defined"], 2);
    let notes: Vec<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["severity"], "note");
            assert_eq!(p["code"], "pathways::page::route-defined");
            (
                p["line"].as_u64().unwrap(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, 24);
    assert!(
        notes[0]
            .1
            .contains("`traditional-sixth-form-college-university-undergraduate`"),
        "{notes:?}"
    );
    assert_eq!(notes[1].0, 42);
    assert!(notes[1].1.contains("`direct-apprenticeship`"), "{notes:?}");
    let routes = std::fs::read_to_string(out.join("routes.yaml")).unwrap();
    assert!(routes.contains("slug: traditional-sixth-form-college-university-undergraduate"));
    assert!(routes.contains("slug: direct-apprenticeship"));

    // The same export, the same slugs and files, every run.
    let again = dir.path().join("again");
    assert_eq!(
        json(&[
            "import-page",
            export.to_str().unwrap(),
            "--out",
            again.to_str().unwrap()
        ])
        .0,
        0
    );
    for file in [
        "routes.yaml",
        "professions/music-therapist.yaml",
        "professions/drama-therapist.yaml",
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(file)).unwrap(),
            std::fs::read_to_string(again.join(file)).unwrap(),
            "{file}"
        );
    }

    for db in each_db() {
        let (code, ingested) = json(&["ingest", out.to_str().unwrap(), "--database", db.url()]);
        assert_eq!(code, 0, "{ingested:#}");
        assert_eq!(ingested["routes"], 5);
        let exported = exported_page(db.url());
        assert_eq!(
            folded(&exported),
            folded(&std::fs::read_to_string(&export).unwrap()),
            "{:?}: the export does not round-trip",
            db.backend()
        );
    }
}

#[test]
fn an_unknown_stage_is_still_an_error_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = export_with_new_routes(dir.path());
    let text = std::fs::read_to_string(&export).unwrap().replacen(
        "routeAPPRENTICESHIPDEGREE APPRENTICESHIPSenior Healthcare support worker",
        "routeAPPRENTICESHIPFOUNDATION YEARSenior Healthcare support worker",
        1,
    );
    std::fs::write(&export, text).unwrap();
    let out = dir.path().join("content");
    let (code, report) = import_page(&export, &out);
    assert_eq!(code, 1, "{report:#}");
    let error = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["severity"] == "error")
        .unwrap();
    assert_eq!(error["code"], "pathways::page::format");
    assert_eq!(error["line"], 21);
    assert_eq!(error["column"], 20, "{error:#}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("unknown stage name"),
        "{error:#}"
    );
    assert!(!out.exists());
}

/// `pathways import-page EXPORT --out OUT --format json`: exit code and report.
fn import_page(export: &Path, out: &Path) -> (i32, serde_json::Value) {
    json(&[
        "import-page",
        export.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}
