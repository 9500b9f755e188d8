//! A set of content files after stages 1 and 2: typed values, and for each the
//! file and JSON Pointer it came from so any later problem can say where.

use crate::diagnostic::Location;
use crate::model::{
    CodesFile, PageFile, ProfessionFile, RoleDef, RolesFile, RouteDef, RoutesFile, StageDef,
    StepDef,
};
use crate::schema::FileKind;
use crate::source::SourceFile;
use crate::yaml::Positions;
use pathways_model::Block;
use std::collections::HashSet;

/// One file as read: its text and where each of its values starts.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub source: SourceFile,
    pub positions: Positions,
    /// Pointers of values that failed the schema (empty for a valid file):
    /// the file takes part in the rules, but not at these.
    pub damaged: Vec<String>,
}

impl ParsedFile {
    /// The location of `pointer` in this file.
    pub fn locate(&self, pointer: &str) -> Location {
        let (line, column) = self.positions.find(pointer);
        let mut location = self.source.location_at(line, column);
        location.pointer = Some(pointer.to_owned());
        location
    }
}

/// What content defines and references name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Defined {
    Role,
    Route,
    Stage,
    /// A profession with a pathway, as the page lists them.
    Pathway,
}

impl Defined {
    pub fn noun(self) -> &'static str {
        match self {
            Defined::Role => "role",
            Defined::Route => "route",
            Defined::Stage => "stage",
            Defined::Pathway => "pathway of profession",
        }
    }
}

/// Definitions that could not be read: a reference of a kind they define
/// that names nothing cannot be judged, since it may name one of them.
#[derive(Debug, Clone)]
pub struct Unknown {
    pub defines: Vec<Defined>,
    /// The file (and value) that could not be read.
    pub location: Location,
    /// Why, as the end of a sentence: `roles.yaml could not be read`.
    pub why: String,
    /// What to do about it.
    pub help: String,
}

/// A typed value from file `file`.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub file: usize,
    pub value: T,
}

#[derive(Debug, Clone, Default)]
pub struct ContentSet {
    pub files: Vec<ParsedFile>,
    pub pages: Vec<Located<PageFile>>,
    pub routes: Vec<Located<RoutesFile>>,
    pub roles: Vec<Located<RolesFile>>,
    pub professions: Vec<Located<ProfessionFile>>,
    pub codes: Vec<Located<CodesFile>>,
    /// Definitions that could not be read.
    pub unknown: Vec<Unknown>,
    /// Kinds of file found, whether or not they could be read.
    pub kinds: HashSet<FileKind>,
    /// The name of every file read, whether or not it could be parsed.
    pub read: Vec<String>,
}

/// A role definition and where it stands: in `roles.yaml` or in a profession file.
pub struct RoleAt<'a> {
    pub file: usize,
    pub pointer: String,
    pub role: &'a RoleDef,
}

pub struct StepAt<'a> {
    pub file: usize,
    pub pointer: String,
    pub profession: &'a ProfessionFile,
    pub index: usize,
    pub step: &'a StepDef,
}

pub struct StageAt<'a> {
    pub file: usize,
    pub pointer: String,
    pub stage: &'a StageDef,
}

pub struct RouteAt<'a> {
    pub file: usize,
    pub pointer: String,
    pub route: &'a RouteDef,
}

/// A piece of text and where it stands, for the rules that read all text.
pub struct TextAt {
    pub file: usize,
    pub pointer: String,
    pub text: String,
    /// Titles are held to stricter rules than running text.
    pub is_title: bool,
}

impl ContentSet {
    /// The location of `pointer` in file `file`.
    pub fn locate(&self, file: usize, pointer: &str) -> Location {
        self.files[file].locate(pointer)
    }

    /// Adds a file of `kind` holding `value`, when `value` reads as that kind.
    pub fn add(
        &mut self,
        kind: FileKind,
        file: ParsedFile,
        value: serde_json::Value,
    ) -> Result<(), serde_json::Error> {
        let index = self.files.len();
        match kind {
            FileKind::Page => self.pages.push(located(index, value)?),
            FileKind::Routes => self.routes.push(located(index, value)?),
            FileKind::Roles => self.roles.push(located(index, value)?),
            FileKind::Profession => self.professions.push(located(index, value)?),
            FileKind::Codes => self.codes.push(located(index, value)?),
        }
        self.files.push(file);
        Ok(())
    }

