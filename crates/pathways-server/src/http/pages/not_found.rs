//! Not found: a page for any address nothing answers, and for a profession or
//! role that the release does not have.

use super::respond::Rendered;
use super::shell::{Reading, Shell};
use crate::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound<'a> {
    shell: Shell<'a>,
    heading: &'a str,
    message: String,
}

/// What nothing else answers.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    let path = request.uri().path().to_owned();
    match Reading::of(&state, &headers, false).await {
        Ok(reading) => page(
            &state,
            &headers,
            &reading,
            &path,
            ("Page not found", "There is no page at this address.".into()),
        ),
        Err(refused) => refused,
    }
}

/// The not-found page at `path`, saying `heading` and `message`.
pub fn page(
    state: &AppState,
    headers: &HeaderMap,
    reading: &Reading,
    path: &str,
    (heading, message): (&str, String),
) -> Response {
    let mut shell = Shell::new(reading, path, Some("Not found"), None)
        .described(format!("{heading}. {message}"));
    shell.noindex = true;
    let page = NotFound {
        shell,
        heading,
        message,
    };
    match page.render() {
        Ok(body) => {
            let mut rendered = reading.rendered(StatusCode::NOT_FOUND, super::respond::HTML, body);
            rendered.noindex = true;
            rendered.respond(state, headers)
        }
        Err(error) => failed(state, headers, error),
    }
}

/// A template that could not render: logged, and a plain 500.
pub fn failed(state: &AppState, headers: &HeaderMap, error: askama::Error) -> Response {
    tracing::error!(%error, "a page could not be rendered");
    let mut page = Rendered::html(StatusCode::INTERNAL_SERVER_ERROR, "internal error".into());
    page.media = "text/plain; charset=utf-8";
    page.respond(state, headers)
}
