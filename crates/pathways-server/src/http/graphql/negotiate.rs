//! Step 1: the media type of the answer, from `Accept`, and of a POST's body.

use super::rejection::Rejection;
use axum::http::{header, HeaderMap};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

/// The media type of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        }
    }

    /// `application/graphql-response+json` when accepted, else `application/json`;
    /// refused (406) when the client accepts neither.
    pub fn negotiate(headers: &HeaderMap) -> Result<MediaType, Rejection> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Ok(MediaType::Json);
        };
        let types: Vec<&str> = accept
            .split(',')
            .map(|t| t.split(';').next().unwrap_or("").trim())
            .collect();
        let any = |wanted: &[&str]| {
            types
                .iter()
                .any(|t| wanted.iter().any(|w| t.eq_ignore_ascii_case(w)))
        };
        if any(&[GRAPHQL_RESPONSE_JSON]) {
            Ok(MediaType::GraphqlResponse)
        } else if any(&[JSON, "*/*", "application/*"]) {
            Ok(MediaType::Json)
        } else {
            Err(Rejection::NotAcceptable)
        }
    }
}

/// A POST's body must be `application/json` (parameters such as `charset` aside).
pub fn json_body(headers: &HeaderMap) -> Result<(), Rejection> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case(JSON) {
        Ok(())
    } else {
        Err(Rejection::UnsupportedMediaType)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiates_the_media_type() {
        let accept = |value| MediaType::negotiate(&with(header::ACCEPT, value)).ok();
        assert_eq!(
            MediaType::negotiate(&HeaderMap::new()).ok(),
            Some(MediaType::Json)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html"), None);
    }

    #[test]
    fn a_body_must_be_json() {
        assert!(json_body(&with(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8"
        ))
        .is_ok());
        assert!(json_body(&with(header::CONTENT_TYPE, "text/plain")).is_err());
        assert!(json_body(&HeaderMap::new()).is_err());
    }
}
