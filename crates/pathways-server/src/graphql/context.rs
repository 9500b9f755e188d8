//! What every resolver of one request sees: the snapshot of the release the
//! request reads and the catalog of releases (both fixed when it starts),
//! whether it is a preview, and the limits.

use super::errors;
use crate::config::QueryLimits;
use crate::release_watch::Catalog;
use crate::snapshot::Snapshot;
use async_graphql::Context;
use std::sync::Arc;

pub use super::reads::{Read, Reads};

pub struct RequestContext {
    pub snapshot: Arc<Snapshot>,
    pub catalog: Arc<Catalog>,
    /// Made with the preview token: staged releases are visible.
    pub preview: bool,
    /// `snapshot` is the release this server serves to everyone.
    pub served: bool,
    pub limits: QueryLimits,
    /// Where the site is public: JSON-LD `@id`s are made from it.
    pub base: Arc<pathways_jsonld::BaseUrl>,
    /// What the resolvers read, as cache keys; shared with the caller, which
    /// reads them once the operation has run.
    pub reads: Arc<Reads>,
}

/// The snapshot, noting that the answer reads `read`.
pub fn reading<'a>(ctx: &Context<'a>, read: Read) -> async_graphql::Result<&'a Snapshot> {
    let rc = request(ctx)?;
    rc.reads.add(read);
    Ok(&rc.snapshot)
}

pub fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestContext> {
    ctx.data::<RequestContext>()
        .map_err(|_| errors::internal("request context missing"))
}

/// `first` checked against the cap: an error names the argument and the range.
pub fn page_size(
    first: Option<i32>,
    default: i32,
    limits: &QueryLimits,
) -> async_graphql::Result<usize> {
    let first = first.unwrap_or(default);
    if !(0..=limits.max_first).contains(&first) {
        return Err(errors::bad_input(format!(
            "`first` must be between 0 and {}, got {first}",
            limits.max_first
        )));
    }
    Ok(first as usize)
}
