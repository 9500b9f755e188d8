#![doc = include_str!("../README.md")]

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, RuntimeErr};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable that names a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "PATHWAYS_TEST_POSTGRES_URL";
/// Set to `1` (as CI does), a PostgreSQL test that would be skipped fails instead.
pub const REQUIRE_ENV: &str = "PATHWAYS_REQUIRE_POSTGRES";

/// The server PostgreSQL tests run on, or `None` (said on stderr) when
/// `PATHWAYS_TEST_POSTGRES_URL` is not set; under `PATHWAYS_REQUIRE_POSTGRES=1` an
/// unset variable panics instead, so the test fails rather than passing unrun.
#[track_caller]
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                !postgres_required(),
                "{REQUIRE_ENV} is set but {POSTGRES_ENV} is not: this PostgreSQL test would be skipped"
            );
            eprintln!("postgres: skipped ({POSTGRES_ENV} is not set)");
            None
        }
    }
}

/// Whether `PATHWAYS_REQUIRE_POSTGRES` asks for the PostgreSQL suites.
pub fn postgres_required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

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
    /// `PATHWAYS_TEST_POSTGRES_URL` is not set. A set but unreachable server fails the
    /// test, and so does an unset variable under `PATHWAYS_REQUIRE_POSTGRES=1`: a
    /// PostgreSQL test that did not run must not read as passed.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_url()?;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "pathways_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let admin = admin_connection(&admin_url).await;
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

/// A connection to the database named in `url`, which test databases are made
/// from. When that database does not exist yet (a new server, or the README's example
/// name), it is created through the server's `postgres` database, and that is said.
async fn admin_connection(url: &str) -> DatabaseConnection {
    let missing = match Database::connect(url).await {
        Ok(admin) => return admin,
        Err(e) if database_missing(&e) => e,
        Err(e) => panic!("{POSTGRES_ENV} is set but the server cannot be reached: {e}"),
    };
    let name =
        database_of(url).unwrap_or_else(|| panic!("{POSTGRES_ENV} names no database: {missing}"));
    let server = Database::connect(with_database(url, "postgres"))
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV} names a database that does not exist ({missing}), and the server's `postgres` database cannot be reached to create it: {e}"));
    match server
        .execute_unprepared(&format!(
            "CREATE DATABASE \"{}\"",
            name.replace('"', "\"\"")
        ))
        .await
    {
        Ok(_) => eprintln!("postgres: created the database {name} named in {POSTGRES_ENV}"),
        // Another test created it first.
        Err(e) if sql_state(&e).as_deref() == Some("42P04") => {}
        Err(e) => panic!(
            "{POSTGRES_ENV} names a database that does not exist, and creating {name} failed: {e}"
        ),
    }
    let _ = server.close().await;
    Database::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {name} after creating it: {e}"))
}

/// The SQLSTATE of a database error, if it is one.
fn sql_state(error: &DbErr) -> Option<String> {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(e)))
        | DbErr::Exec(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(e)))
        | DbErr::Query(RuntimeErr::SqlxError(sea_orm::sqlx::Error::Database(e))) => {
            e.code().map(|c| c.into_owned())
        }
        _ => None,
    }
}

/// `invalid_catalog_name`: the database in the URL does not exist.
fn database_missing(error: &DbErr) -> bool {
    sql_state(error).as_deref() == Some("3D000")
}

/// The database named in `postgres://u@h:5432/NAME?x`.
fn database_of(url: &str) -> Option<&str> {
    let base = url.split_once('?').map_or(url, |(b, _)| b);
    let after_scheme = &base[base.find("://")? + 3..];
    let name = &after_scheme[after_scheme.find('/')? + 1..];
    (!name.is_empty()).then_some(name)
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
    fn reads_the_database_of_a_url() {
        assert_eq!(
            database_of("postgres://postgres@127.0.0.1:5432/newcomer_test"),
            Some("newcomer_test")
        );
        assert_eq!(database_of("postgres://h/db?sslmode=disable"), Some("db"));
        assert_eq!(database_of("postgres://h"), None);
        assert_eq!(database_of("postgres://h/"), None);
    }

    #[tokio::test]
    async fn a_missing_database_named_in_the_url_is_created() {
        let Some(server) = postgres_url() else {
            return;
        };
        let name = format!("pathways_test_missing_{}", std::process::id());
        let url = with_database(&server, &name);
        let admin = admin_connection(&url).await;
        let found = admin
            .query_one(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                "SELECT current_database()",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<String>(0)
            .unwrap();
        assert_eq!(found, name);
        let _ = admin.close().await;
        drop(TestDb {
            backend: Backend::Postgres,
            url,
            cleanup: Cleanup::Database {
                admin_url: server,
                name,
            },
        });
    }

    /// Run only by [`a_postgres_test_without_a_server_fails_when_required`], in a
    /// process of its own with the variables it is given.
    #[tokio::test]
    #[ignore = "run by a_postgres_test_without_a_server_fails_when_required"]
    async fn probe_a_postgres_test() {
        let db = TestDb::postgres().await;
        assert!(db.is_none());
    }

    #[test]
    fn a_postgres_test_without_a_server_fails_when_required() {
        let probe = |require: Option<&str>| {
            let mut command = std::process::Command::new(std::env::current_exe().unwrap());
            command
                .args([
                    "tests::probe_a_postgres_test",
                    "--exact",
                    "--ignored",
                    "--nocapture",
                ])
                .env_remove(POSTGRES_ENV)
                .env_remove(REQUIRE_ENV);
            if let Some(value) = require {
                command.env(REQUIRE_ENV, value);
            }
            let output = command.output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            (output.status.success(), text)
        };
        let (passed, text) = probe(Some("1"));
        assert!(!passed, "{text}");
        assert!(
            text.contains("PATHWAYS_REQUIRE_POSTGRES is set but PATHWAYS_TEST_POSTGRES_URL is not"),
            "{text}"
        );
        for require in [None, Some("0")] {
            let (passed, text) = probe(require);
            assert!(passed, "{require:?}: {text}");
            assert!(text.contains("postgres: skipped"), "{text}");
        }
    }

    #[test]
    fn sqlite_databases_are_distinct_files() {
        let (a, b) = (TestDb::sqlite(), TestDb::sqlite());
        assert_ne!(a.url(), b.url());
    }
}
