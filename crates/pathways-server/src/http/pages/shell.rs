//! What every page shares: the release it reads, and the frame around its
//! content (title, description, canonical link, the professions, the search
//! box), with the helpers the pages use to turn content into template data.

use super::respond::Rendered;
use crate::http::graphql::rejection::Rejection;
use crate::http::graphql::release::{self, View};
use crate::snapshot::Snapshot;
use crate::AppState;
use axum::extract::{FromRequestParts, Query};
use axum::http::{request::Parts, HeaderMap, StatusCode};
use axum::response::Response;
use pathways_jsonld::BaseUrl;
use pathways_model::Block;
use std::collections::HashMap;

/// The release a page reads, and whether the page is a preview's.
pub struct Reading {
    pub view: View,
    pub base: std::sync::Arc<BaseUrl>,
    /// A preview's page (the preview token and `Pathways-Release`, or a
    /// `?release=` address the explorer previews in the browser): never indexed.
    pub preview: bool,
}

impl Reading {
    /// The release `headers` may read; `previewed` says the address names a
    /// release (`?release=ID`).
    pub async fn of(
        state: &AppState,
        headers: &HeaderMap,
        previewed: bool,
    ) -> Result<Reading, Response> {
        let view = release::choose(state, headers).await.map_err(|refused| {
            let status = match refused {
                Rejection::NothingPublished => StatusCode::SERVICE_UNAVAILABLE,
                Rejection::UnknownRelease(_) => StatusCode::NOT_FOUND,
                Rejection::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                Rejection::BadReleaseHeader(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            };
            let mut page = Rendered::html(status, refused.to_string());
            page.media = "text/plain; charset=utf-8";
            page.noindex = true;
            page.respond(state, headers)
        })?;
        let preview = view.preview || previewed;
        Ok(Reading {
            view,
            base: state.inner.base.clone(),
            preview,
        })
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.view.snapshot
    }

    /// `body` rendered from this reading, as `status`.
    pub fn rendered(&self, status: StatusCode, media: &'static str, body: String) -> Rendered {
        Rendered {
            status,
            media,
            body,
            preview: self.view.preview.then(|| self.view.snapshot.id()),
            noindex: self.preview,
        }
    }
}

/// A page's handler takes its `Reading` as it takes its other arguments: the
/// request's headers, and `?release=` in its address.
impl FromRequestParts<AppState> for Reading {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let previewed = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .is_ok_and(|Query(params)| params.contains_key("release"));
        Reading::of(state, &parts.headers, previewed).await
    }
}

/// A profession in the list beside every page.
pub struct NavItem<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub has_pathway: bool,
    pub current: bool,
}

/// The frame of every page.
pub struct Shell<'a> {
    /// The page's `<title>`: its own title, then the site's.
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub noindex: bool,
    pub site_title: &'a str,
    pub intro: &'a [String],
    pub professions: Vec<NavItem<'a>>,
    /// The release served, as the footer names it.
    pub release: String,
    /// What the search box holds.
    pub query: &'a str,
}

impl<'a> Shell<'a> {
    /// The frame of the page at `path` (its canonical address), titled `title`
    /// (the site's title alone when `None`), the profession `current` marked.
    pub fn new(
        reading: &'a Reading,
        path: &str,
        title: Option<&str>,
        current: Option<&str>,
    ) -> Self {
        let snapshot = reading.snapshot();
        let page = &snapshot.content.page;
        let professions = snapshot
            .professions(None)
            .iter()
            .map(|&ix| {
                let p = snapshot.profession(ix);
                NavItem {
                    slug: &p.slug,
                    name: &p.name,
                    has_pathway: p.has_pathway(),
                    current: current == Some(p.slug.as_str()),
                }
            })
            .collect();
        let release = &snapshot.release;
        Shell {
            title: match title {
                Some(title) => format!("{title} · {}", page.title),
                None => page.title.clone(),
            },
            description: page.intro.join(" "),
            canonical: reading.base.join(path),
            noindex: reading.preview,
            site_title: &page.title,
            intro: &page.intro,
            professions,
            release: format!(
                "Release {}, {}",
                release.id,
                release.imported_at.get(..10).unwrap_or_default()
            ),
            query: "",
        }
    }

    pub fn described(mut self, description: String) -> Self {
        self.description = description;
        self
    }
}

/// A text block as templates show it: a paragraph's one text, or a list's items.
pub struct Para<'a> {
    pub list: bool,
    pub texts: &'a [String],
}

pub fn paras(blocks: &[Block]) -> Vec<Para<'_>> {
    blocks
        .iter()
        .map(|b| Para {
            list: matches!(b, Block::List(_)),
            texts: b.texts(),
        })
        .collect()
}

/// `text` cut to about `max` characters at a word, for a meta description.
pub fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', ';', ':', '.']))
}

/// `text` as one component of an address: unreserved characters kept, the
/// rest percent-encoded.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_summaries() {
        assert_eq!(encode("a b/ç"), "a%20b%2F%C3%A7");
        assert_eq!(summary("one two three", 20), "one two three");
        assert_eq!(summary("one two, three", 9), "one two…");
    }
}
