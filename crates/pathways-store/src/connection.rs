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

/// How long a process waits for another to finish setting a database up
/// (migrating it, or seeding it) before it gives up with an error.
pub const SETUP_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The PostgreSQL advisory lock that setting a database up takes ("pathways"
/// in ASCII); writers take the one after it.
const SETUP_LOCK: i64 = 0x7061_7468_7761_7973;
const WRITE_LOCK: i64 = SETUP_LOCK + 1;

/// Connects to `url` (`sqlite://PATH` or `postgres://...`) and runs pending
/// migrations under the setup lock, so any number of processes started
/// together migrate once. For SQLite the file and its folder are created
/// when missing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    connect_with(url, SETUP_LOCK_TIMEOUT).await
}

/// [`connect`], waiting at most `lock_timeout` for another process's setup.
pub async fn connect_with(
    url: &str,
    lock_timeout: Duration,
) -> Result<DatabaseConnection, StoreError> {
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
    migrate(&db, lock_timeout).await?;
    Ok(db)
}

/// Runs pending migrations, one process at a time.
///
/// PostgreSQL: under an advisory lock held by one connection (transaction-scoped,
/// so it is released even if the process dies), the migrations running on others.
/// SQLite: inside one transaction that takes the file's write lock before
/// anything else; the migrations run in it, all or nothing.
async fn migrate(db: &DatabaseConnection, timeout: Duration) -> Result<(), StoreError> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let lock = setup_lock(db, timeout, "migrating").await?;
            Migrator::up(db, None).await?;
            lock.release().await?;
        }
        _ => {
            if Migrator::get_pending_migrations(db).await?.is_empty() {
                return Ok(());
            }
            let txn = wait_for_write_lock(db, timeout).await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await?;
        }
    }
    Ok(())
}

/// Held while a process sets the database up; dropped or released, it lets
/// the next one in.
pub struct SetupLock(Option<DatabaseTransaction>);

impl SetupLock {
    pub async fn release(self) -> Result<(), DbErr> {
        match self.0 {
            Some(txn) => txn.commit().await,
            None => Ok(()),
        }
    }
}

/// Takes the setup lock for `what` (logged while waiting), waiting at most
/// `timeout`. On SQLite there is none to take: each write takes the file's
/// write lock first ([`begin_write`]), which serialises seeding already.
pub async fn setup_lock(
    db: &DatabaseConnection,
    timeout: Duration,
    what: &str,
) -> Result<SetupLock, StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(SetupLock(None));
    }
    let started = std::time::Instant::now();
    let txn = db.begin().await?;
    let mut logged = false;
    loop {
        let row = txn
            .query_one(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS locked",
                [SETUP_LOCK.into()],
            ))
            .await?;
        if row.map(|r| r.try_get::<bool>("", "locked")).transpose()? == Some(true) {
            if logged {
                tracing::warn!(
                    waited_ms = started.elapsed().as_millis() as u64,
                    "took the setup lock: {what}"
                );
            }
            return Ok(SetupLock(Some(txn)));
        }
        if started.elapsed() >= timeout {
            return Err(StoreError::LockTimeout {
                what: what.to_owned(),
                waited: timeout,
            });
        }
        if !logged {
            tracing::warn!("waiting for another pathways process to finish setting up the database before {what}");
            logged = true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// SQLite: a transaction holding the file's write lock, waited for in turns of
/// the busy timeout, logging while it waits, for at most `timeout`.
async fn wait_for_write_lock(
    db: &DatabaseConnection,
    timeout: Duration,
) -> Result<DatabaseTransaction, StoreError> {
    let started = std::time::Instant::now();
    let mut logged = false;
    loop {
        // The migration table may not be there yet: create it (as the migrator
        // would) before taking the lock with a write to it.
        Migrator::install(db).await?;
        match begin_write(db).await {
            Ok(txn) => return Ok(txn),
            Err(e) if is_busy(&e) && started.elapsed() < timeout => {
                if !logged {
                    tracing::warn!(
                        "waiting for another pathways process to finish migrating the database"
                    );
                    logged = true;
                }
            }
            Err(e) if is_busy(&e) => {
                return Err(StoreError::LockTimeout {
                    what: "migrating".into(),
                    waited: timeout,
                })
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn is_busy(error: &DbErr) -> bool {
    let text = error.to_string();
    text.contains("database is locked") || text.contains("(code: 5)")
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
    let url = match sqlite_parts(url)? {
        None => url.to_owned(),
        Some((path, _)) => {
            if path != ":memory:" && !Path::new(path).exists() {
                return Ok(Existing::Missing);
            }
            format!("sqlite://{path}?mode=ro")
        }
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

/// Ends a write transaction: commits it when `result` is `Ok`, and otherwise
/// rolls it back at once. A rollback left to `Drop` runs only when the
/// connection is next used, so a process exiting after a failed write would
/// leave SQLite's hot journal (and a grown file) behind until another process
/// opened the database.
pub async fn finish<T, E: From<DbErr>>(
    txn: DatabaseTransaction,
    result: Result<T, E>,
) -> Result<T, E> {
    match result {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(error) => {
            let _ = txn.rollback().await;
            Err(error)
        }
    }
}

/// Where `url` points, for people: a SQLite file by its absolute path (the
/// default `sqlite://data/pathways.db` is relative to the current folder), any
/// other URL as it is.
pub fn absolute_url(url: &str) -> String {
    match sqlite_parts(url) {
        Ok(Some((path, _))) if path != ":memory:" && !path.is_empty() => {
            let absolute =
                std::path::absolute(path).unwrap_or_else(|_| Path::new(path).to_path_buf());
            format!("sqlite://{}", absolute.display())
        }
        _ => url.to_owned(),
    }
}

/// Begins a transaction that will write, one writer at a time, so that what a
/// writer read (is this content there already?) still holds when it writes.
/// SQLite: it takes the file's write lock at once, as `BEGIN IMMEDIATE` would
/// (SeaORM only begins deferred transactions): a transaction that read first
/// and then wrote could not wait its turn behind another process's write, and
/// would fail with "database is locked"; this one waits with the busy timeout.
/// PostgreSQL: it takes a transaction-scoped advisory lock, waiting at most a minute.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    match txn.get_database_backend() {
        DbBackend::Sqlite => {
            txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0 = 1")
                .await?;
        }
        DbBackend::Postgres => {
            txn.execute_unprepared("SET LOCAL lock_timeout = '60s'")
                .await?;
            txn.execute(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1)",
                [WRITE_LOCK.into()],
            ))
            .await?;
        }
        _ => {}
    }
    Ok(txn)
}

/// The file path and query string of a `sqlite:` URL; `None` for PostgreSQL.
fn sqlite_parts(url: &str) -> Result<Option<(&str, &str)>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(None);
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
    Ok(Some(rest.split_once('?').unwrap_or((rest, ""))))
}

fn prepare_url(url: &str) -> Result<String, StoreError> {
    let Some((path, query)) = sqlite_parts(url)? else {
        return Ok(url.to_owned());
    };
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
