//! The export's glue: how a flattened page runs fields together. One set of
//! rules, used both to read an export (`reader`, `lines`) and to catch glue
//! left in content files (`rules::export_artefacts`), so the two never disagree.
//!
//! - A level label glued to what follows starts a step (`Level 2Direct...`,
//!   `Entry LevelPhysiotherapy...`); a label followed by a space is prose.
//! - `route` glued to a capital starts a route line (`routeAPPRENTICESHIP...`).
//! - A title runs into the text after it where a lower-case letter (or `)`)
//!   meets a capital (`Healthcare support workerArts...`).

use pathways_model::{Level, LevelError};

/// What a line that starts with a level label is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelGlue<'a> {
    /// The label glued to `rest`: a step's level line.
    Glued {
        level: Level,
        label_chars: usize,
        rest: &'a str,
    },
    /// The label alone.
    Bare,
    /// Glued, but the label is outside the scheme (`Level 9...`).
    OutOfScheme(LevelError),
}

/// The level label `text` starts with, when it is glued or alone; `None` for
/// text that does not start with one, or where a space follows it (prose).
pub fn level(text: &str) -> Option<LevelGlue<'_>> {
    let (label, rest) = if let Some(rest) = text.strip_prefix("Entry Level") {
        ("Entry Level", rest)
    } else {
        let after = text.strip_prefix("Level ")?;
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        (&text[.."Level ".len() + digits], &after[digits..])
    };
    if rest.trim().is_empty() {
        return Some(LevelGlue::Bare);
    }
    if rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(match Level::parse(label) {
        Ok(level) => LevelGlue::Glued {
            level,
            label_chars: label.chars().count(),
            rest,
        },
        Err(e) => LevelGlue::OutOfScheme(e),
    })
}

/// What follows `route` on a route line (`routeAPPRENTICESHIP...`).
pub fn route(text: &str) -> Option<&str> {
    text.strip_prefix("route")
        .filter(|rest| rest.chars().next().is_some_and(char::is_uppercase))
}

/// Splits `TitleText...` where a lower-case letter (or `)`) meets a capital.
pub fn split_title(text: &str) -> Option<(&str, &str)> {
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(p) = previous {
            if (p.is_lowercase() || p == ')') && c.is_uppercase() {
                return Some((&text[..i], &text[i..]));
            }
        }
        previous = Some(c);
    }
    None
}

/// A run of capitals glued to a capitalised word at the start of `text`
/// (`FOUNDATION YEARSenior...`): how the export glues an upper-case stage name
/// to the title after it. Returns the run and the rest.
pub fn split_capitals(text: &str) -> Option<(&str, &str)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let run = chars
        .iter()
        .take_while(|(_, c)| c.is_uppercase() || *c == ' ')
        .count();
    // The run's last capital starts the word after it: `YEAR` + `Senior`.
    if run < 3 || chars.get(run).is_none_or(|(_, c)| !c.is_lowercase()) {
        return None;
    }
    let (at, _) = chars[run - 1];
    let head = &text[..at];
    (head.chars().filter(|c| c.is_uppercase()).count() >= 2 && !head.ends_with(' '))
        .then(|| (head, &text[at..]))
}

/// The first 50 characters of `text`, for messages that show where glue is.
pub fn preview(text: &str) -> String {
    let cut: String = text.chars().take(50).collect();
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

    #[test_case(
        "Healthcare support workerArts and crafts",
        "Healthcare support worker",
        "Arts and crafts"
    )]
    #[test_case(
        "Physiotherapy Practitioner BScAssistant practitioners",
        "Physiotherapy Practitioner BSc",
        "Assistant practitioners"
    )]
    #[test_case("Senior (HCSW)Text", "Senior (HCSW)", "Text")]
    fn splits_a_glued_title(text: &str, title: &str, rest: &str) {
        assert_eq!(split_title(text), Some((title, rest)));
    }

    #[test]
    fn no_glue_no_split() {
        assert_eq!(split_title("ALL CAPS AND spaces"), None);
    }

    #[test_case("Level 2DirectCare" ; "a word")]
    #[test_case("Level 2-Direct" ; "punctuation")]
    #[test_case("Entry Level(Physio)" ; "entry level")]
    fn a_label_glued_to_anything_but_a_space_is_a_level_line(text: &str) {
        assert!(
            matches!(level(text), Some(LevelGlue::Glued { .. })),
            "{text}"
        );
    }

    #[test_case("Level 3 apprenticeships take two years")]
    #[test_case("Levels vary")]
    #[test_case("Level two")]
    fn prose_is_not_a_level_line(text: &str) {
        assert_eq!(level(text), None);
    }

    #[test]
    fn finds_an_upper_case_stage_glued_to_a_title() {
        assert_eq!(
            split_capitals("FOUNDATION YEARSenior Healthcare support worker"),
            Some(("FOUNDATION YEAR", "Senior Healthcare support worker"))
        );
        assert_eq!(split_capitals("Senior Healthcare support worker"), None);
        assert_eq!(split_capitals("BSc Physiotherapy"), None);
        assert_eq!(split_capitals("MSc"), None);
    }

    #[test]
    fn route_lines_start_with_a_capital() {
        assert_eq!(route("routeAPPRENTICESHIPX"), Some("APPRENTICESHIPX"));
        assert_eq!(route("routes into the role"), None);
    }
}
