//! YAML (and JSON, which YAML reads too) into `serde_json::Value`, remembering
//! where every value started so a JSON Pointer maps back to `line:column`.
//!
//! The value is built straight from the parser's events (`yaml-rust2`), with no
//! tree in between: a file of many small keys then takes memory for its value
//! alone, not for a marked tree and the value besides. Where keys stand is
//! found again only when a message needs it (`keys`).

mod keys;

pub use keys::key_positions;

use crate::diagnostic::{quote, Code, Problem};
use crate::source::SourceFile;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// JSON Pointer → 1-based (line, column) of the value it names. Pointers are
/// kept as 64-bit hashes, not strings: a file of many small keys would
/// otherwise hold every pointer twice over (a 64-bit collision is as likely as
/// none in any real file, and would only misplace a line number).
#[derive(Debug, Clone, Default)]
pub struct Positions(HashMap<u64, (u32, u32)>);

impl Positions {
    fn key(pointer: &str) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(pointer)
    }

    fn insert(&mut self, pointer: &str, line: usize, column: usize) {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.0
            .insert(Self::key(pointer), (clamp(line), clamp(column)));
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let mut p = pointer;
        loop {
            if let Some(&(line, column)) = self.0.get(&Self::key(p)) {
                return (line as usize, column as usize);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return (1, 1),
            }
        }
    }
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Parses a file into a JSON value and the positions of its values. The top
/// level must be a mapping; anchors, aliases, tags and duplicate keys are refused.
pub fn parse(file: &SourceFile) -> Result<(Value, Positions), Box<Problem>> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(&file.text);
    if let Err(e) = parser.load(&mut builder, false) {
        let (line, column) = at(e.marker());
        return Err(Box::new(Problem::error(
            Code::Syntax,
            file.location_at(line, column),
            format!("YAML syntax error: {}", e.info()),
        )));
    }
    if let Some((line, column, message)) = builder.error {
        return Err(Box::new(Problem::error(
            Code::Syntax,
            file.location_at(line, column),
            message,
        )));
    }
    let value = builder.root.unwrap_or_else(|| Value::Object(Map::new()));
    Ok((value, builder.positions))
}

/// 1-based line and column of a parser mark.
fn at(mark: &Marker) -> (usize, usize) {
    (mark.line().max(1), mark.col() + 1)
}

/// A mapping or sequence being built, and how long the pointer was before it.
enum Frame {
    Mapping {
        object: Map<String, Value>,
        /// A key read, waiting for its value, and where it is.
        key: Option<(String, Marker)>,
    },
    Sequence(Vec<Value>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<(Frame, usize)>,
    /// The JSON Pointer of the value being read.
    pointer: String,
    positions: Positions,
    root: Option<Value>,
    /// The first problem: (line, column, message). Later events are ignored.
    error: Option<(usize, usize, String)>,
}

impl Builder {
    fn fail(&mut self, mark: &Marker, message: impl Into<String>) {
        if self.error.is_none() {
            let (line, column) = at(mark);
            self.error = Some((line, column, message.into()));
        }
    }

    /// A value starts at `mark`: where does it go? Extends the pointer to it
    /// and remembers its position; returns the pointer's length before.
    fn start_value(&mut self, mark: &Marker) -> Option<usize> {
        let before = self.pointer.len();
        match self.stack.last() {
            None if self.root.is_none() => {}
            None => return None,
            Some((
                Frame::Mapping {
                    key: Some((key, _)),
                    ..
                },
                _,
            )) => {
                self.pointer.push('/');
                self.pointer.push_str(&escape_segment(key));
            }
            Some((Frame::Mapping { key: None, .. }, _)) => return Some(before),
            Some((Frame::Sequence(items), _)) => {
                let index = items.len();
                self.pointer.push('/');
                self.pointer.push_str(&index.to_string());
            }
        }
        let (line, column) = at(mark);
        self.positions.insert(&self.pointer, line, column);
        Some(before)
    }

