//! `schema/pathways.graphql` is the committed contract: it must match the server.
//! A difference fails the test, showing the lines that differ; with `UPDATE_SDL=1`
//! (`UPDATE_SDL=1 cargo test -p pathways-cli --test http sdl`) the file is rewritten
//! too, and the test still fails, so a regenerated contract is always looked at and
//! committed, never accepted by the run that changed it.

use pathways_test_support::repo;

#[test]
fn the_committed_sdl_matches_the_server() {
    let path = repo().join("schema/pathways.graphql");
    let sdl = pathways_server::graphql::sdl();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == sdl {
        return;
    }
    let diff = similar::TextDiff::from_lines(&committed, &sdl)
        .unified_diff()
        .context_radius(3)
        .header("schema/pathways.graphql", "the server's SDL")
        .to_string();
    let rewritten = std::env::var_os("UPDATE_SDL").is_some();
    if rewritten {
        std::fs::write(&path, &sdl).unwrap();
    }
    panic!(
        "schema/pathways.graphql differs from the server's SDL{}:\n{diff}",
        if rewritten {
            " (rewritten: review and commit it)"
        } else {
            "; regenerate it with UPDATE_SDL=1 (see this test's doc)"
        }
    );
}

#[test]
fn every_type_and_field_has_a_description() {
    let sdl = pathways_server::graphql::sdl();
    let mut previous = "";
    let mut in_schema_block = false;
    for line in sdl.lines() {
        let trimmed = line.trim();
        // `schema { query: Query }` names the root; it is not a type.
        if trimmed.starts_with("schema {") {
            in_schema_block = true;
        }
        if in_schema_block {
            in_schema_block = trimmed != "}";
            previous = line;
            continue;
        }
        let is_definition = trimmed.starts_with("type ")
            || trimmed.starts_with("enum ")
            || (line.starts_with("\t") && !trimmed.starts_with('"') && trimmed.contains(':'));
        if is_definition {
            assert!(
                previous.trim().ends_with('"'),
                "no description before `{trimmed}`"
            );
        }
        previous = line;
    }
}
