//! `/search?q=`: the search form's results, as links to the pages they are on.

use super::shell::{encode, Reading, Shell};
use crate::snapshot::{HitTarget, ProfessionIx, RoleIx, Snapshot, StepIx};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// Most results shown, as the explorer asks.
const RESULTS: usize = 20;
/// Longest search text read, in characters.
const MAX_QUERY: usize = 200;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    shell: Shell<'a>,
    hits: Vec<Hit<'a>>,
}

struct Hit<'a> {
    href: String,
    title: &'a str,
    kind: &'static str,
    /// The profession of a step found.
    profession: Option<&'a str>,
    snippet: Vec<Part>,
}

/// A piece of a snippet, marked when it is a word searched for.
struct Part {
    text: String,
    marked: bool,
}

pub async fn get(
    reading: Reading,
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query: String = params
        .get("q")
        .map(|q| q.trim().chars().take(MAX_QUERY).collect())
        .unwrap_or_default();
    let snapshot = reading.snapshot();
    let hits = if query.is_empty() {
        Vec::new()
    } else {
        snapshot.search(&query, RESULTS)
    };
    let path = format!("/search?q={}", encode(&query));
    let mut shell = Shell::new(&reading, &path, Some(&format!("Search: {query}")), None)
        .described(format!("Roles and pathways matching “{query}”."));
    shell.query = &query;
    // Results are for people: search engines index the pages they lead to.
    shell.noindex = true;
    let page = SearchPage {
        hits: hits.iter().map(|hit| result(snapshot, hit)).collect(),
        shell,
    };
    match page.render() {
        Ok(body) => {
            let mut rendered = reading.rendered(StatusCode::OK, super::respond::HTML, body);
            rendered.noindex = true;
            rendered.respond(&state, &headers)
        }
        Err(error) => super::not_found::failed(&state, &headers, error),
    }
}

fn result<'a>(snapshot: &'a Snapshot, hit: &crate::snapshot::Hit) -> Hit<'a> {
    let (href, title, kind, profession) = match hit.target {
        HitTarget::Profession(p) => {
            let p = snapshot.profession(ProfessionIx(p));
            (
                format!("/professions/{}", p.slug),
                p.name.as_str(),
                "profession",
                None,
            )
        }
        HitTarget::Step { profession, step } => {
            let p = snapshot.profession(ProfessionIx(profession));
            let s = snapshot.step(StepIx { profession, step });
            let href = format!("/professions/{}#step-{}", p.slug, step + 1);
            (href, s.title.as_str(), "step", Some(p.name.as_str()))
        }
        HitTarget::Role(r) => {
            let r = snapshot.role(RoleIx(r));
            (format!("/roles/{}", r.slug), r.title.as_str(), "role", None)
        }
    };
    Hit {
        href,
        title,
        kind,
        profession,
        snippet: hit
            .snippet
            .split("**")
            .enumerate()
            .map(|(i, text)| Part {
                text: text.to_owned(),
                marked: i % 2 == 1,
            })
            .collect(),
    }
}
