//! `/`: the professions, as links; and the explorer's old addresses
//! (`/?profession=`, `/?role=`, `/?q=`), which redirect to the pages that
//! replaced them.

use super::respond::redirect;
use super::shell::{encode, Reading, Shell};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    shell: Shell<'a>,
    /// How many professions have a pathway.
    pathways: usize,
    footer: Option<&'a str>,
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Some(location) = old_address(&params) {
        return redirect(&location);
    }
    let reading = match Reading::of(&state, &headers, params.contains_key("release")).await {
        Ok(reading) => reading,
        Err(refused) => return refused,
    };
    let shell = Shell::new(&reading, "/", None, None);
    let page = Home {
        pathways: shell.professions.iter().filter(|p| p.has_pathway).count(),
        footer: reading.snapshot().content.page.footer.as_deref(),
        shell,
    };
    match page.render() {
        Ok(body) => reading
            .rendered(StatusCode::OK, super::respond::HTML, body)
            .respond(&state, &headers),
        Err(error) => super::not_found::failed(&state, &headers, error),
    }
}

/// Where an old explorer address now lives: `?profession=` (with `&step=N`,
/// that step's place on the page), `?role=`, `?q=`; a previewed `?release=`
/// goes along.
fn old_address(params: &HashMap<String, String>) -> Option<String> {
    let mut location = if let Some(slug) = params.get("profession") {
        format!("/professions/{}", encode(slug))
    } else if let Some(slug) = params.get("role") {
        format!("/roles/{}", encode(slug))
    } else if let Some(text) = params.get("q") {
        format!("/search?q={}", encode(text))
    } else {
        return None;
    };
    if let Some(release) = params.get("release") {
        location.push(if location.contains('?') { '&' } else { '?' });
        location.push_str(&format!("release={}", encode(release)));
    }
    if let Some(step) = params
        .get("step")
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
    {
        if params.contains_key("profession") {
            location.push_str(&format!("#step-{step}"));
        }
    }
    Some(location)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn old_addresses_lead_to_the_pages_that_replaced_them() {
        let cases = [
            (
                vec![("profession", "physiotherapist")],
                Some("/professions/physiotherapist"),
            ),
            (
                vec![("profession", "paramedic"), ("step", "7")],
                Some("/professions/paramedic#step-7"),
            ),
            (
                vec![("role", "healthcare-support-worker")],
                Some("/roles/healthcare-support-worker"),
            ),
            (
                vec![("q", "dementia care")],
                Some("/search?q=dementia%20care"),
            ),
            (
                vec![("q", "x"), ("release", "2")],
                Some("/search?q=x&release=2"),
            ),
            (
                vec![("profession", "p"), ("step", "1\"")],
                Some("/professions/p"),
            ),
            (vec![("release", "2")], None),
            (vec![], None),
        ];
        for (pairs, expected) in cases {
            assert_eq!(
                old_address(&params(&pairs)).as_deref(),
                expected,
                "{pairs:?}"
            );
        }
    }
}
