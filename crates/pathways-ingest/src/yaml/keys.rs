//! Where keys stand. Only a message about a key itself (one the schema does
//! not know) needs this, so it is found by reading the file's events again,
//! keeping nothing but the path to the event being read, rather than by
//! storing every key's position on every parse.

use super::{at, escape_segment};
use crate::source::SourceFile;
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// 1-based (line, column) of the key each of `wanted` ends in (`/a/0/levle`
/// is the key `levle` of the mapping at `/a/0`), for those found.
pub fn key_positions(
    file: &SourceFile,
    wanted: &HashSet<String>,
) -> HashMap<String, (usize, usize)> {
    let mut finder = KeyFinder {
        wanted,
        found: HashMap::new(),
        stack: Vec::new(),
    };
    if !wanted.is_empty() {
        // Files reach here parsed once already: an error now cannot differ.
        let _ = Parser::new_from_str(&file.text).load(&mut finder, false);
    }
    finder.found
}

enum Frame {
    /// A mapping: its pointer, and the key whose value comes next.
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        next: usize,
    },
}

struct KeyFinder<'a> {
    wanted: &'a HashSet<String>,
    found: HashMap<String, (usize, usize)>,
    stack: Vec<Frame>,
}

impl KeyFinder<'_> {
    /// The pointer of a value starting now, moving its container on.
    fn next_value(&mut self) -> String {
        match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(key) => format!("{pointer}/{}", escape_segment(&key)),
                None => pointer.clone(),
            },
            Some(Frame::Sequence { pointer, next }) => {
                *next += 1;
                format!("{pointer}/{}", *next - 1)
            }
        }
    }
}

impl MarkedEventReceiver for KeyFinder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Mapping {
                    pointer,
                    key: key @ None,
                }) = self.stack.last_mut()
                {
                    let path = format!("{pointer}/{}", escape_segment(&text));
                    if self.wanted.contains(&path) {
                        self.found.entry(path).or_insert_with(|| at(&mark));
                    }
                    *key = Some(text);
                } else {
                    self.next_value();
                }
            }
            Event::MappingStart(..) => {
                let pointer = self.next_value();
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.next_value();
                self.stack.push(Frame::Sequence { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_at_any_depth() {
        let file = SourceFile::new(
            "t.yaml",
            "slug: a\npathway:\n  steps:\n    - title: X\n      levle: Level 2\n    - {title: Y, rol: r}\n".into(),
        );
        let wanted: HashSet<String> = ["/pathway/steps/0/levle", "/pathway/steps/1/rol", "/nope"]
            .into_iter()
            .map(String::from)
            .collect();
        let found = key_positions(&file, &wanted);
        assert_eq!(found["/pathway/steps/0/levle"], (5, 7));
        assert_eq!(found["/pathway/steps/1/rol"], (6, 18));
        assert_eq!(found.len(), 2);
    }
}
