//! Search hits.

use super::*;
use crate::graphql::context::{reading, Read};
use crate::snapshot::{HitTarget, ProfessionIx, RoleIx, StepIx};
use async_graphql::{Context, Enum, Object, Result};

/// What a search hit is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SearchHitKind {
    /// A profession, by name.
    Profession,
    /// A pathway step, by its displayed title or its profession-specific text.
    Step,
    /// A role, by title or text.
    Role,
}

/// A match for a search: what matched and a snippet of the text around it.
pub struct SearchHit(pub crate::snapshot::Hit);

/// A match for a search: what matched and a snippet of the text around it.
#[Object]
impl SearchHit {
    /// What matched.
    async fn kind(&self) -> SearchHitKind {
        match self.0.target {
            HitTarget::Profession(_) => SearchHitKind::Profession,
            HitTarget::Step { .. } => SearchHitKind::Step,
            HitTarget::Role(_) => SearchHitKind::Role,
        }
    }

    /// The matched text with the words found wrapped in `**`.
    async fn snippet(&self) -> &str {
        &self.0.snippet
    }

    /// The matched thing's name or title.
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        let snapshot = reading(ctx, Read::Search)?;
        Ok(match self.0.target {
            HitTarget::Profession(p) => &snapshot.profession(ProfessionIx(p)).name,
            HitTarget::Step { profession, step } => {
                &snapshot.step(StepIx { profession, step }).title
            }
            HitTarget::Role(r) => &snapshot.role(RoleIx(r)).title,
        })
    }

    /// The profession matched, or the profession of the step matched.
    async fn profession(&self) -> Option<Profession> {
        match self.0.target {
            HitTarget::Profession(p) | HitTarget::Step { profession: p, .. } => {
                Some(Profession(ProfessionIx(p)))
            }
            HitTarget::Role(_) => None,
        }
    }

    /// The step matched.
    async fn step(&self) -> Option<PathwayStep> {
        match self.0.target {
            HitTarget::Step { profession, step } => Some(PathwayStep(StepIx { profession, step })),
            _ => None,
        }
    }

    /// The role matched, or the role of the step matched.
    async fn role(&self, ctx: &Context<'_>) -> Result<Option<Role>> {
        Ok(match self.0.target {
            HitTarget::Role(r) => Some(Role(RoleIx(r))),
            HitTarget::Step { profession, step } => Some(Role(RoleIx(
                reading(ctx, Read::Search)?
                    .step(StepIx { profession, step })
                    .role,
            ))),
            HitTarget::Profession(_) => None,
        })
    }
}
