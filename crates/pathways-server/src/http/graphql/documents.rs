//! Parsed documents by their text. Front ends send the same few documents
//! over and over, and parsing one (async-graphql's pest grammar) costs about
//! as much as running it over the snapshot: a profile of the one-profession
//! query put parsing at a sixth of the server's CPU time. A document parsed
//! before is copied instead. Bounded, least recently used out first, so
//! documents that are each sent once only churn it.

use crate::bounded_lru::BoundedLru;
use async_graphql::parser::types::ExecutableDocument;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// At most this many documents are kept…
const MAX_ENTRIES: usize = 1_024;
/// …weighing at most this much in all (see [`weight`]).
const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug)]
pub struct ParsedDocuments {
    parsed: Mutex<BoundedLru<Arc<str>, Arc<ExecutableDocument>>>,
}

impl Default for ParsedDocuments {
    fn default() -> Self {
        ParsedDocuments {
            parsed: Mutex::new(BoundedLru::new(MAX_BYTES, NonZeroUsize::new(MAX_ENTRIES))),
        }
    }
}

impl ParsedDocuments {
    /// `query` parsed, from the documents kept when it is one of them; `None`
    /// when it does not parse (async-graphql then parses it again, and says
    /// where it failed).
    pub fn parse(&self, query: &Arc<str>) -> Option<ExecutableDocument> {
        let kept = self.lock().get(query).cloned();
        if let Some(document) = kept {
            return Some(ExecutableDocument::clone(&document));
        }
        let document = async_graphql::parser::parse_query(&**query).ok()?;
        self.lock()
            .put(query.clone(), Arc::new(document.clone()), weight(query));
        Some(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BoundedLru<Arc<str>, Arc<ExecutableDocument>>> {
        self.parsed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What a parsed document is counted as weighing: its text, and about ten
/// times that for its syntax tree (names, positions, a node per selection).
fn weight(query: &str) -> usize {
    query.len() * 11 + 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_parsed_again_is_the_same_and_kept_once() {
        let documents = ParsedDocuments::default();
        let query: Arc<str> = "query One { profession(slug: \"a\") { name } }".into();
        let first = documents.parse(&query).expect("parses");
        let again = documents.parse(&query).expect("kept");
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        assert_eq!(documents.lock().len(), 1);
    }

    #[test]
    fn what_does_not_parse_is_not_kept() {
        let documents = ParsedDocuments::default();
        assert!(documents.parse(&Arc::from("{ profession(")).is_none());
        assert_eq!(documents.lock().len(), 0);
    }
}
