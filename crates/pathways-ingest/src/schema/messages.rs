//! Schema errors in words a steward can act on: what is allowed, the nearest
//! allowed value, an unknown key at the key itself with the required key it
//! was probably meant to be folded into it, and the schema by its `$id`.

use super::{allowed_keys, definition, node, FileKind, Found, What};
use crate::diagnostic::{list, quote, Code, Location, Problem};
use crate::source::SourceFile;
use crate::suggest;
use crate::yaml::{escape_segment, key_positions, Positions};
use serde_json::Value;
use std::collections::HashSet;

/// Unknown keys in one mapping reported each at its own key; past this many,
/// one problem lists them (a file of 300,000 stray keys gets one message).
const EACH_KEY: usize = 10;

pub fn problems(
    kind: FileKind,
    found: &[Found],
    file: &SourceFile,
    positions: &Positions,
) -> Vec<Problem> {
    let schema = kind.schema();
    let missing: HashSet<(&str, &str)> = found
        .iter()
        .filter_map(|f| match &f.what {
            What::Required(key) => Some((f.pointer.as_str(), key.as_str())),
            _ => None,
        })
        .collect();
    // Each unknown key reported alone, and the key it is nearest to.
    let mut unknown: Vec<(&Found, &str, Option<String>)> = Vec::new();
    for f in found {
        if let What::Unexpected { count, first: keys } = &f.what {
            if *count <= EACH_KEY {
                let allowed = allowed_keys(schema, f.subschema_path());
                for key in keys {
                    let meant = suggest::nearest(key, &allowed).map(str::to_owned);
                    unknown.push((f, key, meant));
                }
            }
        }
    }
    let folded: HashSet<(&str, &str)> = unknown
        .iter()
        .filter_map(|(f, _, meant)| {
            let meant = meant.as_deref()?;
            missing.get(&(f.pointer.as_str(), meant)).copied()
        })
        .collect();
    let wanted: HashSet<String> = unknown
        .iter()
        .map(|(f, key, _)| key_pointer(&f.pointer, key))
        .collect();
    let keys_at = key_positions(file, &wanted);

    let at = |pointer: &str| {
        let (line, column) = positions.find(pointer);
        located(file, line, column, pointer)
    };
    let mut out = Vec::new();
    for f in found {
        let problem = match &f.what {
            What::Unexpected { count, .. } if *count <= EACH_KEY => continue,
            What::Unexpected { count, first } => Problem::error(
                code(f),
                at(&f.pointer),
                format!(
                    "{count} unknown keys ({}): this mapping does not take them",
                    list_of(first, *count)
                ),
            ),
            What::Required(key) if folded.contains(&(f.pointer.as_str(), key.as_str())) => continue,
            What::Required(key) => Problem::error(
                code(f),
                at(&f.pointer),
                format!("missing key `{}`: it is required here", quote(key)),
            ),
            _ => Problem::error(code(f), at(&f.pointer), message(schema, f)),
        };
        out.push(with_schema(problem, f, kind, None));
    }
    for (f, key, meant) in &unknown {
        let pointer = key_pointer(&f.pointer, key);
        let location = match keys_at.get(&pointer) {
            Some(&(line, column)) => located(file, line, column, &pointer),
            None => at(&f.pointer),
        };
        let mut text = format!("unknown key `{}`", quote(key));
        if let Some(meant) = meant {
            text.push_str(&format!(": did you mean `{meant}`?"));
            if folded.contains(&(f.pointer.as_str(), meant.as_str())) {
                text.push_str(&format!(" (`{meant}` is required and missing)"));
            }
        }
        let allowed = allowed_keys(schema, f.subschema_path());
        let hint = format!("keys here: {}", list(&allowed));
        out.push(with_schema(
            Problem::error(code(f), location, text),
            f,
            kind,
            Some(hint),
        ));
    }
    out
}

fn code(f: &Found) -> Code {
    Code::Schema(f.keyword.clone())
}

fn key_pointer(object: &str, key: &str) -> String {
    format!("{object}/{}", escape_segment(key))
}

fn located(file: &SourceFile, line: usize, column: usize, pointer: &str) -> Location {
    let mut location = file.location_at(line, column);
    location.pointer = Some(if pointer.is_empty() {
        "/".into()
    } else {
        pointer.to_owned()
    });
    location
}

/// The schema path and a help line naming the schema by its published `$id`.
fn with_schema(mut problem: Problem, f: &Found, kind: FileKind, hint: Option<String>) -> Problem {
    problem.schema_path = Some(f.schema_path.clone());
    let schema = format!(
        "the schema is {} (`pathways schema {}` prints it)",
        kind.id(),
        kind.name()
    );
    problem.with_help(match hint {
        Some(hint) => format!("{hint}; {schema}"),
        None => schema,
    })
}

