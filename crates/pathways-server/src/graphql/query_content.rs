//! `levels`, `roles`, `role(slug)` and `routes`.

use super::context::request;
use super::errors;
use super::types::{Level, Role, Route};
use async_graphql::{Context, Object, Result};
use pathways_store::queries::content;

#[derive(Default)]
pub struct ContentQuery;

/// Levels, roles and routes.
#[Object]
impl ContentQuery {
    /// The levels the content uses, lowest first.
    async fn levels(&self, ctx: &Context<'_>) -> Result<Vec<Level>> {
        let rc = request(ctx)?;
        let rows = content::levels(&rc.db, rc.release.id)
            .await
            .map_err(errors::internal)?;
        Ok(rows.iter().map(Level::from).collect())
    }

    /// Every role in page order; `shared` keeps only shared (or only unshared) roles.
    async fn roles(&self, ctx: &Context<'_>, shared: Option<bool>) -> Result<Vec<Role>> {
        let rc = request(ctx)?;
        let rows = content::roles(&rc.db, rc.release.id, shared)
            .await
            .map_err(errors::internal)?;
        Ok(rows.into_iter().map(Role).collect())
    }

    /// One role, by slug; null when there is none.
    async fn role(&self, ctx: &Context<'_>, slug: String) -> Result<Option<Role>> {
        let rc = request(ctx)?;
        Ok(content::role_by_slug(&rc.db, rc.release.id, &slug)
            .await
            .map_err(errors::internal)?
            .map(Role))
    }

    /// Every route, in the order the content defines them.
    async fn routes(&self, ctx: &Context<'_>) -> Result<Vec<Route>> {
        let rc = request(ctx)?;
        Ok(content::routes(&rc.db, rc.release.id)
            .await
            .map_err(errors::internal)?
            .into_iter()
            .map(Route)
            .collect())
    }
}
