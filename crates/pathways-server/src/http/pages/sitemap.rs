//! What crawlers read: `/sitemap.xml`, every page of the published release
//! (home, each profession, each role) with `lastmod` its publication time,
//! and `/robots.txt`, which names it. A preview is never listed: the sitemap
//! always reads the published release.

use super::respond::Rendered;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let inner = &state.inner;
    let Some(snapshot) = inner.release.current() else {
        let mut page = Rendered::html(
            StatusCode::SERVICE_UNAVAILABLE,
            "no content release is published yet".into(),
        );
        page.media = "text/plain; charset=utf-8";
        return page.respond(&state, &headers);
    };
    let catalog = inner.release.catalog();
    let listed = catalog.get(snapshot.id());
    let when = listed
        .and_then(|r| r.published_at.as_deref())
        .unwrap_or(&snapshot.release.imported_at);
    let base = &inner.base;
    let mut paths = vec!["/".to_owned()];
    paths.extend(
        snapshot
            .professions(None)
            .iter()
            .map(|&p| format!("/professions/{}", snapshot.profession(p).slug)),
    );
    paths.extend(
        snapshot
            .content
            .roles
            .iter()
            .map(|r| format!("/roles/{}", r.slug)),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&base.join(&path)),
            escape(when)
        ));
    }
    xml.push_str("</urlset>\n");
    let mut page = Rendered::html(StatusCode::OK, xml);
    page.media = "application/xml; charset=utf-8";
    page.respond(&state, &headers)
}

pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /graphql\nDisallow: /search\n\nSitemap: {}\n",
        state.inner.base.join("/sitemap.xml")
    );
    let mut page = Rendered::html(StatusCode::OK, body);
    page.media = "text/plain; charset=utf-8";
    page.respond(&state, &headers)
}

/// Text for an XML element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
