//! `levels`, `roles`, `role(slug)` and `routes`.

use super::context::{reading, Read};
use super::types::{Level, Role, Route};
use crate::snapshot::{RoleIx, RouteIx};
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ContentQuery;

/// Levels, roles and routes.
#[Object]
impl ContentQuery {
    /// The levels the content uses, lowest first.
    #[graphql(complexity = "super::cost::list(super::cost::LEVELS, child_complexity)")]
    async fn levels(&self, ctx: &Context<'_>) -> Result<Vec<Level>> {
        Ok(reading(ctx, Read::Levels)?
            .levels()
            .iter()
            .map(|&l| Level(l))
            .collect())
    }

    /// Every role in page order; `shared` keeps only shared (or only unshared) roles.
    #[graphql(complexity = "super::cost::list(super::cost::ROLES, child_complexity)")]
    async fn roles(&self, ctx: &Context<'_>, shared: Option<bool>) -> Result<Vec<Role>> {
        let snapshot = reading(ctx, Read::Roles)?;
        Ok((0..snapshot.content.roles.len())
            .map(RoleIx)
            .filter(|&r| shared.is_none_or(|shared| snapshot.role(r).shared == shared))
            .map(Role)
            .collect())
    }

    /// One role, by slug; null when there is none.
    async fn role(&self, ctx: &Context<'_>, slug: String) -> Result<Option<Role>> {
        // A slug that names no role answers null until one is added.
        let rc = super::context::request(ctx)?;
        let found = rc.snapshot.role_by_slug(&slug);
        rc.reads.add(found.map_or(Read::Roles, |r| Read::Role(r.0)));
        Ok(found.map(Role))
    }

    /// Every route, in the order the content defines them.
    #[graphql(complexity = "super::cost::list(super::cost::ROUTES, child_complexity)")]
    async fn routes(&self, ctx: &Context<'_>) -> Result<Vec<Route>> {
        let snapshot = reading(ctx, Read::Routes)?;
        Ok((0..snapshot.content.routes.len())
            .map(|r| Route(RouteIx(r)))
            .collect())
    }
}
