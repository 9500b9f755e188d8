//! YAML (and JSON, which YAML reads too) into `serde_json::Value`, remembering
//! where every value started so a JSON Pointer maps back to `line:column`.

use crate::diagnostic::{Code, Problem};
use crate::source::SourceFile;
use marked_yaml::{LoaderOptions, Node};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// JSON Pointer → 1-based (line, column) of the value it names.
#[derive(Debug, Clone, Default)]
pub struct Positions(HashMap<String, (usize, usize)>);

impl Positions {
    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let mut p = pointer;
        loop {
            if let Some(&pos) = self.0.get(p) {
                return pos;
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

/// Parses a file into a JSON value and the positions of its values.
pub fn parse(file: &SourceFile) -> Result<(Value, Positions), Box<Problem>> {
    // `prevent_coercion` is what makes the loader remember which scalars were quoted.
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true);
    let node = marked_yaml::parse_yaml_with_options(0, &file.text, options)
        .map_err(|e| Box::new(load_error(file, &e)))?;
    let mut positions = Positions::default();
    let value = convert(&node, String::new(), &mut positions);
    Ok((value, positions))
}

fn load_error(file: &SourceFile, error: &marked_yaml::LoadError) -> Problem {
    use marked_yaml::LoadError as E;
    let (marker, message) = match error {
        E::TopLevelMustBeMapping(m) => (
            Some(m),
            "expected a mapping (`key: value` lines) at the top level".to_owned(),
        ),
        E::TopLevelMustBeSequence(m) => {
            (Some(m), "expected a sequence at the top level".to_owned())
        }
        E::UnexpectedAnchor(m) => (
            Some(m),
            "anchors and aliases are not supported in content files".to_owned(),
        ),
        E::MappingKeyMustBeScalar(m) => (Some(m), "mapping keys must be plain text".to_owned()),
        E::UnexpectedTag(m) => (
            Some(m),
            "explicit YAML tags are not supported in content files".to_owned(),
        ),
        E::ScanError(m, e) => (Some(m), format!("YAML syntax error: {}", e.info())),
        E::DuplicateKey(inner) => (
            inner.key.span().start(),
            format!("duplicate key `{}` in a mapping", inner.key.as_str()),
        ),
    };
    let (line, column) = marker.map_or((1, 1), |m| (m.line().max(1), m.column().max(1)));
    Problem::error(Code::Syntax, file.location_at(line, column), message)
}

fn convert(node: &Node, pointer: String, positions: &mut Positions) -> Value {
    if let Some(start) = node.span().start() {
        positions
            .0
            .insert(pointer.clone(), (start.line(), start.column()));
    }
    match node {
        Node::Scalar(scalar) => scalar_value(scalar.as_str(), scalar.may_coerce()),
        Node::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert(item, format!("{pointer}/{i}"), positions))
                .collect(),
        ),
        Node::Mapping(map) => {
            let mut object = Map::with_capacity(map.len());
            for (key, value) in map.iter() {
                let child = format!("{pointer}/{}", escape_segment(key.as_str()));
                object.insert(key.as_str().to_owned(), convert(value, child, positions));
            }
            Value::Object(object)
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
