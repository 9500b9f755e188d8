//! Roles, and the routes between steps with their stages.

use super::*;
use crate::graphql::context::{reading, Read};
use crate::snapshot::{RoleIx, RouteIx};
use async_graphql::{Context, Object, Result, SimpleObject};
use pathways_model::{Block, ListKind};

/// A role: text stored once however many pathways show it.
pub struct Role(pub RoleIx);

/// A role: text stored once however many pathways show it.
#[Object]
impl Role {
    /// Identifier in URLs.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Role(self.0 .0))?.role(self.0).slug)
    }

    /// The role's title (steps may display a variant).
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Role(self.0 .0))?.role(self.0).title)
    }

    /// The role's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(
            reading(ctx, Read::Role(self.0 .0))?.role(self.0).level,
        ))
    }

    /// The whole text as Markdown, lists as lists.
    async fn description<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(reading(ctx, Read::Role(self.0 .0))?.role_markdown(self.0))
    }

    /// The text's paragraphs, in order, without its lists.
    async fn paragraphs<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(reading(ctx, Read::Role(self.0 .0))?
            .role(self.0)
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                Block::List(_) => None,
            })
            .collect())
    }

    /// Job titles the role goes by, when the text lists them.
    async fn job_titles<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(reading(ctx, Read::Role(self.0 .0))?
            .list_items(self.0, ListKind::JobTitles)
            .collect())
    }

    /// People the role works with, when the text lists them.
    async fn working_with<'a>(&self, ctx: &Context<'a>) -> Result<Vec<&'a str>> {
        Ok(reading(ctx, Read::Role(self.0 .0))?
            .list_items(self.0, ListKind::WorkingWith)
            .collect())
    }

    /// Whether two or more professions' pathways share this role.
    async fn shared(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(reading(ctx, Read::Role(self.0 .0))?.role(self.0).shared)
    }

    /// The professions whose pathways show this role, in slug order.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::PROFESSIONS_PER_ROLE, child_complexity)"
    )]
    async fn used_by(&self, ctx: &Context<'_>) -> Result<Vec<Profession>> {
        Ok(reading(ctx, Read::Role(self.0 .0))?
            .role_users(self.0)
            .iter()
            .map(|&p| Profession(p))
            .collect())
    }
}

/// A route between two steps: a named sequence of stages of education or training.
pub struct Route(pub RouteIx);

/// A route between two steps: a named sequence of stages of education or training.
#[Object]
impl Route {
    /// Identifier, such as `traditional-optional-postgraduate`.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Routes)?.route(self.0).slug)
    }

    /// The name as displayed: `Direct`, `Traditional`.
    async fn name<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Routes)?.route(self.0).name)
    }

    /// The stages in order.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::STAGES, child_complexity)"
    )]
    async fn stages<'a>(&self, ctx: &Context<'a>) -> Result<Vec<RouteStage<'a>>> {
        let snapshot = reading(ctx, Read::Routes)?;
        Ok(snapshot
            .route(self.0)
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| RouteStage {
                position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                name: snapshot.stage_name(s.stage),
                optional: s.optional,
            })
            .collect())
    }
}

/// One stage of a route.
#[derive(SimpleObject)]
pub struct RouteStage<'a> {
    /// Place in the route, from 1.
    position: i32,
    /// The stage: `Apprenticeship`, `University Postgraduate`.
    name: &'a str,
    /// Whether the page marks the stage optional.
    optional: bool,
}
