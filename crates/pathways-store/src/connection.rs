//! Opening a database and bringing its schema up to date.

use crate::error::StoreError;
use crate::migrations::Migrator;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, Statement, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::path::Path;
use std::time::Duration;

/// The embedded default: a SQLite file under `./data`, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/pathways.db";

/// Connects to `url` (`sqlite://PATH` or `postgres://...`) and runs pending migrations.
/// For SQLite the file and its folder are created when missing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    let url = prepare_url(url)?;
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if sqlite {
        // A local file has no connection to go stale; pinging it before every
        // statement would cost two more thread hand-offs to its worker thread.
        options.test_before_acquire(false);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// A database opened without changing it: for dry runs and read-only commands.
#[derive(Debug)]
pub enum Existing {
    /// No SQLite file at that path.
    Missing,
    /// The schema lacks migrations this version of pathways has (or all of them).
    NotMigrated {
        db: DatabaseConnection,
        pending: usize,
    },
    Ready(DatabaseConnection),
}

/// Opens `url` without creating, migrating or writing anything: a SQLite
/// file is opened read-only, and only if it is there.
pub async fn open_existing(url: &str) -> Result<Existing, StoreError> {
    let url = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        url.to_owned()
    } else {
        let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let path = rest.split('?').next().unwrap_or(rest);
        if path != ":memory:" && !Path::new(path).exists() {
            return Ok(Existing::Missing);
        }
        format!("sqlite://{path}?mode=ro")
    };
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    let db = Database::connect(options).await?;
    let applied: Vec<String> = match db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    {
        Ok(rows) => rows
            .iter()
            .filter_map(|row| row.try_get::<String>("", "version").ok())
            .collect(),
        // No migration table: nothing was ever migrated here.
        Err(_) => Vec::new(),
    };
    let pending = Migrator::migrations()
        .iter()
        .filter(|m| !applied.iter().any(|a| a == m.name()))
        .count();
    Ok(if pending == 0 {
        Existing::Ready(db)
    } else {
        Existing::NotMigrated { db, pending }
    })
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once, as `BEGIN IMMEDIATE` would (SeaORM only begins deferred transactions):
/// a transaction that read first and then wrote could not wait its turn behind
/// another process's write, and would fail with "database is locked"; this one
/// waits with the busy timeout instead.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0 = 1")
            .await?;
    }
    Ok(txn)
}

fn prepare_url(url: &str) -> Result<String, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(url.to_owned());
    }
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateFolder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_the_file() {
        assert_eq!(
            prepare_url("sqlite://x.db").unwrap(),
            "sqlite://x.db?mode=rwc"
        );
        assert_eq!(
            prepare_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        assert_eq!(
            prepare_url("sqlite://x.db?mode=ro").unwrap(),
            "sqlite://x.db?mode=ro"
        );
    }

    #[test]
    fn other_urls_are_refused() {
        assert!(matches!(
            prepare_url("mysql://x"),
            Err(StoreError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn creates_the_folder_of_a_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/a/b/p.db", dir.path().display());
        prepare_url(&url).unwrap();
        assert!(dir.path().join("a/b").is_dir());
    }
}
