//! `/professions/<slug>`: a profession's pathway level by level, the routes
//! between its steps, every role's text and the profession's own intros, with
//! its schema.org JSON-LD in the head; `/professions/<slug>.jsonld` is that
//! document alone.

use super::shell::{paras, summary, Para, Reading, Shell};
use crate::snapshot::{ProfessionIx, ProfessionJsonLd, RoleIx, RouteIx, Snapshot};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "profession.html")]
struct ProfessionPage<'a> {
    shell: Shell<'a>,
    name: &'a str,
    levels: Vec<Level<'a>>,
    /// The profession's JSON-LD, made once per release.
    json_ld: Arc<ProfessionJsonLd>,
}

struct Level<'a> {
    label: String,
    steps: Vec<Step<'a>>,
}

struct Step<'a> {
    position: usize,
    title: &'a str,
    level: String,
    route: Option<Route<'a>>,
    intro: Vec<Para<'a>>,
    text: Vec<Para<'a>>,
    role: &'a str,
    /// The other professions whose pathways show the role.
    others: Vec<Other<'a>>,
}

struct Other<'a> {
    slug: &'a str,
    name: &'a str,
}

struct Route<'a> {
    name: &'a str,
    /// The title of the step the route starts from.
    from: &'a str,
    stages: Vec<Stage<'a>>,
}

struct Stage<'a> {
    name: &'a str,
    optional: bool,
}

pub async fn get(
    reading: Reading,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    if let Some(slug) = slug.strip_suffix(".jsonld") {
        return super::jsonld::profession(&state, &headers, &reading, slug);
    }
    let path = format!("/professions/{}", super::shell::encode(&slug));
    let Some(ix) = reading.snapshot().profession_by_slug(&slug) else {
        let message = format!("There is no profession “{slug}”.");
        return super::not_found::page(
            &state,
            &headers,
            &reading,
            &path,
            ("Profession not found", message),
        );
    };
    let snapshot = reading.snapshot();
    let profession = snapshot.profession(ix);
    let page = ProfessionPage {
        shell: Shell::new(&reading, &path, Some(&profession.name), Some(&slug))
            .described(description(snapshot, ix)),
        name: &profession.name,
        levels: levels(snapshot, ix),
        json_ld: snapshot.profession_json_ld(ix, &reading.base),
    };
    match page.render() {
        Ok(body) => reading
            .rendered(StatusCode::OK, super::respond::HTML, body)
            .respond(&state, &headers),
        Err(error) => super::not_found::failed(&state, &headers, error),
    }
}

/// The meta description: the pathway's steps in order, or that there is none yet.
fn description(snapshot: &Snapshot, ix: ProfessionIx) -> String {
    let profession = snapshot.profession(ix);
    if !profession.has_pathway() {
        return format!(
            "{}: no example career pathway has been published yet.",
            profession.name
        );
    }
    let steps: Vec<String> = profession
        .steps
        .iter()
        .map(|s| format!("{} ({})", s.title, s.level.label()))
        .collect();
    summary(
        &format!(
            "Example career pathway for {}: {}.",
            profession.name,
            steps.join(", ")
        ),
        300,
    )
}

/// The pathway level by level, each step with the route into it from the one before.
fn levels(snapshot: &Snapshot, ix: ProfessionIx) -> Vec<Level<'_>> {
    snapshot
        .pathway_levels(ix)
        .iter()
        .map(|level| Level {
            label: level.level.label(),
            steps: level.steps.iter().map(|&i| step(snapshot, ix, i)).collect(),
        })
        .collect()
}

fn step(snapshot: &Snapshot, ix: ProfessionIx, i: usize) -> Step<'_> {
    let profession = snapshot.profession(ix);
    let step = &profession.steps[i];
    let role = RoleIx(step.role);
    let route = step
        .entry_route
        .zip(i.checked_sub(1))
        .map(|(route, before)| {
            let route = snapshot.route(RouteIx(route));
            Route {
                name: &route.name,
                from: &profession.steps[before].title,
                stages: route
                    .stages
                    .iter()
                    .map(|s| Stage {
                        name: snapshot.stage_name(s.stage),
                        optional: s.optional,
                    })
                    .collect(),
            }
        });
    Step {
        position: i + 1,
        title: &step.title,
        level: step.level.label(),
        route,
        intro: paras(&step.intro),
        text: paras(&snapshot.role(role).blocks),
        role: &snapshot.role(role).slug,
        others: snapshot
            .role_users(role)
            .iter()
            .filter(|&&p| p != ix)
            .map(|&p| Other {
                slug: &snapshot.profession(p).slug,
                name: &snapshot.profession(p).name,
            })
            .collect(),
    }
}
