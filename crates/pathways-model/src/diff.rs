//! What differs between two releases, as readers would see it: professions,
//! steps, roles, routes, stages and the page, each added, removed or changed,
//! with the fields that changed. Things are matched by slug; a pathway's steps
//! by their title and role, so removing one step does not renumber the rest.

use crate::block::Block;
use crate::release::{Profession, Release, Role, Route, Stage, Step};
use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Stage,
    Route,
    Role,
    Profession,
    Step,
}

/// One field's old and new value (absent on the side that has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub op: Op,
    pub kind: Kind,
    /// A slug; for a step `<profession>/<position>` (the position on the side it is on).
    pub key: String,
    /// As a person reads it: `profession podiatrist`, `step 3 of physiotherapist`.
    pub title: String,
    /// A few words more, such as `6 steps` for a profession added or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub fields: Vec<Field>,
}

/// How many things were added, removed and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Summary {
        let mut summary = Summary::default();
        for change in changes {
            match change.op {
                Op::Added => summary.added += 1,
                Op::Removed => summary.removed += 1,
                Op::Changed => summary.changed += 1,
            }
        }
        summary
    }

    pub fn is_empty(&self) -> bool {
        *self == Summary::default()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} removed, {} changed",
            self.added, self.removed, self.changed
        )
    }
}

/// Every change from `from` to `to`, page first, then stages, routes, roles,
/// professions and their steps, each in slug order.
pub fn diff(from: &Release, to: &Release) -> Vec<Change> {
    let mut changes = Vec::new();
    let page = vec![
        field("title", &from.page.title, &to.page.title),
        field(
            "intro",
            &from.page.intro.join("\n"),
            &to.page.intro.join("\n"),
        ),
        field(
            "footer",
            from.page.footer.as_deref().unwrap_or(""),
            to.page.footer.as_deref().unwrap_or(""),
        ),
    ];
    push_changed(&mut changes, Kind::Page, "page", "page".into(), page);
    keyed(
        &mut changes,
        Kind::Stage,
        &from.stages,
        &to.stages,
        |s| &s.slug,
        |_| None,
        stage_fields,
    );
    keyed(
        &mut changes,
        Kind::Route,
        &from.routes,
        &to.routes,
        |r| &r.slug,
        |_| None,
        |a, b| route_fields(from, a, to, b),
    );
    keyed(
        &mut changes,
        Kind::Role,
        &from.roles,
        &to.roles,
        |r| &r.slug,
        |_| None,
        role_fields,
    );
    let steps = |p: &Profession| match p.steps.len() {
        0 => None,
        1 => Some("1 step".to_owned()),
        n => Some(format!("{n} steps")),
    };
    keyed(
        &mut changes,
        Kind::Profession,
        &from.professions,
        &to.professions,
        |p| &p.slug,
        steps,
        |a, b| {
            let mut fields = vec![
                field("name", &a.name, &b.name),
                field(
                    "pathway position",
                    &position(a.pathway_position),
                    &position(b.pathway_position),
                ),
            ];
            fields.extend(crate::codes::CodeScheme::ALL.map(|scheme| {
                let text = |p: &Profession| p.code(scheme).map(|c| c.to_string());
                field(
                    scheme.key(),
                    &text(a).unwrap_or_default(),
                    &text(b).unwrap_or_default(),
                )
            }));
            fields
        },
    );
    // Steps of the professions on both sides.
    let old: BTreeMap<&str, &Profession> = from
        .professions
        .iter()
        .map(|p| (p.slug.as_str(), p))
        .collect();
    for new in &to.professions {
        if let Some(old) = old.get(new.slug.as_str()) {
            step_changes(&mut changes, from, old, to, new);
        }
    }
    changes
}

fn position(p: Option<u32>) -> String {
    p.map(|p| (p + 1).to_string()).unwrap_or_default()
}

/// Things matched by key: those only in `from` removed, only in `to` added,
/// in both compared field by field.
fn keyed<T>(
    changes: &mut Vec<Change>,
    kind: Kind,
    from: &[T],
    to: &[T],
    key: impl Fn(&T) -> &String,
    detail: impl Fn(&T) -> Option<String>,
    fields: impl Fn(&T, &T) -> Vec<Field>,
) {
    let old: BTreeMap<&str, &T> = from.iter().map(|t| (key(t).as_str(), t)).collect();
    let new: BTreeMap<&str, &T> = to.iter().map(|t| (key(t).as_str(), t)).collect();
    let noun = kind_noun(kind);
    for (slug, a) in &old {
        if !new.contains_key(slug) {
            changes.push(whole(
                Op::Removed,
                kind,
                slug,
                format!("{noun} {slug}"),
                detail(a),
            ));
        }
    }
    for (slug, b) in &new {
        match old.get(slug) {
            None => changes.push(whole(
                Op::Added,
                kind,
                slug,
                format!("{noun} {slug}"),
                detail(b),
            )),
            Some(a) => push_changed(changes, kind, slug, format!("{noun} {slug}"), fields(a, b)),
        }
    }
}