    /// A whole value: into its mapping or sequence, or the root.
    fn finish_value(&mut self, value: Value, mark: &Marker) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some((Frame::Sequence(items), _)) => items.push(value),
            Some((Frame::Mapping { object, key }, _)) => match key.take() {
                Some((key, key_mark)) => {
                    if object.contains_key(&key) {
                        let message = format!("duplicate key `{}` in a mapping", quote(&key));
                        self.fail(&key_mark, message);
                    } else {
                        object.insert(key, value);
                    }
                }
                None => self.fail(mark, "mapping keys must be plain text"),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
            Event::Alias(_) => self.fail(
                &mark,
                "anchors and aliases are not supported in content files",
            ),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                self.fail(
                    &mark,
                    "anchors and aliases are not supported in content files",
                )
            }
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => self.fail(
                &mark,
                "explicit YAML tags are not supported in content files",
            ),
            Event::Scalar(text, style, _, None) => {
                if let Some((
                    Frame::Mapping {
                        object,
                        key: key @ None,
                    },
                    _,
                )) = self.stack.last_mut()
                {
                    // A mapping is where its first key is: the parser marks
                    // its start after that key, at the colon.
                    let first = object.is_empty();
                    *key = Some((text, mark));
                    if first {
                        let (line, column) = at(&mark);
                        self.positions.insert(&self.pointer, line, column);
                    }
                    return;
                }
                if self.stack.is_empty() {
                    return self.fail(
                        &mark,
                        "expected a mapping (`key: value` lines) at the top level",
                    );
                }
                let Some(before) = self.start_value(&mark) else {
                    return;
                };
                let value = scalar_value(&text, matches!(style, TScalarStyle::Plain));
                self.pointer.truncate(before);
                self.finish_value(value, &mark);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                if self.stack.is_empty() && !mapping {
                    return self.fail(
                        &mark,
                        "expected a mapping (`key: value` lines) at the top level",
                    );
                }
                if matches!(
                    self.stack.last(),
                    Some((Frame::Mapping { key: None, .. }, _))
                ) {
                    return self.fail(&mark, "mapping keys must be plain text");
                }
                let Some(before) = self.start_value(&mark) else {
                    return;
                };
                let frame = if mapping {
                    Frame::Mapping {
                        object: Map::new(),
                        key: None,
                    }
                } else {
                    Frame::Sequence(Vec::new())
                };
                self.stack.push((frame, before));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some((frame, before)) = self.stack.pop() else {
                    return;
                };
                let value = match frame {
                    Frame::Mapping { object, .. } => Value::Object(object),
                    Frame::Sequence(items) => Value::Array(items),
                };
                self.pointer.truncate(before);
                self.finish_value(value, &mark);
            }
        }
    }
}

/// Plain (unquoted) scalars follow YAML 1.2's core schema; quoted ones stay strings.
fn scalar_value(text: &str, plain: bool) -> Value {
    if !plain {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => text
            .parse::<i64>()
            .ok()
            .map(Number::from)
            .or_else(|| {
                // Only numbers that look like numbers: `inf`, `nan` stay text.
                let looks_numeric = text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
                text.parse::<f64>()
                    .ok()
                    .filter(|_| looks_numeric)
                    .and_then(Number::from_f64)
            })
            .map_or_else(|| Value::String(text.to_owned()), Value::Number),
    }
}

/// The schema a file names in its `# yaml-language-server: $schema=...` line, if any.
pub fn schema_comment(text: &str) -> Option<&str> {
    text.lines()
        .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .find_map(|l| l.split_once("$schema=").map(|(_, s)| s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(text: &str) -> (Value, Positions) {
        parse(&SourceFile::new("t.yaml", text.to_owned())).unwrap()
    }

    #[test]
    fn keeps_positions_of_nested_values() {
        let (value, positions) = parsed("a:\n  - x: 1\n  - y: \"2\"\n");
        assert_eq!(value, json!({"a": [{"x": 1}, {"y": "2"}]}));
        assert_eq!(positions.find("/a/1/y"), (3, 8));
        assert_eq!(positions.find("/a/0/x"), (2, 8));
        // A pointer below a known value falls back to it.
        assert_eq!(positions.find("/a/1/y/z"), (3, 8));
        // A mapping stands where its first key does.
        assert_eq!(positions.find("/a/1"), (3, 5));
        assert_eq!(positions.find(""), (1, 1));
    }

    #[test]
    fn reports_syntax_errors_with_their_line() {
        let err = parse(&SourceFile::new("t.yaml", "a: [1, 2\nb: 3\n".into())).unwrap_err();
        assert_eq!(err.code, Code::Syntax);
        assert!(err.location.line >= 2, "{err}");
    }

    #[test]
    fn refuses_duplicate_keys() {
        let err = parse(&SourceFile::new("t.yaml", "a: 1\na: 2\n".into())).unwrap_err();
        assert_eq!(err.location.line, 2);
        assert!(err.message.contains("duplicate key `a`"));
    }

    #[test]
    fn finds_the_schema_comment() {
        let text = "# yaml-language-server: $schema=../schema/routes.schema.json\nstages: []\n";
        assert_eq!(schema_comment(text), Some("../schema/routes.schema.json"));
        assert_eq!(schema_comment("a: 1\n# $schema=x\n"), None);
    }
}
