//! Running the `pathways` binary and looking at what it left behind.

use assert_cmd::Command;
use pathways_test_db::TestDb;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn seeds() -> PathBuf {
    repo().join("seeds")
}

pub fn pathways() -> Command {
    let mut command = Command::cargo_bin("pathways").expect("the pathways binary is built");
    command
        .current_dir(repo())
        .env_remove("DATABASE_URL")
        .env_remove("PATHWAYS_MAX_FILE_SIZE");
    command
}

/// Runs `pathways ARGS... --format json`, returning exit code and the document.
pub fn json(args: &[&str]) -> (i32, Value) {
    let output = pathways()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run pathways");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), document)
}

/// Rows in each table, read through the store.
pub fn row_counts(db: &TestDb) -> BTreeMap<&'static str, u64> {
    runtime().block_on(async {
        let conn = pathways_store::connect(db.url()).await.expect("connect");
        pathways_store::queries::counts::row_counts(&conn)
            .await
            .expect("count rows")
    })
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Every database tests run on: SQLite, and PostgreSQL when configured.
pub fn each_db() -> Vec<TestDb> {
    runtime().block_on(TestDb::each())
}

/// Copies the files under `from` into `to`, over what is there.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy fixture file");
        }
    }
}

/// Text with separators and white space folded away, for round-trip comparison.
pub fn folded(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .strip_suffix(" -")
                .unwrap_or(l.trim())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty() && l != "-")
        .collect()
}
