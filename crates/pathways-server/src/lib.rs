#![doc = include_str!("../README.md")]

mod bounded_lru;
pub mod cache;
pub mod config;
mod connections;
pub mod graphql;
pub mod http;
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
use metrics::Metrics;
use pathways_store::{DatabaseConnection, DbErr};
use release_watch::ReleaseWatch;
use std::future::Future;
use std::sync::Arc;

/// Everything a request handler needs, shared by all of them.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    persisted: persisted::PersistedDocuments,
    schema: PathwaysSchema,
    introspection: PathwaysSchema,
    release: ReleaseWatch,
    cache: ResponseCache,
    metrics: Metrics,
    config: ServerConfig,
}

impl AppState {
    /// Sets up the server over `db`: counts its SQL statements, loads the newest
    /// release into a snapshot, and starts the background tasks: hearing of
    /// changes (listening on PostgreSQL, polling), publishing what is
    /// scheduled, and with webhooks configured, delivering them.
    pub async fn start(
        mut db: DatabaseConnection,
        config: ServerConfig,
    ) -> Result<AppState, DbErr> {
        let metrics = Metrics::default();
        let counter = metrics.sql_counter();
        db.set_metric_callback(move |_| {
            counter.inc();
        });
        let release = ReleaseWatch::default();
        release.refresh(&db, &metrics).await?;
        let cache = ResponseCache::new(config.cache.enabled, config.cache.max_bytes);
        let changes = Arc::new(tasks::Changes::new(
            config.release_poll,
            config.fallback_poll,
        ));
        let refresher = tasks::notify::Refresher {
            db: db.clone(),
            watch: release.clone(),
            cache: cache.clone(),
            metrics: metrics.clone(),
            changes: changes.clone(),
        };
        if config.listen {
            tokio::spawn(tasks::notify::listen(refresher.clone()));
        }
        tokio::spawn(tasks::notify::poll(refresher));
        let first = tasks::schedule::step(&db, &config.instance, &changes, &metrics).await;
        tokio::spawn(tasks::schedule::run(
            db.clone(),
            config.instance.clone(),
            changes.clone(),
            metrics.clone(),
            first,
        ));
        if !config.webhooks.urls.is_empty() {
            match webhooks::deliverer(&config.webhooks, &config.instance) {
                Ok(deliverer) => {
                    let targets = deliverer.register(&db).await?;
                    let deliver = Arc::new(deliverer).run(
                        targets,
                        db.clone(),
                        changes.clone(),
                        metrics.clone(),
                    );
                    tokio::spawn(deliver);
                }
                Err(error) => tracing::error!(%error, "webhooks are off"),
            }
        }
        if !config.purge.urls.is_empty() {
            match webhooks::purge::purger(&config.purge, &config.webhooks, &config.instance) {
                Ok(purger) => {
                    let targets = purger.register(&db).await?;
                    let purge = Arc::new(purger).run(targets, db.clone(), changes, metrics.clone());
                    tokio::spawn(purge);
                }
                Err(error) => tracing::error!(%error, "purging is off"),
            }
        }
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
            schema: graphql::schema(config.limits),
            introspection: graphql::introspection_schema(),
            db,
            release,
            cache,
            metrics,
            config,
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
}

/// Serves until `shutdown` completes, then finishes the requests under way
/// (waiting at most the request timeout and a second).
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
    connections::serve(
        listener,
        http::router(state),
        limits,
        metrics,
        drain,
        shutdown,
    )
    .await
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
