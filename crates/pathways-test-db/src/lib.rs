#![doc = include_str!("../README.md")]

use sea_orm::{ConnectionTrait, Database};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable that names a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "PATHWAYS_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database only this test uses, gone when dropped.
#[derive(Debug)]
pub struct TestDb {
    backend: Backend,
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Database { admin_url: String, name: String },
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir =
            tempfile::tempdir().expect("create a temporary folder for the SQLite test database");
        let url = format!("sqlite://{}", dir.path().join("pathways.db").display());
        TestDb {
            backend: Backend::Sqlite,
            url,
            cleanup: Cleanup::Folder(dir),
        }
    }

    /// A new database on the configured server, or `None` (said on stderr) when
    /// `PATHWAYS_TEST_POSTGRES_URL` is not set. A set but unreachable server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            eprintln!("postgres: skipped ({POSTGRES_ENV} is not set)");
            return None;
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "pathways_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("{POSTGRES_ENV} is set but the server cannot be reached: {e}")
        });
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        Some(TestDb {
            backend: Backend::Postgres,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        })
    }

    /// SQLite always, and PostgreSQL when configured.
    pub async fn each() -> Vec<TestDb> {
        let mut all = vec![TestDb::sqlite()];
        all.extend(TestDb::postgres().await);
        all
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Cleanup::Database { admin_url, name } = &self.cleanup else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop may run inside a runtime: do the async work on a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop a PostgreSQL test database");
        }
    }
}

/// `postgres://u@h:5432/test?x` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_in_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }

    #[test]
    fn sqlite_databases_are_distinct_files() {
        let (a, b) = (TestDb::sqlite(), TestDb::sqlite());
        assert_ne!(a.url(), b.url());
    }
}
