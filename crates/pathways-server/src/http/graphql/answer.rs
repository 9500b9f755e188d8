//! Step 5: answers and the HTTP responses they become. An [`Answer`] is one
//! operation's status and bytes; its ETag is a SHA-256 of those bytes and their
//! media type, so an answer that did not change across a publish keeps its ETag
//! on every replica, and 304 is only ever said of an answer that would be 200.

use super::negotiate::MediaType;
use super::rejection::Rejection;
use super::release::View;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use std::sync::Arc;

/// What a preview's answers carry: they are for the one who asked.
const PRIVATE: &str = "private, no-store";

/// The keys of what an answer read, space-separated (Fastly, Varnish xkey).
pub const SURROGATE_KEY: HeaderName = HeaderName::from_static("surrogate-key");
/// The same keys comma-separated (Cloudflare).
pub const CACHE_TAG: HeaderName = HeaderName::from_static("cache-tag");

/// An answer's cache keys as the two headers that carry them, made once when
/// it runs: a cached answer is sent again without remaking them.
#[derive(Debug, Clone)]
pub struct CacheKeys {
    /// Space-separated, as Fastly and Varnish's xkey read them.
    surrogate: HeaderValue,
    /// Comma-separated, as Cloudflare reads them.
    tags: HeaderValue,
}

impl CacheKeys {
    /// The headers of `keys` (space-separated), unless they cannot be headers.
    pub fn new(keys: String) -> Option<CacheKeys> {
        let tags = HeaderValue::try_from(keys.replace(' ', ",")).ok()?;
        let surrogate = HeaderValue::try_from(keys).ok()?;
        Some(CacheKeys { surrogate, tags })
    }

    /// The keys, space-separated.
    pub fn as_str(&self) -> &str {
        self.surrogate.to_str().unwrap_or_default()
    }

    /// The bytes they weigh in the cache.
    pub fn len(&self) -> usize {
        self.surrogate.len() + self.tags.len()
    }
}

/// The keys of several answers (a batch's), once each, bounded as one's are.
fn union<'a>(keys: impl Iterator<Item = &'a CacheKeys>) -> Option<CacheKeys> {
    let all: std::collections::BTreeSet<&str> = keys.flat_map(|k| k.as_str().split(' ')).collect();
    if all.is_empty() {
        return None;
    }
    let rest = all.iter().filter(|k| **k != pathways_model::purge::ALL);
    let joined = std::iter::once(pathways_model::purge::ALL)
        .chain(rest.copied())
        .collect::<Vec<_>>()
        .join(" ");
    CacheKeys::new(if joined.len() > crate::graphql::MAX_KEYS_LEN {
        crate::graphql::overflowed()
    } else {
        joined
    })
}

/// One operation's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
    /// For answers that ran (200), refusals have none.
    pub etag: Option<HeaderValue>,
    /// Ran without errors: the response cache may keep it.
    pub cacheable: bool,
    /// The cache keys of what it read: public answers that ran have them,
    /// previews and refusals none.
    pub keys: Option<CacheKeys>,
}

/// What identifies an answer: the cache's key, and what its ETag is made with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestKey {
    pub release_id: i32,
    /// The catalog's version: `releases` answers from it.
    pub catalog: u64,
    /// The answer is a preview's (never cached, never sharing a public ETag).
    pub preview: bool,
    pub query: Arc<str>,
    pub variables: String,
    pub operation_name: Option<String>,
    pub media: MediaType,
}

impl RequestKey {
    /// The bytes the key weighs in the cache, besides the answer's.
    pub fn weight(&self) -> usize {
        self.query.len()
            + self.variables.len()
            + self.operation_name.as_ref().map_or(0, String::len)
            + 64
    }

    /// The ETag of `body` answered to this request.
    pub fn etag(&self, body: &[u8]) -> HeaderValue {
        etag(self.media, self.preview.then_some(self.release_id), body)
    }
}

/// A strong ETag from the bytes and their media type (see [`crate::http::etag`]),
/// as the header it is sent in.
fn etag(media: MediaType, preview: Option<i32>, body: &[u8]) -> HeaderValue {
    let tag = crate::http::etag::strong(media.as_str(), preview, body);
    // Quotes, hex, digits and a dash: always a valid header value.
    HeaderValue::try_from(tag).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

impl Answer {
    /// The answer alone as a response: status, media type, body.
    pub fn into_response(self, media: MediaType) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = self.status;
        let content_type = match media {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        };
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    }
}

/// Turns answers into the response of one request.
pub struct Respond<'a> {
    pub state: &'a AppState,
    pub view: &'a View,
    pub media: MediaType,
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
}

