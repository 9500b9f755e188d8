//! Larger corpora made from a content set, for benchmarks and scale tests:
//! `copies` copies of every profession and role, each with its own slugs and
//! text so that deduplication cannot fold them back together.

use crate::content::ContentSet;
use crate::model::{PageFile, ProfessionFile, RoleDef, RolesFile};
use crate::schema::FileKind;
use crate::yaml_writer::content_file;
use pathways_model::Block;
use std::path::Path;

/// Writes the scaled corpus under `out` (page, routes, roles, one file per profession copy).
pub fn write_scaled(content: &ContentSet, copies: usize, out: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(out.join("professions"))?;
    let mut page = content.page().cloned().unwrap_or(PageFile {
        title: "Corpus".into(),
        intro: vec![],
        footer: None,
        pathways: vec![],
    });
    page.pathways = (0..copies)
        .flat_map(|c| page.pathways.iter().map(move |slug| copy_slug(slug, c)))
        .collect();
    std::fs::write(
        out.join("page.yaml"),
        content_file(FileKind::Page.schema_file(), &page),
    )?;
    for (i, routes) in content.routes.iter().enumerate() {
        let path = out.join(format!("routes-{i}.yaml"));
        std::fs::write(
            path,
            content_file(FileKind::Routes.schema_file(), &routes.value),
        )?;
    }
    let shared: Vec<RoleDef> = content
        .roles
        .iter()
        .flat_map(|f| f.value.roles.iter())
        .cloned()
        .collect();
    let roles = RolesFile {
        roles: (0..copies)
            .flat_map(|c| shared.iter().map(move |r| copy_role(r, c)))
            .collect(),
    };
    std::fs::write(
        out.join("roles.yaml"),
        content_file(FileKind::Roles.schema_file(), &roles),
    )?;
    for c in 0..copies {
        for profession in content.professions.iter().map(|p| &p.value) {
            let copy = copy_profession(profession, c);
            let path = out.join("professions").join(format!("{}.yaml", copy.slug));
            std::fs::write(
                path,
                content_file(FileKind::Profession.schema_file(), &copy),
            )?;
        }
    }
    Ok(())
}

fn copy_slug(slug: &str, copy: usize) -> String {
    format!("{slug}-{copy}")
}

fn copy_role(role: &RoleDef, copy: usize) -> RoleDef {
    RoleDef {
        slug: copy_slug(&role.slug, copy),
        title: role.title.clone(),
        level: role.level.clone(),
        content: role
            .content
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => Block::Paragraph(format!("{p} (edition {copy})")),
                list => list.clone(),
            })
            .collect(),
    }
}

fn copy_profession(profession: &ProfessionFile, copy: usize) -> ProfessionFile {
    let mut out = profession.clone();
    out.slug = copy_slug(&profession.slug, copy);
    out.name = format!("{} {copy}", profession.name);
    out.roles = profession
        .roles
        .iter()
        .map(|r| copy_role(r, copy))
        .collect();
    if let Some(pathway) = &mut out.pathway {
        for step in &mut pathway.steps {
            step.role = copy_slug(&step.role, copy);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaled_corpus_is_valid_and_scales_every_count() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let base = crate::validate(&[seeds], Default::default());
        let dir = tempfile::tempdir().unwrap();
        write_scaled(&base.content, 3, dir.path()).unwrap();
        let scaled = crate::validate(&[dir.path().to_path_buf()], Default::default());
        assert!(
            scaled.is_valid(),
            "{:?}",
            scaled.problems.iter().find(|p| p.is_error())
        );
        let (one, three) = (
            base.plan().unwrap().counts(),
            scaled.plan().unwrap().counts(),
        );
        assert_eq!(three.professions, 3 * one.professions);
        assert_eq!(three.steps, 3 * one.steps);
        assert_eq!(three.roles, 3 * one.roles);
        assert_eq!(three.shared_roles, 3 * one.shared_roles);
        assert_eq!(three.routes, one.routes);
    }
}
