//! Stage 2: JSON Schema (draft 2020-12) validation with the `jsonschema` crate.
//! The schemas are `schema/*.schema.json`, compiled into the binary. Each
//! error is kept as data ([`Found`]): `messages` words it for a steward, and
//! `repair` reads past it so the rest of the file still takes part in the rules.

mod messages;
pub mod repair;

use crate::diagnostic::Problem;
use crate::source::SourceFile;
use crate::yaml::Positions;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;
use std::sync::OnceLock;

/// What a content file holds, and so which schema checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Page,
    Routes,
    Roles,
    Profession,
    /// `codes.yaml`: occupation codes of professions.
    Codes,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Page,
        FileKind::Routes,
        FileKind::Roles,
        FileKind::Profession,
        FileKind::Codes,
    ];

    /// The schema's short name, as `pathways schema NAME` takes it.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Page => "page",
            FileKind::Routes => "routes",
            FileKind::Roles => "roles",
            FileKind::Profession => "profession",
            FileKind::Codes => "codes",
        }
    }

    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn schema_file(self) -> &'static str {
        match self {
            FileKind::Page => "page.schema.json",
            FileKind::Routes => "routes.schema.json",
            FileKind::Roles => "roles.schema.json",
            FileKind::Profession => "profession.schema.json",
            FileKind::Codes => "codes.schema.json",
        }
    }

    pub fn schema_text(self) -> &'static str {
        match self {
            FileKind::Page => include_str!("../../../schema/page.schema.json"),
            FileKind::Routes => include_str!("../../../schema/routes.schema.json"),
            FileKind::Roles => include_str!("../../../schema/roles.schema.json"),
            FileKind::Profession => include_str!("../../../schema/profession.schema.json"),
            FileKind::Codes => include_str!("../../../schema/codes.schema.json"),
        }
    }

    /// The schema's published name, its `$id`.
    pub fn id(self) -> &'static str {
        self.compiled().schema["$id"].as_str().unwrap_or_default()
    }

    /// What files of this kind define, for references to name.
    pub fn defines(self) -> &'static [crate::content::Defined] {
        use crate::content::Defined;
        match self {
            FileKind::Page => &[],
            FileKind::Routes => &[Defined::Route, Defined::Stage],
            FileKind::Roles => &[Defined::Role],
            FileKind::Profession => &[Defined::Role, Defined::Pathway],
            FileKind::Codes => &[],
        }
    }

    /// The kind a file is: from the schema its `$schema` comment names, else
    /// from its name (`page.yaml`, `routes.yaml`, `roles.yaml`, `codes.yaml`, or a file in `professions/`).
    pub fn detect(file: &SourceFile) -> Option<FileKind> {
        if let Some(schema) = crate::yaml::schema_comment(&file.text) {
            return FileKind::ALL
                .into_iter()
                .find(|k| schema.ends_with(k.schema_file()));
        }
        FileKind::detect_by_name(&file.path)
    }

    /// The kind a file's name says it is.
    pub fn detect_by_name(path: &std::path::Path) -> Option<FileKind> {
        let stem = path.file_stem()?.to_str()?;
        match stem {
            "page" => Some(FileKind::Page),
            "routes" => Some(FileKind::Routes),
            "roles" => Some(FileKind::Roles),
            "codes" => Some(FileKind::Codes),
            _ if path.parent()?.file_name()? == "professions" => Some(FileKind::Profession),
            _ => None,
        }
    }

    fn compiled(self) -> &'static Compiled {
        static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
        let all = COMPILED.get_or_init(|| {
            FileKind::ALL
                .iter()
                .map(|kind| {
                    // The schemas ship inside the binary and are tested; a broken one is a build defect.
                    let schema: Value = serde_json::from_str(kind.schema_text())
                        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", kind.schema_file()));
                    let validator = jsonschema::draft202012::new(&schema).unwrap_or_else(|e| {
                        panic!("{} is not a valid schema: {e}", kind.schema_file())
                    });
                    Compiled { schema, validator }
                })
                .collect()
        });
        &all[FileKind::ALL.iter().position(|k| *k == self).unwrap_or(0)]
    }

    /// The schema as JSON, for reading what a failed keyword allows.
    pub fn schema(self) -> &'static Value {
        &self.compiled().schema
    }
}

struct Compiled {
    schema: Value,
    validator: jsonschema::Validator,
}

/// The most unknown keys of one mapping a [`Found`] names.
const KEYS_KEPT: usize = 64;