impl Respond<'_> {
    /// The response to a single operation: 304 when the client holds it.
    pub fn single(&self, answer: Answer) -> Response {
        let etag = answer
            .etag
            .clone()
            .filter(|_| answer.status == StatusCode::OK);
        let keys = answer.keys.clone();
        let not_modified = *self.method == Method::GET
            && etag
                .as_ref()
                .and_then(|etag| etag.to_str().ok())
                // Only a 200 has an ETag here, so `*` matches no refusal.
                .is_some_and(|etag| crate::http::etag::held(self.headers, etag));
        let mut response = if not_modified {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            answer.into_response(self.media)
        };
        let ran = etag.is_some();
        self.caching_headers(&mut response, etag);
        if ran {
            self.key_headers(&mut response, keys);
        }
        response
    }

    /// The response to a refused operation; a preview's stays private.
    pub fn refused(&self, refused: &Rejection) -> Response {
        let mut response = refused.respond(self.media);
        if self.view.preview {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
        }
        response
    }

    /// The response to a batch: the answers' bytes in an array, as they are.
    pub fn batch(&self, answers: &[Answer]) -> Response {
        let mut body =
            Vec::with_capacity(answers.iter().map(|a| a.body.len() + 1).sum::<usize>() + 2);
        body.push(b'[');
        for (i, answer) in answers.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&answer.body);
        }
        body.push(b']');
        let preview = self.view.preview.then(|| self.view.snapshot.id());
        let etag = etag(self.media, preview, &body);
        let mut response = Answer {
            status: StatusCode::OK,
            body: body.into(),
            etag: None,
            cacheable: false,
            keys: None,
        }
        .into_response(self.media);
        self.caching_headers(&mut response, Some(etag));
        let keys = union(answers.iter().filter_map(|a| a.keys.as_ref()));
        self.key_headers(&mut response, keys);
        response
    }

    /// `Surrogate-Key` (space-separated, as Fastly and Varnish's xkey read it)
    /// and `Cache-Tag` (comma-separated, as Cloudflare reads it) of a public
    /// answer's keys. Previews carry none.
    fn key_headers(&self, response: &mut Response, keys: Option<CacheKeys>) {
        let Some(keys) = keys.filter(|_| !self.view.preview) else {
            return;
        };
        let headers = response.headers_mut();
        headers.insert(SURROGATE_KEY, keys.surrogate);
        headers.insert(CACHE_TAG, keys.tags);
    }

    /// ETag on every 200; `Cache-Control` on GET answers (public ones as
    /// configured) and on every preview's (private).
    fn caching_headers(&self, response: &mut Response, etag: Option<HeaderValue>) {
        let headers = response.headers_mut();
        let ran = etag.is_some();
        if let Some(etag) = etag {
            headers.insert(header::ETAG, etag);
        }
        let cache_control = if self.view.preview {
            Some(PRIVATE)
        } else if ran && *self.method == Method::GET {
            Some(self.state.inner.config.cache.cache_control.as_str())
        } else {
            None
        };
        if let Some(value) = cache_control.and_then(|c| HeaderValue::from_str(c).ok()) {
            headers.insert(header::CACHE_CONTROL, value);
        }
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept, authorization, pathways-release"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_the_bytes_and_the_media_type_and_previews_never_match() {
        let body = br#"{"data":{"a":1}}"#;
        let public = etag(MediaType::Json, None, body);
        assert_eq!(public, etag(MediaType::Json, None, body));
        assert_ne!(public, etag(MediaType::GraphqlResponse, None, body));
        assert_ne!(public, etag(MediaType::Json, None, br#"{"data":{"a":2}}"#));
        let preview = etag(MediaType::Json, Some(2), body);
        assert!(
            preview.to_str().unwrap().starts_with("\"r2-"),
            "{preview:?}"
        );
        assert_ne!(preview, public);
    }

    #[test]
    fn a_batch_carries_the_keys_of_its_answers_once_each_and_bounded() {
        let keys = |texts: &[String]| -> Vec<CacheKeys> {
            texts
                .iter()
                .filter_map(|t| CacheKeys::new(t.clone()))
                .collect()
        };
        let union_of = |texts: &[String]| union(keys(texts).iter()).map(|k| k.as_str().to_owned());
        let two = [
            "pathways profession:a role:x".to_owned(),
            "pathways role:x release".to_owned(),
        ];
        assert_eq!(
            union_of(&two).as_deref(),
            Some("pathways profession:a release role:x")
        );
        let joined = union(keys(&two).iter()).unwrap();
        assert_eq!(joined.tags, "pathways,profession:a,release,role:x");
        assert_eq!(union_of(&[]), None);
        let long: Vec<String> = (0..100).map(|i| format!("pathways role:r{i:04}")).collect();
        assert_eq!(union_of(&long).as_deref(), Some("pathways release"));
    }
}
