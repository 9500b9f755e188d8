//! `pathways serve`: the GraphQL API over the published release, previews of
//! any release with the preview token, webhooks on every publish, and
//! scheduled releases published at their time.

use super::{runtime, DatabaseOpts};
use anyhow::Context;
use pathways_server::config::{
    default_max_connections, CacheConfig, ConnectionLimits, PersistedConfig, PurgeConfig,
    QueryLimits, Secret, ServerConfig, WebhookConfig,
};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Opts {
    #[command(flatten)]
    pub database: DatabaseOpts,
    /// Address to listen on.
    #[arg(long, env = "PATHWAYS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Log lines as text (`human`) or as JSON objects (`json`).
    #[arg(long, env = "PATHWAYS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Content ingested when the database has no release yet (when the folder is
    /// not there, the seeds built into the binary).
    #[arg(long, env = "PATHWAYS_SEEDS", default_value = "seeds")]
    pub seeds: PathBuf,
    /// Origins allowed to call the API from browsers (comma-separated; `*` for any).
    #[arg(
        long = "cors-origin",
        env = "PATHWAYS_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes.
    #[arg(long, env = "PATHWAYS_BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,
    /// Longest a request may take (`10s`, `500ms`).
    #[arg(long, env = "PATHWAYS_REQUEST_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub request_timeout: Duration,
    /// How often to look for a new release when nothing announces one (on
    /// SQLite, or while not listening on PostgreSQL), and for webhooks due again.
    #[arg(long, env = "PATHWAYS_RELEASE_POLL", default_value = "2s", value_parser = humantime::parse_duration)]
    pub release_poll: Duration,
    /// Do not listen for PostgreSQL notifications of changes: poll only (for a
    /// pooler in transaction mode, such as PgBouncer's, where LISTEN cannot work).
    #[arg(long, env = "PATHWAYS_NO_LISTEN")]
    pub no_listen: bool,
    /// How often to look anyway while notifications arrive (PostgreSQL).
    #[arg(long, env = "PATHWAYS_FALLBACK_POLL", default_value = "30s", value_parser = humantime::parse_duration)]
    pub fallback_poll: Duration,
    /// Turn the response cache off.
    #[arg(long, env = "PATHWAYS_NO_CACHE")]
    pub no_cache: bool,
    /// Most bytes the response cache keeps.
    #[arg(long, env = "PATHWAYS_CACHE_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub cache_bytes: usize,
    /// `Cache-Control` sent with GET responses.
    #[arg(
        long,
        env = "PATHWAYS_CACHE_CONTROL",
        default_value = "public, max-age=60"
    )]
    pub cache_control: String,
    /// Deepest selection nesting a query may have.
    #[arg(long, env = "PATHWAYS_MAX_DEPTH", default_value_t = QueryLimits::default().max_depth)]
    pub max_depth: usize,
    /// Most complexity (fields selected, as async-graphql counts them) a query may have.
    #[arg(long, env = "PATHWAYS_MAX_COMPLEXITY", default_value_t = QueryLimits::default().max_complexity)]
    pub max_complexity: usize,
    /// Largest `first` a list takes.
    #[arg(long, env = "PATHWAYS_MAX_FIRST", default_value_t = QueryLimits::default().max_first)]
    pub max_first: i32,
    /// Most aliases in one document.
    #[arg(long, env = "PATHWAYS_MAX_ALIASES", default_value_t = QueryLimits::default().max_aliases)]
    pub max_aliases: usize,
    /// Most operations in one batched POST.
    #[arg(long, env = "PATHWAYS_MAX_BATCH", default_value_t = QueryLimits::default().max_batch)]
    pub max_batch: usize,
    /// The token that lets a request read any release (`Authorization: Bearer TOKEN`
    /// with `Pathways-Release: ID`). Unset: no previews.
    #[arg(long, env = "PATHWAYS_PREVIEW_TOKEN", hide_env_values = true, value_parser = secret)]
    pub preview_token: Option<Secret>,
    /// Where to POST a signed event on every publish and rollback (repeat, or comma-separate).
    #[arg(long = "webhook", env = "PATHWAYS_WEBHOOKS", value_delimiter = ',')]
    pub webhooks: Vec<String>,
    /// The webhook signing secret, `whsec_<base64>` (`pathways webhooks new-secret`).
    #[arg(long, env = "PATHWAYS_WEBHOOK_SECRET", hide_env_values = true, value_parser = secret)]
    pub webhook_secret: Option<Secret>,
    /// A cache to send an HTTP `PURGE` naming the changed keys on every publish
    /// and rollback, through the webhooks' outbox (repeat, or comma-separate).
    #[arg(long = "purge", env = "PATHWAYS_PURGE_URLS", value_delimiter = ',')]
    pub purge: Vec<String>,
    /// The header of a `PURGE` naming the keys, space-separated (Varnish's xkey reads `xkey-purge`).
    #[arg(long, env = "PATHWAYS_PURGE_HEADER", default_value = "xkey-purge")]
    pub purge_header: String,
    /// A manifest of trusted documents: a JSON object from id to document, as
    /// GraphQL Codegen's client preset (`sha256:<hex>` keys) or Relay writes it.
    #[arg(long, env = "PATHWAYS_PERSISTED_QUERIES")]
    pub persisted_queries: Option<PathBuf>,
    /// Run only documents from the manifest (refuse any other).
    #[arg(long, env = "PATHWAYS_PERSISTED_ONLY", requires = "persisted_queries")]
    pub persisted_only: bool,
    /// Most connections open at once; past it a client is refused with 503 at once
    /// (default: half the process's open-file limit, at most 4096).
    #[arg(long, env = "PATHWAYS_MAX_CONNECTIONS", default_value_t = default_max_connections())]
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers.
    #[arg(long, env = "PATHWAYS_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_read_timeout: Duration,
    /// Longest a connection may sit idle between requests.
    #[arg(long, env = "PATHWAYS_KEEP_ALIVE_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    pub keep_alive_timeout: Duration,
    /// Wait before retrying a failed webhook, doubled for each retry after.
    #[arg(long, env = "PATHWAYS_WEBHOOK_BACKOFF", default_value = "5s", value_parser = humantime::parse_duration)]
    pub webhook_backoff: Duration,
    /// Longest a webhook attempt may take (a server holds it twice as long and 5 s more).
    #[arg(long, env = "PATHWAYS_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub webhook_timeout: Duration,
}

