//! A role's or step's text as Markdown: paragraphs apart, lists as lists.

use pathways_model::Block;

pub fn render(blocks: &[Block]) -> String {
    let mut parts = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Paragraph(p) => parts.push(escape(p)),
            Block::List(list) => parts.push(
                list.items
                    .iter()
                    .map(|i| format!("- {}", escape(i)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }
    parts.join("\n\n")
}

/// Keeps text that happens to look like Markdown syntax literal.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_model::{ListBlock, ListKind};

    #[test]
    fn lists_stay_lists() {
        let blocks = vec![
            Block::Paragraph("You might work as:".into()),
            Block::List(ListBlock {
                kind: Some(ListKind::JobTitles),
                marker: "•".into(),
                items: vec!["a_b".into(), "c".into()],
            }),
        ];
        assert_eq!(render(&blocks), "You might work as:\n\n- a\\_b\n- c");
    }
}
