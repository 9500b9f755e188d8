//! `/roles/<slug>`: a role's text, its level, and the pathways that show it.

use super::shell::{paras, summary, Para, Reading, Shell};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pathways_model::block::plain_text;

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage<'a> {
    shell: Shell<'a>,
    title: &'a str,
    level: String,
    shared: bool,
    used_by: Vec<UsedBy<'a>>,
    blocks: Vec<Para<'a>>,
}

struct UsedBy<'a> {
    slug: &'a str,
    name: &'a str,
}

pub async fn get(
    reading: Reading,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let path = format!("/roles/{}", super::shell::encode(&slug));
    let snapshot = reading.snapshot();
    let Some(ix) = snapshot.role_by_slug(&slug) else {
        let message = format!("There is no role “{slug}”.");
        return super::not_found::page(
            &state,
            &headers,
            &reading,
            &path,
            ("Role not found", message),
        );
    };
    let role = snapshot.role(ix);
    let text = plain_text(&role.blocks).replace('\n', " ");
    let page = RolePage {
        shell: Shell::new(&reading, &path, Some(&role.title), None).described(summary(
            &format!("{} ({}): {text}", role.title, role.level.label()),
            300,
        )),
        title: &role.title,
        level: role.level.label(),
        shared: role.shared,
        used_by: snapshot
            .role_users(ix)
            .iter()
            .map(|&p| UsedBy {
                slug: &snapshot.profession(p).slug,
                name: &snapshot.profession(p).name,
            })
            .collect(),
        blocks: paras(&role.blocks),
    };
    match page.render() {
        Ok(body) => reading
            .rendered(StatusCode::OK, super::respond::HTML, body)
            .respond(&state, &headers),
        Err(error) => super::not_found::failed(&state, &headers, error),
    }
}
