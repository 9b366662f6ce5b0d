//! The Coder Hub surface: the REST, SSE and WebSocket routes `@agentuity/core`'s `CoderClient`,
//! `streamCoderSessionSSE` and `CoderHubWebSocketClient` call, over our coder sessions. Mounted
//! at `/api` and `/coder/api`, so a client's `url` may be the daemon or the daemon + `/coder`.
//! Not part of `/v1` or its OpenAPI document: its shapes are the Hub's (docs/coder-compat.md).

mod create;
mod map;
mod rest;
mod stream;
mod wire;
mod ws;

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use sandbox_agent_schema::PROBLEM_CONTENT_TYPE;

use crate::auth::{authorize_hub, Scope};
use crate::AppState;

/// Where the surface is mounted.
pub const MOUNTS: &[&str] = &["/api", "/coder/api"];

/// The largest problem body rewritten; ours are a few hundred bytes.
const MAX_PROBLEM: usize = 64 * 1024;

pub fn router(state: &AppState) -> Router<AppState> {
    // Authorized here first, then (on a cluster node) sent where the session runs.
    let scoped = |scope: Scope, route: MethodRouter<AppState>| {
        route
            .route_layer(axum::middleware::from_fn_with_state(state.clone(), crate::cluster::forward))
            .route_layer(axum::middleware::from_fn_with_state((state.clone(), scope), authorize_hub))
    };
    let session = "/hub/session/{session_id}";
    let hub = Router::new()
        .route("/hub/session", scoped(Scope::Daemon, post(rest::create)))
        .route("/hub/sessions", scoped(Scope::Daemon, get(rest::list)))
        .route(session, scoped(Scope::SessionRead, get(rest::get)))
        .route(
            session,
            scoped(Scope::Daemon, axum::routing::patch(rest::update).delete(crate::routes::sessions::delete)),
        )
        .route(&format!("{session}/archive"), scoped(Scope::Daemon, post(rest::archive)))
        .route(&format!("{session}/resume"), scoped(Scope::SessionWrite, post(rest::resume)))
        .route(&format!("{session}/events/history"), scoped(Scope::SessionRead, get(rest::history)))
        .route(&format!("{session}/replay"), scoped(Scope::SessionRead, get(rest::replay)))
        .route(&format!("{session}/participants"), scoped(Scope::SessionRead, get(rest::participants)))
        .route(&format!("{session}/loop"), scoped(Scope::SessionRead, get(rest::loop_state)))
        .route(&format!("{session}/events"), scoped(Scope::SessionRead, get(stream::sse)))
        // Authenticates itself: its key may come in its first frame, its session in its query.
        .route("/ws", get(ws::upgrade))
        .fallback(crate::error::not_found)
        .method_not_allowed_fallback(crate::error::method_not_allowed);
    hub.layer(axum::middleware::map_response(with_error_field))
}

/// The Hub's client shows a failure's `error` (or `message`) string and nothing else of the
/// body, so every problem detail leaving this surface gets one.
async fn with_error_field(response: Response) -> Response {
    let problem =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes());
    if !problem {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PROBLEM).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(serde_json::Value::Object(mut problem)) = serde_json::from_slice(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let text = problem.get("detail").or_else(|| problem.get("title")).cloned().unwrap_or_default();
    problem.insert("error".into(), text.clone());
    problem.entry("message").or_insert(text);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}
