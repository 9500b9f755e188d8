//! The structured content files, as stewards write them in `seeds/`.
//! Field names here are the YAML keys; `schema/*.schema.json` describes the same shapes.

use pathways_model::Block;
use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

/// `page.yaml`: what the page says around the pathways, and their order on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFile {
    pub title: String,
    #[serde(default)]
    pub intro: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// Profession slugs, in the order their pathways appear on the page.
    #[serde(default)]
    pub pathways: Vec<String>,
}

/// `routes.yaml`: the stage vocabulary and the routes built from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RoutesFile {
    pub stages: Vec<StageDef>,
    pub routes: Vec<RouteDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDef {
    pub slug: String,
    pub name: String,
    /// The spelling the page export uses, when it differs from `name` (`APPRENTICESHIP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl StageDef {
    /// How the page export spells this stage.
    pub fn export_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteDef {
    pub slug: String,
    pub name: String,
    pub stages: Vec<RouteStageRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteStageRef {
    pub stage: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

/// `roles.yaml`: roles whose text several professions share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesFile {
    pub roles: Vec<RoleDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub slug: String,
    pub title: String,
    /// As displayed: `Entry Level`, `Level 2`.
    pub level: String,
    pub content: Vec<Block>,
}

/// `professions/<slug>.yaml`: one profession, its own roles and its pathway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfessionFile {
    pub slug: String,
    pub name: String,
    /// Roles only this profession's pathway uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pathway: Option<PathwayDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayDef {
    pub steps: Vec<StepDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// The title the step is displayed with.
    pub title: String,
    pub level: String,
    /// Slug of the role whose text the step shows.
    pub role: String,
    /// Slug of the route that leads into this step from the one before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_route: Option<String>,
    /// Text this profession adds before the role's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intro: Vec<Block>,
}

/// `codes.yaml`: occupation codes of professions, kept beside the content the
/// page export gives (`import-page` carries it over; `export-page` has no place for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CodesFile {
    pub codes: Vec<ProfessionCodes>,
}

/// The codes of one profession, at most one per scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfessionCodes {
    /// The profession's slug.
    pub profession: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soc2020: Option<CodeDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isco08: Option<CodeDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esco: Option<CodeDef>,
}

impl ProfessionCodes {
    /// Each code given, with its scheme, in scheme order.
    pub fn by_scheme(&self) -> Vec<(pathways_model::CodeScheme, &CodeDef)> {
        use pathways_model::CodeScheme;
        [
            (CodeScheme::Soc2020, &self.soc2020),
            (CodeScheme::Isco08, &self.isco08),
            (CodeScheme::Esco, &self.esco),
        ]
        .into_iter()
        .filter_map(|(scheme, def)| Some((scheme, def.as_ref()?)))
        .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeDef {
    pub code: String,
    /// The group's or occupation's title in the scheme.
    pub name: String,
    /// The public page that establishes the code.
    pub source: String,
}
