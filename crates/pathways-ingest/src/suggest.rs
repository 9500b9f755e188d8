//! "Did you mean": the nearest of the allowed words to one a steward wrote,
//! for keys, slugs, levels and listed values. Distances are `strsim`'s.

use pathways_model::level::MAX_RANK;

/// The candidate nearest to `word`, when one is near enough to be a likely
/// typo: equal once case, spaces, hyphens and underscores are ignored, or
/// within a third of the word's length in edits (transpositions count once).
pub fn nearest<'a, S: AsRef<str> + ?Sized + 'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a S>,
) -> Option<&'a str> {
    let folded = fold(word);
    let limit = (folded.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(AsRef::as_ref)
        .filter_map(|candidate| {
            let distance = strsim::damerau_levenshtein(&folded, &fold(candidate));
            (distance <= limit).then_some((distance, candidate))
        })
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// Lower case, with spaces, hyphens and underscores taken out.
fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `text` as a slug: lower-case letters and digits joined by single hyphens
/// (`Bad Slug` → `bad-slug`); `None` when nothing of it is left.
pub fn slug(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    (!words.is_empty()).then(|| words.join("-"))
}

/// Every level label, lowest first: `Entry Level`, `Level 1` … `Level 8`.
pub fn levels() -> Vec<String> {
    std::iter::once("Entry Level".to_owned())
        .chain((1..=MAX_RANK).map(|n| format!("Level {n}")))
        .collect()
}

/// The level `text` most likely means: `Level Five`, `level 5`, `L5`, `Lvl 5`
/// and `Level V` all mean `Level 5`; `entry` means `Entry Level`.
pub fn level(text: &str) -> Option<String> {
    const WORDS: [&str; 9] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    ];
    const ROMAN: [&str; 9] = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii"];
    let lower = text.trim().to_lowercase();
    if lower.starts_with("entry") {
        return Some("Entry Level".to_owned());
    }
    let number = ["level", "lvl", "lv", "l"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .map(|rest| rest.trim_matches(|c: char| matches!(c, ' ' | '-' | '_' | '.')))
        .and_then(|rest| {
            rest.parse::<u8>()
                .ok()
                .or_else(|| WORDS.iter().position(|w| *w == rest).map(|n| n as u8))
                .or_else(|| {
                    ROMAN
                        .iter()
                        .position(|r| !r.is_empty() && *r == rest)
                        .map(|n| n as u8)
                })
        });
    match number {
        Some(rank @ 1..=MAX_RANK) => Some(format!("Level {rank}")),
        // A number, but outside the scheme: no level is near what was meant.
        Some(_) => None,
        None => nearest(text, &levels()).map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("levle", Some("level") ; "transposed letters")]
    #[test_case("Title", Some("title") ; "case")]
    #[test_case("entryroute", Some("entry_route") ; "a missing underscore")]
    #[test_case("colour", None ; "nothing near")]
    fn nearest_key(word: &str, expected: Option<&str>) {
        let keys = ["title", "level", "role", "entry_route", "intro"];
        assert_eq!(nearest(word, &keys), expected);
    }

    #[test_case("Level Five", Some("Level 5"))]
    #[test_case("level 5", Some("Level 5"))]
    #[test_case("L5", Some("Level 5"))]
    #[test_case("Level VII", Some("Level 7"))]
    #[test_case("entry", Some("Entry Level"))]
    #[test_case("Levl 3", Some("Level 3") ; "a typo")]
    #[test_case("Senior", None ; "not a level at all")]
    #[test_case("Level 9", None ; "beyond the scheme")]
    fn nearest_level(text: &str, expected: Option<&str>) {
        assert_eq!(level(text).as_deref(), expected);
    }

    #[test]
    fn slugs_from_text() {
        assert_eq!(slug("Bad Slug").as_deref(), Some("bad-slug"));
        assert_eq!(slug("--Senior  HCSW--").as_deref(), Some("senior-hcsw"));
        assert_eq!(slug("!!"), None);
    }
}