fn kind_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Page => "page",
        Kind::Stage => "stage",
        Kind::Route => "route",
        Kind::Role => "role",
        Kind::Profession => "profession",
        Kind::Step => "step",
    }
}

fn whole(op: Op, kind: Kind, key: &str, title: String, detail: Option<String>) -> Change {
    Change {
        op,
        kind,
        key: key.to_owned(),
        title,
        detail,
        fields: Vec::new(),
    }
}

/// A change when any field differs; fields that do not are dropped.
fn push_changed(
    changes: &mut Vec<Change>,
    kind: Kind,
    key: &str,
    title: String,
    fields: Vec<Field>,
) {
    let fields: Vec<Field> = fields.into_iter().filter(|f| f.from != f.to).collect();
    if !fields.is_empty() {
        changes.push(Change {
            op: Op::Changed,
            kind,
            key: key.to_owned(),
            title,
            detail: None,
            fields,
        });
    }
}

fn field(name: &str, from: &str, to: &str) -> Field {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Field {
        name: name.to_owned(),
        from: some(from),
        to: some(to),
    }
}

fn stage_fields(a: &Stage, b: &Stage) -> Vec<Field> {
    vec![
        field("name", &a.name, &b.name),
        field("label", a.export_label(), b.export_label()),
    ]
}

fn route_fields(from: &Release, a: &Route, to: &Release, b: &Route) -> Vec<Field> {
    let stages = |release: &Release, route: &Route| {
        route
            .stages
            .iter()
            .map(|s| {
                let name = release.stages.get(s.stage).map_or("?", |s| s.name.as_str());
                if s.optional {
                    format!("{name} (optional)")
                } else {
                    name.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" → ")
    };
    vec![
        field("name", &a.name, &b.name),
        field("stages", &stages(from, a), &stages(to, b)),
    ]
}

fn role_fields(a: &Role, b: &Role) -> Vec<Field> {
    let mut fields = vec![
        field("title", &a.title, &b.title),
        field("level", &a.level.label(), &b.level.label()),
        field("shared", &a.shared.to_string(), &b.shared.to_string()),
    ];
    fields.extend(block_fields("", &a.blocks, &b.blocks));
    fields
}

fn step_fields(from: &Release, a: &Step, to: &Release, b: &Step) -> Vec<Field> {
    let role = |release: &Release, step: &Step| {
        release
            .roles
            .get(step.role)
            .map(|r| r.slug.clone())
            .unwrap_or_default()
    };
    let route = |release: &Release, step: &Step| {
        step.entry_route
            .and_then(|r| release.routes.get(r))
            .map(|r| r.slug.clone())
            .unwrap_or_default()
    };
    let mut fields = vec![
        field("title", &a.title, &b.title),
        field("level", &a.level.label(), &b.level.label()),
        field("role", &role(from, a), &role(to, b)),
        field("entry route", &route(from, a), &route(to, b)),
    ];
    fields.extend(block_fields("intro ", &a.intro, &b.intro));
    fields
}

/// A pathway's steps, aligned by title and role.
fn step_changes(
    changes: &mut Vec<Change>,
    from: &Release,
    old: &Profession,
    to: &Release,
    new: &Profession,
) {
    let identity = |release: &Release, steps: &[Step]| -> Vec<(String, String)> {
        steps
            .iter()
            .map(|s| {
                let role = release
                    .roles
                    .get(s.role)
                    .map(|r| r.slug.clone())
                    .unwrap_or_default();
                (s.title.to_lowercase(), role)
            })
            .collect()
    };
    let (a, b) = (identity(from, &old.steps), identity(to, &new.steps));
    let slug = &new.slug;
    let step = |op: Op, index: usize, fields: Vec<Field>| Change {
        op,
        kind: Kind::Step,
        key: format!("{slug}/{}", index + 1),
        title: format!("step {} of {slug}", index + 1),
        detail: None,
        fields,
    };
    for op in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let paired = match op {
            DiffOp::Equal { .. } | DiffOp::Replace { .. } => old_range.len().min(new_range.len()),
            _ => 0,
        };
        for i in 0..paired {
            let (o, n) = (old_range.start + i, new_range.start + i);
            let fields: Vec<Field> = step_fields(from, &old.steps[o], to, &new.steps[n])
                .into_iter()
                .filter(|f| f.from != f.to)
                .collect();
            if !fields.is_empty() {
                changes.push(step(Op::Changed, n, fields));
            }
        }
        for o in old_range.start + paired..old_range.end {
            changes.push(step(Op::Removed, o, Vec::new()));
        }
        for n in new_range.start + paired..new_range.end {
            changes.push(step(Op::Added, n, Vec::new()));
        }
    }
}

/// Paragraphs and lists aligned by their text, named by their place (from 1)
/// on the side they are on: `paragraph 2`, `list 3`.
fn block_fields(prefix: &str, a: &[Block], b: &[Block]) -> Vec<Field> {
    let texts = |blocks: &[Block]| -> Vec<String> { blocks.iter().map(block_text).collect() };
    let (old, new) = (texts(a), texts(b));
    let name = |blocks: &[Block], i: usize| {
        let noun = match blocks[i] {
            Block::Paragraph(_) => "paragraph",
            Block::List(_) => "list",
        };
        format!("{prefix}{noun} {}", i + 1)
    };
    let mut fields = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &old, &new) {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let paired = o.len().min(n.len());
        for i in 0..paired {
            fields.push(Field {
                name: name(b, n.start + i),
                from: Some(old[o.start + i].clone()),
                to: Some(new[n.start + i].clone()),
            });
        }
        for (i, text) in old.iter().enumerate().take(o.end).skip(o.start + paired) {
            fields.push(Field {
                name: name(a, i),
                from: Some(text.clone()),
                to: None,
            });
        }
        for (i, text) in new.iter().enumerate().take(n.end).skip(n.start + paired) {
            fields.push(Field {
                name: name(b, i),
                from: None,
                to: Some(text.clone()),
            });
        }
    }
    fields
}

