//! Where things are in the repository.

use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The committed content, `seeds/`.
pub fn seeds() -> PathBuf {
    repo().join("seeds")
}

/// `tests/fixtures/`: the valid base, the bad-input cases and reference files.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Copies the files under `from` into `to`, over what is there.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
    {
        let path = entry.expect("folder entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
        }
    }
}
