//! The seeds, built into the binary: `serve` loads them into an empty database
//! when no seeds folder is at hand, so a binary copied to another machine (or a
//! container holding only the binary) still starts with real content.

use pathways_ingest::source::SourceFile;

/// Each seed file's path under `seeds/` and its text.
const FILES: &[(&str, &str)] = &[
    ("page.yaml", include_str!("../../../seeds/page.yaml")),
    ("routes.yaml", include_str!("../../../seeds/routes.yaml")),
    ("roles.yaml", include_str!("../../../seeds/roles.yaml")),
    ("codes.yaml", include_str!("../../../seeds/codes.yaml")),
    (
        "professions/art-therapist.yaml",
        include_str!("../../../seeds/professions/art-therapist.yaml"),
    ),
    (
        "professions/diagnostic-radiographer.yaml",
        include_str!("../../../seeds/professions/diagnostic-radiographer.yaml"),
    ),
    (
        "professions/dietitian.yaml",
        include_str!("../../../seeds/professions/dietitian.yaml"),
    ),
    (
        "professions/drama-therapist.yaml",
        include_str!("../../../seeds/professions/drama-therapist.yaml"),
    ),
    (
        "professions/music-therapist.yaml",
        include_str!("../../../seeds/professions/music-therapist.yaml"),
    ),
    (
        "professions/occupational-therapist.yaml",
        include_str!("../../../seeds/professions/occupational-therapist.yaml"),
    ),
    (
        "professions/operating-department-practitioner.yaml",
        include_str!("../../../seeds/professions/operating-department-practitioner.yaml"),
    ),
    (
        "professions/orthoptist.yaml",
        include_str!("../../../seeds/professions/orthoptist.yaml"),
    ),
    (
        "professions/osteopath.yaml",
        include_str!("../../../seeds/professions/osteopath.yaml"),
    ),
    (
        "professions/paramedic.yaml",
        include_str!("../../../seeds/professions/paramedic.yaml"),
    ),
    (
        "professions/physiotherapist.yaml",
        include_str!("../../../seeds/professions/physiotherapist.yaml"),
    ),
    (
        "professions/podiatrist.yaml",
        include_str!("../../../seeds/professions/podiatrist.yaml"),
    ),
    (
        "professions/prosthetist-and-orthotist.yaml",
        include_str!("../../../seeds/professions/prosthetist-and-orthotist.yaml"),
    ),
    (
        "professions/speech-and-language-therapist.yaml",
        include_str!("../../../seeds/professions/speech-and-language-therapist.yaml"),
    ),
    (
        "professions/therapeutic-radiographer.yaml",
        include_str!("../../../seeds/professions/therapeutic-radiographer.yaml"),
    ),
];

/// The built-in seeds as files in memory, named `seeds/<path>` in messages.
pub fn sources() -> Vec<SourceFile> {
    FILES
        .iter()
        .map(|(path, text)| SourceFile::new(format!("seeds/{path}"), (*text).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every content file in `seeds/` is built in, and nothing else.
    #[test]
    fn every_seed_file_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let mut on_disk = Vec::new();
        for folder in ["", "professions"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    on_disk.push(if folder.is_empty() {
                        name
                    } else {
                        format!("{folder}/{name}")
                    });
                }
            }
        }
        on_disk.sort();
        let mut built_in: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        built_in.sort();
        assert_eq!(built_in, on_disk);
    }

    #[test]
    fn the_built_in_seeds_are_the_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let built_in = pathways_ingest::validate_sources(sources());
        let on_disk = pathways_ingest::validate(&[root], Default::default());
        assert!(built_in.is_valid());
        assert_eq!(
            built_in.plan().unwrap().content_hash(),
            on_disk.plan().unwrap().content_hash()
        );
    }
}
