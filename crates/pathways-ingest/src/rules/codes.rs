//! Occupation codes name a known profession, and each profession at most once
//! (their format is the schema's: `schema/codes.schema.json`).

use crate::content::{ContentSet, Defined, Unknown};
use crate::diagnostic::{quote, Code, Location, Problem};
use std::collections::{HashMap, HashSet};

pub fn check(content: &ContentSet) -> Vec<Problem> {
    let known: HashSet<&str> = content
        .professions
        .iter()
        .map(|p| p.value.slug.as_str())
        .collect();
    // With a profession file that could not be read, "unknown" cannot be judged.
    let unread = content.unknown(Defined::Pathway).next();
    let mut first: HashMap<&str, (usize, String)> = HashMap::new();
    let mut problems = Vec::new();
    for file in &content.codes {
        for (i, entry) in file.value.codes.iter().enumerate() {
            let pointer = format!("/codes/{i}/profession");
            let slug = entry.profession.as_str();
            if !known.contains(slug) {
                let at = content.locate(file.file, &pointer);
                problems.push(unknown_profession(slug, at, unread, &known));
            }
            match first.get(slug) {
                Some((f, p)) => {
                    let earlier = content.locate(*f, p);
                    problems.push(
                        Problem::error(
                            Code::DuplicateSlug,
                            content.locate(file.file, &pointer),
                            format!("profession `{}` is given codes twice", quote(slug)),
                        )
                        .with_help(format!(
                            "first given at {}:{}:{}; put all of a profession's codes in one entry",
                            earlier.file, earlier.line, earlier.column
                        )),
                    );
                }
                None => {
                    first.insert(slug, (file.file, pointer));
                }
            }
        }
    }
    problems
}

/// An error for codes naming no profession, or a note that the check was
/// skipped when a profession file could not be read.
fn unknown_profession(
    slug: &str,
    at: Location,
    unread: Option<&Unknown>,
    known: &HashSet<&str>,
) -> Problem {
    match unread {
        Some(unread) => Problem::note(
            Code::CheckSkipped,
            at,
            format!(
                "check `dangling-reference` skipped: codes name profession `{}`, \
                 which is in none of the files read, but {}",
                quote(slug),
                unread.why
            ),
        )
        .with_help(unread.help.clone()),
        None => Problem::error(
            Code::DanglingReference,
            at,
            format!(
                "codes are given for profession `{}`, which does not exist",
                quote(slug)
            ),
        )
        .with_help(super::references::did_you_mean(
            slug,
            Defined::Pathway,
            known,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary};

    const SOC: &str = "    soc2020:\n      code: \"2221\"\n      name: Physiotherapists\n      source: https://example.org/soc\n";

    #[test]
    fn accepts_codes_of_known_professions() {
        let codes = format!("codes:\n  - profession: a\n{SOC}");
        let (_dir, set) = content(&[
            ("professions/a.yaml", "slug: a\nname: A\n"),
            ("codes.yaml", &codes),
        ]);
        assert!(check(&set).is_empty());
    }

    #[test]
    fn reports_an_unknown_profession_and_one_given_twice() {
        let codes = format!(
            "codes:\n  - profession: a\n{SOC}  - profession: ab\n{SOC}  - profession: a\n{SOC}"
        );
        let (_dir, set) = content(&[
            ("professions/a.yaml", "slug: a\nname: A\n"),
            ("codes.yaml", &codes),
        ]);
        let found = check(&set);
        assert_eq!(
            summary(&found),
            vec![
                (
                    "pathways::rule::dangling-reference".into(),
                    "/codes/1/profession".into(),
                    7
                ),
                (
                    "pathways::rule::duplicate-slug".into(),
                    "/codes/2/profession".into(),
                    12
                ),
            ]
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `a`?"));
        assert_eq!(found[1].location.column, 17);
        assert!(
            found[1]
                .help
                .as_deref()
                .unwrap()
                .contains("codes.yaml:2:17"),
            "{:?}",
            found[1].help
        );
    }
}
