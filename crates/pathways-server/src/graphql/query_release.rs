//! `release`: which content is being served.

use super::context::request;
use super::types::Release;
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ReleaseQuery;

/// The release being served.
#[Object]
impl ReleaseQuery {
    /// The release being served.
    async fn release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        Ok(Some(Release(request(ctx)?.release.clone())))
    }
}