fn block_text(block: &Block) -> String {
    match block {
        Block::Paragraph(p) => p.clone(),
        Block::List(list) => list
            .items
            .iter()
            .map(|i| format!("{} {i}", list.marker))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A word-level diff of two texts: removed words in `[-…-]`, added in `{+…+}`,
/// as `git diff --word-diff=plain` shows them.
pub fn words(from: &str, to: &str) -> String {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(from, to);
    let mut out = String::new();
    let mut open: Option<ChangeTag> = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let text = change.value();
        if open != Some(tag) {
            close(&mut out, open);
            match tag {
                ChangeTag::Delete => out.push_str("[-"),
                ChangeTag::Insert => out.push_str("{+"),
                ChangeTag::Equal => {}
            }
            open = Some(tag);
        }
        out.push_str(text);
    }
    close(&mut out, open);
    out
}

fn close(out: &mut String, tag: Option<ChangeTag>) {
    match tag {
        Some(ChangeTag::Delete) => out.push_str("-]"),
        Some(ChangeTag::Insert) => out.push_str("+}"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::tests::small;

    #[test]
    fn equal_releases_have_no_changes() {
        assert!(diff(&small(), &small()).is_empty());
    }

    #[test]
    fn names_a_profession_added_a_step_removed_and_a_paragraph_edited() {
        let from = small();
        let mut to = small();
        to.professions.push(Profession {
            slug: "d".into(),
            name: "D".into(),
            pathway_position: Some(2),
            steps: vec![from.professions[0].steps[0].clone()],
            codes: vec![],
        });
        to.professions[0].steps.remove(0);
        to.roles[1].blocks[0] = Block::Paragraph("own text, edited".into());
        let changes = diff(&from, &to);
        let lines: Vec<String> = changes
            .iter()
            .map(|c| format!("{:?} {} {:?}", c.op, c.title, c.detail))
            .collect();
        assert_eq!(
            lines,
            [
                "Changed role own None",
                "Added profession d Some(\"1 step\")",
                "Removed step 1 of a None",
            ]
        );
        assert_eq!(changes[0].fields[0].name, "paragraph 1");
        assert_eq!(
            Summary::of(&changes),
            Summary {
                added: 1,
                removed: 1,
                changed: 1
            }
        );
    }

    #[test]
    fn a_word_diff_marks_only_what_changed() {
        assert_eq!(
            words(
                "works with people in care",
                "works with older people in care"
            ),
            "works with {+older +}people in care"
        );
        assert_eq!(words("a b c", "a x c"), "a [-b-]{+x+} c");
    }
}
