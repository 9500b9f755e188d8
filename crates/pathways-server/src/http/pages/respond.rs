//! A page as a response, with the caching of the API's answers: a strong ETag
//! (a SHA-256 of the media type and the bytes), `304 Not Modified` when the
//! client holds it, the configured `Cache-Control` on the published release's
//! pages and `private, no-store` on a preview's, which also carry `noindex`.

use crate::AppState;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

pub const HTML: &str = "text/html; charset=utf-8";

/// A rendered page or document, before it is a response.
pub struct Rendered {
    pub status: StatusCode,
    pub media: &'static str,
    pub body: String,
    /// The release when it is a preview's: private, never indexed.
    pub preview: Option<i32>,
    /// Kept out of search engines (previews, search results, not-found).
    pub noindex: bool,
}

impl Rendered {
    pub fn html(status: StatusCode, body: String) -> Rendered {
        Rendered {
            status,
            media: HTML,
            body,
            preview: None,
            noindex: false,
        }
    }

    /// The response to a request with `headers`.
    pub fn respond(self, state: &AppState, headers: &HeaderMap) -> Response {
        let etag =
            (self.status == StatusCode::OK).then(|| etag(self.media, self.preview, &self.body));
        let not_modified = etag
            .as_deref()
            .is_some_and(|e| crate::http::etag::held(headers, e));
        let mut response = if not_modified {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let mut response = Response::new(Body::from(self.body));
            *response.status_mut() = self.status;
            response
        };
        let cache_control = if self.preview.is_some() {
            "private, no-store"
        } else if etag.is_some() {
            state.inner.config.cache.cache_control.as_str()
        } else {
            "no-cache"
        };
        let out = response.headers_mut();
        let mut set = |name, value: &str| {
            if let Ok(value) = HeaderValue::from_str(value) {
                out.insert(name, value);
            }
        };
        set(header::CONTENT_TYPE, self.media);
        set(header::CACHE_CONTROL, cache_control);
        if let Some(etag) = &etag {
            set(header::ETAG, etag);
        }
        if self.noindex || self.preview.is_some() {
            set(header::HeaderName::from_static("x-robots-tag"), "noindex");
        }
        set(
            header::CONTENT_SECURITY_POLICY,
            super::super::explorer::CONTENT_SECURITY_POLICY,
        );
        set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        set(header::REFERRER_POLICY, "no-referrer");
        set(header::VARY, "authorization, pathways-release");
        response
    }
}

/// A strong ETag from the media type and the bytes (see [`crate::http::etag`]).
fn etag(media: &str, preview: Option<i32>, body: &str) -> String {
    crate::http::etag::strong(media, preview, body.as_bytes())
}

/// A permanent redirect (308: the method and body are kept) to `location`.
pub fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_the_bytes_and_previews_never_match_the_public() {
        let public = etag(HTML, None, "<p>a</p>");
        assert_eq!(public, etag(HTML, None, "<p>a</p>"));
        assert_ne!(public, etag(HTML, None, "<p>b</p>"));
        assert_ne!(public, etag("application/ld+json", None, "<p>a</p>"));
        assert!(etag(HTML, Some(3), "<p>a</p>").starts_with("\"r3-"));
    }
}
