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