/// One schema error, kept as data.
#[derive(Debug, Clone)]
pub struct Found {
    /// JSON Pointer of the value (`""` for the whole file).
    pub pointer: String,
    /// Where the failed keyword is in the schema, without `$ref` hops
    /// (`/$defs/level/pattern`).
    pub schema_path: String,
    /// The keyword, for the problem's code (`pattern`, `required`, ...).
    pub keyword: String,
    pub what: What,
    /// The value, when it is text short enough to suggest a correction for.
    pub text: Option<String>,
    /// The value as a message quotes it.
    pub quoted: String,
    /// The validator's own message, for kinds without a better one.
    pub default_message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// Keys the schema does not know: how many, and the first of them (a
    /// message lists no more, and a file of 300,000 stray keys need not hold
    /// their names twice).
    Unexpected {
        count: usize,
        first: Vec<String>,
    },
    /// A required key that is missing.
    Required(String),
    Pattern,
    Enum(Vec<Value>),
    /// A value of the wrong type; the expected type(s) as JSON Schema names them.
    Type(String),
    /// None of the alternatives fits.
    OneOf,
    MinLength(u64),
    MinItems(u64),
    Other,
}

impl Found {
    /// The schema path of the subschema holding the keyword.
    pub fn subschema_path(&self) -> &str {
        self.schema_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent)
    }

    fn from_error(error: &ValidationError<'_>) -> Found {
        let what = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => What::Unexpected {
                count: unexpected.len(),
                first: unexpected.iter().take(KEYS_KEPT).cloned().collect(),
            },
            ValidationErrorKind::Required { property } => {
                What::Required(property.as_str().unwrap_or_default().to_owned())
            }
            ValidationErrorKind::Pattern { .. } => What::Pattern,
            ValidationErrorKind::Enum { options } => {
                What::Enum(options.as_array().cloned().unwrap_or_default())
            }
            ValidationErrorKind::Type { kind } => What::Type(match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            }),
            ValidationErrorKind::OneOfNotValid { .. } => What::OneOf,
            ValidationErrorKind::MinLength { limit } => What::MinLength(*limit),
            ValidationErrorKind::MinItems { limit } => What::MinItems(*limit),
            _ => What::Other,
        };
        let quoted = crate::diagnostic::quote_json(error.instance());
        Found {
            pointer: error.instance_path().as_str().to_owned(),
            schema_path: error.schema_path().as_str().to_owned(),
            keyword: error.kind().keyword().to_owned(),
            what,
            text: error
                .instance()
                .as_str()
                .filter(|t| t.chars().count() <= crate::diagnostic::QUOTE_CHARS)
                .map(str::to_owned),
            default_message: error.masked_with(&quoted).to_string(),
            quoted,
        }
    }
}

/// Every schema error in `value`. Where none of a `oneOf`'s alternatives fits
/// but exactly one is the one meant (its distinguishing key is there, as
/// `list:` for a list block), that one's errors stand in for the `oneOf`'s.
pub fn errors(kind: FileKind, value: &Value) -> Vec<Found> {
    let mut found = Vec::new();
    for error in kind.compiled().validator.iter_errors(value) {
        collect(&error, &mut found);
    }
    found
}

fn collect(error: &ValidationError<'_>, out: &mut Vec<Found>) {
    if let ValidationErrorKind::OneOfNotValid { context } = error.kind() {
        let here = error.instance_path().as_str();
        let meant: Vec<_> = context
            .iter()
            .filter(|branch| {
                !branch.iter().any(|e| {
                    e.instance_path().as_str() == here
                        && matches!(
                            e.kind(),
                            ValidationErrorKind::Required { .. } | ValidationErrorKind::Type { .. }
                        )
                })
            })
            .collect();
        if let [branch] = meant[..] {
            for e in branch {
                collect(e, out);
            }
            return;
        }
    }
    out.push(Found::from_error(error));
}

/// Every schema violation in `value`, each located in `file`, worded for a steward.
pub fn check(
    kind: FileKind,
    value: &Value,
    file: &SourceFile,
    positions: &Positions,
) -> (Vec<Problem>, Vec<Found>) {
    let found = errors(kind, value);
    (messages::problems(kind, &found, file, positions), found)
}

/// The node at `path` (a JSON Pointer) in `schema`, following `$ref`s to
/// local definitions on the way and at the end.
pub fn node<'a>(schema: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = resolve(schema, schema)?;
    for segment in path.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
        node = resolve(schema, node)?;
    }
    Some(node)
}

pub(super) fn resolve<'a>(schema: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    // A chain of references ends within as many hops as the schema has definitions.
    for _ in 0..64 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => node = schema.pointer(reference.strip_prefix('#')?)?,
            None => return Some(node),
        }
    }
    None
}

/// The keys a mapping described at `path` in the schema may have.
pub fn allowed_keys(schema: &Value, path: &str) -> Vec<String> {
    node(schema, path)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

/// The `$defs` entry a schema path lies in (`/$defs/level/pattern` → `level`).
pub fn definition(schema_path: &str) -> Option<&str> {
    schema_path.strip_prefix("/$defs/")?.split('/').next()
}

#[cfg(test)]
mod tests;
