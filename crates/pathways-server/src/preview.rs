//! Previews: a request with the preview token (`Authorization: Bearer TOKEN`)
//! may read any release, named by `Pathways-Release: ID`, and sees staged
//! releases in `releases`. Without the token, naming a release is refused with
//! 401 and no data; a token that is wrong is refused the same way.

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

impl Refused {
    /// 401 for a token missing or wrong; 400 for a header that is not an id.
    pub fn unauthorized(&self) -> bool {
        !matches!(self, Refused::BadRelease(_))
    }
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
    match (bearer, token) {
        (None, _) if named.is_none() => Ok(Access::Public),
        (None, Some(_)) => Err(Refused::TokenMissing),
        (_, None) => Err(Refused::NoPreviews),
        (Some(given), Some(token)) if token.matches(given) => Ok(Access::Preview {
            release: named.transpose()?,
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
        let basic = [("authorization", "Basic dTpw")];
        assert_eq!(
            access(&headers(&basic), Some(&token)),
            Err(Refused::TokenWrong)
        );
    }
}
