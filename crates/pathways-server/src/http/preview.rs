//! Previews: a request naming a release with `Pathways-Release: ID` must carry
//! the preview token (`Authorization: Bearer TOKEN`), and may then read any
//! release. `Authorization` belongs to the request that names a release: one
//! without `Pathways-Release` reads the published release whatever it carries
//! (Basic credentials a proxy forwards, a site's own bearer token), except
//! that the right preview token alone previews the published release and sees
//! staged releases in `releases`.

use crate::config::Secret;
use axum::http::{header, HeaderMap};

/// The header that names the release a preview reads.
pub const RELEASE_HEADER: &str = "pathways-release";

/// What a request may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The published release, as anyone.
    Public,
    /// With the preview token: `release`, or the published one when `None`.
    Preview { release: Option<i32> },
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("naming a release with `Pathways-Release` needs the preview token: send `Authorization: Bearer <token>`")]
    TokenMissing,
    #[error("the preview token is not right")]
    TokenWrong,
    #[error("this server has no preview token, so it shows only the published release")]
    NoPreviews,
    #[error("`Pathways-Release` must be a release id (a whole number), got `{0}`")]
    BadRelease(String),
}

/// Decides what a request may read from its headers; the token is compared in
/// constant time and never logged.
pub fn access(headers: &HeaderMap, token: Option<&Secret>) -> Result<Access, Refused> {
    let named = headers.get(RELEASE_HEADER).map(|v| {
        let text = v.to_str().unwrap_or("").trim();
        text.parse::<i32>()
            .map_err(|_| Refused::BadRelease(text.chars().take(40).collect()))
    });
    let bearer = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("").trim())
        .map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or("")
                .trim()
        });
    let Some(named) = named else {
        // Only the right token changes what such a request reads.
        let right = matches!((bearer, token), (Some(given), Some(token)) if token.matches(given));
        return Ok(if right {
            Access::Preview { release: None }
        } else {
            Access::Public
        });
    };
    match (bearer, token) {
        (_, None) => Err(Refused::NoPreviews),
        (None, Some(_)) => Err(Refused::TokenMissing),
        (Some(given), Some(token)) if token.matches(given) => Ok(Access::Preview {
            release: Some(named?),
        }),
        (Some(_), Some(_)) => Err(Refused::TokenWrong),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_public_reads_the_published_release() {
        let token = Secret::new("t0ken");
        assert_eq!(access(&headers(&[]), Some(&token)), Ok(Access::Public));
        assert_eq!(access(&headers(&[]), None), Ok(Access::Public));
    }

    #[test]
    fn naming_a_release_needs_the_right_token() {
        let token = Secret::new("t0ken");
        let named = [("pathways-release", "3")];
        assert_eq!(
            access(&headers(&named), Some(&token)),
            Err(Refused::TokenMissing)
        );
        assert_eq!(access(&headers(&named), None), Err(Refused::NoPreviews));
        let wrong = [("pathways-release", "3"), ("authorization", "Bearer t0kem")];
        assert_eq!(
            access(&headers(&wrong), Some(&token)),
            Err(Refused::TokenWrong)
        );
        let right = [("pathways-release", "3"), ("authorization", "Bearer t0ken")];
        assert_eq!(
            access(&headers(&right), Some(&token)),
            Ok(Access::Preview { release: Some(3) })
        );
    }

    #[test]
    fn a_token_alone_previews_the_published_release_and_a_bad_id_is_refused() {
        let token = Secret::new("t0ken");
        let alone = [("authorization", "Bearer t0ken")];
        assert_eq!(
            access(&headers(&alone), Some(&token)),
            Ok(Access::Preview { release: None })
        );
        let bad = [("pathways-release", "x"), ("authorization", "Bearer t0ken")];
        assert_eq!(
            access(&headers(&bad), Some(&token)),
            Err(Refused::BadRelease("x".into()))
        );
    }

    #[test]
    fn other_authorization_reads_the_published_release() {
        let token = Secret::new("t0ken");
        for value in ["Basic dTpw", "Bearer a-site-token", "Bearer t0kem"] {
            let sent = [("authorization", value)];
            assert_eq!(access(&headers(&sent), Some(&token)), Ok(Access::Public));
            assert_eq!(access(&headers(&sent), None), Ok(Access::Public));
            let named = [("authorization", value), ("pathways-release", "3")];
            assert_eq!(
                access(&headers(&named), Some(&token)),
                Err(Refused::TokenWrong)
            );
        }
    }
}
