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

/// What `pathways export-page` prints for the database's published release.
pub fn exported_page(database: &str) -> String {
    let output = pathways()
        .args(["export-page", "--database", database])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "export-page failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
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

/// A `pathways serve` process not yet known to listen.
pub struct Starting {
    child: std::process::Child,
    address: std::sync::mpsc::Receiver<String>,
    pub logs: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Starting {
    /// Waits until it listens; fails the test if it exits or takes a minute.
    pub fn wait(mut self) -> Served {
        let address = self
            .address
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| {
                let _ = self.child.kill();
                panic!(
                    "pathways serve did not start: {:#?}",
                    self.logs.lock().unwrap()
                )
            });
        Served {
            address,
            child: self.child,
        }
    }
}

/// `pathways serve` as a process on an ephemeral port; killed when dropped.
pub struct Served {
    pub address: String,
    child: std::process::Child,
}

impl Served {
    /// Starts `pathways serve --database URL` with `args`, and waits until it listens.
    pub fn start(url: &str, args: &[&str]) -> Served {
        Served::spawn(url, args).wait()
    }

    /// Starts `pathways serve` without waiting: several can start at once.
    pub fn spawn(url: &str, args: &[&str]) -> Starting {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pathways"))
            .current_dir(repo())
            .args([
                "serve",
                "--database",
                url,
                "--bind",
                "127.0.0.1:0",
                "--log-format",
                "json",
            ])
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("PATHWAYS_PREVIEW_TOKEN")
            .env_remove("PATHWAYS_WEBHOOKS")
            .env_remove("PATHWAYS_WEBHOOK_SECRET")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start pathways serve");
        let stderr = child.stderr.take().expect("stderr");
        let logs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (found, address) = std::sync::mpsc::channel();
        let kept = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(log) = serde_json::from_str::<Value>(&line) {
                    let message = log["fields"]["message"].as_str().unwrap_or_default();
                    if message.starts_with("serving GraphQL") {
                        let _ = found.send(
                            log["fields"]["address"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        );
                    }
                }
                kept.lock().unwrap().push(line);
            }
        });
        Starting {
            child,
            address,
            logs,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.address)
    }

    /// POSTs a query with extra headers; returns the status, headers and body.
    pub fn post(
        &self,
        query: &str,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        runtime().block_on(async {
            let mut request = reqwest::Client::new()
                .post(self.url())
                .json(&serde_json::json!({ "query": query }));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.expect("POST /graphql");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.json().await.unwrap_or(Value::Null);
            (status, headers, body)
        })
    }

    /// The id of the release a plain request reads.
    pub fn served_release(&self) -> Option<String> {
        let (_, _, body) = self.post("{ release { id } }", &[]);
        body["data"]["release"]["id"].as_str().map(str::to_owned)
    }

    /// Waits up to `within` for the served release to be `id`; returns how long it took.
    pub fn wait_for_release(&self, id: &str, within: std::time::Duration) -> std::time::Duration {
        let started = std::time::Instant::now();
        loop {
            if self.served_release().as_deref() == Some(id) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < within,
                "release {id} not served within {within:?} (serving {:?})",
                self.served_release()
            );
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }

    /// SIGKILL: no shutdown, nothing finished.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The seeds with three edits a reader would notice: a profession added, a
/// step removed, and a paragraph of a role edited.
pub fn changed_seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    copy_tree(&seeds(), dir.path());
    let physio = dir.path().join("professions/physiotherapist.yaml");
    let text = std::fs::read_to_string(&physio).unwrap();
    // The first step, Physiotherapy Assistant, goes.
    let start = text
        .find("    - title: Physiotherapy Assistant")
        .expect("first step");
    let end = start
        + text[start..]
            .find("    - title: Healthcare support worker")
            .expect("second step");
    std::fs::write(&physio, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let roles = dir.path().join("roles.yaml");
    let text = std::fs::read_to_string(&roles).unwrap();
    std::fs::write(
        &roles,
        text.replacen(
            "Senior support workers will use more advanced skills",
            "Senior support workers will use more specialised skills",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("professions/sports-therapist.yaml"),
        "# yaml-language-server: $schema=../../schema/profession.schema.json\n\
         slug: sports-therapist\nname: Sports therapist\npathway:\n  steps:\n\
         \x20   - title: Healthcare support worker\n      level: Level 2\n      role: healthcare-support-worker\n",
    )
    .unwrap();
    dir
}
