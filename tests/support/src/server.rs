//! The server in this process, over a loaded test database, on an ephemeral port.

use crate::content::seeds_plan;
use crate::http::Http;
use pathways_model::Release;
use pathways_server::config::ServerConfig;
use pathways_server::AppState;
use pathways_test_db::TestDb;
use std::time::Duration;

/// A running server; stops when dropped. Derefs to its [`Http`].
pub struct TestServer {
    pub http: Http,
    pub state: AppState,
    pub db: pathways_store::DatabaseConnection,
    pub test_db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Loads `plan` into `test_db` and serves it with `config`.
    pub async fn start(test_db: TestDb, plan: &Release, config: ServerConfig) -> TestServer {
        let db = pathways_store::connect(test_db.url())
            .await
            .expect("connect");
        pathways_store::queries::write::write_release(&db, plan, &mut |_| {})
            .await
            .expect("load content");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let config = ServerConfig {
            bind: listener.local_addr().expect("address"),
            ..config
        };
        let state = AppState::start(db.clone(), config).await.expect("start");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let _ = pathways_server::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            http: Http::new(base, format!("{:?}", test_db.backend())),
            state,
            db,
            test_db,
            stop: Some(stop),
        }
    }

    /// The seeds, with the given config, on each database.
    pub async fn each(config: impl Fn() -> ServerConfig) -> Vec<TestServer> {
        let plan = seeds_plan();
        let mut servers = Vec::new();
        for db in TestDb::each().await {
            servers.push(TestServer::start(db, &plan, config()).await);
        }
        servers
    }

    /// The seeds, with the given config, on a SQLite file: for what does not
    /// depend on the database.
    pub async fn sqlite(config: ServerConfig) -> TestServer {
        TestServer::start(TestDb::sqlite(), &seeds_plan(), config).await
    }

    /// Response cache hits and misses so far, read from `/metrics`.
    pub async fn cache_counts(&self) -> (u64, u64) {
        let text = self.metrics().await;
        (
            metric(&text, "pathways_response_cache_hits_total"),
            metric(&text, "pathways_response_cache_misses_total"),
        )
    }

    /// The `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.fetch("/metrics").await.assert_status(200).text()
    }

    /// The value of the unlabelled metric `name` now.
    pub async fn metric(&self, name: &str) -> u64 {
        metric(&self.metrics().await, name)
    }
}

impl std::ops::Deref for TestServer {
    type Target = Http;
    fn deref(&self) -> &Http {
        &self.http
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// No background polling or listening during the test, unless it asks.
pub fn quiet() -> ServerConfig {
    ServerConfig {
        release_poll: Duration::from_secs(3600),
        listen: false,
        ..ServerConfig::default()
    }
}

/// [`quiet`], with the response cache off.
pub fn uncached() -> ServerConfig {
    let mut config = quiet();
    config.cache.enabled = false;
    config
}

/// The value of an unlabelled metric in Prometheus text.
#[track_caller]
pub fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| {
            line.strip_prefix(name)?
                .strip_prefix(' ')?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .unwrap_or_else(|| panic!("no metric {name} in:\n{text}")) as u64
}
