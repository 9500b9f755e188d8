//! Log lines on standard error: warnings for the one-shot commands, `info` for
//! `serve` (`RUST_LOG` overrides either). Colour only when standard error is a
//! terminal and `NO_COLOR` is unset or empty (no-color.org), so log files and CI
//! logs carry no escape codes.

use std::io::IsTerminal;

/// Whether text on standard error may be coloured.
pub fn colour_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Starts logging at `default_level`, as JSON lines when `json`, with the time
/// of each line when `timestamps`.
pub fn init(default_level: &str, json: bool, timestamps: bool) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour_on_stderr());
    let _ = if json {
        builder.json().try_init()
    } else if timestamps {
        builder.try_init()
    } else {
        builder.without_time().try_init()
    };
}
