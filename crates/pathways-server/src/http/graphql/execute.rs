//! Step 4: an operation answered, from the response cache when it has the
//! answer, else inspected against the limits and run against the snapshot.

use super::answer::{Answer, CacheKeys, RequestKey, Respond};
use super::inspect::inspect;
use super::rejection::Rejection;
use super::request::Operation;
use crate::graphql::{Reads, RequestContext};
use axum::http::StatusCode;
use serde_json::json;
use std::sync::Arc;

/// The answer to `operation`, or the refusal of it before it ran.
pub async fn answer(respond: &Respond<'_>, operation: Operation) -> Result<Answer, Rejection> {
    let inner = &respond.state.inner;
    let view = respond.view;
    let key = RequestKey {
        release_id: view.snapshot.id(),
        catalog: view.catalog.version,
        preview: view.preview,
        query: operation.query.clone(),
        variables: operation.variables.to_string(),
        operation_name: operation.operation_name.clone(),
        media: respond.media,
    };
    // Previews never share the cache: they see what the public must not.
    let cached = inner.cache.enabled() && !view.preview;
    if cached {
        let hit = inner.cache.get(&key);
        inner.metrics.record_cache(hit.is_some());
        if let Some(answer) = hit {
            return Ok(answer);
        }
    }
    let answer = run(respond, &key, operation).await?;
    if cached && answer.cacheable {
        inner.cache.put(key, answer.clone());
    }
    Ok(answer)
}

/// Parses once, inspects, and executes.
async fn run(
    respond: &Respond<'_>,
    key: &RequestKey,
    operation: Operation,
) -> Result<Answer, Rejection> {
    let inner = &respond.state.inner;
    let view = respond.view;
    let document = inner.parsed.parse(&operation.query);
    let inspection = document
        .as_ref()
        .map(|d| inspect(d, operation.operation_name.as_deref()));
    if let Some(inspection) = &inspection {
        inspection
            .check(respond.method, inner.config.limits.max_aliases)
            .inspect_err(|_| inner.metrics.record_graphql_errors(1))?;
    }
    let reads = Arc::new(Reads::new(&view.snapshot));
    let mut request = async_graphql::Request::new(&*operation.query)
        .variables(async_graphql::Variables::from_json(operation.variables))
        .data(RequestContext {
            snapshot: view.snapshot.clone(),
            catalog: view.catalog.clone(),
            preview: view.preview,
            served: inner
                .release
                .current()
                .is_some_and(|s| s.id() == view.snapshot.id()),
            limits: inner.config.limits,
            base: inner.base.clone(),
            reads: reads.clone(),
        });
    if let Some(name) = operation.operation_name {
        request = request.operation_name(name);
    }
    if let Some(document) = document {
        request.set_parsed_query(document);
    }
    let schema = if inspection.is_some_and(|i| i.introspection_only) {
        &inner.introspection
    } else {
        &inner.schema
    };
    // Resolvers read the snapshot and never wait, so async-graphql's concurrent
    // field futures finish in the order they were started: selection order.
    let parsed = inspection.is_some();
    let response = one_per_core(respond, schema, request).await?;
    inner.metrics.record_graphql_errors(response.errors.len());
    let mut answer = answer_of(response, key, parsed);
    // Previews carry no keys: no shared cache may keep them.
    if answer.etag.is_some() && !view.preview {
        answer.keys = CacheKeys::new(reads.keys(&view.snapshot));
    }
    Ok(answer)
}

/// Runs a document, at most one per core at a time. The resolvers never wait,
/// so a document runs to its end once started: with no more running than
/// there are cores, `/healthz`, `/readyz` and the tasks that load new releases
/// wait for one document at most, however many are asked for at once; the
/// rest wait for a turn without being polled.
async fn one_per_core(
    respond: &Respond<'_>,
    schema: &crate::graphql::PathwaysSchema,
    request: async_graphql::Request,
) -> Result<async_graphql::Response, Rejection> {
    let _turn = respond
        .state
        .inner
        .executions
        .acquire()
        .await
        .map_err(|_| Rejection::Internal)?;
    Ok(schema.execute(request).await)
}

/// The bytes of an executed response. A request error (parse, validation,
/// limits) has no data and no error paths: 400 with graphql-response+json, and
/// its body leaves out `data`, as the GraphQL specification says.
fn answer_of(mut response: async_graphql::Response, key: &RequestKey, parsed: bool) -> Answer {
    let request_failed = !response.errors.is_empty()
        && matches!(response.data, async_graphql::Value::Null)
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if request_failed && key.media == super::negotiate::MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = if request_failed {
        coded(&mut response.errors, parsed);
        serde_json::to_vec(&json!({ "errors": response.errors }))
    } else {
        serde_json::to_vec(&response)
    }
    .unwrap_or_default();
    let etag = (!request_failed).then(|| key.etag(&body));
    Answer {
        status,
        body: body.into(),
        etag,
        cacheable: response.errors.is_empty(),
        keys: None,
    }
}

/// Gives each request error the `extensions.code` clients branch on, as the
/// refusals of [`Rejection`] have.
fn coded(errors: &mut [async_graphql::ServerError], parsed: bool) {
    for error in errors {
        let code = if !parsed {
            "GRAPHQL_PARSE_FAILED"
        } else if error.message.contains("nested too deep") {
            "QUERY_TOO_DEEP"
        } else if error.message.contains("too complex") {
            "QUERY_TOO_COMPLEX"
        } else {
            "GRAPHQL_VALIDATION_FAILED"
        };
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", code);
        }
    }
}
