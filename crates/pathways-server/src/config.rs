//! Server configuration: one struct per concern, with the defaults documented,
//! and what each setting must be (`check`).

pub mod check;

pub use pathways_jsonld::BaseUrl;
use std::net::SocketAddr;
use std::time::Duration;

/// How the HTTP server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen. Default `127.0.0.1:8080`.
    pub bind: SocketAddr,
    /// Origins allowed to call the API from a browser; `*` allows any. Default: none.
    pub cors_origins: Vec<String>,
    /// Largest request body accepted. Default 64 KiB.
    pub body_limit: usize,
    /// Longest a request may take. Default 10 s.
    pub request_timeout: Duration,
    /// How often to look for a new release when nothing announces one: on
    /// SQLite, and on PostgreSQL while the listener is down. Also how often
    /// webhooks due for a retry are looked for. Default 2 s.
    pub release_poll: Duration,
    /// Listen for the changes every pathways process announces on PostgreSQL
    /// (`LISTEN`/`NOTIFY`), and load a new release the moment it is published.
    /// Off, the server polls only (as behind a pooler in transaction mode,
    /// where `LISTEN` cannot work). Default on; nothing to listen to on SQLite.
    pub listen: bool,
    /// How often to look anyway while listening, should a notification be
    /// lost without the connection failing. Default 30 s.
    pub fallback_poll: Duration,
    /// This server's name where the database records who did something: who
    /// claimed a webhook delivery, who published a scheduled release. Default
    /// `<host name>:<process id>`.
    pub instance: String,
    pub cache: CacheConfig,
    pub limits: QueryLimits,
    /// The token that lets a request see any release (`Authorization: Bearer`,
    /// `Pathways-Release: ID`). Default: none, so no previews.
    pub preview_token: Option<Secret>,
    pub webhooks: WebhookConfig,
    /// Caches purged on every publish (timed and retried as webhooks are).
    pub purge: PurgeConfig,
    pub connections: ConnectionLimits,
    pub persisted: PersistedConfig,
    pub live: LiveConfig,
    /// The address the site is public at (`https://careers.example.org`):
    /// canonical links, the sitemap and JSON-LD `@id`s are made from it.
    /// Default: none, then `http://<bind>`.
    pub public_url: Option<BaseUrl>,
}

impl ServerConfig {
    /// [`ServerConfig::public_url`], or `http://<bind>` when it is not set.
    pub fn base_url(&self) -> BaseUrl {
        self.public_url.clone().unwrap_or_else(|| {
            BaseUrl::parse(&format!("http://{}", self.bind))
                .expect("a socket address makes a base URL")
        })
    }
}

/// Live updates: GraphQL subscriptions over graphql-ws on `/graphql` and
/// Server-Sent Events on `/events`.
#[derive(Debug, Clone, Copy)]
pub struct LiveConfig {
    /// Most subscribers at once, SSE streams and graphql-ws connections
    /// together; past it a new one is refused (503, or a graphql-ws close
    /// 1013 with the reason). Default 1,000.
    pub max_subscribers: usize,
    /// How often an idle stream is sent something (an SSE comment, a
    /// WebSocket ping), so proxies keep it open and dead peers are found.
    /// Default 15 s.
    pub heartbeat: Duration,
    /// Longest one message may wait to be written to a subscriber; a
    /// subscriber that reads slower is dropped. Default 10 s.
    pub send_timeout: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            max_subscribers: 1_000,
            heartbeat: Duration::from_secs(15),
            send_timeout: Duration::from_secs(10),
        }
    }
}

/// Persisted documents: a manifest of trusted documents, and whether only
/// they may run. Automatic persisted queries work unless `only` is set.
#[derive(Debug, Clone, Default)]
pub struct PersistedConfig {
    /// Document id to document (`serve --persisted-queries FILE`). Default: none.
    pub manifest: std::collections::HashMap<String, String>,
    /// Refuse any document not in the manifest (`--persisted-only`). Default off.
    pub only: bool,
}

/// What a connection may cost: how long a client may take, how many at once.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Most connections open at once; a client past it is refused with 503 at
    /// once. Default: half the process's open-file limit, at most 4,096.
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers, counted from when
    /// the connection is ready for them (so it also ends idle connections). Default 10 s.
    pub header_read_timeout: Duration,
    /// Longest a connection may sit idle between requests. Default 5 s.
    pub keep_alive_timeout: Duration,
    /// Most bytes of a request's headers, request line included; past it the
    /// client gets 431 and the connection closes. This also bounds what a
    /// client that never finishes its headers makes the server hold. Default
    /// 32 KiB, at least 1 KiB.
    pub max_header_bytes: usize,
    /// Most request heads at once that may grow past 8 KiB (each then costs
    /// up to 50 KiB while it comes in, against about 20 KiB under it); a head
    /// past 8 KiB with none free gets 431 and its connection closes. So 500 slow
    /// clients cost under 20 MB in all under the default cap. Default 64.
    pub max_large_heads: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: default_max_connections(),
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(5),
            max_header_bytes: 32 * 1024,
            max_large_heads: 64,
        }
    }
}

