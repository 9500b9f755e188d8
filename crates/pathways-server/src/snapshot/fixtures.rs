//! Small snapshots for the server's unit tests.

use super::Snapshot;
use pathways_model::{Counts, Profession, Release, ReleaseDescription};

/// A profession with no pathway and no codes, named as its slug reads.
pub fn profession(slug: &str) -> Profession {
    Profession {
        slug: slug.into(),
        name: slug.into(),
        pathway_position: None,
        steps: vec![],
        codes: vec![],
    }
}

/// `content` as release 1.
pub fn snapshot(content: Release) -> Snapshot {
    let release = ReleaseDescription {
        id: 1,
        content_hash: "hash".into(),
        imported_at: "2026-12-06T00:00:00Z".into(),
        note: None,
        counts: Counts::default(),
    };
    Snapshot::build(release, content)
}
