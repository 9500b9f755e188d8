//! GraphiQL at `/graphiql`, served from the binary: its published build and
//! React's, with a page and a start script of ours. Nothing is loaded from
//! another host, and the Content-Security-Policy says so. It adds about 1.5 MB
//! to the binary (`graphiql/LICENSES.md` lists the files and their origin).

use super::assets;
use axum::Router;

/// Path, media type and content of each file.
const FILES: [assets::File; 7] = [
    (
        "/graphiql",
        "text/html; charset=utf-8",
        include_str!("graphiql/index.html"),
    ),
    (
        "/graphiql/start.js",
        "text/javascript; charset=utf-8",
        include_str!("graphiql/start.js"),
    ),
    (
        "/graphiql/page.css",
        "text/css; charset=utf-8",
        include_str!("graphiql/page.css"),
    ),
    (
        "/graphiql/graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_str!("graphiql/graphiql.min.js"),
    ),
    (
        "/graphiql/graphiql.min.css",
        "text/css; charset=utf-8",
        include_str!("graphiql/graphiql.min.css"),
    ),
    (
        "/graphiql/react.production.min.js",
        "text/javascript; charset=utf-8",
        include_str!("graphiql/react.production.min.js"),
    ),
    (
        "/graphiql/react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_str!("graphiql/react-dom.production.min.js"),
    ),
];

/// This server only. GraphiQL's editor sets styles from script and its
/// stylesheet carries its fonts as `data:` URLs.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    assets::routes(&FILES, CONTENT_SECURITY_POLICY)
}
