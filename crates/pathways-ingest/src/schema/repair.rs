//! Reading past schema errors, so a file that fails its schema still takes
//! part in the content rules as far as it can be read. Unknown keys are
//! dropped; a missing value, or one of the wrong shape, is replaced by the
//! plainest value its schema allows (`""`, `[]`, a mapping of those); a value
//! of the right shape that breaks a rule (a pattern, a length) is kept. The
//! schema errors are already reported, so rule problems at the pointers they
//! name are not reported again, and what was replaced is known to be unknown.

use super::{allowed_keys, node, resolve, FileKind, Found, What};
use crate::content::Defined;
use serde_json::{Map, Value};

/// A file's value after repair, and what the repair did.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    pub value: Value,
    /// Pointers of invalid or replaced values: a rule problem at or below one
    /// is about a schema error already reported.
    pub damaged: Vec<String>,
    /// Pointers of values that were missing or of the wrong shape, and so replaced.
    pub replaced: Vec<String>,
}

/// `value` repaired past the schema errors `found` in it.
pub fn repair(kind: FileKind, mut value: Value, found: &[Found]) -> Repaired {
    let schema = kind.schema();
    let mut damaged = Vec::new();
    let mut replaced = Vec::new();
    for f in found {
        match &f.what {
            What::Unexpected { .. } => {
                let allowed = allowed_keys(schema, f.subschema_path());
                if let Some(Value::Object(object)) = value.pointer_mut(&f.pointer) {
                    object.retain(|key, _| allowed.contains(key));
                }
            }
            What::Required(key) => {
                let plain = node(schema, f.subschema_path())
                    .and_then(|n| n.get("properties")?.get(key))
                    .map_or(Value::Null, |n| plainest(schema, n, 0));
                if let Some(Value::Object(object)) = value.pointer_mut(&f.pointer) {
                    object.insert(key.clone(), plain);
                }
                let pointer = format!("{}/{}", f.pointer, crate::yaml::escape_segment(key));
                damaged.push(pointer.clone());
                replaced.push(pointer);
            }
            What::Type(_) | What::OneOf | What::Enum(_) => {
                let plain = node(schema, f.subschema_path())
                    .map_or(Value::Null, |n| plainest(schema, n, 0));
                if let Some(slot) = value.pointer_mut(&f.pointer) {
                    *slot = plain;
                }
                damaged.push(f.pointer.clone());
                replaced.push(f.pointer.clone());
            }
            _ => damaged.push(f.pointer.clone()),
        }
    }
    Repaired {
        value,
        damaged,
        replaced,
    }
}

/// The plainest value `schema_node` allows: what stands in for one that is
/// missing or of the wrong shape.
fn plainest(schema: &Value, schema_node: &Value, depth: usize) -> Value {
    let Some(n) = resolve(schema, schema_node).filter(|_| depth < 16) else {
        return Value::Null;
    };
    match n.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(String::new()),
        Some("array") => Value::Array(Vec::new()),
        Some("boolean") => Value::Bool(false),
        Some("integer" | "number") => Value::from(0),
        Some("object") => {
            let mut object = Map::new();
            for key in n["required"].as_array().into_iter().flatten() {
                if let Some(key) = key.as_str() {
                    let property = &n["properties"][key];
                    object.insert(key.to_owned(), plainest(schema, property, depth + 1));
                }
            }
            Value::Object(object)
        }
        _ => {
            if let Some(first) = n.get("enum").and_then(|e| e.get(0)) {
                return first.clone();
            }
            match ["oneOf", "anyOf"].iter().find_map(|k| n.get(*k)?.get(0)) {
                Some(first) => plainest(schema, first, depth + 1),
                None => n.get("const").cloned().unwrap_or(Value::Null),
            }
        }
    }
}

/// The definitions a repaired file of `kind` leaves unknown, and where: a
/// list of them or one of them replaced (`/roles`, `/roles/3`), or a slug
/// missing or not a slug (`/roles/3/slug`, a profession's `/slug`), since
/// what references to it would say cannot be known.
pub fn lost(kind: FileKind, repaired: &Repaired) -> Vec<(Defined, String)> {
    let lists: &[(&str, Defined)] = match kind {
        FileKind::Roles | FileKind::Profession => &[("roles", Defined::Role)],
        FileKind::Routes => &[("stages", Defined::Stage), ("routes", Defined::Route)],
        FileKind::Page | FileKind::Codes => &[],
    };
    let mut out: Vec<(Defined, String)> = Vec::new();
    let mut add = |defined, pointer: &String| {
        if !out.iter().any(|(_, p)| p == pointer) {
            out.push((defined, pointer.clone()));
        }
    };
    for pointer in &repaired.replaced {
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        for (list, defined) in lists {
            if let [l] | [l, _] = segments[..] {
                if l == *list {
                    add(*defined, pointer);
                }
            }
        }
    }
    for pointer in repaired.damaged.iter().filter(|p| p.ends_with("/slug")) {
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        match segments[..] {
            ["slug"] if kind == FileKind::Profession => add(Defined::Pathway, pointer),
            [l, _, "slug"] => {
                for (list, defined) in lists {
                    if l == *list {
                        add(*defined, pointer);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(kind: FileKind, value: Value) -> Repaired {
        let found = crate::schema::errors(kind, &value);
        repair(kind, value, &found)
    }

    #[test]
    fn keeps_what_can_be_read() {
        let r = repaired(
            FileKind::Profession,
            json!({"slug": "a", "name": "A", "pathway": {"steps": [
                {"title": "X", "levle": "Level 2", "role": "r"},
                {"title": "Y", "level": "Level Five", "role": 7},
                {"title": "Z", "level": "Level 3", "role": "s", "intro": ["text", {"paragraph": "p"}]},
            ]}}),
        );
        assert_eq!(
            r.value["pathway"]["steps"],
            json!([
                {"title": "X", "level": "", "role": "r"},
                {"title": "Y", "level": "Level Five", "role": ""},
                {"title": "Z", "level": "Level 3", "role": "s", "intro": [{"paragraph": ""}, {"paragraph": "p"}]},
            ])
        );
        let mut damaged = r.damaged.clone();
        damaged.sort();
        assert_eq!(
            damaged,
            [
                "/pathway/steps/0/level",
                "/pathway/steps/1/level",
                "/pathway/steps/1/role",
                "/pathway/steps/2/intro/0"
            ]
        );
        assert!(!r.replaced.contains(&"/pathway/steps/1/level".to_owned()));
        let typed: Result<crate::model::ProfessionFile, _> = serde_json::from_value(r.value);
        assert!(typed.is_ok(), "{typed:?}");
    }

    #[test]
    fn says_which_definitions_were_lost() {
        let r = repaired(
            FileKind::Roles,
            json!({"roles": [{"title": "T", "level": "Level 2", "content": [{"paragraph": "p"}]}]}),
        );
        assert_eq!(
            lost(FileKind::Roles, &r),
            [(Defined::Role, "/roles/0/slug".to_owned())]
        );
        let r = repaired(FileKind::Routes, json!({"stages": "none", "routes": []}));
        assert_eq!(
            lost(FileKind::Routes, &r),
            [(Defined::Stage, "/stages".to_owned())]
        );
        let r = repaired(
            FileKind::Profession,
            json!({"slug": "Para Medic", "name": "P"}),
        );
        assert_eq!(
            lost(FileKind::Profession, &r),
            [(Defined::Pathway, "/slug".to_owned())]
        );
    }
}
