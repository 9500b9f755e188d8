//! Set-up the benchmarks share: a runtime sized like the 2-core machine, and the
//! repository's seeds, as they are or copied into a larger corpus.

use std::path::{Path, PathBuf};

/// A multi-threaded runtime with `workers` worker threads.
pub fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// [`runtime`] with its threads named `name`, so that [`cpu_of`] can tell them
/// from others.
#[allow(dead_code)] // not every benchmark names its threads
pub fn named_runtime(workers: usize, name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Whose CPU time a benchmark reads.
#[allow(dead_code)] // not every benchmark reads it
#[derive(Clone, Copy)]
pub enum Cpu<'a> {
    /// This process's threads named so (a server on a [`named_runtime`]).
    Threads(&'a str),
    /// A whole other process (a `pathways serve` started apart).
    Process(u32),
}

/// CPU time (user and system) spent so far by `whose`, from `/proc` (in clock
/// ticks of 10 ms).
#[allow(dead_code)] // not every benchmark reads it
pub fn cpu_of(whose: Cpu) -> std::time::Duration {
    let ticks: u64 = match whose {
        Cpu::Threads(name) => std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|task| std::fs::read_to_string(task.path().join("stat")).ok())
            .filter_map(|stat| ticks_of(&stat, Some(name)))
            .sum(),
        Cpu::Process(pid) => std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| ticks_of(&stat, None))
            .unwrap_or_default(),
    };
    std::time::Duration::from_millis(ticks * 10)
}

/// User and system ticks of one `stat` line, if its name is `name` (any when
/// `None`).
fn ticks_of(stat: &str, name: Option<&str>) -> Option<u64> {
    let (head, rest) = stat.rsplit_once(") ")?;
    let (_, comm) = head.split_once(" (")?;
    if name.is_some_and(|name| name != comm) {
        return None;
    }
    // After the name: state, ppid, ..., utime (the 12th), stime.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The repository's `seeds/`.
pub fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seeds")
}

/// Writes the seeds `copies` times over (new slugs each time) into `folder`.
#[allow(dead_code)] // not every benchmark builds a corpus
pub fn write_scaled_seeds(copies: usize, folder: &Path) {
    let base = pathways_ingest::validate(&[seeds()], Default::default());
    pathways_ingest::corpus::write_scaled(&base.content, copies, folder)
        .expect("write the scaled corpus");
}

/// Starts a server over the database at `url` with `config`, on an ephemeral
/// port of this runtime; its base URL.
#[allow(dead_code)] // not every benchmark serves
pub async fn serve(url: &str, config: pathways_server::config::ServerConfig) -> String {
    let db = pathways_store::connect(url).await.expect("connect");
    let state = pathways_server::AppState::start(db, config)
        .await
        .expect("start");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(pathways_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    base
}