    /// Whether `location` is at or below a value of its file that failed the
    /// schema: a rule problem there repeats a schema problem.
    pub fn is_damaged(&self, location: &Location) -> bool {
        let Some(pointer) = &location.pointer else {
            return false;
        };
        self.files
            .iter()
            .filter(|f| f.source.name == location.file)
            .flat_map(|f| &f.damaged)
            .any(|d| {
                pointer == d
                    || pointer
                        .strip_prefix(d.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }

    /// What could not be read of the definitions of `what`.
    pub fn unknown(&self, what: Defined) -> impl Iterator<Item = &Unknown> {
        self.unknown
            .iter()
            .filter(move |u| u.defines.contains(&what))
    }

    pub fn page(&self) -> Option<&PageFile> {
        self.pages.first().map(|p| &p.value)
    }

    pub fn all_roles(&self) -> Vec<RoleAt<'_>> {
        let shared = self.roles.iter().flat_map(|f| {
            f.value
                .roles
                .iter()
                .enumerate()
                .map(move |(i, role)| RoleAt {
                    file: f.file,
                    pointer: format!("/roles/{i}"),
                    role,
                })
        });
        let own = self.professions.iter().flat_map(|f| {
            f.value
                .roles
                .iter()
                .enumerate()
                .map(move |(i, role)| RoleAt {
                    file: f.file,
                    pointer: format!("/roles/{i}"),
                    role,
                })
        });
        shared.chain(own).collect()
    }

    pub fn all_steps(&self) -> Vec<StepAt<'_>> {
        self.professions
            .iter()
            .flat_map(|f| {
                let steps = f.value.pathway.as_ref().map_or(&[][..], |p| &p.steps[..]);
                steps.iter().enumerate().map(move |(index, step)| StepAt {
                    file: f.file,
                    pointer: format!("/pathway/steps/{index}"),
                    profession: &f.value,
                    index,
                    step,
                })
            })
            .collect()
    }

    pub fn all_stages(&self) -> Vec<StageAt<'_>> {
        self.routes
            .iter()
            .flat_map(|f| {
                f.value
                    .stages
                    .iter()
                    .enumerate()
                    .map(move |(i, stage)| StageAt {
                        file: f.file,
                        pointer: format!("/stages/{i}"),
                        stage,
                    })
            })
            .collect()
    }

    pub fn all_routes(&self) -> Vec<RouteAt<'_>> {
        self.routes
            .iter()
            .flat_map(|f| {
                f.value
                    .routes
                    .iter()
                    .enumerate()
                    .map(move |(i, route)| RouteAt {
                        file: f.file,
                        pointer: format!("/routes/{i}"),
                        route,
                    })
            })
            .collect()
    }

    /// Every title, paragraph and list item, with where it stands.
    pub fn all_text(&self) -> Vec<TextAt> {
        let mut out = Vec::new();
        let mut push = |file, pointer: String, text: &str, is_title| {
            out.push(TextAt {
                file,
                pointer,
                text: text.to_owned(),
                is_title,
            });
        };
        for page in &self.pages {
            push(page.file, "/title".into(), &page.value.title, true);
            for (i, p) in page.value.intro.iter().enumerate() {
                push(page.file, format!("/intro/{i}"), p, false);
            }
            if let Some(footer) = &page.value.footer {
                push(page.file, "/footer".into(), footer, false);
            }
        }
        for r in self.all_roles() {
            push(r.file, format!("{}/title", r.pointer), &r.role.title, true);
            blocks_text(
                &r.role.content,
                r.file,
                &format!("{}/content", r.pointer),
                &mut push,
            );
        }
        for s in self.all_steps() {
            push(s.file, format!("{}/title", s.pointer), &s.step.title, true);
            blocks_text(
                &s.step.intro,
                s.file,
                &format!("{}/intro", s.pointer),
                &mut push,
            );
        }
        for p in &self.professions {
            push(p.file, "/name".into(), &p.value.name, true);
        }
        for s in self.all_stages() {
            push(s.file, format!("{}/name", s.pointer), &s.stage.name, true);
        }
        for r in self.all_routes() {
            push(r.file, format!("{}/name", r.pointer), &r.route.name, true);
        }
        out
    }
}

fn located<T: serde::de::DeserializeOwned>(
    file: usize,
    value: serde_json::Value,
) -> Result<Located<T>, serde_json::Error> {
    Ok(Located {
        file,
        value: serde_json::from_value(value)?,
    })
}

fn blocks_text(
    blocks: &[Block],
    file: usize,
    base: &str,
    push: &mut impl FnMut(usize, String, &str, bool),
) {
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Paragraph(p) => push(file, format!("{base}/{i}/paragraph"), p, false),
            Block::List(list) => {
                for (j, item) in list.items.iter().enumerate() {
                    push(file, format!("{base}/{i}/list/items/{j}"), item, false);
                }
            }
        }
    }
}
