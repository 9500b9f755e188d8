//! `pathways serve` as a process on an ephemeral port, with its JSON logs.

use crate::command::{binary, command};
use crate::databases::runtime;
use crate::http::{Http, Response};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `pathways serve --database URL` on `127.0.0.1:0` with JSON logs, run from the
/// repository; add arguments, or change the folder, before [`Starting::new`].
pub fn serve_command(url: &str) -> std::process::Command {
    let mut command = command();
    command.args([
        "serve",
        "--database",
        url,
        "--bind",
        "127.0.0.1:0",
        "--log-format",
        "json",
    ]);
    command
        .env_remove("PATHWAYS_PREVIEW_TOKEN")
        .env_remove("PATHWAYS_WEBHOOKS")
        .env_remove("PATHWAYS_WEBHOOK_SECRET")
        .env_remove("PATHWAYS_PURGE_URLS")
        .env_remove("PATHWAYS_PURGE_HEADER");
    command
}

/// [`serve_command`] for a copy of the binary at `binary`, run from `dir`.
pub fn serve_command_at(
    binary: &std::path::Path,
    dir: &std::path::Path,
    url: &str,
) -> std::process::Command {
    let mut command = std::process::Command::new(binary);
    command.current_dir(dir).args(serve_command(url).get_args());
    command
        .env_remove("DATABASE_URL")
        .env_remove("PATHWAYS_SEEDS");
    command
}

/// A `pathways serve` process not yet known to listen.
pub struct Starting {
    label: String,
    child: Child,
    address: Receiver<String>,
    logs: Arc<Mutex<Vec<Value>>>,
    reader: JoinHandle<()>,
}

impl Starting {
    /// Starts `command` (a [`serve_command`]), reading its log as it comes.
    pub fn new(mut command: std::process::Command) -> Starting {
        // Messages name the database by its scheme: `sqlite`, `postgres`.
        let label = command
            .get_args()
            .skip_while(|a| *a != "--database")
            .nth(1)
            .map(|url| {
                url.to_string_lossy()
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default();
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pathways serve");
        let stderr = child.stderr.take().expect("stderr");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (found, address) = std::sync::mpsc::channel();
        let kept = logs.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let log = serde_json::from_str::<Value>(&line)
                    .unwrap_or_else(|_| json!({"fields": {"message": line}}));
                if message(&log).starts_with("serving GraphQL") {
                    let at = log["fields"]["address"].as_str().unwrap_or_default();
                    let _ = found.send(at.to_owned());
                }
                kept.lock().unwrap().push(log);
            }
        });
        Starting {
            label,
            child,
            address,
            logs,
            reader,
        }
    }

    /// Waits until it listens; fails the test if it exits or takes a minute.
    #[track_caller]
    pub fn wait(mut self) -> Served {
        let Ok(address) = self.address.recv_timeout(Duration::from_secs(60)) else {
            let _ = self.child.kill();
            panic!(
                "pathways serve did not start: {:#?}",
                self.logs.lock().unwrap()
            )
        };
        Served {
            http: Http::new(format!("http://{address}"), self.label.clone()),
            address,
            starting: self,
        }
    }
}

/// `pathways serve` as a process on an ephemeral port; killed when dropped.
pub struct Served {
    pub address: String,
    http: Http,
    starting: Starting,
}

impl Served {
    /// Starts `pathways serve --database URL` with `args`, and waits until it listens.
    pub fn start(url: &str, args: &[&str]) -> Served {
        Served::spawn(url, args).wait()
    }

    /// Starts `pathways serve` without waiting: several can start at once.
    pub fn spawn(url: &str, args: &[&str]) -> Starting {
        let mut command = serve_command(url);
        command.args(args);
        Starting::new(command)
    }

    /// The server's base URL, a label for messages, and a new client: one per
    /// runtime, since pooled connections must not outlive the runtime they ran on.
    pub fn http(&self) -> Http {
        Http::new(self.http.base.clone(), self.http.label.clone())
    }

    /// The process id, to read its memory from `/proc`.
    pub fn pid(&self) -> u32 {
        self.starting.child.id()
    }

    /// Every log line so far, parsed (a line that is not JSON becomes its `message`).
    pub fn logs(&self) -> Vec<Value> {
        self.starting.logs.lock().unwrap().clone()
    }

    /// POSTs a query with extra headers.
    pub fn post(&self, query: &str, headers: &[(&str, &str)]) -> Response {
        let http = self.http();
        runtime().block_on(async {
            let mut request = http.post_query(query, Value::Null);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            http.send(request).await
        })
    }

    /// The id of the release a plain request reads.
    pub fn served_release(&self) -> Option<String> {
        let body = self.post("{ release { id } }", &[]).json();
        body["data"]["release"]["id"].as_str().map(str::to_owned)
    }

    /// Waits up to `within` for the served release to be `id`; returns how long it took.
    #[track_caller]
    pub fn wait_for_release(&self, id: &str, within: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if self.served_release().as_deref() == Some(id) {
                return started.elapsed();
            }
            if started.elapsed() >= within {
                // What the server said last tells why.
                let logs = self.logs();
                let last: Vec<String> = logs[logs.len().saturating_sub(15)..]
                    .iter()
                    .map(Value::to_string)
                    .collect();
                panic!(
                    "release {id} not served within {within:?} (serving {:?}); the server's last log lines:\n{}",
                    self.served_release(),
                    last.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// SIGTERM, then waits for the exit: its status and the whole log.
    pub fn terminate(mut self) -> (ExitStatus, Vec<Value>) {
        let pid = self.starting.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
        let status = self.starting.child.wait().expect("wait for pathways serve");
        let reader = std::mem::replace(&mut self.starting.reader, std::thread::spawn(|| ()));
        let _ = reader.join();
        (status, self.logs())
    }

    /// SIGKILL: no shutdown, nothing finished.
    pub fn kill9(self) {
        drop(self);
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.starting.child.kill();
        let _ = self.starting.child.wait();
    }
}

/// The `message` of a JSON log line.
pub fn message(log: &Value) -> &str {
    log["fields"]["message"].as_str().unwrap_or_default()
}

/// The binary, copied to `dir` (as an install would put it elsewhere).
pub fn copy_of_binary(dir: &std::path::Path) -> std::path::PathBuf {
    let copy = dir.join("pathways");
    std::fs::copy(binary(), &copy).expect("copy the pathways binary");
    copy
}
