//! Writes a `serde_json::Value` as block-style YAML that `yaml::parse` reads back
//! to the same value. Strings stay plain where YAML would read them as the same
//! string, and are double-quoted (JSON escapes are valid YAML) otherwise.

use serde_json::Value;
use std::fmt::Write;

/// A content file's text: the `$schema` line editors read, then the YAML.
pub fn content_file(schema_path: &str, value: &impl serde::Serialize) -> String {
    let value = serde_json::to_value(value).unwrap_or_default();
    format!(
        "# yaml-language-server: $schema={schema_path}\n{}",
        to_yaml(&value)
    )
}

pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    for (key, value) in map {
        pad(out, indent);
        out.push_str(&scalar_string(key));
        out.push(':');
        write_child(out, value, indent);
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first key shares the dash's line.
                let mut first = true;
                for (key, value) in map {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        pad(out, indent + 2);
                    }
                    out.push_str(&scalar_string(key));
                    out.push(':');
                    write_child(out, value, indent + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

fn write_child(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn pad(out: &mut String, indent: usize) {
    let _ = write!(out, "{:indent$}", "");
}

fn scalar_string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Whether YAML reads `s`, unquoted in block context, as exactly this string.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.contains('\n') || s.contains(": ") || s.contains(" #") || s.ends_with(':')
    {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off"
    ) {
        return false;
    }
    // Anything that might read as a number.
    !(first.is_ascii_digit() || first == '.' || first == '+')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use serde_json::json;

    #[test]
    fn round_trips_through_the_reader() {
        let value = json!({
            "slug": "music-therapist",
            "name": "Music Therapist",
            "empty": [],
            "steps": [
                {"title": "Level 2: the start", "n": 3, "optional": true, "intro": [{"paragraph": "You'll #1 - ok"}]},
                {"title": "- dash", "blank": null, "quote": "\"q\" 'a'", "num": "007", "colon": "a:"}
            ],
            "nested": [["a", "b"], []],
            "text": "  spaced  ",
            "bool": "true"
        });
        let yaml = to_yaml(&value);
        let (back, _) = crate::yaml::parse(&SourceFile::new("t.yaml", yaml.clone())).unwrap();
        assert_eq!(back, value, "{yaml}");
    }

    #[test]
    fn keeps_ordinary_text_plain() {
        let yaml = to_yaml(&json!({"title": "Senior Healthcare support worker"}));
        assert_eq!(yaml, "title: Senior Healthcare support worker\n");
    }
}
