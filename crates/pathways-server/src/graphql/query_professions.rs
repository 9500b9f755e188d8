//! `professions` (a Relay connection) and `profession(slug)`.

use super::context::{page_size, request};
use super::errors;
use super::types::Profession;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, Result};
use pathways_store::queries::content;

#[derive(Default)]
pub struct ProfessionQuery;

/// Extra fields of the professions connection.
pub struct ProfessionsTotal {
    release_id: i32,
    has_pathway: Option<bool>,
}

#[Object]
impl ProfessionsTotal {
    /// Professions matching the filter, over all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let rc = request(ctx)?;
        let n = content::professions_count(&rc.db, self.release_id, self.has_pathway)
            .await
            .map_err(errors::internal)?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

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
    ) -> Result<Connection<String, Profession, ProfessionsTotal, EmptyFields>> {
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
        let totals = ProfessionsTotal {
            release_id: rc.release.id,
            has_pathway,
        };
        let mut connection = Connection::with_additional_fields(after.is_some(), has_next, totals);
        connection.edges.extend(
            rows.into_iter()
                .map(|p| Edge::new(p.slug.clone(), Profession(p))),
        );
        Ok(connection)
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
