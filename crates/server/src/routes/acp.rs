//! ACP over HTTP: `POST` a JSON-RPC message (a request is answered in the response), `GET` the
//! connection's SSE stream of the daemon's messages, `DELETE` to close; `GET /v1/acp` lists.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use sandbox_agent_schema::*;
use serde::Deserialize;
use serde_json::Value;

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::sse::resume_point;
use crate::AppState;

/// Idle streams get a `: ping` comment this often.
const PING: Duration = Duration::from_secs(15);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcpPostQuery {
    /// The agent of the connection's sessions (on its first message; default `mock`).
    pub agent: Option<String>,
}

fn unknown(server_id: &str) -> ApiError {
    ApiError::new(ErrorType::NotFound, format!("no ACP connection {server_id}"))
}

/// ACP connections, by id.
#[utoipa::path(get, operation_id = "listAcpServers", path = "/v1/acp", tag = "acp", security(("bearer" = ["daemon"])),
    responses((status = 200, body = AcpServerList)))]
pub async fn list(State(state): State<AppState>) -> Json<AcpServerList> {
    Json(AcpServerList { servers: state.acp.list() })
}

/// Send one JSON-RPC message to the connection (made on first use): a request is answered in
/// the response body (`session/prompt` once its turn ends); a notification or an answer to one
/// of the daemon's requests gets 202.
#[utoipa::path(post, operation_id = "postAcp", path = "/v1/acp/{server_id}", tag = "acp", security(("bearer" = ["daemon"])),
    params(("server_id" = String, Path), AcpPostQuery), request_body(content = Object, description = "a JSON-RPC 2.0 message"),
    responses((status = 200, body = Object, description = "the JSON-RPC response"), (status = 202), (status = 400, body = ProblemDetails)))]
pub async fn post(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(server_id): ApiPath<String>,
    ApiQuery(query): ApiQuery<AcpPostQuery>,
    ApiJson(message): ApiJson<Value>,
) -> ApiResult<Response> {
    if server_id.is_empty() || server_id.len() > 128 {
        return Err(ApiError::new(ErrorType::InvalidRequest, "serverId: 1-128 characters"));
    }
    if let Some(agent) = &query.agent {
        state.agents.get(agent).ok_or_else(|| {
            ApiError::new(ErrorType::UnsupportedAgent, format!("unsupported agent: {agent}")).with_agent(agent)
        })?;
    }
    let server = state.acp.get_or_create(&server_id, query.agent.as_deref(), &by);
    match crate::acp::rpc::handle(&state, &server, message).await {
        Ok(Some(response)) => Ok(Json(response).into_response()),
        Ok(None) => Ok(StatusCode::ACCEPTED.into_response()),
        Err(why) => Err(ApiError::new(ErrorType::InvalidRequest, why)),
    }
}

/// The connection's messages as SSE (`event: message`, `id:` their sequence): what came after
/// `Last-Event-ID`, then live. Ends when the connection is closed.
#[utoipa::path(get, operation_id = "getAcpEvents", path = "/v1/acp/{server_id}", tag = "acp", security(("bearer" = ["daemon"])),
    params(("server_id" = String, Path), ("Last-Event-ID" = Option<u64>, Header, description = "resume after this sequence")),
    responses((status = 200, content_type = "text/event-stream", description = "JSON-RPC messages from the daemon"),
        (status = 404, body = ProblemDetails)))]
pub async fn events(
    State(state): State<AppState>,
    ApiPath(server_id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let server = state.acp.get(&server_id).ok_or_else(|| unknown(&server_id))?;
    let after = resume_point(&headers, None).unwrap_or(0);
    let stream = futures_util::stream::unfold(
        (server.seq.subscribe(), server.closed(), after, server),
        |(mut seq, mut closed, mut after, server)| async move {
            loop {
                if *closed.borrow() {
                    return None;
                }
                let batch = server.after(after, 256);
                if let Some((last, _)) = batch.last() {
                    after = *last;
                    let mut out = String::new();
                    for (id, message) in &batch {
                        out.push_str(&format!("id: {id}\nevent: message\ndata: {message}\n\n"));
                    }
                    return Some((Ok::<_, std::convert::Infallible>(Bytes::from(out)), (seq, closed, after, server)));
                }
                tokio::select! {
                    _ = seq.changed() => {}
                    _ = closed.changed() => {}
                    _ = tokio::time::sleep(PING) => {
                        return Some((Ok(Bytes::from_static(b": ping\n\n")), (seq, closed, after, server)));
                    }
                }
            }
        },
    );
    Ok(crate::sse::event_stream(stream))
}

/// Close the connection: its streams end and pending prompts fail; its sessions stay.
#[utoipa::path(delete, operation_id = "closeAcp", path = "/v1/acp/{server_id}", tag = "acp", security(("bearer" = ["daemon"])),
    params(("server_id" = String, Path)), responses((status = 204), (status = 404, body = ProblemDetails)))]
pub async fn close(State(state): State<AppState>, ApiPath(server_id): ApiPath<String>) -> ApiResult<StatusCode> {
    state.acp.remove(&server_id).ok_or_else(|| unknown(&server_id))?;
    Ok(StatusCode::NO_CONTENT)
}
