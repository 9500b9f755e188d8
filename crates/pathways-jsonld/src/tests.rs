use super::*;
use pathways_model::{
    Block, CodeScheme, Level, OccupationCode, Page, Profession, Role, Route, RouteStage, Stage,
    Step,
};
use std::collections::HashSet;

fn base() -> BaseUrl {
    BaseUrl::parse("https://careers.example.org").unwrap()
}

fn release() -> Release {
    let stage = |slug: &str, name: &str| Stage {
        slug: slug.into(),
        name: name.into(),
        label: None,
    };
    let route = |slug: &str, name: &str, stages: &[(usize, bool)]| Route {
        slug: slug.into(),
        name: name.into(),
        stages: stages
            .iter()
            .map(|&(stage, optional)| RouteStage { stage, optional })
            .collect(),
    };
    let role = |slug: &str, rank: u8| Role {
        slug: slug.into(),
        title: slug.into(),
        level: Level::from_rank(rank).unwrap(),
        blocks: vec![Block::Paragraph(format!("What a {slug} does."))],
        shared: false,
    };
    let step = |title: &str, role: usize, rank: u8, entry_route: Option<usize>| Step {
        title: title.into(),
        level: Level::from_rank(rank).unwrap(),
        role,
        entry_route,
        intro: vec![],
    };
    let code = |scheme, code: &str, name: &str| OccupationCode {
        scheme,
        code: code.into(),
        name: name.into(),
        source: "https://example.org/source".into(),
    };
    Release {
        page: Page {
            title: "Explore AHP career pathways".into(),
            intro: vec!["Example pathways.".into()],
            footer: None,
        },
        stages: vec![
            stage("apprenticeship", "Apprenticeship"),
            stage("degree-apprenticeship", "Degree apprenticeship"),
            stage("university", "University"),
        ],
        routes: vec![
            route("direct", "Direct", &[(0, false), (1, false)]),
            route("traditional", "Traditional", &[(2, false), (1, true)]),
        ],
        roles: vec![role("support-worker", 2), role("senior", 3), role("physio-bsc", 6)],
        professions: vec![
            Profession {
                slug: "osteopath".into(),
                name: "Osteopath".into(),
                pathway_position: None,
                steps: vec![],
                codes: vec![code(CodeScheme::Isco08, "2269", "Health professionals not elsewhere classified")],
            },
            Profession {
                slug: "physiotherapist".into(),
                name: "Physiotherapist".into(),
                pathway_position: Some(0),
                steps: vec![
                    step("Healthcare support worker", 0, 2, None),
                    step("Senior healthcare support worker", 1, 3, Some(0)),
                    step("Physiotherapist BSc", 2, 6, Some(1)),
                ],
                codes: vec![
                    code(CodeScheme::Soc2020, "2221", "Physiotherapists"),
                    code(
                        CodeScheme::Esco,
                        "http://data.europa.eu/esco/occupation/006cc1f9-2841-41c3-991a-dc3f2f3bd533",
                        "physiotherapist",
                    ),
                ],
            },
        ],
        duplicates_merged: 0,
    }
}

fn graph(doc: &Value) -> &Vec<Value> {
    assert_eq!(doc["@context"], "https://schema.org");
    doc["@graph"].as_array().unwrap()
}

fn node<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    graph(doc).iter().filter(|n| n["@type"] == kind).collect()
}

#[test]
fn an_unknown_profession_has_no_document() {
    assert!(profession_document(&release(), &base(), "dietitian").is_none());
}

