//! A route between two steps as a program: what it takes from the step before
//! (`programPrerequisites`) to the step it leads into (`educationalCredentialAwarded`).

use crate::base::BaseUrl;
use crate::terms::{credential_id, id, stage_id};
use pathways_model::{Release, Route, Step};
use serde_json::{json, Value};

/// Apprenticeship stages are learnt at work: a route made only of them is a
/// `WorkBasedProgram` ("programs such as apprenticeships"), any other an
/// `EducationalOccupationalProgram`. The stage vocabulary is content, so the
/// test is its name.
pub fn is_work_based(release: &Release, route: &Route) -> bool {
    !route.stages.is_empty()
        && route.stages.iter().all(|s| {
            release
                .stages
                .get(s.stage)
                .is_some_and(|stage| stage.name.to_lowercase().contains("apprenticeship"))
        })
}

/// The stages in order as a reader says them: `Apprenticeship, then Degree
/// apprenticeship`, optional ones marked.
fn stages_text(release: &Release, route: &Route) -> String {
    let names: Vec<String> = route
        .stages
        .iter()
        .filter_map(|s| {
            let stage = release.stages.get(s.stage)?;
            Some(if s.optional {
                format!("{} (optional)", stage.name)
            } else {
                stage.name.clone()
            })
        })
        .collect();
    names.join(", then ")
}

/// The program that leads from `before` into `step` by `route`. `id_of_step`
/// names the node; `categories` are the profession's codes, referenced.
pub fn program(
    base: &BaseUrl,
    release: &Release,
    route: &Route,
    (before, step): (&Step, &Step),
    node_id: String,
    categories: &[Value],
) -> Value {
    let kind = if is_work_based(release, route) {
        "WorkBasedProgram"
    } else {
        "EducationalOccupationalProgram"
    };
    let stages: Vec<Value> = route
        .stages
        .iter()
        .filter_map(|s| Some(id(stage_id(base, release.stages.get(s.stage)?))))
        .collect();
    let mut node = json!({
        "@type": kind,
        "@id": node_id,
        "name": format!("{} route into {}", route.name, step.title),
        "identifier": route.slug,
        "description": format!("{}: {}", route.name, stages_text(release, route)),
        "programType": stages,
        "programPrerequisites": id(credential_id(base, before.level)),
        "educationalCredentialAwarded": id(credential_id(base, step.level)),
    });
    if !categories.is_empty() {
        node["occupationalCategory"] = Value::Array(categories.to_vec());
    }
    node
}
