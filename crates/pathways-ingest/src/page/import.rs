//! From a read export to structured content files: role text shared between
//! steps is found and stored once, and each step points to its role.

use super::reader::{Export, ExportStep};
use super::vocabulary::Vocabulary;
use crate::model::{
    CodesFile, PageFile, PathwayDef, ProfessionFile, RoleDef, RolesFile, RoutesFile, StepDef,
};
use crate::plan::normalize_blocks;
use crate::schema::FileKind;
use crate::text::{slugify, title_key};
use crate::yaml_writer::content_file;
use pathways_model::Block;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The content files an export turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub page: PageFile,
    pub routes: RoutesFile,
    pub roles: RolesFile,
    pub professions: Vec<ProfessionFile>,
    /// The vocabulary's occupation codes, carried over unchanged (`codes.yaml`).
    pub codes: Option<CodesFile>,
}

/// One step's role text before deduplication.
struct Occurrence<'a> {
    pathway: usize,
    index: usize,
    step: &'a ExportStep,
}

/// A role found while deduplicating, with the steps that show it.
struct Draft {
    title_key: String,
    blocks: Vec<Block>,
    /// (pathway, step index in pathway, how many leading blocks are the step's own intro).
    uses: Vec<(usize, usize, usize)>,
    titles: Vec<String>,
}

pub fn import(export: &Export, vocabulary: &Vocabulary) -> Imported {
    let drafts = deduplicate(export);
    let slugs = role_slugs(&drafts, export, vocabulary);

    // Which role each step shows, and with what intro.
    let mut step_roles: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    for (d, draft) in drafts.iter().enumerate() {
        for &(pathway, step, intro) in &draft.uses {
            step_roles.insert((pathway, step), (d, intro));
        }
    }
    let role_def = |d: usize| {
        let draft = &drafts[d];
        let (pathway, step, _) = draft.uses[0];
        RoleDef {
            slug: slugs[d].clone(),
            title: most_common(&draft.titles),
            level: export.pathways[pathway].steps[step].level.label(),
            content: draft.blocks.clone(),
        }
    };
    let professions_of = |d: usize| {
        drafts[d]
            .uses
            .iter()
            .map(|u| export.pathways[u.0].profession)
            .collect::<HashSet<_>>()
    };
    let shared: Vec<bool> = (0..drafts.len())
        .map(|d| professions_of(d).len() >= 2)
        .collect();

    let mut professions: Vec<ProfessionFile> = vocabulary
        .professions
        .iter()
        .map(|(slug, name)| ProfessionFile {
            slug: slug.clone(),
            name: name.clone(),
            roles: Vec::new(),
            pathway: None,
        })
        .collect();
    for (p, pathway) in export.pathways.iter().enumerate() {
        let profession = &mut professions[pathway.profession];
        profession.name = pathway.name.clone();
        let steps = pathway
            .steps
            .iter()
            .enumerate()
            .map(|(s, step)| {
                let (d, intro) = step_roles[&(p, s)];
                StepDef {
                    title: step.title.clone(),
                    level: step.level.label(),
                    role: slugs[d].clone(),
                    entry_route: step.entry_route.clone(),
                    intro: normalize_blocks(&step.blocks[..intro]),
                }
            })
            .collect();
        profession.pathway = Some(PathwayDef { steps });
    }
    // Roles only one profession uses live in that profession's file, in first-use order.
    for (d, draft) in drafts.iter().enumerate() {
        if !shared[d] {
            let owner = export.pathways[draft.uses[0].0].profession;
            professions[owner].roles.push(role_def(d));
        }
    }
    let roles = RolesFile {
        roles: (0..drafts.len())
            .filter(|&d| shared[d])
            .map(role_def)
            .collect(),
    };
    let page = PageFile {
        title: export
            .title
            .clone()
            .or_else(|| vocabulary.title.clone())
            .unwrap_or_default(),
        intro: export.intro.clone(),
        footer: export.footer.clone(),
        pathways: export
            .pathways
            .iter()
            .map(|p| vocabulary.professions[p.profession].0.clone())
            .collect(),
    };
    Imported {
        page,
        routes: {
            let mut routes = vocabulary.routes.clone();
            routes.routes.extend(export.routes.iter().cloned());
            routes
        },
        roles,
        professions,
        codes: vocabulary.codes.clone(),
    }
}

