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
    /// Kinds of file of which at least one failed syntax or schema checks: what
    /// they define is missing, so references into them cannot be judged.
    pub failed: HashSet<FileKind>,
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
        let parsed = &self.files[file];
        let (line, column) = parsed.positions.find(pointer);
        let mut location = parsed.source.location_at(line, column);
        location.pointer = Some(pointer.to_owned());
        location
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
