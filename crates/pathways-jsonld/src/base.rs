//! The absolute address documents are about: every `@id` and `url` is made
//! from it, so the same release gives the same documents wherever it is served.

use std::fmt;

/// An absolute `http` or `https` address with no query or fragment, kept
/// without a trailing slash (`https://careers.example.org/ahp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlError(String);

impl fmt::Display for BaseUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a base URL: expected an absolute http:// or https:// address with a host and no query, fragment or spaces",
            self.0
        )
    }
}

impl std::error::Error for BaseUrlError {}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, BaseUrlError> {
        let error = || BaseUrlError(text.to_owned());
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(error)?;
        let host = rest.split('/').next().unwrap_or_default();
        let bad = |c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\')
        };
        if host.is_empty() || text.chars().any(bad) {
            return Err(error());
        }
        Ok(BaseUrl(text.trim_end_matches('/').to_owned()))
    }

    /// `path` (starting with `/`) under the base.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The page of the whole release: the base itself, with its slash.
    pub fn home(&self) -> String {
        self.join("/")
    }

    /// A profession's page, `/professions/<slug>`.
    pub fn profession(&self, slug: &str) -> String {
        self.join(&format!("/professions/{slug}"))
    }

    /// A role's page, `/roles/<slug>`.
    pub fn role(&self, slug: &str) -> String {
        self.join(&format!("/roles/{slug}"))
    }

    /// A node every document shares (levels, credentials, code sets), named
    /// within the whole release's document so its `@id` is the same everywhere.
    pub fn shared(&self, fragment: &str) -> String {
        self.join(&format!("/pathways.jsonld#{fragment}"))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_absolute_web_addresses_without_the_trailing_slash() {
        let base = BaseUrl::parse("https://careers.example.org/ahp/").unwrap();
        assert_eq!(
            base.profession("paramedic"),
            "https://careers.example.org/ahp/professions/paramedic"
        );
        assert_eq!(base.home(), "https://careers.example.org/ahp/");
        assert_eq!(
            base.shared("rqf"),
            "https://careers.example.org/ahp/pathways.jsonld#rqf"
        );
    }

    #[test]
    fn refuses_what_is_not_a_base() {
        for text in [
            "",
            "/relative",
            "ftp://x.org",
            "https://",
            "https://x.org/?q=1",
            "https://x.org/#a",
            "https://x .org",
        ] {
            assert!(BaseUrl::parse(text).is_err(), "{text}");
        }
    }
}
