//! Hearing the changes `queries::notify` announces: `LISTEN` on a dedicated
//! PostgreSQL connection (sqlx's `PgListener`), opened with the options of the
//! server's pool under the application name [`APPLICATION_NAME`], so an
//! operator (or a test) can find it in `pg_stat_activity`. Nothing to hear on
//! SQLite.

use crate::queries::notify::{Change, CHANNEL};
use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, RuntimeErr};
use std::time::Duration;

/// The `application_name` of every listening connection.
pub const APPLICATION_NAME: &str = "pathways-listener";

/// A connection listening on [`CHANNEL`].
pub struct Listener {
    inner: PgListener,
}

/// What the listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// A change, or `None` for a payload this version does not know.
    Change(Option<Change>),
    /// The connection was lost and opened again: whatever was announced in
    /// between is lost, so the listener's owner must look for itself.
    Reconnected,
}

impl Listener {
    /// Opens a listening connection beside `db`'s pool; `None` on SQLite.
    pub async fn connect(db: &DatabaseConnection) -> Result<Option<Listener>, DbErr> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(None);
        }
        let options = db
            .get_postgres_connection_pool()
            .connect_options()
            .as_ref()
            .clone()
            .application_name(APPLICATION_NAME);
        // One connection, kept for as long as it lives; reconnecting is the
        // listener's (and its owner's) business.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(10))
            .connect_lazy_with(options);
        let mut inner = PgListener::connect_with(&pool).await.map_err(sqlx_err)?;
        inner.listen(CHANNEL).await.map_err(sqlx_err)?;
        Ok(Some(Listener { inner }))
    }

    /// Waits for the next notification. A lost connection is opened again at
    /// once and reported as [`Heard::Reconnected`]; an error means it could
    /// not be, and the owner should wait before connecting anew.
    pub async fn next(&mut self) -> Result<Heard, DbErr> {
        match self.inner.try_recv().await.map_err(sqlx_err)? {
            Some(notification) => Ok(Heard::Change(
                serde_json::from_str(notification.payload()).ok(),
            )),
            None => Ok(Heard::Reconnected),
        }
    }
}

fn sqlx_err(error: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(error))
}
