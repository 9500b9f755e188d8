//! One profession's nodes: its page, the profession as an `Occupation`, its
//! pathway as an `ItemList` of the roles on it, and the routes between them.

use crate::base::BaseUrl;
use crate::program::program;
use crate::terms::{category_code, credential_id, id};
use pathways_model::block::plain_text;
use pathways_model::{Profession, Release, Step};
use serde_json::{json, Value};

pub fn occupation_id(base: &BaseUrl, profession: &Profession) -> String {
    format!("{}#occupation", base.profession(&profession.slug))
}

fn pathway_id(base: &BaseUrl, profession: &Profession) -> String {
    format!("{}#pathway", base.profession(&profession.slug))
}

/// The nodes describing `profession`, in the order a reader meets them.
pub fn nodes(base: &BaseUrl, release: &Release, profession: &Profession) -> Vec<Value> {
    let page = base.profession(&profession.slug);
    let occupation = occupation_id(base, profession);
    let codes: Vec<Value> = profession
        .codes
        .iter()
        .map(|c| category_code(base, c))
        .collect();
    let mut occupation_node = json!({
        "@type": "Occupation",
        "@id": occupation,
        "name": profession.name,
        "url": page,
        "mainEntityOfPage": id(page.clone()),
    });
    if !codes.is_empty() {
        occupation_node["occupationalCategory"] = Value::Array(codes);
    }
    // A page with a pathway is mainly about the pathway; one without, about the profession.
    let main = if profession.has_pathway() {
        pathway_id(base, profession)
    } else {
        occupation.clone()
    };
    let page_node = json!({
        "@type": "WebPage",
        "@id": page,
        "url": page,
        "name": format!("{}: career pathway", profession.name),
        "isPartOf": id(base.home()),
        "about": id(occupation),
        "mainEntity": id(main),
    });
    let mut nodes = vec![page_node, occupation_node];
    if profession.has_pathway() {
        nodes.push(pathway(base, release, profession));
        nodes.extend(programs(base, release, profession));
    }
    nodes
}

/// The steps in order, each an `Occupation` holding the credential its level
/// stands for.
fn pathway(base: &BaseUrl, release: &Release, profession: &Profession) -> Value {
    let items: Vec<Value> = profession
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "item": step_node(base, release, profession, i, step),
            })
        })
        .collect();
    json!({
        "@type": "ItemList",
        "@id": pathway_id(base, profession),
        "name": format!("{} career pathway", profession.name),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "numberOfItems": items.len(),
        "itemListElement": items,
    })
}

fn step_id(base: &BaseUrl, profession: &Profession, index: usize) -> String {
    format!("{}#step-{}", base.profession(&profession.slug), index + 1)
}

fn step_node(
    base: &BaseUrl,
    release: &Release,
    profession: &Profession,
    index: usize,
    step: &Step,
) -> Value {
    let mut node = json!({
        "@type": "Occupation",
        "@id": step_id(base, profession, index),
        "name": step.title,
        "qualifications": id(credential_id(base, step.level)),
    });
    if let Some(role) = release.roles.get(step.role) {
        let text = [plain_text(&step.intro), plain_text(&role.blocks)]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        node["url"] = Value::String(base.role(&role.slug));
        if !text.is_empty() {
            node["description"] = Value::String(text);
        }
    }
    node
}

/// Each route between two steps, as the program into the later one.
fn programs(base: &BaseUrl, release: &Release, profession: &Profession) -> Vec<Value> {
    let categories: Vec<Value> = profession
        .codes
        .iter()
        .map(|c| category_code(base, c))
        .collect();
    profession
        .steps
        .windows(2)
        .enumerate()
        .filter_map(|(i, pair)| {
            let route = release.routes.get(pair[1].entry_route?)?;
            let node_id = format!("{}-route", step_id(base, profession, i + 1));
            Some(program(
                base,
                release,
                route,
                (&pair[0], &pair[1]),
                node_id,
                &categories,
            ))
        })
        .collect()
}
