//! What people and CI read for every bad-input case, as snapshots: the graphical
//! and narrated renderings (colour off, at miette's fixed width of 200 columns),
//! GitHub workflow commands and the SARIF log. Content is read from a temporary
//! folder by a relative path; the folder's own path, wherever it still shows, is
//! replaced by `[TEMP]`. `cargo insta review` shows what changed.

use super::{env_of, expected, laid_over_base};
use pathways_test_support::{pathways, repo};
use rstest::rstest;
use std::path::{Path, PathBuf};

const RENDERINGS: &[&str] = &["graphical", "narrated", "github", "sarif"];

#[rstest]
fn renderings(
    #[files("../../tests/fixtures/invalid/*")]
    #[dirs]
    case: PathBuf,
) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    for rendering in RENDERINGS {
        let text = render(&case, rendering);
        insta::with_settings!({
            snapshot_path => "snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("pathways … --format {rendering} on tests/fixtures/invalid/{name}"),
        }, {
            insta::assert_snapshot!(format!("{name}.{rendering}"), text);
        });
    }
}

/// Every snapshot is one a case and a rendering make: none left behind by a
/// case renamed or removed.
#[test]
fn every_snapshot_belongs_to_a_case() {
    let folder = repo().join("tests/e2e/bad_input/snapshots");
    let cases = repo().join("tests/fixtures/invalid");
    for entry in std::fs::read_dir(&folder).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let (case, rendering) = file
            .strip_suffix(".snap")
            .and_then(|stem| stem.rsplit_once('.'))
            .unwrap_or_else(|| panic!("{file}: not CASE.RENDERING.snap"));
        assert!(
            cases.join(case).is_dir() && RENDERINGS.contains(&rendering),
            "{file} belongs to no case and rendering: remove it"
        );
    }
}

/// The exit code, standard output and standard error of the case's command
/// (`validate` for content, `import-page` for a page export) in `rendering`.
fn render(case: &Path, rendering: &str) -> String {
    let expected = expected(case);
    let scratch = laid_over_base(case);
    let mut command = pathways();
    if expected["command"] == "import-page" {
        let export = case
            .strip_prefix(repo().canonicalize().unwrap())
            .unwrap_or(case);
        command
            .arg("import-page")
            .arg(export.join("export.txt"))
            .arg("--out")
            .arg(scratch.path().join("out"));
    } else {
        command
            .current_dir(scratch.path())
            .args(["validate", "content"]);
    }
    let output = command
        .args(["--format", rendering])
        .envs(env_of(&expected))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    redact(&text, scratch.path())
}

/// `text` with the temporary folder's path (as given and as resolved) replaced.
fn redact(text: &str, temp: &Path) -> String {
    let mut text = text.to_owned();
    for path in [temp.to_path_buf(), temp.canonicalize().unwrap()] {
        text = text.replace(&path.display().to_string(), "[TEMP]");
    }
    text
}
