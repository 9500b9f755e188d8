//! `/graphql` following the GraphQL-over-HTTP specification: POST with
//! `application/json` and GET with URL parameters; `application/graphql-response+json`
//! when the client accepts it, with 4xx for request errors; no mutations over GET;
//! ETags on GET; answers from the response cache when it has them.

use crate::cache::{CacheKey, CachedResponse};
use crate::graphql::RequestContext;
use crate::persisted::{Named, Refusal};
use crate::preview::{self, Access};
use crate::release_watch::Catalog;
use crate::request_limits::inspect;
use crate::snapshot::Snapshot;
use crate::AppState;
use async_graphql::parser::types::OperationType;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";
/// What a preview's answers carry: they are for the one who asked.
const PRIVATE: &str = "private, no-store";

/// The media type of the response, from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        }
    }

    /// `application/graphql-response+json` when accepted, else `application/json`;
    /// `None` (406) when the client accepts neither.
    fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(MediaType::Json);
        };
        let types: Vec<&str> = accept
            .split(',')
            .map(|t| t.split(';').next().unwrap_or("").trim())
            .collect();
        if types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(GRAPHQL_RESPONSE_JSON))
        {
            Some(MediaType::GraphqlResponse)
        } else if types.iter().any(|t| {
            t.eq_ignore_ascii_case(JSON) || *t == "*/*" || t.eq_ignore_ascii_case("application/*")
        }) {
            Some(MediaType::Json)
        } else {
            None
        }
    }
}

/// One GraphQL request as the client sent it.
#[derive(Debug, Clone)]
struct Params {
    query: String,
    variables: Option<Value>,
    operation_name: Option<String>,
}

/// A request as sent: its document, or an id naming one, or both.
#[derive(Debug, Clone)]
struct Sent {
    named: Named,
    variables: Option<Value>,
    operation_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    operation_name: Option<String>,
    extensions: Option<String>,
    document_id: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    let Ok(Query(params)) = params else {
        return request_error(media, "the URL's query string cannot be read", true);
    };
    let variables = match params.variables.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(v @ (Value::Object(_) | Value::Null)) => Some(v),
            _ => return request_error(media, "`variables` must be a JSON object", true),
        },
    };
    let extensions = match params.extensions.as_deref().filter(|e| !e.is_empty()) {
        None => None,
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(v) => Some(v),
            Err(_) => return request_error(media, "`extensions` must be a JSON object", true),
        },
    };
    let sha256_hash = match persisted_query(extensions.as_ref()) {
        Ok(hash) => hash,
        Err(message) => return request_error(media, &message, true),
    };
    let sent = Sent {
        named: Named {
            query: params.query.filter(|q| !q.trim().is_empty()),
            sha256_hash,
            document_id: params.document_id.filter(|d| !d.is_empty()),
        },
        variables,
        operation_name: params.operation_name.filter(|n| !n.is_empty()),
    };
    let params = match document(&state, sent, media) {
        Ok(params) => params,
        Err(refused) => return *refused,
    };
    let view = match view(&state, &headers, media).await {
        Ok(view) => view,
        Err(refused) => return refused,
    };
    execute(&state, &view, params, media, Method::GET, &headers).await
}

/// `extensions.persistedQuery.sha256Hash`, when the request has one.
fn persisted_query(extensions: Option<&Value>) -> Result<Option<String>, String> {
    let Some(extensions) = extensions.filter(|e| !e.is_null()) else {
        return Ok(None);
    };
    let Value::Object(extensions) = extensions else {
        return Err("`extensions` must be an object".into());
    };
    let Some(persisted) = extensions.get("persistedQuery") else {
        return Ok(None);
    };
    if persisted.get("version").and_then(Value::as_i64) != Some(1) {
        return Err("`extensions.persistedQuery.version` must be 1".into());
    }
    match persisted.get("sha256Hash") {
        Some(Value::String(hash)) => Ok(Some(hash.clone())),
        _ => Err("`extensions.persistedQuery.sha256Hash` must be a string".into()),
    }
}

