//! The HTTP side of a cluster node: a request for a session another node runs is forwarded
//! there (over NATS, [`sandbox_agent_cluster::forward`]) and answered with that node's answer;
//! a new session goes to the least-loaded node; reads of events and SSE streams are served
//! here from the shared store. Which requests stay is decided here and nowhere else.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sandbox_agent_cluster::{ForwardError, ForwardRequest, ForwardResponse};
use sandbox_agent_schema::ErrorType;

use crate::error::{bounded_body, ApiError};
use crate::AppState;

/// Set on a forwarded request: the node that gets it answers it itself.
pub const FORWARDED: &str = "sandbox-agent-forwarded";
/// The sequence of the `turn.started` a posted message began (what a turn stream on another
/// node starts after).
pub const TURN_SEQUENCE: &str = "sandbox-agent-turn-sequence";

/// How long a forwarded request may take (an interrupt waits for the turn to end).
const FORWARD_TIMEOUT: Duration = Duration::from_secs(120);

/// Where a request goes.
enum Route {
    /// Answered here.
    Here,
    /// To the node running the session (if it is another).
    Owner(String),
    /// A new session: to the least-loaded node.
    Place,
}

/// A surface's sessions: where they are, and what about one is answered on any node.
struct Surface {
    /// `POST` here creates one; `{sessions}/{id}[/rest]` is about one.
    sessions: String,
    /// The `rest` read from the shared store on any node (ending in `/`: what starts so).
    anywhere: &'static [&'static str],
}

impl Surface {
    fn anywhere(&self, rest: &str) -> bool {
        self.anywhere.iter().any(|a| if a.ends_with('/') { rest.starts_with(a) } else { rest == *a })
    }
}

/// `/v1/sessions` and the Coder Hub's `hub/session` under each of its mounts.
fn surfaces() -> &'static [Surface] {
    static SURFACES: std::sync::OnceLock<Vec<Surface>> = std::sync::OnceLock::new();
    SURFACES.get_or_init(|| {
        // Events are read from the shared store on any node; a turn stream posts its message
        // through the owner itself (`events::send_message_stream`).
        // Artifacts are in the shared store too ("artifacts/" names any one of them).
        let anywhere = &["events", "events/sse", "messages/stream", "artifacts", "artifacts/"];
        let v1 = Surface { sessions: "/v1/sessions".into(), anywhere };
        let hub = crate::hub::MOUNTS.iter().map(|mount| Surface {
            sessions: format!("{mount}/hub/session"),
            anywhere: &["events", "events/history", "replay"],
        });
        std::iter::once(v1).chain(hub).collect()
    })
}

/// A session's path → (its surface, the id, what follows the id).
fn session_path(path: &str) -> Option<(&'static Surface, &str, &str)> {
    surfaces().iter().find_map(|surface| {
        let rest = path.strip_prefix(surface.sessions.as_str())?.strip_prefix('/')?;
        let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
        (!id.is_empty()).then_some((surface, id, tail))
    })
}

fn route(state: &AppState, method: &Method, path: &str) -> Route {
    if method == Method::POST && surfaces().iter().any(|s| s.sessions == path) {
        return Route::Place;
    }
    let Some((surface, id, rest)) = session_path(path) else { return Route::Here };
    if surface.anywhere(rest) {
        return Route::Here;
    }
    match state.sessions.is_local(id) {
        Some(false) => Route::Owner(id.to_string()),
        None if rest.is_empty() && method == Method::PUT => Route::Place,
        _ => Route::Here,
    }
}

/// The path as the client sent it (a nested router's request has its mount cut off).
fn original_uri<'a>(extensions: &'a axum::http::Extensions, uri: &'a axum::http::Uri) -> &'a axum::http::Uri {
    extensions.get::<OriginalUri>().map_or(uri, |o| &o.0)
}

/// The middleware in front of every session route (`/v1`, the Coder Hub) on a cluster node.
pub async fn forward(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(cluster) = state.cluster.clone() else { return next.run(req).await };
    if req.headers().contains_key(FORWARDED) {
        return next.run(req).await;
    }
    let path = original_uri(req.extensions(), req.uri()).path().to_string();
    if let Some((_, id, _)) = session_path(&path) {
        discover(&state, id).await;
    }
    let (placing, targets) = match route(&state, req.method(), &path) {
        Route::Here => return next.run(req).await,
        Route::Owner(id) => match cluster.owner_of(&id).await {
            Ok(Some(node)) if node != cluster.node_id() => (false, vec![node]),
            // No live owner: answered here (a read from the replica; a command gets 503 until a
            // node has taken the session over).
            _ => return next.run(req).await,
        },
        // The nodes less loaded than this one, in order; then this one.
        Route::Place => {
            let order = cluster.placements();
            (true, order.into_iter().take_while(|n| n != cluster.node_id()).collect::<Vec<_>>())
        }
    };
    if targets.is_empty() {
        return next.run(req).await;
    }
    let req = match bounded_body(req, state.config.max_body_bytes).await {
        Ok(req) => req,
        Err(resp) => return resp,
    };
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let again = || Request::from_parts(parts.clone(), Body::from(body.clone()));
    let read = parts.method == Method::GET;
    for target in &targets {
        match to_node(&state, target, again()).await {
            // A node filled up (or went) since its last heartbeat: the next one tries.
            Ok(resp) if placing && resp.status() == StatusCode::TOO_MANY_REQUESTS => continue,
            Err(_) if placing => continue,
            // The owner is gone and its lease not yet run out: a read is answered from this
            // node's copy of the session.
            Err(_) if read => break,
            Ok(resp) => return resp,
            Err(err) => return err.into_response(),
        }
    }
    next.run(again()).await
}

