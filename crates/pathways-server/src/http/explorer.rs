//! The pathway explorer's files: a stylesheet, an icon and a JavaScript module,
//! embedded in the binary. Its pages are rendered on the server (`pages`); the
//! module enhances them, reading everything from `/graphql`, and the
//! Content-Security-Policy keeps them from loading anything from elsewhere.
//! JSON-LD blocks (`<script type="application/ld+json">`) are data, which the
//! browser never runs, so `script-src 'self'` needs no exception for them.

use super::assets;
use axum::Router;

/// Path, media type and content of each file.
const FILES: [assets::File; 3] = [
    (
        "/explorer/app.js",
        "text/javascript; charset=utf-8",
        include_str!("explorer/app.js"),
    ),
    (
        "/explorer/style.css",
        "text/css; charset=utf-8",
        include_str!("explorer/style.css"),
    ),
    (
        "/explorer/icon.svg",
        "image/svg+xml",
        include_str!("explorer/icon.svg"),
    ),
];

/// Only this server: no outside scripts, styles, fonts, images or API calls.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    assets::routes(&FILES, CONTENT_SECURITY_POLICY)
}
