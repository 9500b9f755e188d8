//! Nodes every document shares: the Regulated Qualifications Framework as a
//! `DefinedTermSet` of its levels, the credential each level stands for, the
//! stages routes pass through, and the code sets of occupation classifications.

use crate::base::BaseUrl;
use pathways_model::level::MAX_RANK;
use pathways_model::{CodeScheme, Level, OccupationCode, Profession, Release, Stage};
use serde_json::{json, Value};

/// Where Ofqual's register describes the RQF's levels.
const RQF_URL: &str =
    "https://www.gov.uk/what-different-qualification-levels-mean/list-of-qualification-levels";

pub fn id(id: String) -> Value {
    json!({ "@id": id })
}

fn level_fragment(level: Level) -> String {
    match level.rank() {
        0 => "entry-level".to_owned(),
        n => format!("level-{n}"),
    }
}

/// The `DefinedTerm` of a level in the RQF.
pub fn level_id(base: &BaseUrl, level: Level) -> String {
    base.shared(&format!("rqf-{}", level_fragment(level)))
}

/// The credential a level stands for: a qualification at that RQF level.
pub fn credential_id(base: &BaseUrl, level: Level) -> String {
    base.shared(&format!("credential-{}", level_fragment(level)))
}

pub fn stage_id(base: &BaseUrl, stage: &Stage) -> String {
    base.shared(&format!("stage-{}", stage.slug))
}

/// The RQF, Entry Level to Level 8, each level a `DefinedTerm` in it.
pub fn rqf(base: &BaseUrl) -> Value {
    let set = base.shared("rqf");
    let terms: Vec<Value> = (0..=MAX_RANK)
        .filter_map(|rank| Level::from_rank(rank).ok())
        .map(|level| {
            json!({
                "@type": "DefinedTerm",
                "@id": level_id(base, level),
                "name": level.label(),
                "termCode": if level.rank() == 0 { "entry".to_owned() } else { level.rank().to_string() },
                "inDefinedTermSet": id(set.clone()),
            })
        })
        .collect();
    json!({
        "@type": "DefinedTermSet",
        "@id": set,
        "name": "Regulated Qualifications Framework (RQF)",
        "url": RQF_URL,
        "hasDefinedTerm": terms,
    })
}

/// One credential per level in `levels`.
pub fn credentials(base: &BaseUrl, levels: impl IntoIterator<Item = Level>) -> Vec<Value> {
    levels
        .into_iter()
        .map(|level| {
            json!({
                "@type": "EducationalOccupationalCredential",
                "@id": credential_id(base, level),
                "name": format!("A qualification at RQF {}", level.label()),
                "educationalLevel": id(level_id(base, level)),
            })
        })
        .collect()
}

/// The stages routes pass through, as terms of one set.
pub fn stages(base: &BaseUrl, release: &Release) -> Value {
    let set = base.shared("stages");
    let terms: Vec<Value> = release
        .stages
        .iter()
        .map(|stage| {
            json!({
                "@type": "DefinedTerm",
                "@id": stage_id(base, stage),
                "name": stage.name,
                "termCode": stage.slug,
                "inDefinedTermSet": id(set.clone()),
            })
        })
        .collect();
    json!({
        "@type": "DefinedTermSet",
        "@id": set,
        "name": "Stages of education and training on the routes between roles",
        "hasDefinedTerm": terms,
    })
}

fn code_set_id(base: &BaseUrl, scheme: CodeScheme) -> String {
    base.shared(&format!("codes-{}", scheme.key()))
}

/// The code set of each scheme `professions` have codes in.
pub fn code_sets(base: &BaseUrl, professions: &[&Profession]) -> Vec<Value> {
    CodeScheme::ALL
        .into_iter()
        .filter(|scheme| professions.iter().any(|p| p.code(*scheme).is_some()))
        .map(|scheme| {
            json!({
                "@type": "CategoryCodeSet",
                "@id": code_set_id(base, scheme),
                "name": scheme.title(),
                "url": scheme.home(),
            })
        })
        .collect()
}

/// An occupation code as a `CategoryCode` in its scheme's set; where the scheme
/// gives codes a URI, that URI is its `@id`.
pub fn category_code(base: &BaseUrl, code: &OccupationCode) -> Value {
    let mut node = json!({
        "@type": "CategoryCode",
        "codeValue": code.code,
        "name": code.name,
        "inCodeSet": id(code_set_id(base, code.scheme)),
    });
    if let Some(uri) = code.uri() {
        node["@id"] = Value::String(uri);
    }
    node
}
