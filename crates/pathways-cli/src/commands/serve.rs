//! `pathways serve`: the GraphQL API over the published release, previews of
//! any release with the preview token, webhooks on every publish, and
//! scheduled releases published at their time.

use super::{runtime, DatabaseOpts};
use anyhow::Context;
use pathways_server::config::check;
use pathways_server::config::{
    default_max_connections, BaseUrl, CacheConfig, ConnectionLimits, LiveConfig, PersistedConfig,
    PurgeConfig, QueryLimits, Secret, ServerConfig, WebhookConfig,
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
    /// The address the site is public at (`https://careers.example.org`): canonical
    /// links, the sitemap and JSON-LD ids are made from it. Unset: `http://<address listened on>`.
    #[arg(long, env = "PATHWAYS_PUBLIC_URL", value_parser = Checked(public_url))]
    pub public_url: Option<BaseUrl>,
    /// Log lines as text (`human`) or as JSON objects (`json`).
    #[arg(long, env = "PATHWAYS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Content ingested when the database has no release yet (when the folder is
    /// not there, the seeds built into the binary).
    #[arg(long, env = "PATHWAYS_SEEDS", default_value = "seeds")]
    pub seeds: PathBuf,
    /// Origins allowed to call the API from browsers (repeat, or comma-separate; `*` for any).
    #[arg(
        long = "cors-origin",
        env = "PATHWAYS_CORS_ORIGINS",
        value_parser = Checked(|text| check::origins(text).map(List))
    )]
    pub cors_origins: Vec<List>,
    /// Largest request body, in bytes.
    #[arg(long, env = "PATHWAYS_BODY_LIMIT", default_value_t = 64 * 1024, value_parser = Checked(check::count))]
    pub body_limit: usize,
    /// Longest a request may take (`10s`, `500ms`).
    #[arg(long, env = "PATHWAYS_REQUEST_TIMEOUT", default_value = "10s", value_parser = Checked(check::duration))]
    pub request_timeout: Duration,
    /// How often to look for a new release when nothing announces one (on
    /// SQLite, or while not listening on PostgreSQL), and for webhooks due again.
    #[arg(long, env = "PATHWAYS_RELEASE_POLL", default_value = "2s", value_parser = Checked(check::duration))]
    pub release_poll: Duration,
    /// Do not listen for PostgreSQL notifications of changes: poll only (for a
    /// pooler in transaction mode, such as PgBouncer's, where LISTEN cannot work).
    #[arg(long, env = "PATHWAYS_NO_LISTEN")]
    pub no_listen: bool,
    /// How often to look anyway while notifications arrive (PostgreSQL).
    #[arg(long, env = "PATHWAYS_FALLBACK_POLL", default_value = "30s", value_parser = Checked(check::duration))]
    pub fallback_poll: Duration,
    /// Turn the response cache off.
    #[arg(long, env = "PATHWAYS_NO_CACHE")]
    pub no_cache: bool,
    /// Most bytes the response cache keeps.
    #[arg(long, env = "PATHWAYS_CACHE_BYTES", default_value_t = 32 * 1024 * 1024, value_parser = Checked(check::count))]
    pub cache_bytes: usize,
    /// `Cache-Control` sent with GET responses.
    #[arg(
        long,
        env = "PATHWAYS_CACHE_CONTROL",
        default_value = "public, max-age=60",
        value_parser = Checked(check::header_value)
    )]
    pub cache_control: String,
    /// Deepest selection nesting a query may have.
    #[arg(long, env = "PATHWAYS_MAX_DEPTH", default_value_t = QueryLimits::default().max_depth, value_parser = Checked(check::count))]
    pub max_depth: usize,
    /// Most complexity (fields selected, as async-graphql counts them) a query may have.
    #[arg(long, env = "PATHWAYS_MAX_COMPLEXITY", default_value_t = QueryLimits::default().max_complexity, value_parser = Checked(check::count))]
    pub max_complexity: usize,
    /// Largest `first` a list takes.
    #[arg(long, env = "PATHWAYS_MAX_FIRST", default_value_t = QueryLimits::default().max_first, value_parser = Checked(check::count_i32))]
    pub max_first: i32,
    /// Most aliases in one document.
    #[arg(long, env = "PATHWAYS_MAX_ALIASES", default_value_t = QueryLimits::default().max_aliases, value_parser = Checked(check::count))]
    pub max_aliases: usize,
    /// Most operations in one batched POST.
    #[arg(long, env = "PATHWAYS_MAX_BATCH", default_value_t = QueryLimits::default().max_batch, value_parser = Checked(check::count))]
    pub max_batch: usize,
    /// The token that lets a request read any release (`Authorization: Bearer TOKEN`
    /// with `Pathways-Release: ID`). Unset: no previews.
    #[arg(long, env = "PATHWAYS_PREVIEW_TOKEN", hide_env_values = true, value_parser = Checked(check::preview_token))]
    pub preview_token: Option<Secret>,
    /// Where to POST a signed event on every publish and rollback (repeat, or comma-separate).
    #[arg(long = "webhook", env = "PATHWAYS_WEBHOOKS", value_parser = Checked(|text| check::items(text).map(List)))]
    pub webhooks: Vec<List>,
    /// The webhook signing secret, `whsec_<base64>` (`pathways webhooks new-secret`).
    #[arg(long, env = "PATHWAYS_WEBHOOK_SECRET", hide_env_values = true, value_parser = Checked(check::secret))]
    pub webhook_secret: Option<Secret>,
    /// A cache to send an HTTP `PURGE` naming the changed keys on every publish
    /// and rollback, through the webhooks' outbox (repeat, or comma-separate).
    #[arg(long = "purge", env = "PATHWAYS_PURGE_URLS", value_parser = Checked(|text| check::items(text).map(List)))]
    pub purge: Vec<List>,
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
    #[arg(long, env = "PATHWAYS_MAX_CONNECTIONS", default_value_t = default_max_connections(), value_parser = Checked(check::count))]
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers.
    #[arg(long, env = "PATHWAYS_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = Checked(check::duration))]
    pub header_read_timeout: Duration,
    /// Most bytes of a request's headers, request line included (431 beyond;
    /// at least 1024).
    #[arg(long, env = "PATHWAYS_MAX_HEADER_BYTES", default_value_t = ConnectionLimits::default().max_header_bytes, value_parser = Checked(check::header_bytes))]
    pub max_header_bytes: usize,
    /// Most requests at once whose headers may run past 8 KiB while they come
    /// in (431 for another beyond); bounds what slow clients can make the server hold.
    #[arg(long, env = "PATHWAYS_MAX_LARGE_HEADS", default_value_t = ConnectionLimits::default().max_large_heads, value_parser = Checked(check::count))]
    pub max_large_heads: usize,
    /// Longest a connection may sit idle between requests.
    #[arg(long, env = "PATHWAYS_KEEP_ALIVE_TIMEOUT", default_value = "5s", value_parser = Checked(check::duration))]
    pub keep_alive_timeout: Duration,
    /// Wait before retrying a failed webhook, doubled for each retry after.
    #[arg(long, env = "PATHWAYS_WEBHOOK_BACKOFF", default_value = "5s", value_parser = Checked(check::duration))]
    pub webhook_backoff: Duration,
    /// Longest a webhook attempt may take (a server holds it twice as long and 5 s more).
    #[arg(long, env = "PATHWAYS_WEBHOOK_TIMEOUT", default_value = "10s", value_parser = Checked(check::duration))]
    pub webhook_timeout: Duration,
    /// Most live subscribers at once (`GET /events` and graphql-ws connections on
    /// /graphql together); past it a new one is refused with the reason.
    #[arg(long, env = "PATHWAYS_MAX_SUBSCRIBERS", default_value_t = 1000, value_parser = Checked(check::count))]
    pub max_subscribers: usize,
    /// How often an idle live stream gets a heartbeat (SSE comment, WebSocket ping).
    #[arg(long, env = "PATHWAYS_LIVE_HEARTBEAT", default_value = "15s", value_parser = Checked(check::duration))]
    pub live_heartbeat: Duration,
}

