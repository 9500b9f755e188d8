//! `/graphql`, following the GraphQL-over-HTTP specification. GET and POST read
//! into the same [`GraphqlRequest`] and then run the same steps, in order:
//!
//! 1. `negotiate`: the media type of the answer, and of a POST's body;
//! 2. `request`: the request read (query string or JSON body) and its
//!    document resolved (sent, automatic persisted query, or manifest);
//!    `documents` keeps documents parsed before;
//! 3. `release`: the release it reads (published, or a preview);
//! 4. `execute`: inspected against the limits, answered from the cache or run;
//! 5. `answer`: the HTTP response, with its ETag and caching headers.
//!
//! Every refusal on the way is a [`Rejection`], which alone decides status,
//! `extensions.code` and body.

pub(crate) mod answer;
pub(crate) mod documents;
mod execute;
mod inspect;
pub(crate) mod negotiate;
pub(crate) mod rejection;
pub(crate) mod release;
mod request;

use crate::AppState;
use answer::Respond;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use negotiate::MediaType;
use rejection::Rejection;
use request::{GetParams, GraphqlRequest, Operations, Sent};

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, QueryRejection>,
) -> Response {
    let media = match MediaType::negotiate(&headers) {
        Ok(media) => media,
        Err(refused) => return refused.respond(MediaType::Json),
    };
    let request = params
        .map_err(|e| Rejection::Malformed(format!("the URL's query string cannot be read: {e}")))
        .and_then(|Query(params)| GraphqlRequest::from_get(params));
    run(&state, &headers, media, Method::GET, request.map(Sent::One)).await
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let media = match MediaType::negotiate(&headers) {
        Ok(media) => media,
        Err(refused) => return refused.respond(MediaType::Json),
    };
    let sent = negotiate::json_body(&headers)
        .and_then(|()| body.map_err(|e| Rejection::of_body(e, state.inner.config.body_limit)))
        .and_then(|body| Sent::from_body(&body, state.inner.config.limits.max_batch));
    run(&state, &headers, media, Method::POST, sent).await
}

/// The steps after reading, the same for GET and POST.
async fn run(
    state: &AppState,
    headers: &HeaderMap,
    media: MediaType,
    method: Method,
    sent: Result<Sent, Rejection>,
) -> Response {
    let operations = match sent.and_then(|sent| sent.resolve(&state.inner.persisted)) {
        Ok(operations) => operations,
        Err(refused) => return refused.respond(media),
    };
    let view = match release::choose(state, headers).await {
        Ok(view) => view,
        Err(refused) => return refused.respond(media),
    };
    let respond = Respond {
        state,
        view: &view,
        media,
        method: &method,
        headers,
    };
    match operations {
        Operations::One(operation) => match execute::answer(&respond, operation).await {
            Ok(answer) => respond.single(answer),
            Err(refused) => respond.refused(&refused),
        },
        Operations::Batch(operations) => {
            let mut answers = Vec::with_capacity(operations.len());
            for operation in operations {
                let answer = match operation {
                    Ok(operation) => execute::answer(&respond, operation).await,
                    Err(refused) => Err(refused),
                };
                answers.push(answer.unwrap_or_else(|refused| refused.answer(media)));
            }
            respond.batch(&answers)
        }
    }
}
