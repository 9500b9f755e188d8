//! `release`, `releases` and `page`: which content is being served, every
//! release a reader may see, and the page the content makes.

use super::context::{page_size, reading, request, Read};
use super::query_professions::PageInfo;
use super::types::{Page, Release};
use async_graphql::{Context, Object, Result, SimpleObject};
use pathways_model::{ListedRelease, ReleaseStatus};

#[derive(Default)]
pub struct ReleaseQuery;

/// The release being served, every release, and the page.
#[Object]
impl ReleaseQuery {
    /// The release this request reads: the published one, or with the preview
    /// token the one named by the `Pathways-Release` header.
    async fn release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        let rc = request(ctx)?;
        rc.reads.add(Read::Release);
        Ok(Some(Release(rc.catalog.info(&rc.snapshot, rc.served))))
    }

    /// Releases, newest first: published and retired ones, and staged ones too
    /// for a request made with the preview token. `after` is a release's cursor.
    #[graphql(complexity = "super::cost::page(first, 20, child_complexity)")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ReleaseConnection> {
        let rc = request(ctx)?;
        rc.reads.add(Read::Release);
        let first = page_size(first, 20, &rc.limits)?;
        let after: Option<i32> = match after.as_deref() {
            None => None,
            Some(cursor) => Some(cursor.parse().map_err(|_| {
                super::errors::bad_input(format!(
                    "`after` must be a release's cursor (its id), got `{cursor}`"
                ))
            })?),
        };
        let visible: Vec<_> = rc
            .catalog
            .releases
            .iter()
            .filter(|r| rc.preview || r.status != ReleaseStatus::Staged)
            .collect();
        let rest: Vec<_> = visible
            .iter()
            .filter(|r| after.is_none_or(|after| r.release.id < after))
            .collect();
        let page = &rest[..first.min(rest.len())];
        let cursor = |r: &&&ListedRelease| r.release.id.to_string();
        Ok(ReleaseConnection {
            page_info: PageInfo {
                has_next_page: rest.len() > page.len(),
                has_previous_page: after.is_some(),
                start_cursor: page.first().map(cursor),
                end_cursor: page.last().map(cursor),
            },
            edges: page
                .iter()
                .map(|r| ReleaseEdge {
                    cursor: cursor(r),
                    node: Release((**r).clone()),
                })
                .collect(),
            total_count: i32::try_from(visible.len()).unwrap_or(i32::MAX),
        })
    }

    /// The page the release is published as: title, introduction and footer.
    async fn page(&self, ctx: &Context<'_>) -> Result<Option<Page>> {
        reading(ctx, Read::Page)?;
        Ok(Some(Page))
    }
}

/// A page of releases, newest first (a Relay cursor connection).
#[derive(SimpleObject)]
pub struct ReleaseConnection {
    /// The releases on this page, each with its cursor.
    edges: Vec<ReleaseEdge>,
    /// Where this page stands among all pages.
    page_info: PageInfo,
    /// Releases this request may see, over all pages.
    total_count: i32,
}

/// A release and its place in the list.
#[derive(SimpleObject)]
pub struct ReleaseEdge {
    /// Pass as `after` to get the releases older than this one.
    cursor: String,
    /// The release.
    node: Release,
}
