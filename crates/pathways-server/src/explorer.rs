//! The pathway explorer at `/`: one HTML page, a stylesheet, an icon and a
//! JavaScript module, embedded in the binary. The page reads everything from `/graphql`,
//! and its Content-Security-Policy keeps it from loading anything from elsewhere.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// Path, media type and content of each file.
const FILES: [(&str, &str, &str); 4] = [
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
    FILES
        .into_iter()
        .fold(Router::new(), |router, (path, media, body)| {
            router.route(path, get(move || async move { asset(media, body) }))
        })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            // The assets change only with the binary; revalidating is cheap.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
