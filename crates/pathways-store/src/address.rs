//! Addresses of outbox targets (webhook URLs), which may carry credentials
//! (`https://user:password@host/…`) or a receiver's token in the query string.
//! Neither ever leaves the servers' configuration: the database holds a hash
//! of the address to match it, and the address as [`shown`].

use sha2::{Digest, Sha256};

/// The address with any user and password replaced by `***`, the query string
/// by `?***`, and the fragment dropped: safe for logs, metrics and listings.
/// Something that does not parse as a URL is shown as `(an address that is not a URL)`.
pub fn shown(address: &str) -> String {
    let Ok(url) = url::Url::parse(address) else {
        return "(an address that is not a URL)".to_owned();
    };
    let mut out = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        out.push_str("***@");
    }
    out.push_str(url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    if url.query().is_some() {
        out.push_str("?***");
    }
    out
}

/// The SHA-256 of the whole address, in hex: the same for every server
/// configured with it, and no use to anyone reading the database.
pub fn key(address: &str) -> String {
    let digest = Sha256::digest(address.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("https://hooks.example/p", "https://hooks.example/p"; "plain")]
    #[test_case("http://user:hunter2@127.0.0.1:8080/hook", "http://***@127.0.0.1:8080/hook"; "user and password")]
    #[test_case("http://token@h/x", "http://***@h/x"; "user only")]
    #[test_case("https://h/x?token=abc&b=2", "https://h/x?***"; "query")]
    #[test_case("https://h/x#frag", "https://h/x"; "fragment")]
    #[test_case("http://[::1]:9/x", "http://[::1]:9/x"; "ipv6")]
    #[test_case("not a url", "(an address that is not a URL)"; "not a url")]
    fn addresses_are_shown_without_secrets(address: &str, expected: &str) {
        assert_eq!(shown(address), expected);
    }

    #[test]
    fn keys_tell_addresses_apart_and_hide_them() {
        let a = key("http://u:secret@h/x");
        assert_eq!(a.len(), 64);
        assert_eq!(a, key("http://u:secret@h/x"));
        assert_ne!(a, key("http://u:other@h/x"));
        assert!(!a.contains("secret"));
    }
}
