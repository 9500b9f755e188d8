//! `professions` (a Relay cursor connection) and `profession(slug)`.

use super::context::{page_size, request};
use super::errors;
use super::types::Profession;
use async_graphql::{Context, Object, Result, SimpleObject};
use pathways_store::queries::content;

#[derive(Default)]
pub struct ProfessionQuery;

/// Professions and their pathways.
#[Object]
impl ProfessionQuery {
    /// The professions in slug order, a page at a time. `hasPathway` keeps only
    /// those with (or without) a pathway; `first` is at most the server's cap
    /// (100 by default); `after` is the `endCursor` of the page before.
    async fn professions(
        &self,
        ctx: &Context<'_>,
        has_pathway: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ProfessionConnection> {
        let rc = request(ctx)?;
        let first = page_size(first, 20, &rc.limits)?;
        let mut rows = content::professions_page(
            &rc.db,
            rc.release.id,
            has_pathway,
            after.as_deref(),
            first + 1,
        )
        .await
        .map_err(errors::internal)?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let page_info = PageInfo {
            has_next_page: has_next,
            has_previous_page: after.is_some(),
            start_cursor: rows.first().map(|p| p.slug.clone()),
            end_cursor: rows.last().map(|p| p.slug.clone()),
        };
        let edges = rows
            .into_iter()
            .map(|p| ProfessionEdge {
                cursor: p.slug.clone(),
                node: Profession(p),
            })
            .collect();
        Ok(ProfessionConnection {
            edges,
            page_info,
            release_id: rc.release.id,
            has_pathway,
        })
    }

    /// One profession, by slug; null when there is none.
    async fn profession(&self, ctx: &Context<'_>, slug: String) -> Result<Option<Profession>> {
        let rc = request(ctx)?;
        let found = content::profession_by_slug(&rc.db, rc.release.id, &slug)
            .await
            .map_err(errors::internal)?;
        Ok(found.map(Profession))
    }
}

pub struct ProfessionConnection {
    edges: Vec<ProfessionEdge>,
    page_info: PageInfo,
    release_id: i32,
    has_pathway: Option<bool>,
}

/// A page of professions (a Relay cursor connection).
#[Object]
impl ProfessionConnection {
    /// The professions on this page, each with its cursor.
    async fn edges(&self) -> &[ProfessionEdge] {
        &self.edges
    }

    /// Where this page stands among all pages.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// Professions matching the filter, over all pages (counted only when asked for).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let rc = request(ctx)?;
        let n = content::professions_count(&rc.db, self.release_id, self.has_pathway)
            .await
            .map_err(errors::internal)?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

/// A profession and its place in the list.
#[derive(SimpleObject)]
pub struct ProfessionEdge {
    /// Pass as `after` to get the professions after this one.
    cursor: String,
    /// The profession.
    node: Profession,
}

/// Where a page stands among all pages.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// Whether there are professions after this page.
    has_next_page: bool,
    /// Whether this page started after a cursor.
    has_previous_page: bool,
    /// The cursor of this page's first profession.
    start_cursor: Option<String>,
    /// The cursor of this page's last profession: pass it as `after` for the next page.
    end_cursor: Option<String>,
}
