//! `professions` (a Relay cursor connection) and `profession(slug)`.

use super::context::{page_size, request, Read};
use super::types::Profession;
use async_graphql::{Context, Object, Result, SimpleObject};

#[derive(Default)]
pub struct ProfessionQuery;

/// Professions and their pathways.
#[Object]
impl ProfessionQuery {
    /// The professions in slug order, a page at a time. `hasPathway` keeps only
    /// those with (or without) a pathway; `first` is at most the server's cap
    /// (100 by default); `after` is the `endCursor` of the page before.
    #[graphql(complexity = "super::cost::page(first, 20, child_complexity)")]
    async fn professions(
        &self,
        ctx: &Context<'_>,
        has_pathway: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ProfessionConnection> {
        let rc = request(ctx)?;
        let first = page_size(first, 20, &rc.limits)?;
        rc.reads.add(Read::Professions);
        let snapshot = &rc.snapshot;
        let matching = snapshot.professions(has_pathway);
        let rest = match &after {
            Some(after) => snapshot.after(matching, after),
            None => matching,
        };
        let page = &rest[..first.min(rest.len())];
        let slug = |p| snapshot.profession(p).slug.clone();
        Ok(ProfessionConnection {
            edges: page
                .iter()
                .map(|&p| ProfessionEdge {
                    cursor: slug(p),
                    node: Profession(p),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: rest.len() > page.len(),
                has_previous_page: after.is_some(),
                start_cursor: page.first().map(|&p| slug(p)),
                end_cursor: page.last().map(|&p| slug(p)),
            },
            total_count: i32::try_from(matching.len()).unwrap_or(i32::MAX),
        })
    }

    /// One profession, by slug; null when there is none.
    async fn profession(&self, ctx: &Context<'_>, slug: String) -> Result<Option<Profession>> {
        // A slug that names no profession answers null until one is added.
        let rc = request(ctx)?;
        let found = rc.snapshot.profession_by_slug(&slug);
        rc.reads
            .add(found.map_or(Read::Professions, |p| Read::Profession(p.0)));
        Ok(found.map(Profession))
    }
}

/// A page of professions (a Relay cursor connection).
#[derive(SimpleObject)]
pub struct ProfessionConnection {
    /// The professions on this page, each with its cursor.
    edges: Vec<ProfessionEdge>,
    /// Where this page stands among all pages.
    page_info: PageInfo,
    /// Professions matching the filter, over all pages.
    total_count: i32,
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
    /// Whether there are items after this page.
    pub has_next_page: bool,
    /// Whether this page started after a cursor.
    pub has_previous_page: bool,
    /// The cursor of this page's first item.
    pub start_cursor: Option<String>,
    /// The cursor of this page's last item: pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}
