//! What every resolver of one request sees: the database, the release the
//! request reads (fixed when it starts), and the limits.

use super::errors;
use crate::config::QueryLimits;
use async_graphql::Context;
use pathways_store::entities::release;
use pathways_store::DatabaseConnection;
use std::sync::Arc;

pub struct RequestContext {
    pub db: DatabaseConnection,
    pub release: Arc<release::Model>,
    pub limits: QueryLimits,
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
) -> async_graphql::Result<u64> {
    let first = first.unwrap_or(default);
    if !(0..=limits.max_first).contains(&first) {
        return Err(errors::bad_input(format!(
            "`first` must be between 0 and {}, got {first}",
            limits.max_first
        )));
    }
    Ok(first as u64)
}