/// A secret from the command line or environment; it never shows in `Debug`.
fn secret(value: &str) -> Result<Secret, String> {
    if value.trim().is_empty() {
        return Err("a secret cannot be empty".into());
    }
    Ok(Secret::new(value))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

impl Opts {
    fn config(&self) -> anyhow::Result<ServerConfig> {
        let manifest = match &self.persisted_queries {
            None => Default::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("Failed to read the persisted queries {}", path.display())
                })?;
                pathways_server::persisted::read_manifest(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "The persisted queries {} cannot be used: {e}",
                        path.display()
                    )
                })?
            }
        };
        Ok(ServerConfig {
            bind: self.bind,
            cors_origins: self.cors_origins.clone(),
            body_limit: self.body_limit,
            request_timeout: self.request_timeout,
            release_poll: self.release_poll,
            listen: !self.no_listen,
            fallback_poll: self.fallback_poll,
            instance: pathways_server::config::default_instance(),
            cache: CacheConfig {
                enabled: !self.no_cache,
                max_bytes: self.cache_bytes,
                cache_control: self.cache_control.clone(),
            },
            limits: QueryLimits {
                max_depth: self.max_depth,
                max_complexity: self.max_complexity,
                max_first: self.max_first,
                max_aliases: self.max_aliases,
                max_batch: self.max_batch,
            },
            preview_token: self.preview_token.clone(),
            connections: ConnectionLimits {
                max_connections: self.max_connections.max(1),
                header_read_timeout: self.header_read_timeout,
                keep_alive_timeout: self.keep_alive_timeout,
            },
            persisted: PersistedConfig {
                manifest,
                only: self.persisted_only,
            },
            webhooks: WebhookConfig {
                urls: self
                    .webhooks
                    .iter()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect(),
                secret: self.webhook_secret.clone(),
                backoff: self.webhook_backoff,
                timeout: self.webhook_timeout,
                ..WebhookConfig::default()
            },
            purge: PurgeConfig {
                urls: self
                    .purge
                    .iter()
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .collect(),
                header: self.purge_header.trim().to_owned(),
                ..PurgeConfig::default()
            },
        })
    }
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    init_logging(opts.log_format);
    let config = opts.config()?;
    // Refuse a webhook setup that cannot sign before serving anything.
    config.webhooks.check()?;
    config.purge.check()?;
    runtime()?.block_on(async {
        let db = super::connect(&opts.database).await?;
        tracing::info!(
            database = %super::redact(&pathways_store::connection::absolute_url(&opts.database.url)),
            "using the database"
        );
        // Servers started together seed an empty database once: the others
        // wait here, then find a release.
        let lock = pathways_store::setup_lock(&db, opts.database.lock_timeout, "seeding").await?;
        if pathways_store::queries::releases::marks(&db).await?.releases == 0 {
            seed(&db, &opts.seeds).await?;
        }
        lock.release().await.context("Failed to release the setup lock")?;
        // What was due while no server ran, before serving anything.
        for done in super::overdue::publish(&db, "serve").await? {
            tracing::warn!(release = done.schedule.release_id, "{}", super::overdue::describe(&done));
        }
        let state = pathways_server::AppState::start(db, config.clone()).await.context("Failed to load the release")?;
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("Failed to listen on {}", config.bind))?;
        let address = listener.local_addr()?;
        tracing::info!(%address, "serving GraphQL at http://{address}/graphql, the explorer at http://{address}/ and GraphiQL at /graphiql");
        pathways_server::serve(listener, state, pathways_server::shutdown_signal()).await.context("The server failed")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// An empty database gets the seeds, so a fresh machine serves real content:
/// from the seeds folder when there is one, else the seeds built into the binary.
async fn seed(
    db: &pathways_store::DatabaseConnection,
    seeds: &std::path::Path,
) -> anyhow::Result<()> {
    let (validation, from) = if seeds.is_dir() {
        (
            pathways_ingest::validate(&[seeds.to_path_buf()], Default::default()),
            seeds.display().to_string(),
        )
    } else {
        (
            pathways_ingest::validate_sources(crate::seeds::sources()),
            "built in".to_owned(),
        )
    };
    let plan = validation.plan().with_context(|| {
        let first = validation
            .problems
            .iter()
            .find(|p| p.is_error())
            .map(ToString::to_string)
            .unwrap_or_default();
        format!("The seeds ({from}) are not valid: {first}")
    })?;
    let outcome = pathways_store::queries::write::write_release(db, &plan, &mut |_| {})
        .await
        .context("Failed to load the seeds")?;
    match outcome {
        pathways_store::queries::write::WriteOutcome::Created(_) => {
            tracing::info!(seeds = %from, "the database was empty: loaded the seeds")
        }
        pathways_store::queries::write::WriteOutcome::Unchanged(_) => {
            tracing::info!("another process loaded the seeds first")
        }
    }
    Ok(())
}

fn init_logging(format: LogFormat) {
    crate::logging::init("info", format == LogFormat::Json, true);
}
