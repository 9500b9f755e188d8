//! The `pathways-validate` hook of `.pre-commit-hooks.yaml`, tried with the
//! real `pre-commit` tool (PyPI) as a content repository would use it: a
//! content folder with one error fails with that error, and passes once fixed.

use pathways_test_support::{command::binary, copy_tree, fixtures, repo, tool};
use std::path::Path;
use std::process::{Command, Output};

/// `pre-commit try-repo <this repository> pathways-validate --all-files` in
/// `site`, with the `pathways` just built first on the PATH.
fn try_hook(pre_commit: &mut Command, site: &Path, home: &Path) -> Output {
    let bin = binary().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    pre_commit
        .args(["try-repo"])
        .arg(repo())
        .args(["pathways-validate", "--all-files", "--color", "never"])
        .current_dir(site)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .output()
        .expect("run pre-commit")
}

fn git(site: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(site)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn the_hook_fails_on_an_error_and_passes_once_it_is_fixed() {
    let candidates: &[&[&str]] = &[&["pre-commit"], &["python3", "-m", "pre_commit"]];
    if tool("pre-commit", candidates).is_none() {
        return;
    }
    let pre_commit = || tool("pre-commit", candidates).expect("pre-commit ran a moment ago");
    let dir = tempfile::tempdir().unwrap();
    let (site, home) = (dir.path().join("site"), dir.path().join("pre-commit-home"));
    let content = site.join("content");
    std::fs::create_dir_all(&content).unwrap();
    copy_tree(&fixtures().join("base"), &content);
    let roles = content.join("roles.yaml");
    let good = std::fs::read_to_string(&roles).unwrap();
    std::fs::write(
        &roles,
        good.replacen("level: Level 3", "level: Level Five", 1),
    )
    .unwrap();
    git(&site, &["init", "-q"]);
    git(&site, &["add", "-A"]);

    let failed = try_hook(&mut pre_commit(), &site, &home);
    let text = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{text}\n{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert!(
        text.contains("pathways validate") && text.contains("Failed"),
        "{text}"
    );
    assert!(
        text.contains(r#"content/roles.yaml:10:12: error[pathways::schema::pattern]: "Level Five" is not a level: did you mean "Level 5"?"#),
        "{text}"
    );

    std::fs::write(&roles, good).unwrap();
    git(&site, &["add", "-A"]);
    let passed = try_hook(&mut pre_commit(), &site, &home);
    let text = String::from_utf8_lossy(&passed.stdout);
    assert_eq!(
        passed.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&passed.stderr)
    );
    assert!(text.contains("Passed"), "{text}");
}
