//! The schema.org documents as `application/ld+json`: a profession's
//! (`/professions/<slug>.jsonld`, what its page embeds) and the whole
//! release's (`/pathways.jsonld`), made by `pathways-jsonld`.

use super::shell::Reading;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub const MEDIA: &str = "application/ld+json";

pub async fn release(
    reading: Reading,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    let document = pathways_jsonld::release_document(&reading.snapshot().content, &reading.base);
    let body = serde_json::to_string_pretty(&document).unwrap_or_default() + "\n";
    respond(&state, &headers, &reading, body)
}

/// The document of the profession `slug`, or not found.
pub fn profession(
    state: &AppState,
    headers: &HeaderMap,
    reading: &Reading,
    slug: &str,
) -> Response {
    let snapshot = reading.snapshot();
    match snapshot.profession_by_slug(slug) {
        Some(ix) => {
            let document = snapshot.profession_json_ld(ix, &reading.base);
            respond(state, headers, reading, document.pretty.clone())
        }
        None => {
            let mut page = reading.rendered(
                StatusCode::NOT_FOUND,
                "text/plain; charset=utf-8",
                format!("There is no profession “{slug}”."),
            );
            page.noindex = true;
            page.respond(state, headers)
        }
    }
}

fn respond(state: &AppState, headers: &HeaderMap, reading: &Reading, body: String) -> Response {
    reading
        .rendered(StatusCode::OK, MEDIA, body)
        .respond(state, headers)
}
