//! The page-export reader is a parser of the format, not of one file: the same
//! content written with other line ends, spacing and separators reads the same,
//! and other professions and levels read too.

use pathways_ingest::page::{self, Export, Vocabulary};
use pathways_ingest::source::SourceFile;
use pathways_model::Level;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vocabulary() -> Vocabulary {
    let validation = pathways_ingest::validate(&[repo().join("seeds")], Default::default());
    Vocabulary::from_content(&validation.content)
}

fn source() -> String {
    std::fs::read_to_string(repo().join("seeds/source/explore-ahp-career-pathways.txt")).unwrap()
}

fn read(text: &str) -> Export {
    page::read(
        &SourceFile::new("export.txt", text.to_owned()),
        &vocabulary(),
    )
    .unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// Line numbers differ between spellings of one export; the content must not.
fn without_lines(mut export: Export) -> Export {
    for pathway in &mut export.pathways {
        pathway.line = 0;
        for step in &mut pathway.steps {
            step.line = 0;
        }
    }
    export
}

#[test]
fn reads_all_six_pathways_of_the_source() {
    let export = read(&source());
    let steps: Vec<usize> = export.pathways.iter().map(|p| p.steps.len()).collect();
    assert_eq!(steps, [5, 5, 7, 6, 7, 5]);
    let physio = &export.pathways[2];
    assert_eq!(physio.name, "Physiotherapist");
    let ranks: Vec<u8> = physio.steps.iter().map(|s| s.level.rank()).collect();
    assert_eq!(ranks, [0, 2, 3, 5, 6, 6, 7]);
    assert_eq!(
        export.footer.as_deref(),
        Some("Please select a career above")
    );
}

#[test]
fn crlf_line_ends_read_the_same() {
    let crlf = source().replace('\n', "\r\n");
    assert_eq!(without_lines(read(&crlf)), without_lines(read(&source())));
}

#[test]
fn stray_spaces_read_the_same() {
    let spaced: String = source()
        .lines()
        .map(|l| format!("  {}   \n", l.replace(". ", ".  ")))
        .collect();
    assert_eq!(without_lines(read(&spaced)), without_lines(read(&source())));
}

#[test]
fn missing_separators_read_the_same() {
    let bare: String = source()
        .lines()
        .skip(5) // the header keeps its separator
        .filter(|l| l.trim() != "-")
        .map(|l| format!("{}\n", l.strip_suffix(" -").unwrap_or(l)))
        .collect();
    let header: String = source().lines().take(5).map(|l| format!("{l}\n")).collect();
    assert_eq!(
        without_lines(read(&(header + &bare))),
        without_lines(read(&source()))
    );
}

#[test]
fn a_trailing_separator_after_the_last_block_is_fine() {
    let text = source().replace("Please select a career above", "-\n");
    let export = read(&text);
    assert_eq!(export.pathways.len(), 6);
    assert_eq!(export.footer, None);
}

#[test]
fn other_professions_and_levels_read() {
    let text = "Explore AHP career pathways\n-\n\
        Paramedic Ambulance care assistant\n\
        Level 2Associate Ambulance PractitionerYou will respond to calls.\n\
        Level 4DirectAssociate ambulance practitioners give emergency care.\n\
        routeAPPRENTICESHIPDEGREE APPRENTICESHIPParamedic BSc\n\
        Level 6Doctorate in Paramedic ScienceParamedics lead emergency care.\n\
        Level 8Consultant paramedics research and lead.\n\
        -\n\
        Podiatrist Podiatry assistant\n\
        Entry LevelPodiatry assistants help with foot care.\n";
    let export = read(text);
    assert_eq!(export.pathways.len(), 2);
    let paramedic = &export.pathways[0];
    let levels: Vec<Level> = paramedic.steps.iter().map(|s| s.level).collect();
    assert_eq!(
        levels.iter().map(|l| l.label()).collect::<Vec<_>>(),
        ["Level 2", "Level 4", "Level 6", "Level 8"]
    );
    let titles: Vec<&str> = paramedic.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Ambulance care assistant",
            "Associate Ambulance Practitioner",
            "Paramedic BSc",
            "Doctorate in Paramedic Science"
        ]
    );
    assert!(paramedic.steps[2].entry_route.is_some());
    assert_eq!(export.pathways[1].steps[0].level, Level::ENTRY);
}

#[test]
fn imported_content_is_valid_content() {
    let export = read(&source());
    let imported = page::import(&export, &vocabulary());
    let dir = tempfile::tempdir().unwrap();
    imported.write(dir.path()).unwrap();
    let validation = pathways_ingest::validate(&[dir.path().to_path_buf()], Default::default());
    assert!(validation.is_valid(), "{:?}", validation.problems);
    let counts = validation.plan().unwrap().counts();
    assert_eq!(
        (counts.steps, counts.roles, counts.shared_roles),
        (35, 15, 6)
    );
}

#[test]
fn every_unreadable_block_is_reported_in_one_run() {
    let text = "Title\n-\nParamedic First\nLevel 2\n-\nPodiatrist First\nLevel 9Text\n-\nAstronaut First\nLevel 2Text\n";
    let problems = page::read(&SourceFile::new("e.txt", text.into()), &vocabulary()).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.location.line).collect();
    assert_eq!(lines, [4, 7, 9], "{problems:#?}");
}
