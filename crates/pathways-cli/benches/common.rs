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