/// Half the process's soft limit on open files (read from `/proc/self/limits`
/// on Linux), at most 4,096 and at least 64; 1,024 where it cannot be read.
pub fn default_max_connections() -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Max open files"))?
                .split_whitespace()
                .nth(3)?
                .parse::<usize>()
                .ok()
        });
    limit.map_or(1024, |files| (files / 2).clamp(64, 4096))
}

/// `<host name>:<process id>`: the host name from `HOSTNAME`, else the
/// kernel's, else `localhost`.
pub fn default_instance() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

/// Webhooks announcing each publication.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Where to POST each event. Default: nowhere.
    pub urls: Vec<String>,
    /// `whsec_<base64 key>`, as Standard Webhooks 1.0 signs. No default: required with `urls`.
    pub secret: Option<Secret>,
    /// Wait before the first retry, doubled for each one after. Default 5 s.
    pub backoff: Duration,
    /// Longest wait between two retries. Default 10 min.
    pub max_backoff: Duration,
    /// Retrying stops this long after the event. Default 24 h.
    pub retry_for: Duration,
    /// Longest an attempt may take. A server's claim on an attempt lasts twice
    /// this and 5 s more, counted from the claim. Default 10 s.
    pub timeout: Duration,
    /// Most addresses delivered to at once; each address gets its events one
    /// at a time, in order. Default 8.
    pub concurrency: usize,
    /// When these addresses count as configured (Unix ms): an address first
    /// configured then gets the events made from then on, never older ones.
    /// Default: when this value was made.
    pub configured_at: i64,
}

/// Caches to purge: on every publish, an HTTP `PURGE` to each address with
/// the changed keys (the event's `data.purge`) in `header`, space-separated.
#[derive(Debug, Clone)]
pub struct PurgeConfig {
    /// Where to send `PURGE` (`serve --purge`). Default: nowhere.
    pub urls: Vec<String>,
    /// The header naming the keys. Default `xkey-purge`, as Varnish's xkey reads it.
    pub header: String,
    /// A purge that went through is sent again this much later, for a cache
    /// that refilled from a replica still serving the release before. Default
    /// 500 ms; zero sends once.
    pub again_after: Duration,
}

impl Default for PurgeConfig {
    fn default() -> Self {
        PurgeConfig {
            urls: Vec::new(),
            header: "xkey-purge".into(),
            again_after: Duration::from_millis(500),
        }
    }
}

/// A secret: compared in constant time, never printed, never defaulted.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this secret, in time that does not depend on
    /// where they first differ.
    pub fn matches(&self, candidate: &str) -> bool {
        use subtle::ConstantTimeEq;
        bool::from(self.0.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            urls: Vec::new(),
            secret: None,
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(600),
            retry_for: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
            concurrency: 8,
            configured_at: pathways_store::queries::publish::unix_millis(),
        }
    }
}

/// The response cache and HTTP caching headers.
#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Answer repeated requests from memory. Default on.
    pub enabled: bool,
    /// Most bytes of responses kept. Default 32 MiB.
    pub max_bytes: usize,
    /// `Cache-Control` on GET responses. Default `public, max-age=60`.
    pub cache_control: String,
}

/// Limits that keep one request from costing too much.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Deepest selection nesting. Default 12.
    pub max_depth: usize,
    /// Most fields a query may select, counted by async-graphql. Default 2000.
    pub max_complexity: usize,
    /// Largest `first` a list argument takes. Default 100.
    pub max_first: i32,
    /// Most aliases in one document. Default 30.
    pub max_aliases: usize,
    /// Most operations in one batched POST. Default 10.
    pub max_batch: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            cors_origins: Vec::new(),
            body_limit: 64 * 1024,
            request_timeout: Duration::from_secs(10),
            release_poll: Duration::from_secs(2),
            listen: true,
            fallback_poll: Duration::from_secs(30),
            instance: default_instance(),
            cache: CacheConfig::default(),
            limits: QueryLimits::default(),
            preview_token: None,
            webhooks: WebhookConfig::default(),
            purge: PurgeConfig::default(),
            connections: ConnectionLimits::default(),
            persisted: PersistedConfig::default(),
            live: LiveConfig::default(),
            public_url: None,
        }
    }
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            enabled: true,
            max_bytes: 32 * 1024 * 1024,
            cache_control: "public, max-age=60".into(),
        }
    }
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_depth: 12,
            max_complexity: 2000,
            max_first: 100,
            max_aliases: 30,
            max_batch: 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_themselves_and_never_print() {
        let secret = Secret::new("s3cret");
        assert!(secret.matches("s3cret"));
        assert!(!secret.matches("s3cres"));
        assert!(!secret.matches("s3cret "));
        assert!(!secret.matches(""));
        assert_eq!(format!("{secret:?}"), "Secret(redacted)");
    }
}