/// Send a buffered request to `node` and turn its answer back into a response.
pub async fn to_node(state: &AppState, node: &str, req: Request) -> Result<Response, ApiError> {
    let cluster = state.cluster.as_ref().expect("a cluster node");
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| ApiError::new(ErrorType::InvalidRequest, format!("reading the body failed: {e}")))?;
    let original = original_uri(&parts.extensions, &parts.uri);
    let uri = original.path_and_query().map_or_else(|| original.path().to_string(), |p| p.as_str().to_string());
    tracing::debug!(node, path = original.path(), "forwarding");
    let forwarded = ForwardRequest { method: parts.method.to_string(), uri, headers: pairs(&parts.headers), body };
    let resp = cluster.forward(node, forwarded, FORWARD_TIMEOUT).await.map_err(|err| {
        tracing::warn!(node, %err, "a forwarded request failed");
        match err {
            ForwardError::TooLarge => ApiError::new(ErrorType::PayloadTooLarge, "the request is too large to forward to the session's node"),
            ForwardError::Gone(_) | ForwardError::Timeout(_) | ForwardError::Other(_) => ApiError::new(
                ErrorType::SessionUnavailable,
                format!("the node that runs it ({node}) does not answer; another node takes its sessions over within the lease time"),
            ),
        }
    })?;
    let mut out = Response::new(Body::from(resp.body));
    *out.status_mut() = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in resp.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            out.headers_mut().append(name, value);
        }
    }
    Ok(out)
}

/// Headers worth carrying (hop-by-hop ones are the transport's).
fn pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    const HOP: &[&str] = &["connection", "transfer-encoding", "content-length", "keep-alive", "host"];
    headers
        .iter()
        .filter(|(n, _)| !HOP.contains(&n.as_str()))
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect()
}

/// What answers requests other nodes forward to this one: the same router, marked forwarded.
pub fn handler(app: axum::Router) -> sandbox_agent_cluster::forward::Handler {
    std::sync::Arc::new(move |req: ForwardRequest| {
        let app = app.clone();
        Box::pin(async move {
            use tower::ServiceExt;
            let mut builder = Request::builder().method(req.method.as_str()).uri(req.uri.as_str());
            for (name, value) in &req.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let request = builder.header(FORWARDED, "1").body(Body::from(req.body));
            let response = match request {
                Ok(request) => app.oneshot(request).await.unwrap_or_else(|e| match e {}),
                Err(err) => {
                    ApiError::new(ErrorType::InvalidRequest, format!("a forwarded request was malformed: {err}"))
                        .into_response()
                }
            };
            let (parts, body) = response.into_parts();
            // Forwarded answers are whole (streams are served by the node the client is on).
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            ForwardResponse { status: parts.status.as_u16(), headers: pairs(&parts.headers), body }
        })
    })
}

/// Follow a session created on another node a moment ago (before its document reached this
/// node's watch), so it is never a 404 for lack of replication.
pub async fn discover(state: &AppState, id: &str) {
    if state.cluster.is_some() && crate::sessions_valid_id(id) && state.sessions.is_local(id).is_none() {
        state.sessions.discover(id).await;
    }
}

/// The node that runs `id`, when it is another live node of this node's cluster.
pub async fn owner_elsewhere(state: &AppState, id: &str) -> Option<String> {
    let cluster = state.cluster.as_ref()?;
    if state.sessions.is_local(id) != Some(false) {
        return None;
    }
    cluster.owner_of(id).await.ok().flatten().filter(|node| node != cluster.node_id())
}

/// Carry out a command on `node` with the caller's own credentials (its `Authorization`
/// header): the owner's answer when it succeeded, its problem when not.
pub async fn command_at(
    state: &AppState,
    node: &str,
    credentials: &HeaderMap,
    method: Method,
    path: String,
    body: Option<Vec<u8>>,
) -> Result<Response, ApiError> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in credentials.iter().filter(|(n, _)| *n == axum::http::header::AUTHORIZATION) {
        request = request.header(name, value);
    }
    if body.is_some() {
        request = request.header(axum::http::header::CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(body.map_or_else(Body::empty, Body::from))
        .map_err(|e| ApiError::new(ErrorType::InvalidRequest, e.to_string()))?;
    let resp = to_node(state, node, request).await?;
    if resp.status().is_success() {
        return Ok(resp);
    }
    // The owner's problem, as it gave it.
    let status = resp.status().as_u16();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap_or_default();
    let problem = serde_json::from_slice::<sandbox_agent_schema::ProblemDetails>(&body)
        .unwrap_or_else(|_| ErrorType::SessionUnavailable.problem(format!("node {node} answered {status}")));
    Err(ApiError(Box::new(problem)))
}

/// Post a message through `node`; the sequence of the `turn.started` it began.
pub async fn post_message_at(
    state: &AppState,
    node: &str,
    id: &str,
    credentials: &HeaderMap,
    req: &sandbox_agent_schema::MessageRequest,
) -> Result<u64, ApiError> {
    let body = serde_json::to_vec(req).expect("messages serialize");
    let path = format!("/v1/sessions/{id}/messages");
    let resp = command_at(state, node, credentials, Method::POST, path, Some(body)).await?;
    resp.headers().get(TURN_SEQUENCE).and_then(|v| v.to_str().ok()?.parse().ok()).ok_or_else(|| {
        ApiError::new(ErrorType::SessionUnavailable, format!("node {node} did not say where the turn starts"))
    })
}