#[test]
fn the_profession_is_an_occupation_with_its_codes() {
    let doc = profession_document(&release(), &base(), "physiotherapist").unwrap();
    let page = &graph(&doc)[0];
    assert_eq!(page["@type"], "WebPage");
    assert_eq!(
        page["@id"],
        "https://careers.example.org/professions/physiotherapist"
    );
    assert_eq!(
        page["mainEntity"]["@id"],
        "https://careers.example.org/professions/physiotherapist#pathway"
    );
    let occupation = &graph(&doc)[1];
    assert_eq!(occupation["@type"], "Occupation");
    assert_eq!(occupation["name"], "Physiotherapist");
    let codes = occupation["occupationalCategory"].as_array().unwrap();
    assert_eq!(codes[0]["@type"], "CategoryCode");
    assert_eq!(codes[0]["codeValue"], "2221");
    assert!(codes[0].get("@id").is_none(), "SOC 2020 gives codes no URI");
    assert_eq!(
        codes[1]["@id"],
        "http://data.europa.eu/esco/occupation/006cc1f9-2841-41c3-991a-dc3f2f3bd533"
    );
    let sets: Vec<&str> = node(&doc, "CategoryCodeSet")
        .iter()
        .map(|s| s["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sets.len(),
        2,
        "one set per scheme used, not per profession: {sets:?}"
    );
    assert_eq!(codes[0]["inCodeSet"]["@id"], sets[0]);
}

#[test]
fn the_steps_are_a_list_in_order_each_with_its_level_credential() {
    let doc = profession_document(&release(), &base(), "physiotherapist").unwrap();
    let list = node(&doc, "ItemList")[0];
    assert_eq!(list["numberOfItems"], 3);
    let items = list["itemListElement"].as_array().unwrap();
    let titles: Vec<(u64, &str)> = items
        .iter()
        .map(|i| {
            (
                i["position"].as_u64().unwrap(),
                i["item"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            (1, "Healthcare support worker"),
            (2, "Senior healthcare support worker"),
            (3, "Physiotherapist BSc")
        ]
    );
    let step = &items[2]["item"];
    assert_eq!(step["@type"], "Occupation");
    assert_eq!(step["url"], "https://careers.example.org/roles/physio-bsc");
    assert_eq!(step["description"], "What a physio-bsc does.");
    let credential_id = step["qualifications"]["@id"].as_str().unwrap();
    let credential = node(&doc, "EducationalOccupationalCredential")
        .into_iter()
        .find(|c| c["@id"] == credential_id)
        .expect("the credential is in the document");
    assert_eq!(
        credential["educationalLevel"]["@id"],
        "https://careers.example.org/pathways.jsonld#rqf-level-6"
    );
}

#[test]
fn the_rqf_is_a_defined_term_set_from_entry_level_to_level_8() {
    let doc = profession_document(&release(), &base(), "physiotherapist").unwrap();
    let rqf = node(&doc, "DefinedTermSet")
        .into_iter()
        .find(|s| s["@id"] == "https://careers.example.org/pathways.jsonld#rqf")
        .unwrap();
    let names: Vec<&str> = rqf["hasDefinedTerm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 9);
    assert_eq!((names[0], names[8]), ("Entry Level", "Level 8"));
}

#[test]
fn routes_are_programs_and_apprenticeships_are_work_based() {
    let doc = profession_document(&release(), &base(), "physiotherapist").unwrap();
    let direct = node(&doc, "WorkBasedProgram");
    let traditional = node(&doc, "EducationalOccupationalProgram");
    assert_eq!((direct.len(), traditional.len()), (1, 1));
    let direct = direct[0];
    assert_eq!(direct["identifier"], "direct");
    assert_eq!(
        direct["description"],
        "Direct: Apprenticeship, then Degree apprenticeship"
    );
    assert_eq!(
        direct["programPrerequisites"]["@id"],
        "https://careers.example.org/pathways.jsonld#credential-level-2"
    );
    assert_eq!(
        direct["educationalCredentialAwarded"]["@id"],
        "https://careers.example.org/pathways.jsonld#credential-level-3"
    );
    assert_eq!(
        direct["programType"][0]["@id"],
        "https://careers.example.org/pathways.jsonld#stage-apprenticeship"
    );
    assert_eq!(
        traditional[0]["description"],
        "Traditional: University, then Degree apprenticeship (optional)"
    );
    assert_eq!(
        traditional[0]["occupationalCategory"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_profession_without_a_pathway_is_its_page_s_main_entity() {
    let doc = profession_document(&release(), &base(), "osteopath").unwrap();
    assert_eq!(
        graph(&doc)[0]["mainEntity"]["@id"],
        "https://careers.example.org/professions/osteopath#occupation"
    );
    assert!(node(&doc, "ItemList").is_empty());
}

#[test]
fn the_release_lists_pathways_in_page_order_and_names_each_node_once() {
    let doc = release_document(&release(), &base());
    let list = &graph(&doc)[1];
    assert_eq!(
        list["itemListElement"][0]["item"]["@id"],
        "https://careers.example.org/professions/physiotherapist#occupation"
    );
    assert_eq!(list["numberOfItems"], 1);
    let mut seen = HashSet::new();
    for n in graph(&doc) {
        let id = n["@id"].as_str().unwrap();
        assert!(seen.insert(id), "{id} twice");
    }
    assert_eq!(node(&doc, "Occupation").len(), 2);
}

#[test]
fn the_context_maps_every_term_to_schema_org() {
    assert_eq!(context()["@context"]["@vocab"], "https://schema.org/");
}
