//! `release` and `page`: which content is being served, and the page it makes.

use super::context::snapshot;
use super::types::{Page, Release};
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ReleaseQuery;

/// The release being served, and its page.
#[Object]
impl ReleaseQuery {
    /// The release being served.
    async fn release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        snapshot(ctx)?;
        Ok(Some(Release))
    }

    /// The page the release is published as: title, introduction and footer.
    async fn page(&self, ctx: &Context<'_>) -> Result<Option<Page>> {
        snapshot(ctx)?;
        Ok(Some(Page))
    }
}
