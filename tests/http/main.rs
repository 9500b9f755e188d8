//! The API over real HTTP: a server on an ephemeral port over a real SQLite
//! file, and over PostgreSQL when `PATHWAYS_TEST_POSTGRES_URL` is set. Content comes
//! through ingest, so these tests live with the command, the one crate that may
//! depend on ingest, store and server at once. What they share is in
//! `pathways-test-support` (`tests/support`).

mod api;
mod cache_tags;
mod caching;
mod connections;
mod explorer;
mod limits;
mod live;
mod long_heads;
mod pages;
mod persisted;
mod previews;
mod protocol;
mod readiness;
mod refusals;
mod scale;
mod sdl;
mod snapshot;

/// `config` with no complexity limit to speak of, so [`FULL_QUERY`] runs
/// (every profession with everything under it costs far more than the
/// default allows, since list fields count their children once per item),
/// and a deep document is refused for its depth alone.
pub fn admitting_the_full_query(
    mut config: pathways_server::config::ServerConfig,
) -> pathways_server::config::ServerConfig {
    config.limits.max_complexity = usize::MAX;
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
