//! Errors at the API's edge: a message for the client and `extensions.code`.
//! Internal failures are logged once and never show database text.

use async_graphql::{Error, ErrorExtensions};

pub fn bad_input(message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", "BAD_USER_INPUT"))
}

pub fn internal(error: impl std::fmt::Display) -> Error {
    tracing::error!(%error, "internal error while answering a query");
    Error::new("internal error").extend_with(|_, e| e.set("code", "INTERNAL_SERVER_ERROR"))
}

/// Something only the preview token allows.
pub fn forbidden(message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", "FORBIDDEN"))
}
