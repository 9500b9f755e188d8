//! The checks of every setting, one by one.

use super::*;

#[test]
fn durations_must_be_positive() {
    assert_eq!(duration(" 2s "), Ok(Duration::from_secs(2)));
    assert_eq!(duration("0s"), Err("must be more than zero".into()));
    assert!(duration("2").unwrap_err().contains("not a duration"));
}

#[test]
fn counts_start_at_one() {
    assert_eq!(count("10"), Ok(10));
    assert_eq!(count("0"), Err("must be at least 1, got 0".into()));
    assert!(count("-1").is_err());
    assert!(count_i32("3000000000").unwrap_err().contains("at most"));
    assert!(header_bytes("100").unwrap_err().contains("at least 1024"));
}

#[test]
fn header_values_and_origins() {
    assert_eq!(
        header_value(" public, max-age=60 ").unwrap(),
        "public, max-age=60"
    );
    assert!(header_value("public\nmax-age=60").is_err());
    assert_eq!(origin(" https://b.example").unwrap(), "https://b.example");
    assert_eq!(
        origins("https://a.example, https://b.example,").unwrap(),
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(origins(""), Ok(vec![]));
    assert!(origins("https://a.example, b.example").is_err());
    assert_eq!(
        items(" http://x/a ,, http://x/b "),
        Ok(vec!["http://x/a".into(), "http://x/b".into()])
    );
    assert_eq!(
        origin("http://localhost:3000").unwrap(),
        "http://localhost:3000"
    );
    assert_eq!(origin("*").unwrap(), "*");
    for bad in [
        "https://a.example/",
        "a.example",
        "https://",
        "ftp://a.example",
        "",
    ] {
        assert!(origin(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_preview_token_is_trimmed_and_long_enough() {
    let token = preview_token("0123456789abcdef\n").unwrap();
    assert!(token.matches("0123456789abcdef"));
    assert!(preview_token("t")
        .unwrap_err()
        .contains("at least 16 characters (it has 1)"));
    assert!(preview_token("0123456789 abcdef").is_err());
}

#[test]
fn a_config_made_in_code_is_checked_the_same_way() {
    assert_eq!(ServerConfig::default().check(), Ok(()));
    let zero_poll = ServerConfig {
        release_poll: Duration::ZERO,
        ..ServerConfig::default()
    };
    assert_eq!(
        zero_poll.check().unwrap_err().to_string(),
        "--release-poll (PATHWAYS_RELEASE_POLL) must be more than zero"
    );
    let mut config = ServerConfig::default();
    config.limits.max_batch = 0;
    assert!(config
        .check()
        .unwrap_err()
        .to_string()
        .starts_with("--max-batch (PATHWAYS_MAX_BATCH)"));
    let config = ServerConfig {
        cors_origins: vec![" https://b.example".into()],
        ..ServerConfig::default()
    };
    assert!(config.check().is_err());
    let config = ServerConfig {
        preview_token: Some(Secret::new("short")),
        ..ServerConfig::default()
    };
    assert!(config
        .check()
        .unwrap_err()
        .to_string()
        .contains("at least 16"));
}
