//! Text normalisation shared by deduplication, slugs and the content rules.

use unicode_normalization::UnicodeNormalization;

/// NFC-normalises `text` and folds every run of white space into one space,
/// trimming both ends. Two texts that read the same compare equal after this.
pub fn normalize(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key under which title spelling variants of one role meet:
/// normalised, then lower-cased.
pub fn title_key(title: &str) -> String {
    normalize(title).to_lowercase()
}

/// A URL-safe identifier: lower-case ASCII letters and digits joined by `-`.
/// Letters outside ASCII are decomposed first so `é` becomes `e`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfkd() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || c.is_ascii_punctuation() || matches!(c, '–' | '—') {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("  a \t b\n c ", "a b c" ; "folds white space")]
    #[test_case("cafe\u{301}", "caf\u{e9}" ; "composes to NFC")]
    fn normalizes(input: &str, expected: &str) {
        assert_eq!(normalize(input), expected);
    }

    #[test_case(
        "Music Therapist MSc – Advanced Clinical Practitioner",
        "music-therapist-msc-advanced-clinical-practitioner"
    )]
    #[test_case(
        "Art Therapist / Psychotherapist MSc",
        "art-therapist-psychotherapist-msc"
    )]
    #[test_case("Sixth form / college", "sixth-form-college")]
    #[test_case("Café  (optional)", "cafe-optional")]
    fn slugifies(input: &str, expected: &str) {
        assert_eq!(slugify(input), expected);
    }

    #[test]
    fn title_variants_share_a_key() {
        assert_eq!(
            title_key("Senior Healthcare Support Worker"),
            title_key("Senior  Healthcare support worker")
        );
    }
}
