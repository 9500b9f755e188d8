//! Content for tests: load plans made through ingest, and edits of them.

use crate::paths::{copy_tree, seeds};
use pathways_model::{Block, Release};
use std::path::Path;

/// The load plan of the content under `dir`, which must be valid.
#[track_caller]
pub fn plan_of(dir: &Path) -> Release {
    let validation = pathways_ingest::validate(&[dir.to_path_buf()], Default::default());
    validation
        .plan()
        .unwrap_or_else(|| panic!("{} is not valid: {:?}", dir.display(), validation.problems))
}

/// The load plan of the committed seeds.
pub fn seeds_plan() -> Release {
    plan_of(&seeds())
}

/// `plan` with one paragraph added to its first role: new content, one change.
pub fn edited(plan: &Release) -> Release {
    let mut edited = plan.clone();
    edited.roles[0]
        .blocks
        .push(Block::Paragraph("A new closing paragraph.".into()));
    edited
}

/// A content folder `copies` times the seeds, each copy with its own slugs and text.
pub fn scaled_content(copies: usize) -> tempfile::TempDir {
    let base = pathways_ingest::validate(&[seeds()], Default::default());
    let scratch = tempfile::tempdir().expect("temp folder");
    pathways_ingest::corpus::write_scaled(&base.content, copies, scratch.path())
        .expect("write the scaled corpus");
    scratch
}

/// The load plan of [`scaled_content`].
pub fn scaled_plan(copies: usize) -> Release {
    plan_of(scaled_content(copies).path())
}

/// The seeds with three edits a reader would notice: a profession added, a
/// step removed, and a paragraph of a role edited.
pub fn changed_seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp folder");
    copy_tree(&seeds(), dir.path());
    let physio = dir.path().join("professions/physiotherapist.yaml");
    let text = std::fs::read_to_string(&physio).unwrap();
    // The first step, Physiotherapy Assistant, goes.
    let start = text
        .find("    - title: Physiotherapy Assistant")
        .expect("first step");
    let end = start
        + text[start..]
            .find("    - title: Healthcare support worker")
            .expect("second step");
    std::fs::write(&physio, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let roles = dir.path().join("roles.yaml");
    let text = std::fs::read_to_string(&roles).unwrap();
    std::fs::write(
        &roles,
        text.replacen(
            "Senior support workers will use more advanced skills",
            "Senior support workers will use more specialised skills",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("professions/sports-therapist.yaml"),
        "# yaml-language-server: $schema=../../schema/profession.schema.json\n\
         slug: sports-therapist\nname: Sports therapist\npathway:\n  steps:\n\
         \x20   - title: Healthcare support worker\n      level: Level 2\n      role: healthcare-support-worker\n",
    )
    .unwrap();
    dir
}
