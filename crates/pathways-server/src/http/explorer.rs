//! The pathway explorer at `/`: one HTML page, a stylesheet, an icon and a
//! JavaScript module, embedded in the binary. The page reads everything from `/graphql`,
//! and its Content-Security-Policy keeps it from loading anything from elsewhere.

use super::assets;
use axum::Router;

/// Path, media type and content of each file.
const FILES: [assets::File; 4] = [
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("explorer/index.html"),
    ),
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
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    assets::routes(&FILES, CONTENT_SECURITY_POLICY)
}
