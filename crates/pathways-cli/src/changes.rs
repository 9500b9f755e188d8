//! What changes for readers between two releases, rendered like a plan:
//! `+ profession podiatrist (6 steps)`, `- step 3 of physiotherapist`,
//! `~ role advanced-clinical-practitioner: paragraph 2` with a word-level diff
//! of changed text under it. Shared by `diff`, `publish`, `rollback` and
//! `ingest --dry-run`.

use pathways_model::diff::{words, Change, Op, Summary};
use serde_json::{json, Value};

/// One line per change, changed text under its line.
pub fn human(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let sign = match change.op {
            Op::Added => '+',
            Op::Removed => '-',
            Op::Changed => '~',
        };
        out.push_str(&format!("{sign} {}", change.title));
        if let Some(detail) = &change.detail {
            out.push_str(&format!(" ({detail})"));
        }
        if !change.fields.is_empty() {
            let names: Vec<&str> = change.fields.iter().map(|f| f.name.as_str()).collect();
            out.push_str(&format!(": {}", names.join(", ")));
        }
        out.push('\n');
        for field in &change.fields {
            let shown = match (&field.from, &field.to) {
                (Some(from), Some(to)) => words(from, to),
                (None, Some(to)) => format!("{{+{to}+}}"),
                (Some(from), None) => format!("[-{from}-]"),
                (None, None) => continue,
            };
            for (i, line) in shown.lines().enumerate() {
                let label = if i == 0 {
                    format!("{}: ", field.name)
                } else {
                    " ".repeat(field.name.chars().count() + 2)
                };
                out.push_str(&format!("    {label}{line}\n"));
            }
        }
    }
    out
}

/// `{"changes": [...], "summary": {...}}` members.
pub fn json(changes: &[Change]) -> (Value, Value) {
    (json!(changes), json!(Summary::of(changes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathways_model::diff::{Field, Kind};

    #[test]
    fn reads_like_a_plan() {
        let changes = vec![
            Change {
                op: Op::Added,
                kind: Kind::Profession,
                key: "podiatrist".into(),
                title: "profession podiatrist".into(),
                detail: Some("6 steps".into()),
                fields: vec![],
            },
            Change {
                op: Op::Changed,
                kind: Kind::Role,
                key: "acp".into(),
                title: "role acp".into(),
                detail: None,
                fields: vec![Field {
                    name: "paragraph 2".into(),
                    from: Some("works with people".into()),
                    to: Some("works with older people".into()),
                }],
            },
        ];
        assert_eq!(
            human(&changes),
            "+ profession podiatrist (6 steps)\n~ role acp: paragraph 2\n    paragraph 2: works with {+older +}people\n"
        );
    }
}
