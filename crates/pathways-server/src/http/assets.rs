//! Files embedded in the binary and served as they are (the explorer, GraphiQL),
//! each under a Content-Security-Policy that keeps the page to this server.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// A file: its path, media type and content.
pub type File = (&'static str, &'static str, &'static str);

/// A route for each of `files`, served with `policy`.
pub fn routes<S: Clone + Send + Sync + 'static>(files: &[File], policy: &'static str) -> Router<S> {
    files
        .iter()
        .fold(Router::new(), |router, &(path, media, body)| {
            router.route(path, get(move || async move { asset(media, body, policy) }))
        })
}

fn asset(content_type: &'static str, body: &'static str, policy: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            // The files change only with the binary; revalidating is cheap.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
