//! Outside programs some tests drive (`xmllint`, `pre-commit`). Where one is
//! missing the test says it was skipped, and under `PATHWAYS_REQUIRE_TOOLS=1`
//! (set by CI, which installs them) it fails instead, so a test that did not
//! run never reads as passed there.

use std::process::Command;

/// Set to `1` (as CI does), a test whose program is missing fails instead of skipping.
pub const REQUIRE_ENV: &str = "PATHWAYS_REQUIRE_TOOLS";

/// The first of `candidates` (program and leading arguments) that runs with
/// `--version`, as a command to add arguments to; `None` when none does and
/// the tools are not required (the test should return, skipped).
#[track_caller]
pub fn tool(name: &str, candidates: &[&[&str]]) -> Option<Command> {
    tool_asked(name, candidates, "--version")
}

/// [`tool`] for a program that tells its version with `version` (`varnishd -V`).
#[track_caller]
pub fn tool_asked(name: &str, candidates: &[&[&str]], version: &str) -> Option<Command> {
    for candidate in candidates {
        let (program, args) = candidate.split_first()?;
        let runs = Command::new(program)
            .args(args)
            .arg(version)
            .output()
            .is_ok_and(|o| o.status.success());
        if runs {
            let mut command = Command::new(program);
            command.args(args);
            return Some(command);
        }
    }
    skip(name)
}

/// Says `name` is missing and the test is skipped, or fails it when tools are required.
#[track_caller]
pub fn skip<T>(name: &str) -> Option<T> {
    let required =
        std::env::var(REQUIRE_ENV).is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"));
    assert!(
        !required,
        "{REQUIRE_ENV} is set but {name} is not installed: this test would be skipped"
    );
    eprintln!("{name}: skipped ({name} is not installed; CI installs it and sets {REQUIRE_ENV}=1)");
    None
}
