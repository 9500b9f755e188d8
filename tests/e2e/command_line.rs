//! The command line as a steward meets it, each through the binary: it names
//! the database it uses, survives a closed standard output, colours only a
//! terminal, finds its seeds anywhere, rolls a failed ingest back on a full
//! disk, says each failure once, and prints JSON whatever happens.

use pathways_test_support::command::{binary, command};
use pathways_test_support::{fixtures, json, pathways, repo, seeds};
use serde_json::Value;
use std::process::Stdio;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_command_that_uses_a_database_names_it() {
    // Run from a new folder, as a steward one folder up would: the default
    // database is relative to it, and the commands say where it is.
    let here = tempfile::tempdir().unwrap();
    let database = format!(
        "database: sqlite://{}/data/pathways.db",
        here.path().canonicalize().unwrap().display()
    );
    let seeds = seeds().canonicalize().unwrap();
    let seeds = seeds.to_str().unwrap();
    for args in [
        vec!["ingest", seeds, "--stage"],
        vec!["releases"],
        vec!["publish", "1", "--in", "1h"],
        vec!["publish", "--cancel", "1"],
        vec!["publish", "1"],
        vec!["rollback"],
        vec!["export-page"],
        vec!["prune", "--keep", "1"],
        vec!["webhooks", "list"],
        vec!["diff", "published", seeds],
    ] {
        let output = command()
            .current_dir(here.path())
            .args(&args)
            .output()
            .unwrap();
        assert!(
            text(&output.stderr).contains(&database),
            "{args:?}: {}",
            text(&output.stderr)
        );
        if args[0] == "export-page" {
            continue;
        }
        let output = command()
            .current_dir(here.path())
            .args(&args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let document: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", text(&output.stdout)));
        assert_eq!(
            document["database"]
                .as_str()
                .map(|d| format!("database: {d}")),
            Some(database.clone()),
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_standard_output_ends_quietly_with_the_normal_status() {
    let db = pathways_test_db::TestDb::sqlite();
    let changed = pathways_test_support::changed_seeds();
    for content in [seeds(), changed.path().to_path_buf()] {
        let (code, _) = json(&[
            "ingest",
            content.to_str().unwrap(),
            "--stage",
            "--database",
            db.url(),
        ]);
        assert_eq!(code, 0);
    }
    // `publish 2 | head -0`: the reader has gone before anything is written.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = command()
        .args(["publish", "2", "--database", db.url()])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        !text(&output.stderr).contains("panicked"),
        "{}",
        text(&output.stderr)
    );
    let (_, list) = json(&["releases", "--database", db.url()]);
    assert_eq!(
        list["releases"][0]["status"], "published",
        "the change was not kept"
    );
}

/// What `pathways serve` logs in its first three seconds, standard error a pipe,
/// or through `script` a terminal; `NO_COLOR` as given.
fn first_log_lines(url: &str, terminal: bool, no_color: Option<&str>) -> String {
    let serve = format!(
        "timeout 3 {} serve --database {url} --bind 127.0.0.1:0",
        binary().display()
    );
    let mut run = if terminal {
        let mut script = std::process::Command::new("script");
        script.args(["-qec", &serve, "/dev/null"]);
        script
    } else {
        let mut sh = std::process::Command::new("sh");
        sh.args(["-c", &format!("{serve} 2>&1")]);
        sh
    };
    run.env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env_remove("PATHWAYS_LOG_FORMAT")
        .stdin(Stdio::null());
    if let Some(value) = no_color {
        run.env("NO_COLOR", value);
    }
    let output = run.output().expect("sh and script (util-linux) run");
    text(&output.stdout)
}

#[test]
fn log_lines_are_coloured_only_on_a_terminal_and_never_under_no_color() {
    let db = pathways_test_db::TestDb::sqlite();
    for (terminal, no_color, coloured) in [
        (false, None, false),
        (true, None, true),
        (true, Some("1"), false),
    ] {
        let seen = first_log_lines(db.url(), terminal, no_color);
        assert!(seen.contains("serving GraphQL"), "{seen}");
        assert_eq!(
            seen.contains('\u{1b}'),
            coloured,
            "terminal {terminal}, NO_COLOR={no_color:?}: {seen:?}"
        );
    }
}

#[test]
fn import_page_outside_the_repository_reads_against_the_built_in_seeds() {
    let elsewhere = tempfile::tempdir().unwrap();
    let export = repo().join("seeds/source/explore-ahp-career-pathways.txt");
    let output = command()
        .current_dir(elsewhere.path())
        .arg("import-page")
        .arg(export.canonicalize().unwrap())
        .args(["--out", "content"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr).contains("the seeds built into pathways"),
        "{}",
        text(&output.stderr)
    );
    assert!(elsewhere
        .path()
        .join("content/professions/physiotherapist.yaml")
        .is_file());
}

/// A SQLite database on a real full disk: a tmpfs in a user and mount namespace
/// of the test's own (`unshare -rm` needs no privilege), 4 MiB while the base
/// fixture is ingested, then shrunk to 1 MiB, which a corpus 40 times the seeds
/// (more than SQLite's page cache holds, so pages spill to the file) does not
/// fit. After the failed ingest the folder holds no journal, the file has not
/// grown, and the database still serves release 1.
#[test]
fn an_ingest_that_fills_the_disk_rolls_back_and_leaves_no_journal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("disk")).unwrap();
    let large = pathways_test_support::content::scaled_content(40);
    let script = r#"set -u
mount -t tmpfs -o size=4m tmpfs "$D/disk" || exit 90
"$P" ingest "$BASE" --database "sqlite://$D/disk/p.db" --format json > "$D/first.json" 2> "$D/first.err"
mount -o remount,size=1m "$D/disk" || exit 91
stat -c %s "$D/disk/p.db" > "$D/size.before"
"$P" ingest "$SEEDS" --database "sqlite://$D/disk/p.db" --format json > "$D/full.json" 2> "$D/full.err"
echo $? > "$D/full.code"
ls -l "$D/disk" > "$D/files"
stat -c %s "$D/disk/p.db" > "$D/size.after"
"$P" releases --database "sqlite://$D/disk/p.db" --format json > "$D/after.json" 2> "$D/after.err"
"#;
    let status = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("D", dir.path())
        .env("P", binary())
        .env("BASE", fixtures().join("base"))
        .env("SEEDS", large.path())
        .env_remove("DATABASE_URL")
        .status()
        .expect("unshare (util-linux) runs");
    assert!(
        status.success(),
        "the tmpfs could not be mounted in a namespace: {status:?}"
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let first: Value = serde_json::from_str(&read("first.json"))
        .unwrap_or_else(|_| panic!("{}", read("first.json")));
    assert_eq!(first["status"], "created");
    assert_eq!(
        read("full.code").trim(),
        "2",
        "{}{}",
        read("full.json"),
        read("full.err")
    );
    let full: Value = serde_json::from_str(&read("full.json"))
        .unwrap_or_else(|_| panic!("{}", read("full.json")));
    assert_eq!(full["status"], "failed");
    let error = full["error"].as_str().unwrap();
    assert!(error.contains("full"), "{error}");
    let files = read("files");
    assert!(
        !files.contains("p.db-journal"),
        "a hot journal was left: {files}"
    );
    assert_eq!(read("size.after"), read("size.before"), "the file grew");
    let after: Value = serde_json::from_str(&read("after.json"))
        .unwrap_or_else(|_| panic!("{}", read("after.json")));
    assert_eq!(after["releases"].as_array().unwrap().len(), 1, "{after:#}");
    assert_eq!(after["releases"][0]["status"], "published");
}

#[test]
fn a_failure_is_one_message_naming_its_cause_once_and_json_even_then() {
    let unreachable = "postgres://postgres@127.0.0.1:9/none?connect_timeout=1";
    let unwritable = "sqlite:///proc/no-such-folder/p.db";
    for database in [unreachable, unwritable] {
        let output = pathways()
            .args(["ingest", "seeds", "--database", database])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let message = text(&output.stderr);
        let errors: Vec<&str> = message
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 1, "{message}");
        let parts: Vec<&str> = errors[0]
            .trim_start_matches("error: ")
            .split(": ")
            .collect();
        for (i, part) in parts.iter().enumerate() {
            assert!(
                !parts[i + 1..]
                    .iter()
                    .any(|later| later.contains(part) || part.contains(later)),
                "{part:?} said twice in {:?}",
                errors[0]
            );
        }
        let (code, document) = json(&["ingest", "seeds", "--database", database]);
        assert_eq!(
            (code, document["status"].as_str()),
            (2, Some("failed")),
            "{document:#}"
        );
        assert_eq!(
            document["error"].as_str(),
            errors[0].strip_prefix("error: ")
        );
    }
}
