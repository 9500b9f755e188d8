#![doc = include_str!("../README.md")]

mod bounded_lru;
pub mod cache;
pub mod config;
pub mod graphql;
pub mod http;
pub mod live;
pub mod metrics;
pub mod persisted;
mod probes;
pub mod release_watch;
pub mod snapshot;
pub mod tasks;
pub mod webhooks;

use cache::ResponseCache;
use config::ServerConfig;
use graphql::PathwaysSchema;
use live::Live;
use metrics::Metrics;
use pathways_store::DatabaseConnection;
use release_watch::ReleaseWatch;
use std::future::Future;
use std::sync::Arc;
pub use tasks::StartError;

/// Everything a request handler needs, shared by all of them.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    persisted: persisted::PersistedDocuments,
    /// Documents parsed before, by their text.
    parsed: http::graphql::documents::ParsedDocuments,
    schema: PathwaysSchema,
    introspection: PathwaysSchema,
    release: ReleaseWatch,
    cache: ResponseCache,
    metrics: Metrics,
    live: Live,
    config: ServerConfig,
    /// Turns at running GraphQL documents: one per core.
    executions: Arc<tokio::sync::Semaphore>,
    background: tasks::Background,
    /// [`ServerConfig::base_url`], made once.
    base: Arc<pathways_jsonld::BaseUrl>,
}

impl AppState {
    /// Sets up the server over `db`: checks `config` (each setting, then the
    /// webhooks and the purges: a bad setup is an error here, before anything else), counts
    /// its SQL statements, loads the newest release into a snapshot, and starts
    /// the background tasks (`tasks::start`), which the server holds and
    /// stops when [`serve`] ends.
    pub async fn start(
        mut db: DatabaseConnection,
        config: ServerConfig,
    ) -> Result<AppState, StartError> {
        let outboxes = tasks::prepare(&config)?;
        let metrics = Metrics::default();
        let counter = metrics.sql_counter();
        db.set_metric_callback(move |_| {
            counter.inc();
        });
        let release = ReleaseWatch::default();
        release.refresh(&db, &metrics).await?;
        let cache = ResponseCache::new(config.cache.enabled, config.cache.max_bytes);
        let live = Live::new(config.live, metrics.clone());
        let shared = tasks::Shared {
            db: db.clone(),
            release: release.clone(),
            cache: cache.clone(),
            metrics: metrics.clone(),
            live: live.clone(),
        };
        let background = tasks::start(shared, &config, outboxes).await?;
        let inner = Inner {
            persisted: persisted::PersistedDocuments::new(
                config
                    .persisted
                    .manifest
                    .clone()
                    .into_iter()
                    .chain(http::explorer_documents())
                    .collect(),
                config.persisted.only,
            ),
            parsed: Default::default(),
            schema: graphql::schema(config.limits),
            executions: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            )),
            introspection: graphql::introspection_schema(),
            base: Arc::new(config.base_url()),
            db,
            release,
            cache,
            metrics,
            live,
            config,
            background,
        };
        Ok(AppState {
            inner: Arc::new(inner),
        })
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub fn release(&self) -> &ReleaseWatch {
        &self.inner.release
    }

    /// Live updates: release events for SSE and graphql-ws subscribers.
    pub fn live(&self) -> &Live {
        &self.inner.live
    }
}

/// Serves until `shutdown` completes, then ends live streams and finishes the
/// requests under way (waiting at most the request timeout and a second),
/// then stops the background tasks (waiting at most 5 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = &state.inner.config;
    let (limits, drain) = (
        config.connections,
        config.request_timeout + std::time::Duration::from_secs(1),
    );
    let metrics = state.inner.metrics.clone();
    let (owner, body_limit) = (state.clone(), config.body_limit);
    // Live streams never end by themselves: end them, so connections drain.
    let live = state.inner.live.clone();
    let shutdown = async move {
        shutdown.await;
        live.close();
    };
    let served = http::connections::serve(
        listener,
        http::router(state),
        http::connections::Limits {
            connections: limits,
            body_limit,
        },
        metrics,
        drain,
        shutdown,
    )
    .await;
    let stopped = owner
        .inner
        .background
        .stop(std::time::Duration::from_secs(5))
        .await;
    tracing::info!(tasks = stopped, "stopped the background tasks");
    served
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests under way");
}