/// The document a request runs: sent, persisted, or refused with the error
/// clients expect (Apollo Client retries on `PersistedQueryNotFound`).
fn document(state: &AppState, sent: Sent, media: MediaType) -> Result<Params, Box<Response>> {
    let operation_name = sent.operation_name;
    let variables = sent.variables;
    match state.inner.persisted.resolve(sent.named) {
        Ok(query) => Ok(Params {
            query: query.to_string(),
            variables,
            operation_name,
        }),
        Err(Refusal::Missing) => Err(Box::new(request_error(
            media,
            "expected `query` (a GraphQL document), or `documentId` or `extensions.persistedQuery` naming one",
            true,
        ))),
        Err(Refusal::HashMismatch) => Err(Box::new(request_error(
            media,
            "provided sha does not match query",
            true,
        ))),
        Err(Refusal::NotFound) => {
            let status = if media == MediaType::GraphqlResponse {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            Err(Box::new(coded_error(
                status,
                media,
                "PersistedQueryNotFound",
                "PERSISTED_QUERY_NOT_FOUND",
            )))
        }
        Err(Refusal::Required) => Err(Box::new(coded_error(
            StatusCode::BAD_REQUEST,
            media,
            "only persisted documents run here: name one with `documentId` or `extensions.persistedQuery`",
            "PERSISTED_QUERY_REQUIRED",
        ))),
    }
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case(JSON)
    {
        let message = json!({"errors": [{"message": "expected `Content-Type: application/json`"}]});
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [(header::CONTENT_TYPE, media.as_str())],
            message.to_string(),
        )
            .into_response();
    }
    let view = match view(&state, &headers, media).await {
        Ok(view) => view,
        Err(refused) => return refused,
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(e) => return request_error(media, &format!("the body is not JSON: {e}"), true),
    };
    match body {
        Value::Array(batch) => {
            let max = state.inner.config.limits.max_batch;
            if batch.is_empty() || batch.len() > max {
                return request_error(
                    media,
                    &format!("a batch holds 1 to {max} operations, got {}", batch.len()),
                    true,
                );
            }
            let mut answers = Vec::with_capacity(batch.len());
            for item in batch {
                let answer = match params_of(item) {
                    Ok(sent) => match document(&state, sent, media) {
                        Ok(params) => {
                            execute(&state, &view, params, media, Method::POST, &headers).await
                        }
                        Err(refused) => *refused,
                    },
                    Err(message) => request_error(media, &message, true),
                };
                let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
                    .await
                    .unwrap_or_default();
                answers.push(serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null));
            }
            let response = json_response(
                StatusCode::OK,
                media,
                Value::Array(answers).to_string().into(),
            );
            if view.preview {
                private(response)
            } else {
                response
            }
        }
        other => match params_of(other) {
            Ok(sent) => match document(&state, sent, media) {
                Ok(params) => execute(&state, &view, params, media, Method::POST, &headers).await,
                Err(refused) => *refused,
            },
            Err(message) => request_error(media, &message, true),
        },
    }
}

fn params_of(body: Value) -> Result<Sent, String> {
    let Value::Object(mut map) = body else {
        return Err("the body must be a JSON object".into());
    };
    let query = match map.remove("query") {
        None | Some(Value::Null) => None,
        Some(Value::String(q)) if !q.trim().is_empty() => Some(q),
        _ => return Err("expected `query`: a string holding a GraphQL document".into()),
    };
    let document_id = match map.remove("documentId") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id),
        Some(_) => return Err("`documentId` must be a string".into()),
    };
    let variables = match map.remove("variables") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return Err("`variables` must be an object".into()),
    };
    let operation_name = match map.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string".into()),
    };
    let sha256_hash = persisted_query(map.get("extensions"))?;
    Ok(Sent {
        named: Named {
            query,
            sha256_hash,
            document_id,
        },
        variables,
        operation_name,
    })
}

/// What one request reads: a release's snapshot and the catalog, both fixed
/// for the whole request, and whether it is a preview.
struct View {
    snapshot: Arc<Snapshot>,
    catalog: Arc<Catalog>,
    preview: bool,
}

impl View {
    fn cache_control<'a>(&self, public: &'a str) -> &'a str {
        if self.preview {
            PRIVATE
        } else {
            public
        }
    }
}

