//! Strong ETags from the bytes served, for the API's answers and the pages
//! alike: a SHA-256 of the media type and the body (not std's hasher, which
//! may change between Rust releases), so an answer whose bytes did not change
//! across a publish keeps its ETag on every replica.

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};

/// The ETag of `body` served as `media`. A preview's is led by its release's
/// id, which a public one never is, so the two never match.
pub fn strong(media: &str, preview: Option<i32>, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(media.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    let digest = hasher.finalize();
    let mut tag = String::with_capacity(48);
    tag.push('"');
    if let Some(release) = preview {
        tag.push_str(&format!("r{release}-"));
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for byte in &digest[..16] {
        tag.push(char::from(HEX[usize::from(byte >> 4)]));
        tag.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    tag.push('"');
    tag
}

/// Whether the request's `If-None-Match` names `etag` (weak or strong), or is
/// `*`: the client holds these bytes already.
pub fn held(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == etag || tag == "*" || tag.strip_prefix("W/") == Some(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_the_bytes_and_the_media_type_and_previews_never_match() {
        let body = br#"{"data":{"a":1}}"#;
        let public = strong("application/json", None, body);
        assert_eq!(public, strong("application/json", None, body));
        assert_eq!(public.len(), 34, "{public}");
        assert!(public[1..33].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(public, strong("text/html", None, body));
        assert_ne!(
            public,
            strong("application/json", None, br#"{"data":{"a":2}}"#)
        );
        let preview = strong("application/json", Some(2), body);
        assert!(preview.starts_with("\"r2-"), "{preview}");
        assert_eq!(&preview[4..], &public[1..]);
    }
}
