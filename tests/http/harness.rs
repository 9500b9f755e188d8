//! Starting a server over a test database loaded with content.

use pathways_model::Release;
use pathways_server::config::ServerConfig;
use pathways_server::AppState;
use pathways_test_db::TestDb;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The load plan of the content under `dir`.
pub fn plan_of(dir: &Path) -> Release {
    let validation = pathways_ingest::validate(&[dir.to_path_buf()], Default::default());
    validation
        .plan()
        .unwrap_or_else(|| panic!("{} is not valid: {:?}", dir.display(), validation.problems))
}

pub fn seeds_plan() -> Release {
    plan_of(&repo().join("seeds"))
}

/// A running server; stops when dropped.
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub db: pathways_store::DatabaseConnection,
    pub test_db: TestDb,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start(test_db: TestDb, plan: &Release, config: ServerConfig) -> TestServer {
        let db = pathways_store::connect(test_db.url())
            .await
            .expect("connect");
        pathways_store::queries::write::write_release(&db, plan, &mut |_| {})
            .await
            .expect("load content");
        let state = AppState::start(db.clone(), config).await.expect("start");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let _ = pathways_server::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            url,
            state,
            db,
            test_db,
            client: reqwest::Client::new(),
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

    pub fn label(&self) -> String {
        format!("{:?}", self.test_db.backend())
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// POSTs a query; returns the status and body.
    pub async fn post(&self, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.url))
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .expect("POST /graphql");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// POSTs a query that must succeed without errors; returns `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.post(query, variables).await;
        assert_eq!(status, 200, "{}: {body:#}", self.label());
        assert!(body.get("errors").is_none(), "{}: {body:#}", self.label());
        body["data"].clone()
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
        self.client
            .get(format!("{}/metrics", self.url))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("metrics text")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// No background polling during the test, unless it asks.
pub fn quiet() -> ServerConfig {
    ServerConfig {
        release_poll: Duration::from_secs(3600),
        ..ServerConfig::default()
    }
}

pub fn uncached() -> ServerConfig {
    let mut config = quiet();
    config.cache.enabled = false;
    config
}

/// The full nested query a careers site runs for its pathway pages.
pub const FULL_QUERY: &str = r#"
query Full {
  professions(first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        slug name hasPathway
        levels {
          level { number label scheme }
          routes { slug name stages { position name optional } }
          steps {
            position title intro
            level { number label }
            entryRoute { slug name stages { position name optional } }
            role {
              slug title shared description paragraphs jobTitles workingWith
              level { number label }
              usedBy { slug name }
            }
            profession { slug }
          }
        }
      }
    }
  }
}"#;

/// The value of an unlabelled metric in Prometheus text.
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
