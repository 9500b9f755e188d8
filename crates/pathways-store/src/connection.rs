//! Opening a database and bringing its schema up to date.

use crate::error::StoreError;
use crate::migrations::Migrator;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
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