/// `first` of `count` names as a message lists them: every name not shown counted.
fn list_of(first: &[String], count: usize) -> String {
    let listed = list(first);
    let (head, shown) = match listed.rsplit_once(", … and ") {
        Some((head, rest)) if rest.ends_with(" more") => {
            let cut: usize = rest.trim_end_matches(" more").parse().unwrap_or(0);
            (head, first.len().saturating_sub(cut))
        }
        _ => (listed.as_str(), first.len()),
    };
    if shown >= count {
        listed.clone()
    } else {
        format!("{head}, … and {} more", count - shown)
    }
}

/// What a value must look like, for the definitions whose pattern says it in
/// symbols: a noun, the rule in words, and a guess at what was meant.
pub(super) struct Shape {
    noun: &'static str,
    rule: &'static str,
    guess: fn(&str) -> Option<String>,
}

/// The `description` of the schema node whose keyword failed.
fn described<'a>(schema: &'a Value, schema_path: &str) -> Option<&'a str> {
    let (node, _keyword) = schema_path.rsplit_once('/')?;
    schema.pointer(node)?.get("description")?.as_str()
}

pub(super) fn shape(definition: &str) -> Option<Shape> {
    Some(match definition {
        "level" => Shape {
            noun: "a level",
            rule: "Levels are Entry Level, Level 1 … Level 8",
            guess: suggest::level,
        },
        "slug" => Shape {
            noun: "a slug",
            rule: "Slugs are lower-case letters and digits joined by single hyphens, like `senior-healthcare-support-worker`",
            guess: suggest::slug,
        },
        _ => return None,
    })
}

fn message(schema: &Value, f: &Found) -> String {
    let value = f
        .text
        .as_deref()
        .map_or_else(|| f.quoted.clone(), |t| format!("\"{t}\""));
    match &f.what {
        What::Pattern => match definition(&f.schema_path).and_then(shape) {
            Some(shape) => {
                let guess = f
                    .text
                    .as_deref()
                    .and_then(shape.guess)
                    .filter(|g| Some(g.as_str()) != f.text.as_deref())
                    .map(|g| format!(": did you mean \"{g}\"?"))
                    .unwrap_or_else(|| ".".into());
                format!("{value} is not {}{guess} {}", shape.noun, shape.rule)
            }
            // A pattern of its own: its schema's description says it in words.
            None => match described(schema, &f.schema_path) {
                Some(words) => format!("{value} does not fit: {words}"),
                None => f.default_message.clone(),
            },
        },
        What::Enum(options) => {
            let names: Vec<String> = options
                .iter()
                .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned))
                .collect();
            let field = f.pointer.rsplit('/').next().unwrap_or_default();
            let guess = f
                .text
                .as_deref()
                .and_then(|t| suggest::nearest(t, &names))
                .map(|g| format!(": did you mean \"{g}\"?"))
                .unwrap_or_else(|| ".".into());
            format!(
                "{value} is not allowed for `{field}`{guess} Allowed: {}",
                names.join(", ")
            )
        }
        What::Type(expected) => format!(
            "expected {}, found {}",
            type_words(expected),
            found_words(&f.quoted)
        ),
        What::MinLength(1) => "text is empty: expected at least one character".into(),
        What::MinItems(limit) => format!(
            "expected at least {limit} item{}, found {}",
            if *limit == 1 { "" } else { "s" },
            f.quoted
        ),
        What::OneOf => one_of(schema, f),
        _ => f.default_message.clone(),
    }
}

/// `oneOf` with no alternative meant: name the alternatives by their keys.
fn one_of(schema: &Value, f: &Found) -> String {
    let keys: Vec<String> = node(schema, &f.schema_path)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|branch| branch.get("required")?.get(0)?.as_str().map(str::to_owned))
        .collect();
    let alternatives: Vec<String> = keys.iter().map(|k| format!("`{k}: …`")).collect();
    let mut text = format!(
        "expected one of {}, found {}",
        alternatives.join(" or "),
        found_words(&f.quoted)
    );
    // One key written, near one of the alternatives' keys: the likely typo.
    let written = serde_json::from_str::<Value>(&f.quoted).unwrap_or_default();
    let guesses: Vec<&str> = written
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .filter_map(|k| suggest::nearest(k, &keys).filter(|g| g != k))
        .collect();
    if let [meant] = guesses[..] {
        text.push_str(&format!(": did you mean `{meant}`?"));
    }
    text
}

fn type_words(expected: &str) -> String {
    expected
        .split(" or ")
        .map(|t| match t {
            "string" => "text",
            "array" => "a list",
            "object" => "a mapping (`key: value` lines)",
            "integer" | "number" => "a number",
            "boolean" => "true or false",
            _ => "nothing",
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn found_words(quoted: &str) -> String {
    match quoted.chars().next() {
        Some('"') => format!("text {quoted}"),
        Some('[') => format!("a list {quoted}"),
        Some('{') => format!("a mapping {quoted}"),
        _ if quoted == "null" => "nothing".into(),
        _ => quoted.to_owned(),
    }
}
