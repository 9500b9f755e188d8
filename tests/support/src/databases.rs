//! Every database a test runs on, and what tests read from one directly.

use pathways_test_db::{Backend, TestDb};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::collections::BTreeMap;

/// A runtime for tests that are not async themselves.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Every database tests run on: SQLite, and PostgreSQL when configured (a
/// PostgreSQL run that would be skipped fails under `PATHWAYS_REQUIRE_POSTGRES=1`).
pub fn each_db() -> Vec<TestDb> {
    runtime().block_on(TestDb::each())
}

/// A test database with a connection to it, migrated by the store.
pub struct Connected {
    pub db: DatabaseConnection,
    pub test: TestDb,
}

impl Connected {
    /// Each database of [`each_db`], connected through the store (which migrates it).
    pub async fn each() -> Vec<Connected> {
        let mut out = Vec::new();
        for test in TestDb::each().await {
            out.push(Connected::to(test).await);
        }
        out
    }

    pub async fn to(test: TestDb) -> Connected {
        let db = pathways_store::connect(test.url())
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e}", test.backend()));
        Connected { db, test }
    }

    pub fn backend(&self) -> Backend {
        self.test.backend()
    }
}

impl std::ops::Deref for Connected {
    type Target = DatabaseConnection;
    fn deref(&self) -> &Self::Target {
        &self.db
    }
}

/// Rows in each table, read through the store.
pub fn row_counts(db: &TestDb) -> BTreeMap<&'static str, u64> {
    runtime().block_on(async {
        let conn = pathways_store::connect(db.url()).await.expect("connect");
        pathways_store::queries::counts::row_counts(&conn)
            .await
            .expect("count rows")
    })
}

/// The one number `sql` answers on the database at `url` (connected without migrating).
#[track_caller]
pub fn count(url: &str, sql: &str) -> i64 {
    runtime().block_on(async {
        let conn = sea_orm::Database::connect(url).await.expect("connect");
        let row = conn
            .query_one(Statement::from_string(conn.get_database_backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_else(|| panic!("{sql}: no row"));
        let _ = conn.close().await;
        row.try_get_by_index::<i64>(0).expect("a number")
    })
}

/// A PostgreSQL outage as a server sees one: with `allow` false, the database
/// at `url` refuses new connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`)
/// and the connections open to it are ended; with `allow` true, it lets them in
/// again. Run through the server's `postgres` database. A test database is
/// dropped all the same, connections allowed or not.
pub async fn allow_connections(url: &str, allow: bool) {
    let (server, name) = url.rsplit_once('/').expect("a database URL");
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .expect("connect to the postgres database");
    let mut sql = vec![format!(
        "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {allow}"
    )];
    if !allow {
        sql.push(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ));
    }
    for sql in sql {
        admin
            .execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let _ = admin.close().await;
}
