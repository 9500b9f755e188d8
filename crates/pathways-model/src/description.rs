//! A release as the release log describes it, apart from its content: its id,
//! content hash, when it was ingested, the steward's note and its counts; and,
//! as the publications log says, its status and when it was last published.
//! What the store hands out instead of its rows, what the server shows as
//! `Release` and what the command line prints.

use crate::release::Counts;
use get_size2::GetSize;
use serde::Serialize;

/// What a release is, apart from its content. Immutable, like the release.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct ReleaseDescription {
    /// The release's number; a newer release has a larger one.
    pub id: i32,
    /// SHA-256 of the content, hex (`Release::content_hash`).
    pub content_hash: String,
    /// When it was ingested (RFC 3339, UTC).
    pub imported_at: String,
    /// What the steward wrote about it (`ingest --note`).
    pub note: Option<String>,
    pub counts: Counts,
}

/// Where a release stands in the publications log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseStatus {
    /// The release being served.
    Published,
    /// Never published.
    Staged,
    /// Published once, not now.
    Retired,
}

impl ReleaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Published => "published",
            ReleaseStatus::Staged => "staged",
            ReleaseStatus::Retired => "retired",
        }
    }
}

/// A release as the log lists it: what it is and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedRelease {
    pub release: ReleaseDescription,
    pub status: ReleaseStatus,
    /// When it was last published, if ever (RFC 3339, UTC).
    pub published_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_the_command_line_and_json_spell_them() {
        for status in [
            ReleaseStatus::Published,
            ReleaseStatus::Staged,
            ReleaseStatus::Retired,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::Value::from(status.as_str())
            );
        }
    }
}
