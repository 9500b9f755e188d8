//! The GraphQL schema: its own object types over the served snapshot, and one
//! query struct per domain merged into the root.

mod context;
mod cost;
mod errors;
pub(crate) mod markdown;
mod query_content;
mod query_professions;
mod query_release;
mod query_search;
mod reads;
mod subscription;
mod types;

use crate::config::QueryLimits;
use async_graphql::{EmptyMutation, MergedObject, Schema};

pub use context::{Read, Reads, RequestContext};
pub use reads::{overflowed, MAX_KEYS_LEN};
pub use subscription::Subscription;

pub type PathwaysSchema = Schema<Query, EmptyMutation, Subscription>;

/// Career pathways of the allied health professions: professions, their
/// pathways level by level, roles, routes, search and the release served.
#[derive(MergedObject, Default)]
pub struct Query(
    query_professions::ProfessionQuery,
    query_content::ContentQuery,
    query_search::SearchQuery,
    query_release::ReleaseQuery,
);

/// The schema data queries run against, with depth and complexity limits.
pub fn schema(limits: QueryLimits) -> PathwaysSchema {
    Schema::build(Query::default(), EmptyMutation, Subscription)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(10)
        .finish()
}

/// The schema for documents that only ask about the schema (GraphiQL's own
/// introspection query is deeper than any data query needs): no limits, and it
/// answers nothing but introspection.
/// Depth and complexity bounds of introspection-only documents.
pub const INTROSPECTION_LIMITS: (usize, usize) = (32, 5_000);

pub fn introspection_schema() -> PathwaysSchema {
    Schema::build(Query::default(), EmptyMutation, Subscription)
        .introspection_only()
        // Far above what GraphiQL and codegen tools ask (depth 13, complexity
        // under 200), yet a bound on documents built to explode through fragments.
        .limit_depth(INTROSPECTION_LIMITS.0)
        .limit_complexity(INTROSPECTION_LIMITS.1)
        .finish()
}

/// The schema in SDL, as committed in `schema/pathways.graphql`.
pub fn sdl() -> String {
    schema(QueryLimits::default()).sdl()
}
