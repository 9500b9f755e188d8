//! Text as the page shows it: paragraphs and lists, in order.
//! The field names are the YAML keys stewards write (`paragraph`, `list`, `items`).

use get_size2::GetSize;
use serde::{Deserialize, Serialize};

/// A paragraph or a list, in the order the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Paragraph(String),
    List(ListBlock),
}

#[derive(Debug, Clone, PartialEq, Eq, GetSize, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListBlock {
    /// What the list holds, when the sentence before it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ListKind>,
    /// The bullet the page export uses: `•` or `-`.
    #[serde(default = "default_marker")]
    pub marker: String,
    pub items: Vec<String>,
}

impl Block {
    /// What the block says: its paragraph, or its list's items.
    pub fn texts(&self) -> &[String] {
        match self {
            Block::Paragraph(p) => std::slice::from_ref(p),
            Block::List(list) => &list.items,
        }
    }
}

/// All of a text's words, paragraphs and list items one per line: what search
/// indexes.
pub fn plain_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .flat_map(Block::texts)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The bullet a list has when none is given.
pub fn default_marker() -> String {
    "•".to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, GetSize, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Job titles the role goes by.
    JobTitles,
    /// The people the role works with.
    WorkingWith,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::JobTitles => "job_titles",
            ListKind::WorkingWith => "working_with",
        }
    }

    pub fn parse(s: &str) -> Option<ListKind> {
        match s {
            "job_titles" => Some(ListKind::JobTitles),
            "working_with" => Some(ListKind::WorkingWith),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case(ListKind::JobTitles)]
    #[test_case(ListKind::WorkingWith)]
    fn list_kinds_read_back(kind: ListKind) {
        assert_eq!(ListKind::parse(kind.as_str()), Some(kind));
    }

    #[test]
    fn unknown_list_kinds_are_none() {
        assert_eq!(ListKind::parse("tools"), None);
    }
}
