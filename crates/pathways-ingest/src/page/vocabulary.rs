//! What the reader must know to read an export, taken from content: the
//! professions, the stage and route definitions, and the page's footer.

use crate::content::ContentSet;
use crate::model::{CodesFile, RoutesFile};

#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// (slug, name) of every known profession.
    pub professions: Vec<(String, String)>,
    pub routes: RoutesFile,
    pub footer: Option<String>,
    pub title: Option<String>,
    /// The content's occupation codes, which no export holds: `import-page`
    /// carries them over so its output is complete content on its own.
    pub codes: Option<CodesFile>,
}

impl Vocabulary {
    /// The vocabulary of a content set (typically the project's `seeds/`).
    pub fn from_content(content: &ContentSet) -> Vocabulary {
        let mut professions: Vec<_> = content
            .professions
            .iter()
            .map(|p| (p.value.slug.clone(), p.value.name.clone()))
            .collect();
        professions.sort();
        let mut routes = RoutesFile::default();
        for file in &content.routes {
            routes.stages.extend(file.value.stages.iter().cloned());
            routes.routes.extend(file.value.routes.iter().cloned());
        }
        let codes = (!content.codes.is_empty()).then(|| CodesFile {
            codes: content
                .codes
                .iter()
                .flat_map(|f| f.value.codes.iter().cloned())
                .collect(),
        });
        Vocabulary {
            professions,
            routes,
            codes,
            footer: content.page().and_then(|p| p.footer.clone()),
            title: content.page().map(|p| p.title.clone()),
        }
    }

    /// The profession whose name starts `line` (ignoring case), followed by a
    /// space: the longest such name wins. Returns its index and name length in bytes.
    pub fn profession_prefix(&self, line: &str) -> Option<(usize, usize)> {
        self.professions
            .iter()
            .enumerate()
            .filter_map(|(i, (_, name))| {
                let head = line.get(..name.len())?;
                let next = line[name.len()..].chars().next()?;
                (head.eq_ignore_ascii_case(name) && next == ' ').then_some((i, name.len()))
            })
            .max_by_key(|&(_, len)| len)
    }
}
