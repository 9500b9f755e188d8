//! Stage 2: JSON Schema (draft 2020-12) validation with the `jsonschema` crate.
//! The schemas are `schema/*.schema.json`, compiled into the binary.

use crate::diagnostic::{Code, Location, Problem};
use crate::source::SourceFile;
use crate::yaml::Positions;
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

    fn validator(self) -> &'static jsonschema::Validator {
        static VALIDATORS: OnceLock<Vec<jsonschema::Validator>> = OnceLock::new();
        let validators = VALIDATORS.get_or_init(|| {
            FileKind::ALL
                .iter()
                .map(|kind| {
                    // The schemas ship inside the binary and are tested; a broken one is a build defect.
                    let schema: Value = serde_json::from_str(kind.schema_text())
                        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", kind.schema_file()));
                    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| {
                        panic!("{} is not a valid schema: {e}", kind.schema_file())
                    })
                })
                .collect()
        });
        &validators[FileKind::ALL.iter().position(|k| *k == self).unwrap_or(0)]
    }
}

/// Every schema violation in `value`, each located in `file`.
pub fn check(
    kind: FileKind,
    value: &Value,
    file: &SourceFile,
    positions: &Positions,
) -> Vec<Problem> {
    kind.validator()
        .iter_errors(value)
        .map(|error| {
            let pointer = error.instance_path().as_str().to_owned();
            let (line, column) = positions.find(&pointer);
            let mut location: Location = file.location_at(line, column);
            location.pointer = Some(if pointer.is_empty() {
                "/".into()
            } else {
                pointer
            });
            let mut problem = Problem::error(
                Code::Schema(error.kind().keyword().to_owned()),
                location,
                message(&error),
            );
            problem.schema_path = Some(error.schema_path().as_str().to_owned());
            problem.help = Some(format!("see schema/{}", kind.schema_file()));
            problem
        })
        .collect()
}

/// The validator's message with the offending value quoted cut to a readable
/// length, and unexpected property names listed the same way.
fn message(error: &jsonschema::ValidationError<'_>) -> String {
    if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
        error.kind()
    {
        let noun = if unexpected.len() == 1 {
            "property"
        } else {
            "properties"
        };
        return format!(
            "{} unexpected {noun} ({}): additional properties are not allowed",
            unexpected.len(),
            crate::diagnostic::list(unexpected)
        );
    }
    error
        .masked_with(crate::diagnostic::quote_json(error.instance()))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(kind: FileKind, text: &str) -> Vec<Problem> {
        let file = SourceFile::new("professions/x.yaml", text.to_owned());
        let (value, positions) = crate::yaml::parse(&file).unwrap();
        check(kind, &value, &file, &positions)
    }

    #[test]
    fn every_schema_compiles() {
        for kind in FileKind::ALL {
            let _ = kind.validator();
        }
    }

    #[test]
    fn reports_every_violation_with_its_pointer_and_line() {
        let found = problems(
            FileKind::Profession,
            "slug: Bad Slug\nname: X\npathway:\n  steps:\n    - title: A\n      level: Level 9\n",
        );
        let codes: Vec<_> = found
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.location.pointer.clone().unwrap(),
                    p.location.line,
                )
            })
            .collect();
        assert!(
            codes.contains(&("pathways::schema::pattern".into(), "/slug".into(), 1)),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(
                "pathways::schema::pattern".into(),
                "/pathway/steps/0/level".into(),
                6
            )),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(
                "pathways::schema::required".into(),
                "/pathway/steps/0".into(),
                5
            )),
            "{codes:?}"
        );
    }

    #[test]
    fn shared_definitions_agree_across_schemas() {
        let defs =
            |k: FileKind| serde_json::from_str::<Value>(k.schema_text()).unwrap()["$defs"].clone();
        let roles = defs(FileKind::Roles);
        let profession = defs(FileKind::Profession);
        for name in ["slug", "text", "level", "block", "role"] {
            assert_eq!(roles[name], profession[name], "$defs/{name} differs");
        }
        assert_eq!(defs(FileKind::Page)["slug"], roles["slug"]);
        assert_eq!(defs(FileKind::Routes)["text"], roles["text"]);
        assert_eq!(defs(FileKind::Codes)["slug"], roles["slug"]);
        assert_eq!(defs(FileKind::Codes)["text"], roles["text"]);
    }
}

#[cfg(test)]
mod bounded {
    use super::*;

    /// The one message a roles file with `text` gets, checked to be short.
    fn message_for(text: String) -> String {
        let file = SourceFile::new("roles.yaml", text);
        let (value, positions) = crate::yaml::parse(&file).unwrap();
        let found = check(FileKind::Roles, &value, &file, &positions);
        assert_eq!(found.len(), 1);
        let message = found[0].message.clone();
        assert!(message.chars().count() < 250, "{message}");
        message
    }

    #[test]
    fn huge_values_are_quoted_cut() {
        let keys: String = (0..50_000).map(|i| format!("k{i}: 1\n")).collect();
        let message = message_for(format!("roles: []\n{keys}"));
        assert!(
            message.starts_with("50000 unexpected properties (`k0`, `k1`"),
            "{message}"
        );

        let long = "word ".repeat(20_000);
        let message = message_for(format!("roles: {long}\n"));
        assert!(message.contains("… (100001 bytes)"), "{message}");
    }
}
