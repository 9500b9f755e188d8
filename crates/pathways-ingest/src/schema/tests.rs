use super::*;
use crate::diagnostic::Problem;
use test_case::test_case;

fn problems(kind: FileKind, text: &str) -> Vec<Problem> {
    let file = SourceFile::new("professions/x.yaml", text.to_owned());
    let (value, positions) = crate::yaml::parse(&file).unwrap();
    check(kind, &value, &file, &positions).0
}

/// (code, pointer, line, column, message) of each problem.
fn summary(found: &[Problem]) -> Vec<(String, String, usize, usize, String)> {
    found
        .iter()
        .map(|p| {
            (
                p.code.as_str(),
                p.location.pointer.clone().unwrap_or_default(),
                p.location.line,
                p.location.column,
                p.message.clone(),
            )
        })
        .collect()
}

#[test]
fn every_schema_compiles_and_has_an_id() {
    for kind in FileKind::ALL {
        assert_eq!(
            kind.id(),
            format!("https://pathways.example/schema/{}", kind.schema_file())
        );
        assert_eq!(FileKind::from_name(kind.name()), Some(kind));
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
    for expected in [
        ("pathways::schema::pattern", "/slug", 1),
        ("pathways::schema::pattern", "/pathway/steps/0/level", 6),
        ("pathways::schema::required", "/pathway/steps/0", 5),
    ] {
        assert!(
            codes.contains(&(expected.0.into(), expected.1.into(), expected.2)),
            "{expected:?} in {codes:?}"
        );
    }
}

#[test_case("Level Five", r#""Level Five" is not a level: did you mean "Level 5"? Levels are Entry Level, Level 1 … Level 8"# ; "a level in words")]
#[test_case("Level 9", r#""Level 9" is not a level. Levels are Entry Level, Level 1 … Level 8"# ; "beyond the scheme")]
fn a_level_names_the_levels_and_the_nearest(level: &str, message: &str) {
    let text = format!("slug: a\nname: A\npathway:\n  steps:\n    - title: A\n      level: {level}\n      role: r\n");
    let found = problems(FileKind::Profession, &text);
    assert_eq!(
        summary(&found),
        [(
            "pathways::schema::pattern".into(),
            "/pathway/steps/0/level".into(),
            6,
            14,
            message.into()
        )]
    );
    let help = found[0].help.as_deref().unwrap();
    assert!(
        help.contains("https://pathways.example/schema/profession.schema.json")
            && help.contains("`pathways schema profession`"),
        "{help}"
    );
}

#[test]
fn a_slug_gets_its_slug_form() {
    let found = problems(FileKind::Profession, "slug: Bad Slug\nname: A\n");
    assert_eq!(
        found[0].message,
        r#""Bad Slug" is not a slug: did you mean "bad-slug"? Slugs are lower-case letters and digits joined by single hyphens, like `senior-healthcare-support-worker`"#
    );
}

#[test]
fn an_unknown_key_is_reported_at_the_key_with_the_missing_one_folded_in() {
    let text = "slug: a\nname: A\npathway:\n  steps:\n    - title: A\n      levle: Level 2\n      role: r\n";
    let found = problems(FileKind::Profession, text);
    assert_eq!(
        summary(&found),
        [(
            "pathways::schema::additionalProperties".into(),
            "/pathway/steps/0/levle".into(),
            6,
            7,
            "unknown key `levle`: did you mean `level`? (`level` is required and missing)".into()
        )]
    );
    let help = found[0].help.as_deref().unwrap();
    assert!(
        help.starts_with("keys here: `title`, `level`, `role`"),
        "{help}"
    );
}

#[test]
fn an_unknown_key_far_from_any_stays_apart_from_a_missing_one() {
    let found = problems(FileKind::Profession, "slug: a\ncolour: red\n");
    let mut found = summary(&found);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "pathways::schema::additionalProperties".into(),
                "/colour".into(),
                2,
                1,
                "unknown key `colour`".into()
            ),
            (
                "pathways::schema::required".into(),
                "/".into(),
                1,
                1,
                "missing key `name`: it is required here".into()
            ),
        ]
    );
}

#[test]
fn an_enum_names_its_values_and_the_nearest() {
    let text = "slug: a\nname: A\nroles:\n  - slug: r\n    title: R\n    level: Level 2\n    content:\n      - list:\n          kind: job-titles\n          items: [a]\n";
    let found = problems(FileKind::Profession, text);
    assert_eq!(
        summary(&found),
        [(
            "pathways::schema::enum".into(),
            "/roles/0/content/0/list/kind".into(),
            9,
            17,
            r#""job-titles" is not allowed for `kind`: did you mean "job_titles"? Allowed: job_titles, working_with"#.into()
        )]
    );
}

#[test]
fn a_block_neither_paragraph_nor_list_says_which_it_may_be() {
    let text = "roles:\n  - slug: r\n    title: R\n    level: Level 2\n    content:\n      - paragraf: Text.\n";
    let file = SourceFile::new("roles.yaml", text.to_owned());
    let (value, positions) = crate::yaml::parse(&file).unwrap();
    let found = check(FileKind::Roles, &value, &file, &positions).0;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message,
        r#"expected one of `paragraph: …` or `list: …`, found a mapping {"paragraf":"Text."}: did you mean `paragraph`?"#
    );
}

#[test]
fn shared_definitions_agree_across_schemas() {
    let defs = |k: FileKind| k.schema()["$defs"].clone();
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

/// Every pattern a schema defines is one the messages put in words.
#[test]
fn every_pattern_has_words() {
    for kind in FileKind::ALL {
        for (name, def) in kind.schema()["$defs"].as_object().unwrap() {
            if def.get("pattern").is_some() {
                assert!(messages::shape(name).is_some(), "$defs/{name} in {kind:?}");
            }
        }
    }
}

mod bounded {
    use super::*;

    /// The one message a roles file with `text` gets, checked to be short.
    fn message_for(text: String) -> String {
        let file = SourceFile::new("roles.yaml", text);
        let (value, positions) = crate::yaml::parse(&file).unwrap();
        let found = check(FileKind::Roles, &value, &file, &positions).0;
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
            message.starts_with("50000 unknown keys (`k0`, `k1`"),
            "{message}"
        );
        let shown = message.matches("`, `").count() + 1;
        assert!(
            message.ends_with(&format!(
                ", … and {} more): this mapping does not take them",
                50_000 - shown
            )),
            "{message}"
        );

        let long = "word ".repeat(20_000);
        let message = message_for(format!("roles: {long}\n"));
        assert!(message.contains("… (100001 bytes)"), "{message}");
    }
}
