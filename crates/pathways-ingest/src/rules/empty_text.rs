//! No text is empty once white space is taken away.

use crate::content::ContentSet;
use crate::diagnostic::{Code, Problem};

pub fn check(content: &ContentSet) -> Vec<Problem> {
    content
        .all_text()
        .into_iter()
        .filter(|t| t.text.trim().is_empty())
        .map(|t| {
            Problem::error(
                Code::EmptyText,
                content.locate(t.file, &t.pointer),
                "text is empty: expected words",
            )
            .with_help("remove the entry, or write its text")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{content, summary};

    #[test]
    fn reports_blank_paragraphs_and_titles() {
        let roles = "roles:\n  - slug: r\n    title: \"  \"\n    level: Level 2\n    content:\n      - paragraph: \" \\t \"\n      - list:\n          items: [a, \" \"]\n";
        let (_dir, set) = content(&[("roles.yaml", roles)]);
        assert_eq!(
            summary(&check(&set)),
            vec![
                (
                    "pathways::rule::empty-text".into(),
                    "/roles/0/title".into(),
                    3
                ),
                (
                    "pathways::rule::empty-text".into(),
                    "/roles/0/content/0/paragraph".into(),
                    6
                ),
                (
                    "pathways::rule::empty-text".into(),
                    "/roles/0/content/1/list/items/1".into(),
                    8
                ),
            ]
        );
    }
}
