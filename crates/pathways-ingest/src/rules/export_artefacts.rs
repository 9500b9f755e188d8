//! No glue left over from the page export: a level label run into text
//! (`Level 2Direct...`), a route line (`routeAPPRENTICESHIP...`), or a title
//! run into the text after it (`Healthcare support workerArts...`).

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};
use crate::page::glue::{self, LevelGlue};

pub fn check(content: &ContentSet) -> Vec<Problem> {
    content
        .all_text()
        .into_iter()
        .filter_map(|t| {
            let why = artefact(&t.text, t.is_title)?;
            Some(
                Problem::error(Code::ExportArtefact, content.locate(t.file, &t.pointer), why)
                    .with_help("split the glued text into its fields; `pathways import-page` does this for whole exports"),
            )
        })
        .collect()
}

/// Why `text` looks like unsplit export text, if it does: the export's own
/// glue rules (`page::glue`), the ones the page reader splits by.
pub fn artefact(text: &str, is_title: bool) -> Option<String> {
    let text = text.trim();
    if let Some(LevelGlue::Glued { .. } | LevelGlue::OutOfScheme(_)) = glue::level(text) {
        return Some(format!(
            "text starts with a level label glued to a word: `{}`",
            glue::preview(text)
        ));
    }
    if glue::route(text).is_some() {
        return Some(format!(
            "text is a route line from a page export: `{}`",
            glue::preview(text)
        ));
    }
    if is_title {
        if let Some((_, rest)) = glue::split_title(text) {
            return Some(format!(
                "title runs into other text at `{}`: a lower-case letter meets a capital",
                glue::preview(rest)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("Level 2DirectHealthcare support workers", false ; "level glued")]
    #[test_case("Entry LevelHealthcare support worker", false ; "entry glued")]
    #[test_case("routeAPPRENTICESHIPDEGREE APPRENTICESHIP", false ; "route line")]
    #[test_case("Healthcare support workerArts and crafts", true ; "glued title")]
    #[test_case("Level 2-Direct Healthcare support workers", false ; "level glued to punctuation, as the reader reads it")]
    fn flags_export_glue(text: &str, is_title: bool) {
        assert!(artefact(text, is_title).is_some());
    }

    #[test_case("Level 3 apprenticeships take two years", false ; "level in prose")]
    #[test_case("routes into the role vary", false ; "route in prose")]
    #[test_case("Physiotherapy Practitioner BSc", true ; "degree suffix")]
    #[test_case("Music Therapist MSc – Advanced Clinical Practitioner", true ; "dash")]
    #[test_case("Art Therapist / Psychotherapist MSc", true ; "slash")]
    #[test_case("Senior support workers will use skills.Then", false ; "prose is not checked for title glue")]
    fn passes_clean_text(text: &str, is_title: bool) {
        assert_eq!(artefact(text, is_title), None);
    }
}
