//! Pages rendered on the server from the snapshot, as HTML first: the
//! professions (`/`), a profession's pathway (`/professions/<slug>`, with its
//! JSON-LD), a role and where it is used (`/roles/<slug>`), search results
//! (`/search?q=`) and not-found; the schema.org documents
//! (`/professions/<slug>.jsonld`, `/pathways.jsonld`); and what crawlers read
//! (`/sitemap.xml`, `/robots.txt`). The explorer's script enhances the pages;
//! nothing is lost without it.
//!
//! Templates are askama's (`pages/templates/`): compiled with the crate, so a
//! template naming a field that does not exist fails the build, and every
//! value is HTML-escaped unless marked safe (only the JSON-LD, escaped for a
//! script block by [`crate::snapshot::script_json`]).

mod home;
mod jsonld;
mod not_found;
mod profession;
mod respond;
mod role;
mod search;
mod shell;
mod sitemap;

use crate::AppState;
use axum::routing::get;
use axum::Router;

pub use not_found::fallback;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::get))
        .route("/professions/{slug}", get(profession::get))
        .route("/roles/{slug}", get(role::get))
        .route("/search", get(search::get))
        .route("/pathways.jsonld", get(jsonld::release))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
}
