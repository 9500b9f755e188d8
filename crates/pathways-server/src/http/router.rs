//! The router: the explorer at `/`, `/graphql` (and graphql-ws on it),
//! `/events`, `/graphiql`, `/healthz`, `/readyz`, `/metrics`, with CORS, a
//! body size limit, a request timeout, and request metrics and logs.

use super::{explorer, graphiql, graphql};
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

pub fn router(state: AppState) -> Router {
    let config = &state.inner.config;
    Router::new()
        .merge(explorer::routes())
        .merge(graphiql::routes())
        .route("/graphql", get(graphql_get).post(graphql::post))
        .route("/events", get(crate::live::sse::events))
        .route("/healthz", get(crate::probes::healthz))
        .route("/readyz", get(crate::probes::readyz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(cors(&config.cors_origins))
        // A bug must not drop the connection or show a client its details.
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a request handler panicked");
            let body = r#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#;
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// A GET of `/graphql` asking to upgrade is a graphql-ws connection; any
/// other goes through the pipeline.
async fn graphql_get(State(state): State<AppState>, request: Request) -> Response {
    if crate::live::ws::is_upgrade(request.headers()) {
        return crate::live::ws::upgrade(state, request).await;
    }
    axum::handler::Handler::call(graphql::get, request, state).await
}

fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::AUTHORIZATION,
            HeaderName::from_static(super::preview::RELEASE_HEADER),
        ])
        .expose_headers([header::ETAG]);
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}

/// Times every request for the metrics and logs it.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state.inner.metrics.record_request(&path, status, elapsed);
    tracing::info!(%method, path, status, micros = elapsed.as_micros() as u64, "request");
    response
}

async fn metrics(State(state): State<AppState>) -> Response {
    let inner = &state.inner;
    let body = inner
        .metrics
        .render(inner.release.current().map(|r| r.id()), inner.cache.bytes());
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], body).into_response()
}
