//! A profession and its pathway: levels, steps, and the qualification levels they sit at.

use super::*;
use crate::graphql::context::{reading, request, Read};
use crate::snapshot::{ProfessionIx, RoleIx, RouteIx, StepIx};
use async_graphql::{Context, Json, Object, Result, SimpleObject};

/// An allied health profession, and its example pathway when it has one.
pub struct Profession(pub ProfessionIx);

/// An allied health profession, and its example pathway when it has one.
#[Object]
impl Profession {
    /// Identifier in URLs, such as `physiotherapist`.
    async fn slug<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Profession(self.0 .0))?
            .profession(self.0)
            .slug)
    }

    /// The name as the page displays it.
    async fn name<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Profession(self.0 .0))?
            .profession(self.0)
            .name)
    }

    /// Whether the profession has an example pathway yet.
    async fn has_pathway(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(reading(ctx, Read::Profession(self.0 .0))?
            .profession(self.0)
            .has_pathway())
    }

    /// The profession's codes in occupation classifications (SOC 2020,
    /// ISCO-08, ESCO), where a public source establishes them.
    async fn codes(&self, ctx: &Context<'_>) -> Result<Vec<OccupationCode>> {
        Ok(reading(ctx, Read::Profession(self.0 .0))?
            .profession(self.0)
            .codes
            .iter()
            .map(|c| OccupationCode {
                scheme: c.scheme.key().to_owned(),
                code: c.code.clone(),
                uri: c.uri(),
            })
            .collect())
    }

    /// The profession in schema.org terms: the JSON-LD document its page
    /// embeds and `/professions/<slug>.jsonld` serves.
    async fn json_ld(&self, ctx: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let rc = request(ctx)?;
        let profession = rc.snapshot.profession(self.0);
        // The document describes the profession, each step's role and route,
        // and the levels: its cache keys are theirs.
        for read in [Read::Profession(self.0 .0), Read::Routes, Read::Levels]
            .into_iter()
            .chain(profession.steps.iter().map(|step| Read::Role(step.role)))
        {
            rc.reads.add(read);
        }
        Ok(Json(
            rc.snapshot
                .profession_json_ld(self.0, &rc.base)
                .value
                .clone(),
        ))
    }

    /// The pathway's steps in order, from the lowest level up.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::STEPS_PER_PATHWAY, child_complexity)"
    )]
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<PathwayStep>> {
        let steps = reading(ctx, Read::Profession(self.0 .0))?
            .profession(self.0)
            .steps
            .len();
        Ok((0..steps)
            .map(|step| {
                PathwayStep(StepIx {
                    profession: self.0 .0,
                    step,
                })
            })
            .collect())
    }

    /// The pathway level by level; `number` picks one level (Entry Level is 0).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::LEVELS, child_complexity)"
    )]
    async fn levels(&self, ctx: &Context<'_>, number: Option<i32>) -> Result<Vec<PathwayLevel>> {
        let levels = reading(ctx, Read::Profession(self.0 .0))?.pathway_levels(self.0);
        Ok(levels
            .iter()
            .enumerate()
            .filter(|(_, l)| number.is_none_or(|n| n == i32::from(l.level.rank())))
            .map(|(index, _)| PathwayLevel {
                profession: self.0,
                index,
            })
            .collect())
    }
}

/// A profession's code in an occupation classification.
#[derive(SimpleObject)]
pub struct OccupationCode {
    /// The classification: `soc2020` (UK SOC 2020 unit group), `isco08`
    /// (ISCO-08 unit group) or `esco` (an ESCO occupation).
    scheme: String,
    /// The code: 4 digits for `soc2020` and `isco08`, the occupation URI for `esco`.
    code: String,
    /// The code as a URI where the scheme gives one (ESCO's occupations, and
    /// ISCO-08 groups as ESCO publishes them); null for SOC 2020.
    uri: Option<String>,
}

/// The steps of a pathway at one level, and the routes into them.
pub struct PathwayLevel {
    profession: ProfessionIx,
    index: usize,
}

impl PathwayLevel {
    fn of<'a>(&self, ctx: &Context<'a>) -> Result<&'a crate::snapshot::PathwayLevel> {
        Ok(
            &reading(ctx, Read::Profession(self.profession.0))?.pathway_levels(self.profession)
                [self.index],
        )
    }
}

/// The steps of a pathway at one level, and the routes into them.
#[Object]
impl PathwayLevel {
    /// The level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(self.of(ctx)?.level))
    }

    /// The steps at this level, in pathway order.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::STEPS_PER_LEVEL, child_complexity)"
    )]
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<PathwayStep>> {
        Ok(self
            .of(ctx)?
            .steps
            .iter()
            .map(|&step| {
                PathwayStep(StepIx {
                    profession: self.profession.0,
                    step,
                })
            })
            .collect())
    }

    /// The entry routes of the steps at this level.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::ROUTES_PER_LEVEL, child_complexity)"
    )]
    async fn routes(&self, ctx: &Context<'_>) -> Result<Vec<Route>> {
        Ok(self.of(ctx)?.routes.iter().map(|&r| Route(r)).collect())
    }
}

/// A step of a profession's pathway: a role, displayed under a title, at a level.
pub struct PathwayStep(pub StepIx);

/// A step of a profession's pathway: a role, displayed under a title, at a level.
#[Object]
impl PathwayStep {
    /// Place in the pathway, from 1.
    async fn position(&self) -> i32 {
        i32::try_from(self.0.step + 1).unwrap_or(i32::MAX)
    }

    /// The title the step is displayed with (it may differ from the role's).
    async fn title<'a>(&self, ctx: &Context<'a>) -> Result<&'a str> {
        Ok(&reading(ctx, Read::Profession(self.0.profession))?
            .step(self.0)
            .title)
    }

    /// The step's level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Level> {
        Ok(Level(
            reading(ctx, Read::Profession(self.0.profession))?
                .step(self.0)
                .level,
        ))
    }

    /// The role whose text the step shows.
    async fn role(&self, ctx: &Context<'_>) -> Result<Role> {
        Ok(Role(RoleIx(
            reading(ctx, Read::Profession(self.0.profession))?
                .step(self.0)
                .role,
        )))
    }

    /// Text this profession adds before the role's own, as Markdown.
    async fn intro<'a>(&self, ctx: &Context<'a>) -> Result<Option<&'a str>> {
        Ok(reading(ctx, Read::Profession(self.0.profession))?.intro_markdown(self.0))
    }

    /// The route from the step before into this one.
    async fn entry_route(&self, ctx: &Context<'_>) -> Result<Option<Route>> {
        Ok(reading(ctx, Read::Profession(self.0.profession))?
            .step(self.0)
            .entry_route
            .map(|r| Route(RouteIx(r))))
    }

    /// The profession whose pathway this is.
    async fn profession(&self) -> Profession {
        Profession(ProfessionIx(self.0.profession))
    }
}

/// A qualification level (RQF): a scheme and a rank, with the label as displayed.
pub struct Level(pub pathways_model::Level);

/// A qualification level (RQF): a scheme and a rank, with the label as displayed.
#[Object]
impl Level {
    /// The rank: Entry Level is 0, Level N is N.
    async fn number(&self) -> i32 {
        self.0.rank().into()
    }

    /// As displayed: `Entry Level`, `Level 5`.
    async fn label(&self) -> String {
        self.0.label()
    }

    /// The qualification scheme: `RQF`.
    async fn scheme(&self) -> &'static str {
        self.0.scheme()
    }
}
