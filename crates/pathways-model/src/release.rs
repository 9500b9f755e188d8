//! A release: one whole, immutable set of content. Roles are stored once and
//! steps point at them by index, as routes point at stages: what ingest plans,
//! what the store writes and reads back whole, and what the server serves.
//!
//! Field names are part of the content hash: renaming one changes every hash.

use crate::block::Block;
use crate::codes::{CodeScheme, OccupationCode};
use crate::level::Level;
use get_size2::GetSize;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize, Default)]
pub struct Release {
    pub page: Page,
    pub stages: Vec<Stage>,
    pub routes: Vec<Route>,
    /// In page order: the order of their first definition.
    pub roles: Vec<Role>,
    /// In slug order.
    pub professions: Vec<Profession>,
    /// Role texts folded into one stored role: repeated uses by steps, and
    /// definitions equal to an earlier one once normalised.
    pub duplicates_merged: usize,
}

/// What the page says around the pathways.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize, Default)]
pub struct Page {
    pub title: String,
    pub intro: Vec<String>,
    pub footer: Option<String>,
}

/// A stage of education or training a route passes through.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct Stage {
    pub slug: String,
    pub name: String,
    /// The page export's spelling, when it differs from `name` (`APPRENTICESHIP`).
    pub label: Option<String>,
}

impl Stage {
    /// How the page export spells this stage.
    pub fn export_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// A named sequence of stages between two steps.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct Route {
    pub slug: String,
    pub name: String,
    pub stages: Vec<RouteStage>,
}

#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct RouteStage {
    /// Index into `Release::stages`.
    pub stage: usize,
    pub optional: bool,
}

/// A role: its text stored once however many steps show it.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct Role {
    pub slug: String,
    pub title: String,
    pub level: Level,
    pub blocks: Vec<Block>,
    /// Used by the pathways of two or more professions.
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct Profession {
    pub slug: String,
    pub name: String,
    /// Where the pathway stands on the page, for professions that have one.
    pub pathway_position: Option<u32>,
    pub steps: Vec<Step>,
    /// Occupation codes, at most one per scheme, in scheme order. Left out of
    /// the hash's JSON when empty, so content without codes hashes as before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<OccupationCode>,
}

impl Profession {
    pub fn has_pathway(&self) -> bool {
        self.pathway_position.is_some()
    }

    /// The profession's code in `scheme`, when content gives one.
    pub fn code(&self, scheme: CodeScheme) -> Option<&OccupationCode> {
        self.codes.iter().find(|c| c.scheme == scheme)
    }
}

/// A step of a pathway: a role shown under a title, at a level.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct Step {
    /// The title the step is displayed with (it may differ from its role's).
    pub title: String,
    pub level: Level,
    /// Index into `Release::roles`.
    pub role: usize,
    /// Index into `Release::routes`: the route from the step before.
    pub entry_route: Option<usize>,
    /// Text this profession adds before the role's own.
    pub intro: Vec<Block>,
}

/// The figures an ingest reports and a release row keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GetSize, Serialize, Default)]
pub struct Counts {
    pub professions: usize,
    pub pathways: usize,
    pub steps: usize,
    pub roles: usize,
    pub shared_roles: usize,
    pub routes: usize,
    pub duplicates_merged: usize,
}

impl Release {
    pub fn counts(&self) -> Counts {
        Counts {
            professions: self.professions.len(),
            pathways: self.professions.iter().filter(|p| p.has_pathway()).count(),
            steps: self.professions.iter().map(|p| p.steps.len()).sum(),
            roles: self.roles.len(),
            shared_roles: self.roles.iter().filter(|r| r.shared).count(),
            routes: self.routes.len(),
            duplicates_merged: self.duplicates_merged,
        }
    }

    /// The levels that roles and steps use, lowest first.
    pub fn levels(&self) -> Vec<Level> {
        let set: BTreeSet<Level> = self
            .roles
            .iter()
            .map(|r| r.level)
            .chain(
                self.professions
                    .iter()
                    .flat_map(|p| p.steps.iter().map(|s| s.level)),
            )
            .collect();
        set.into_iter().collect()
    }

    /// SHA-256 of the content, hex: equal content gives an equal hash.
    pub fn content_hash(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Professions with a pathway, in page order.
    pub fn pathways(&self) -> Vec<&Profession> {
        let mut with: Vec<_> = self
            .professions
            .iter()
            .filter(|p| p.has_pathway())
            .collect();
        with.sort_by_key(|p| p.pathway_position);
        with
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two professions sharing one role, one of them with a second step.
    pub(crate) fn small() -> Release {
        let role = |slug: &str, rank: u8, shared: bool| Role {
            slug: slug.into(),
            title: slug.into(),
            level: Level::from_rank(rank).unwrap(),
            blocks: vec![Block::Paragraph(format!("{slug} text"))],
            shared,
        };
        let step = |role: usize, rank: u8| Step {
            title: format!("step {role}"),
            level: Level::from_rank(rank).unwrap(),
            role,
            entry_route: None,
            intro: vec![],
        };
        Release {
            page: Page {
                title: "Page".into(),
                intro: vec![],
                footer: None,
            },
            stages: vec![],
            routes: vec![],
            roles: vec![role("shared", 2, true), role("own", 5, false)],
            professions: vec![
                Profession {
                    slug: "a".into(),
                    name: "A".into(),
                    pathway_position: Some(1),
                    steps: vec![step(0, 2), step(1, 5)],
                    codes: vec![],
                },
                Profession {
                    slug: "b".into(),
                    name: "B".into(),
                    pathway_position: Some(0),
                    steps: vec![step(0, 2)],
                    codes: vec![],
                },
                Profession {
                    slug: "c".into(),
                    name: "C".into(),
                    pathway_position: None,
                    steps: vec![],
                    codes: vec![],
                },
            ],
            duplicates_merged: 1,
        }
    }

    #[test]
    fn counts_what_it_holds() {
        assert_eq!(
            small().counts(),
            Counts {
                professions: 3,
                pathways: 2,
                steps: 3,
                roles: 2,
                shared_roles: 1,
                routes: 0,
                duplicates_merged: 1
            }
        );
    }

    #[test]
    fn pathways_come_in_page_order() {
        let release = small();
        let slugs: Vec<&str> = release.pathways().iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["b", "a"]);
    }

    #[test]
    fn levels_are_distinct_and_lowest_first() {
        let ranks: Vec<u8> = small().levels().iter().map(|l| l.rank()).collect();
        assert_eq!(ranks, [2, 5]);
    }

    #[test]
    fn the_hash_follows_the_content() {
        let a = small();
        let mut b = small();
        assert_eq!(a.content_hash(), b.content_hash());
        assert_eq!(a.content_hash().len(), 64);
        b.roles[1].blocks.push(Block::Paragraph("More.".into()));
        assert_ne!(a.content_hash(), b.content_hash());
    }

    #[test]
    fn codes_are_in_the_hash_and_no_codes_hash_as_before() {
        let a = small();
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("codes"), "empty codes stay out of the hash");
        let mut b = small();
        b.professions[0].codes.push(OccupationCode {
            scheme: CodeScheme::Soc2020,
            code: "2221".into(),
            name: "Physiotherapists".into(),
            source: "https://example.org".into(),
        });
        assert_ne!(a.content_hash(), b.content_hash());
        assert_eq!(
            b.professions[0].code(CodeScheme::Soc2020).unwrap().code,
            "2221"
        );
        assert!(b.professions[0].code(CodeScheme::Esco).is_none());
    }
}
