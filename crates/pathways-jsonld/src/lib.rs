#![doc = include_str!("../README.md")]

pub mod base;
pub mod profession;
pub mod program;
pub mod terms;

pub use base::{BaseUrl, BaseUrlError};

use pathways_model::{Level, Profession, Release};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The `@context` every document names: schema.org's. Its terms are the
/// vocabulary's own names, so a processor that knows schema.org reads them as is.
pub const CONTEXT_URL: &str = "https://schema.org";

/// The context document the documents need, for a processor with no network
/// to serve for [`CONTEXT_URL`]: schema.org as the vocabulary, and the
/// properties whose values are addresses read as addresses.
pub fn context() -> Value {
    let iri = |name: &str| json!({ "@id": format!("https://schema.org/{name}"), "@type": "@id" });
    json!({
        "@context": {
            "@vocab": "https://schema.org/",
            "url": iri("url"),
            "itemListOrder": iri("itemListOrder"),
        }
    })
}

/// The document of the profession `slug` (its page's JSON-LD), or `None` when
/// the release has no such profession.
pub fn profession_document(release: &Release, base: &BaseUrl, slug: &str) -> Option<Value> {
    let profession = release.professions.iter().find(|p| p.slug == slug)?;
    let mut graph = profession::nodes(base, release, profession);
    graph.extend(shared(base, release, &[profession]));
    Some(document(graph))
}

/// The whole release: its page with the pathways in page order, every
/// profession's nodes, and the shared ones once.
pub fn release_document(release: &Release, base: &BaseUrl) -> Value {
    let pathways: Vec<Value> = release
        .pathways()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "item": terms::id(profession::occupation_id(base, p)),
            })
        })
        .collect();
    let list_id = format!("{}#pathways", base.home());
    let mut page = json!({
        "@type": "WebPage",
        "@id": base.home(),
        "url": base.home(),
        "name": release.page.title,
        "mainEntity": terms::id(list_id.clone()),
    });
    if !release.page.intro.is_empty() {
        page["description"] = Value::String(release.page.intro.join(" "));
    }
    let mut graph = vec![
        page,
        json!({
            "@type": "ItemList",
            "@id": list_id,
            "name": release.page.title,
            "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "numberOfItems": pathways.len(),
            "itemListElement": pathways,
        }),
    ];
    for p in &release.professions {
        graph.extend(profession::nodes(base, release, p));
    }
    let all: Vec<&Profession> = release.professions.iter().collect();
    graph.extend(shared(base, release, &all));
    document(graph)
}

/// The nodes `professions` refer to that every document carries whole, so each
/// stands alone: the RQF, the credentials of the levels they use, the stages,
/// the code sets of the schemes they have codes in.
fn shared(base: &BaseUrl, release: &Release, professions: &[&Profession]) -> Vec<Value> {
    let levels: BTreeSet<Level> = professions
        .iter()
        .flat_map(|p| p.steps.iter().map(|s| s.level))
        .collect();
    let mut nodes = vec![terms::rqf(base)];
    nodes.extend(terms::credentials(base, levels));
    if !release.stages.is_empty() {
        nodes.push(terms::stages(base, release));
    }
    nodes.extend(terms::code_sets(base, professions));
    nodes
}

fn document(graph: Vec<Value>) -> Value {
    json!({ "@context": CONTEXT_URL, "@graph": graph })
}

#[cfg(test)]
mod tests;
