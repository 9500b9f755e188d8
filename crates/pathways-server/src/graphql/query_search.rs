//! `search(text, first)`: the snapshot's own full-text index, in memory.

use super::context::{page_size, request, Read};
use super::errors;
use super::types::SearchHit;
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct SearchQuery;

/// Full-text search.
#[Object]
impl SearchQuery {
    /// Professions, steps and roles whose words match `text`, best first; `first`
    /// hits at most (20 when left out or null).
    #[graphql(complexity = "super::cost::page(first, 20, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        text: String,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> Result<Vec<SearchHit>> {
        let rc = request(ctx)?;
        rc.reads.add(Read::Search);
        let first = page_size(first, 20, &rc.limits)?;
        if text.chars().count() > 200 {
            return Err(errors::bad_input("`text` must be at most 200 characters"));
        }
        Ok(rc
            .snapshot
            .search(&text, first)
            .into_iter()
            .map(SearchHit)
            .collect())
    }
}
