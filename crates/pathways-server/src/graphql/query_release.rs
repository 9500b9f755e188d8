//! `release` and `page`: which content is being served, and the page it makes.

use super::context::request;
use super::types::{Page, Release};
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ReleaseQuery;

/// The release being served, and its page.
#[Object]
impl ReleaseQuery {
    /// The release being served.
    async fn release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        Ok(Some(Release(request(ctx)?.release.clone())))
    }

    /// The page the release is published as: title, introduction and footer.
    async fn page(&self, ctx: &Context<'_>) -> Result<Option<Page>> {
        Ok(Some(Page(request(ctx)?.release.clone())))
    }
}
