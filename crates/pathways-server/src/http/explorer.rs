//! The pathway explorer's files: a stylesheet, an icon and a JavaScript module,
//! embedded in the binary. Its pages are rendered on the server (`pages`); the
//! module enhances them, reading everything from `/graphql`, and the
//! Content-Security-Policy keeps them from loading anything from elsewhere.
//! JSON-LD blocks (`<script type="application/ld+json">`) are data, which the
//! browser never runs, so `script-src 'self'` needs no exception for them.

use super::assets;
use axum::Router;
use std::collections::HashMap;

/// The explorer's script.
const SCRIPT: &str = include_str!("explorer/app.js");

/// Path, media type and content of each file.
const FILES: [assets::File; 3] = [
    ("/explorer/app.js", "text/javascript; charset=utf-8", SCRIPT),
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

/// The prefix of the ids the explorer names its documents by.
const ID_PREFIX: &str = "explorer.";

/// The explorer's own documents, id to text: every `const NAME = `query Op …`;`
/// of its script, as `explorer.Op`. The server always knows them, so the
/// explorer sends only their ids (`documentId`) and works under
/// `--persisted-only` too: the binary trusts its own page.
pub fn documents() -> HashMap<String, String> {
    SCRIPT
        .split("\nconst ")
        .skip(1)
        .filter_map(|declaration| {
            let (_, rest) = declaration.split_once(" = `")?;
            let (text, _) = rest.split_once('`')?;
            let name = text.strip_prefix("query ")?.split(['(', ' ', '{']).next()?;
            Some((format!("{ID_PREFIX}{name}"), text.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_explorers_documents_are_read_from_its_script() {
        let documents = documents();
        let mut ids: Vec<&str> = documents.keys().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            [
                "explorer.Page",
                "explorer.Pathway",
                "explorer.Professions",
                "explorer.Role",
                "explorer.Search"
            ]
        );
        assert!(documents["explorer.Pathway"].starts_with("query Pathway($slug: String!) {"));
    }
}
