//! No glue left over from the page export: a level label run into text
//! (`Level 2Direct...`), a route line (`routeAPPRENTICESHIP...`), or a title
//! run into the text after it (`Healthcare support workerArts...`).

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};

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

/// Why `text` looks like unsplit export text, if it does.
pub fn artefact(text: &str, is_title: bool) -> Option<String> {
    let text = text.trim();
    let glued_label = ["Entry Level", "Level "].iter().find_map(|label| {
        let rest = text.strip_prefix(label)?;
        let rest = if *label == "Level " {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
        } else {
            rest
        };
        let digits_taken = *label == "Entry Level" || rest.len() < text.len() - label.len();
        rest.chars()
            .next()
            .filter(|c| digits_taken && c.is_alphabetic())?;
        Some(format!(
            "text starts with a level label glued to a word: `{}`",
            preview(text)
        ))
    });
    if glued_label.is_some() {
        return glued_label;
    }
    if let Some(rest) = text.strip_prefix("route") {
        if rest.chars().next().is_some_and(char::is_uppercase) {
            return Some(format!(
                "text is a route line from a page export: `{}`",
                preview(text)
            ));
        }
    }
    if is_title {
        if let Some(at) = glued_title_end(text) {
            return Some(format!(
                "title runs into other text at `{}`: a lower-case letter meets a capital",
                preview(&text[at..])
            ));
        }
    }
    None
}

/// A lower-case letter or `)` directly followed by a capital inside a word.
/// Short capitalised runs such as `BSc`, `MSc` do not count: they start upper-case.
fn glued_title_end(text: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars.windows(2).find_map(|w| {
        let ((_, a), (i, b)) = (w[0], w[1]);
        ((a.is_lowercase() || a == ')') && b.is_uppercase()).then_some(i)
    })
}

fn preview(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("Level 2DirectHealthcare support workers", false ; "level glued")]
    #[test_case("Entry LevelHealthcare support worker", false ; "entry glued")]
    #[test_case("routeAPPRENTICESHIPDEGREE APPRENTICESHIP", false ; "route line")]
    #[test_case("Healthcare support workerArts and crafts", true ; "glued title")]
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
