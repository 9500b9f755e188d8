//! Telling every server at once that what is published, staged, kept or
//! scheduled changed: on PostgreSQL a `NOTIFY` on [`CHANNEL`], sent by the
//! transaction that made the change, so it arrives exactly when the change is
//! committed (and never for a change rolled back). SQLite has no such thing:
//! servers over it poll. `crate::listen` is the receiving end.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use serde::{Deserialize, Serialize};

/// The channel every change is announced on.
pub const CHANNEL: &str = "pathways_releases";

/// What changed: the payload of a notification, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A release became the one served (publish, rollback, ingest, a schedule).
    Published { release: i32 },
    /// A release was written without being published.
    Staged { release: i32 },
    /// Releases were deleted (how many: a payload stays far under
    /// PostgreSQL's 8,000 bytes however many they were).
    Pruned { releases: usize },
    /// A release was scheduled for publication, or its schedule cancelled.
    Scheduled { release: i32 },
}

/// Announces `change` from inside the transaction making it (nothing on SQLite).
pub async fn announce(txn: &impl ConnectionTrait, change: &Change) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let payload =
        serde_json::to_string(change).map_err(|e| DbErr::Custom(format!("notification: {e}")))?;
    txn.execute(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_small_json() {
        let change = Change::Published { release: 3 };
        let text = serde_json::to_string(&change).unwrap();
        assert_eq!(text, r#"{"change":"published","release":3}"#);
        assert_eq!(serde_json::from_str::<Change>(&text).unwrap(), change);
        let pruned = serde_json::to_string(&Change::Pruned { releases: 2 }).unwrap();
        assert_eq!(pruned, r#"{"change":"pruned","releases":2}"#);
    }
}