/// A base URL for canonical links, the sitemap and JSON-LD ids.
fn public_url(value: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(value).map_err(|e| e.to_string())
}

/// The items of one comma-separated value, trimmed, the empty ones left out.
#[derive(Debug, Clone)]
pub struct List(Vec<String>);

impl List {
    /// Every item of every value, in order.
    fn flat(lists: &[List]) -> Vec<String> {
        lists
            .iter()
            .flat_map(|list| list.0.iter().cloned())
            .collect()
    }
}

/// A check of `pathways_server::config::check` as clap's parser: a refusal
/// names the flag and its environment variable, and is a usage error (exit 2)
/// as clap reports it. A secret's value is never repeated.
#[derive(Clone, Copy)]
struct Checked<T>(fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Checked<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let check = self.0;
        let env = arg
            .and_then(clap::Arg::get_env)
            .map(|env| env.to_string_lossy().into_owned())
            .unwrap_or_default();
        let flag = arg
            .and_then(clap::Arg::get_long)
            .map(|long| format!("--{long}"))
            .unwrap_or_default();
        if arg.is_some_and(clap::Arg::is_hide_env_values_set) {
            let text = value.to_str().unwrap_or_default();
            return check(text).map_err(|reason| {
                let message = format!("invalid value for '{flag}' (or {env}): {reason}\n");
                clap::Error::raw(clap::error::ErrorKind::ValueValidation, message).with_cmd(cmd)
            });
        }
        let named = move |text: &str| {
            check(text).map_err(|reason| format!("{reason} (set by {flag} or {env})"))
        };
        clap::builder::TypedValueParser::parse_ref(&named, cmd, arg, value)
    }
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
            cors_origins: List::flat(&self.cors_origins),
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
                max_connections: self.max_connections,
                header_read_timeout: self.header_read_timeout,
                keep_alive_timeout: self.keep_alive_timeout,
                max_header_bytes: self.max_header_bytes,
                max_large_heads: self.max_large_heads,
            },
            persisted: PersistedConfig {
                manifest,
                only: self.persisted_only,
            },
            public_url: self.public_url.clone(),
            webhooks: WebhookConfig {
                urls: List::flat(&self.webhooks),
                secret: self.webhook_secret.clone(),
                backoff: self.webhook_backoff,
                timeout: self.webhook_timeout,
                ..WebhookConfig::default()
            },
            purge: PurgeConfig {
                urls: List::flat(&self.purge),
                header: self.purge_header.trim().to_owned(),
                ..PurgeConfig::default()
            },
            live: LiveConfig {
                max_subscribers: self.max_subscribers,
                heartbeat: self.live_heartbeat.max(Duration::from_millis(100)),
                ..LiveConfig::default()
            },
        })
    }
}

pub fn run(opts: Opts) -> anyhow::Result<ExitCode> {
    init_logging(opts.log_format);
    let config = opts.config()?;
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
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("Failed to listen on {}", config.bind))?;
        let address = listener.local_addr()?;
        // Links name the port listened on, also when it was chosen (`:0`).
        let config = ServerConfig { bind: address, ..config };
        let state = pathways_server::AppState::start(db, config).await.context("The server cannot start")?;
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