/// Groups steps by title (ignoring case and spacing) and level. Within a group,
/// equal texts are one role, and a text that ends with another role's whole text
/// is that role with a profession-specific intro before it.
fn deduplicate(export: &Export) -> Vec<Draft> {
    let occurrences: Vec<Occurrence<'_>> = export
        .pathways
        .iter()
        .enumerate()
        .flat_map(|(p, pathway)| {
            pathway
                .steps
                .iter()
                .enumerate()
                .map(move |(index, step)| Occurrence {
                    pathway: p,
                    index,
                    step,
                })
        })
        .collect();
    // Groups in order of first appearance.
    let mut groups: Vec<((String, u8), Vec<&Occurrence<'_>>)> = Vec::new();
    for occurrence in &occurrences {
        let key = (
            title_key(&occurrence.step.title),
            occurrence.step.level.rank(),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(occurrence),
            None => groups.push((key, vec![occurrence])),
        }
    }
    let mut drafts: Vec<Draft> = Vec::new();
    for ((key, _), members) in groups {
        let first_draft = drafts.len();
        // Shortest texts first, so a longer text can be recognised as intro + role.
        let mut ordered: Vec<(usize, &Occurrence<'_>)> =
            members.iter().copied().enumerate().collect();
        ordered.sort_by_key(|(order, o)| (o.step.blocks.len(), *order));
        for (_, occurrence) in ordered {
            let blocks = normalize_blocks(&occurrence.step.blocks);
            let found = drafts[first_draft..]
                .iter()
                .enumerate()
                .filter(|(_, d)| !d.blocks.is_empty() && blocks.ends_with(&d.blocks))
                .max_by_key(|(_, d)| d.blocks.len())
                .map(|(i, d)| (first_draft + i, blocks.len() - d.blocks.len()));
            let (draft, intro) = found.unwrap_or_else(|| {
                drafts.push(Draft {
                    title_key: key.clone(),
                    blocks,
                    uses: Vec::new(),
                    titles: Vec::new(),
                });
                (drafts.len() - 1, 0)
            });
            drafts[draft]
                .uses
                .push((occurrence.pathway, occurrence.index, intro));
            drafts[draft].titles.push(occurrence.step.title.clone());
        }
        // Keep each draft's uses in page order.
        for draft in &mut drafts[first_draft..] {
            let mut order: Vec<usize> = (0..draft.uses.len()).collect();
            order.sort_by_key(|&i| (draft.uses[i].0, draft.uses[i].1));
            draft.uses = order.iter().map(|&i| draft.uses[i]).collect();
            draft.titles = order.iter().map(|&i| draft.titles[i].clone()).collect();
        }
    }
    // Roles in order of first use on the page.
    drafts.sort_by_key(|d| (d.uses[0].0, d.uses[0].1));
    drafts
}

/// Slugs from titles; a clash takes the profession's slug, then a number.
fn role_slugs(drafts: &[Draft], export: &Export, vocabulary: &Vocabulary) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    drafts
        .iter()
        .map(|draft| {
            let base = slugify(&most_common(&draft.titles));
            let base = if base.is_empty() {
                slugify(&draft.title_key)
            } else {
                base
            };
            let owner = &vocabulary.professions[export.pathways[draft.uses[0].0].profession].0;
            let candidates = [base.clone(), format!("{owner}-{base}")];
            let slug = candidates
                .into_iter()
                .chain((2..).map(|n| format!("{base}-{n}")))
                .find(|s| !taken.contains(s))
                .unwrap_or(base);
            taken.insert(slug.clone());
            slug
        })
        .collect()
}

/// The most frequent title; the first seen wins a tie.
fn most_common(titles: &[String]) -> String {
    let mut best: Option<(&String, usize)> = None;
    for title in titles {
        let n = titles.iter().filter(|t| *t == title).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((title, n));
        }
    }
    best.map(|(t, _)| t.clone()).unwrap_or_default()
}

impl Imported {
    /// Writes the content files under `dir`: `page.yaml`, `routes.yaml`,
    /// `roles.yaml`, `codes.yaml` when there are codes, and
    /// `professions/<slug>.yaml`, each naming its schema.
    pub fn write(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir.join("professions"))?;
        let schema = |depth: &str, kind: FileKind| format!("{depth}schema/{}", kind.schema_file());
        let mut files = vec![
            (
                dir.join("page.yaml"),
                content_file(&schema("../", FileKind::Page), &self.page),
            ),
            (
                dir.join("routes.yaml"),
                content_file(&schema("../", FileKind::Routes), &self.routes),
            ),
            (
                dir.join("roles.yaml"),
                content_file(&schema("../", FileKind::Roles), &self.roles),
            ),
        ];
        if let Some(codes) = &self.codes {
            files.push((
                dir.join("codes.yaml"),
                content_file(&schema("../", FileKind::Codes), codes),
            ));
        }
        for profession in &self.professions {
            let path = dir
                .join("professions")
                .join(format!("{}.yaml", profession.slug));
            files.push((
                path,
                content_file(&schema("../../", FileKind::Profession), profession),
            ));
        }
        for (path, text) in &files {
            std::fs::write(path, text)?;
        }
        Ok(files.into_iter().map(|(path, _)| path).collect())
    }
}