/// The release a request may read, or the response that refuses it.
async fn view(state: &AppState, headers: &HeaderMap, media: MediaType) -> Result<View, Response> {
    let inner = &state.inner;
    let access =
        preview::access(headers, inner.config.preview_token.as_ref()).map_err(|refused| {
            let (status, code) = if refused.unauthorized() {
                (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED")
            } else {
                (StatusCode::BAD_REQUEST, "BAD_REQUEST")
            };
            let mut response = coded_error(status, media, &refused.to_string(), code);
            if status == StatusCode::UNAUTHORIZED {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            response
        })?;
    let catalog = inner.release.catalog();
    let unavailable = || {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "no content release is published yet",
        )
            .into_response()
    };
    match access {
        Access::Public => Ok(View {
            snapshot: inner.release.current().ok_or_else(unavailable)?,
            catalog,
            preview: false,
        }),
        Access::Preview { release: None } => Ok(View {
            snapshot: inner.release.current().ok_or_else(unavailable)?,
            catalog,
            preview: true,
        }),
        Access::Preview { release: Some(id) } => {
            match inner.release.preview(&inner.db, id, &inner.metrics).await {
                Ok(Some(snapshot)) => Ok(View {
                    snapshot,
                    catalog,
                    preview: true,
                }),
                Ok(None) => Err(coded_error(
                    StatusCode::NOT_FOUND,
                    media,
                    &format!("there is no release {id}"),
                    "NOT_FOUND",
                )),
                Err(error) => {
                    tracing::error!(%error, release = id, "could not load a release for a preview");
                    Err(unavailable())
                }
            }
        }
    }
}

async fn execute(
    state: &AppState,
    view: &View,
    params: Params,
    media: MediaType,
    method: Method,
    headers: &HeaderMap,
) -> Response {
    let inner = &state.inner;
    let release = &view.snapshot;
    let cache_control = view.cache_control(&inner.config.cache.cache_control);
    let variables = params.variables.clone().unwrap_or(Value::Null);
    let etag = (method == Method::GET).then(|| {
        etag(
            &release.release.content_hash,
            release.id(),
            view.catalog.version,
            &params,
            &variables,
            media,
        )
    });
    let not_modified = |etag: &str| {
        headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    };
    // With the cache off, no key is built: it copies the query and variables.
    // Previews never share the cache: they see what the public must not.
    let key = (inner.cache.enabled() && !view.preview).then(|| CacheKey {
        release_id: release.id(),
        catalog: view.catalog.version,
        query: params.query.clone(),
        variables: variables.to_string(),
        operation_name: params.operation_name.clone(),
        media_type: media.as_str(),
    });
    // Only answers that executed without errors are cached, so a hit has already
    // passed every check below: it skips parsing the document altogether.
    if let Some(key) = &key {
        let cached = inner.cache.get(key);
        inner.metrics.record_cache(cached.is_some());
        if let Some(cached) = cached {
            let status = StatusCode::from_u16(cached.status).unwrap_or(StatusCode::OK);
            return match &etag {
                Some(etag) if not_modified(etag) => with_http_caching(
                    StatusCode::NOT_MODIFIED.into_response(),
                    etag,
                    cache_control,
                ),
                Some(etag) => with_http_caching(
                    json_response(status, media, cached.body),
                    etag,
                    cache_control,
                ),
                None => json_response(status, media, cached.body),
            };
        }
    }

    // Parsed once: for the checks below and for execution.
    let document = async_graphql::parser::parse_query(&params.query).ok();
    let inspection = document
        .as_ref()
        .map(|d| inspect(d, params.operation_name.as_deref()));
    if method == Method::GET
        && inspection.is_some_and(|i| i.operation == Some(OperationType::Mutation))
    {
        let body = json!({"errors": [{"message": "mutations are not allowed over GET; use POST"}]});
        let mut response = json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            body.to_string().into(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if let Some(i) = inspection.filter(|i| i.aliases > inner.config.limits.max_aliases) {
        let message = format!(
            "the document uses {} aliases; at most {} are allowed",
            i.aliases, inner.config.limits.max_aliases
        );
        inner.metrics.record_graphql_errors(1);
        return request_error(media, &message, false);
    }

    if let Some(etag) = etag.as_deref().filter(|e| not_modified(e)) {
        return with_http_caching(
            StatusCode::NOT_MODIFIED.into_response(),
            etag,
            cache_control,
        );
    }

    let mut request = async_graphql::Request::new(params.query.clone())
        .variables(async_graphql::Variables::from_json(variables))
        .data(RequestContext {
            snapshot: release.clone(),
            catalog: view.catalog.clone(),
            preview: view.preview,
            served: inner
                .release
                .current()
                .is_some_and(|s| s.id() == release.id()),
            limits: inner.config.limits,
        });
    if let Some(name) = &params.operation_name {
        request = request.operation_name(name.clone());
    }
    if let Some(document) = &document {
        request.set_parsed_query(document.clone());
    }
    let schema = if inspection.is_some_and(|i| i.introspection_only) {
        &inner.introspection
    } else {
        &inner.schema
    };
    // Resolvers read the snapshot and never wait, so async-graphql's concurrent
    // field futures finish in the order they were started: selection order.
    let response = schema.execute(request).await;
    inner.metrics.record_graphql_errors(response.errors.len());
    // A request error (parse, validation, limits) has no data and no error paths.
    let request_failed = !response.errors.is_empty()
        && matches!(response.data, async_graphql::Value::Null)
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if request_failed && media == MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // The GraphQL spec: an error raised before execution leaves out `data`.
    let body: Bytes = if request_failed {
        serde_json::to_vec(&json!({ "errors": response.errors }))
    } else {
        serde_json::to_vec(&response)
    }
    .unwrap_or_default()
    .into();
    if let Some(key) = key.filter(|_| response.errors.is_empty()) {
        inner.cache.put(
            key,
            CachedResponse {
                status: status.as_u16(),
                content_type: media.as_str(),
                body: body.clone(),
            },
        );
    }
    let response = json_response(status, media, body);
    match &etag {
        Some(etag) if status == StatusCode::OK => with_http_caching(response, etag, cache_control),
        _ if view.preview => private(response),
        _ => response,
    }
}

/// A preview's answer is for the one who asked: no cache may keep it.
fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
    response
}

/// Derived from the release, the catalog and everything that shapes the
/// answer, and led by the release's id so the release can be read off it.
fn etag(
    content_hash: &str,
    release_id: i32,
    catalog: u64,
    params: &Params,
    variables: &Value,
    media: MediaType,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        content_hash,
        &release_id.to_string(),
        &catalog.to_string(),
        &params.query,
        &variables.to_string(),
        params.operation_name.as_deref().unwrap_or(""),
        media.as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"r{release_id}-{hex}\"")
}

fn with_http_caching(mut response: Response, etag: &str, cache_control: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(cache_control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept, authorization, pathways-release"),
    );
    response
}

fn json_response(status: StatusCode, media: MediaType, body: Bytes) -> Response {
    let content_type = format!("{}; charset=utf-8", media.as_str());
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// A request that cannot run. Malformed HTTP requests are 400 whatever the
/// media type; GraphQL request errors are 400 only with graphql-response+json.
fn request_error(media: MediaType, message: &str, malformed: bool) -> Response {
    let status = if malformed || media == MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    coded_error(status, media, message, "BAD_REQUEST")
}

/// A response of one GraphQL error with `extensions.code`, and no data.
fn coded_error(status: StatusCode, media: MediaType, message: &str, code: &str) -> Response {
    let body = json!({"errors": [{"message": message, "extensions": {"code": code}}]});
    json_response(status, media, body.to_string().into())
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        format!("accept `{GRAPHQL_RESPONSE_JSON}` or `{JSON}`"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiates_the_media_type() {
        assert_eq!(
            MediaType::negotiate(&HeaderMap::new()),
            Some(MediaType::Json)
        );
        assert_eq!(
            MediaType::negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(MediaType::negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(MediaType::negotiate(&accept("text/html")), None);
    }

    #[test]
    fn reads_a_post_body() {
        let sent = params_of(
            json!({"query": "{ release { id } }", "variables": {"a": 1}, "operationName": null}),
        )
        .unwrap();
        assert_eq!(sent.variables, Some(json!({"a": 1})));
        let hashed = params_of(
            json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab"}}}),
        )
        .unwrap();
        assert_eq!(hashed.named.sha256_hash.as_deref(), Some("ab"));
        assert!(params_of(
            json!({"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "ab"}}})
        )
        .is_err());
        assert!(params_of(json!({"query": 1})).is_err());
        assert!(params_of(json!({"query": "{x}", "variables": [1]})).is_err());
    }
}
