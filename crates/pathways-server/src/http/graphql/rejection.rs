//! Every refusal `/graphql` can give, and the one place that decides its status,
//! `extensions.code` and body: a GraphQL JSON body with one coded error and no
//! `data`, as axum's rejection types decide their own responses.

use super::answer::Answer;
use super::negotiate::MediaType;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("accept `application/graphql-response+json` or `application/json`")]
    NotAcceptable,
    #[error("expected `Content-Type: application/json`")]
    UnsupportedMediaType,
    #[error("the body is over the limit of {0} bytes")]
    BodyTooLarge(usize),
    /// The HTTP request cannot be read as a GraphQL request.
    #[error("{0}")]
    Malformed(String),
    #[error("a batch holds 1 to {max} operations, got {got}")]
    BatchSize { got: usize, max: usize },
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    #[error("provided sha does not match query")]
    HashMismatch,
    #[error("`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits (a SHA-256), got `{0}`")]
    BadHash(String),
    #[error("only persisted documents run here: name one with `documentId` or `extensions.persistedQuery`")]
    PersistedQueryRequired,
    /// The preview token is missing or wrong for a request naming a release.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    BadReleaseHeader(String),
    #[error("there is no release {0}")]
    UnknownRelease(i32),
    #[error("no content release is published yet")]
    NothingPublished,
    #[error("the database is unreachable, so release {0} cannot be read now; the published release is still served")]
    DatabaseUnavailable(i32),
    #[error("mutations are not allowed over GET; use POST")]
    MutationOverGet,
    #[error("internal error")]
    Internal,
    /// A document the limits refuse before it runs.
    #[error("{message}")]
    Limit { message: String, code: &'static str },
}

impl Rejection {
    /// The status: request errors (a document refused before it runs) are 400
    /// with `application/graphql-response+json`, and 200 with `application/json`,
    /// as the GraphQL-over-HTTP specification says; the rest are what HTTP says.
    pub fn status(&self, media: MediaType) -> StatusCode {
        let request_error = if media == MediaType::GraphqlResponse {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        match self {
            Rejection::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Rejection::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Rejection::BodyTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Rejection::UnknownRelease(_) => StatusCode::NOT_FOUND,
            Rejection::NothingPublished | Rejection::DatabaseUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Rejection::MutationOverGet => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Rejection::PersistedQueryNotFound | Rejection::Limit { .. } => request_error,
            Rejection::Malformed(_)
            | Rejection::BatchSize { .. }
            | Rejection::HashMismatch
            | Rejection::BadHash(_)
            | Rejection::PersistedQueryRequired
            | Rejection::BadReleaseHeader(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// `extensions.code`: what a client branches on.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NotAcceptable => "NOT_ACCEPTABLE",
            Rejection::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Rejection::BodyTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Rejection::Malformed(_) | Rejection::HashMismatch | Rejection::BadReleaseHeader(_) => {
                "BAD_REQUEST"
            }
            Rejection::BatchSize { .. } => "BATCH_TOO_LARGE",
            Rejection::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Rejection::BadHash(_) => "PERSISTED_QUERY_HASH_INVALID",
            Rejection::PersistedQueryRequired => "PERSISTED_QUERY_REQUIRED",
            Rejection::Unauthenticated(_) => "UNAUTHENTICATED",
            Rejection::UnknownRelease(_) => "NOT_FOUND",
            Rejection::NothingPublished => "NO_RELEASE",
            Rejection::DatabaseUnavailable(_) => "DATABASE_UNAVAILABLE",
            Rejection::MutationOverGet => "METHOD_NOT_ALLOWED",
            Rejection::Internal => "INTERNAL_SERVER_ERROR",
            Rejection::Limit { code, .. } => code,
        }
    }

    /// The refusal as one answer of a batch, or of a single request.
    pub fn answer(&self, media: MediaType) -> Answer {
        let body =
            json!({"errors": [{"message": self.to_string(), "extensions": {"code": self.code()}}]});
        Answer {
            status: self.status(media),
            body: Bytes::from(body.to_string()),
            etag: None,
            cacheable: false,
            keys: None,
        }
    }

    /// The refusal as the whole HTTP response, with the headers it calls for.
    pub fn respond(&self, media: MediaType) -> Response {
        // A client that accepts neither media type gets plain JSON.
        let answer = self.answer(media);
        let mut response = answer.into_response(media);
        let headers = response.headers_mut();
        match self {
            Rejection::MutationOverGet => {
                headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
            }
            Rejection::Unauthenticated(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

impl Rejection {
    /// Why a POST's body could not be had: over `limit` bytes, or unreadable.
    pub fn of_body(rejection: BytesRejection, limit: usize) -> Rejection {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Rejection::BodyTooLarge(limit)
        } else {
            Rejection::Malformed(format!(
                "the body cannot be read: {}",
                rejection.body_text()
            ))
        }
    }
}
