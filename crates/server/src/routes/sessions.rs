use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::AppState;
use sandbox_agent_sessions::Command;
use sandbox_agent_store::SessionQuery;

/// The largest page of `GET /v1/sessions`, and the default.
pub const MAX_LIST: u64 = 500;
const DEFAULT_LIST: u64 = 50;

/// Sessions, newest first, filtered and paged (archived ones only with `includeArchived`).
#[utoipa::path(get, operation_id = "listSessions", path = "/v1/sessions", tag = "sessions", security(("bearer" = ["daemon"])), params(SessionListQuery),
    responses((status = 200, body = SessionListResponse), (status = 400, body = ProblemDetails)))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<SessionListResponse>> {
    let query = list_query(pairs)?;
    let (limit, offset) = (query.limit as u64, query.offset as u64);
    let (sessions, total) = state.sessions.list(query).await?;
    Ok(Json(SessionListResponse { sessions, total, limit, offset }))
}

/// `tag` repeats, so the query is read as pairs; an unknown parameter is an error, not ignored.
fn list_query(pairs: Vec<(String, String)>) -> ApiResult<SessionQuery> {
    let bad = |detail: String| ApiError::new(ErrorType::InvalidRequest, detail);
    let number = |key: &str, value: &str| value.parse::<u64>().map_err(|_| bad(format!("{key} must be a number")));
    let mut query = SessionQuery { limit: DEFAULT_LIST as usize, ..SessionQuery::default() };
    for (key, value) in pairs {
        match key.as_str() {
            "tag" => query.tags.push(value),
            "label" => query.label = Some(value),
            "status" => {
                serde_json::from_value::<SessionStatus>(serde_json::Value::String(value.clone()))
                    .map_err(|_| bad(format!("status {value:?} is not a session status")))?;
                query.status = Some(value)
            }
            "agent" => query.agent = Some(value),
            "search" => query.search = Some(value),
            "includeArchived" | "include_archived" => {
                query.include_archived =
                    value.parse().map_err(|_| bad("includeArchived must be true or false".into()))?
            }
            "limit" => query.limit = number("limit", &value)?.clamp(1, MAX_LIST) as usize,
            "offset" => query.offset = number("offset", &value)? as usize,
            other => return Err(bad(format!("unknown query parameter {other:?}"))),
        }
    }
    Ok(query)
}

/// Create a session with a server-chosen id (returned as `sessionId`).
#[utoipa::path(post, operation_id = "createSession", path = "/v1/sessions", tag = "sessions", security(("bearer" = ["daemon"])), request_body = CreateSessionRequest,
    responses((status = 200, body = CreateSessionResponse), (status = 400, body = ProblemDetails),
        (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails), (status = 429, body = ProblemDetails),
        (status = 500, body = ProblemDetails), (status = 501, body = ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> ApiResult<Json<CreateSessionResponse>> {
    let id = format!("ses_{}", uuid::Uuid::new_v4().simple());
    Ok(Json(state.sessions.create(id, req, &by).await?))
}

/// Create a session with the id in the path.
#[utoipa::path(post, operation_id = "createSessionWithId", path = "/v1/sessions/{session_id}", tag = "sessions", security(("bearer" = ["daemon"])), request_body = CreateSessionRequest,
    params(("session_id" = String, Path)),
    responses((status = 200, body = CreateSessionResponse), (status = 400, body = ProblemDetails),
        (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails), (status = 422, body = ProblemDetails),
        (status = 429, body = ProblemDetails), (status = 500, body = ProblemDetails), (status = 501, body = ProblemDetails)))]
pub async fn create_with_id(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> ApiResult<Json<CreateSessionResponse>> {
    Ok(Json(state.sessions.create(id, req, &by).await?))
}

/// One session: status, agent, modes, counts, pending requests, timestamps.
#[utoipa::path(get, operation_id = "getSession", path = "/v1/sessions/{session_id}", tag = "sessions", security(("bearer" = ["session:read"])), params(("session_id" = String, Path)),
    responses((status = 200, body = SessionInfo), (status = 404, body = ProblemDetails)))]
pub async fn get(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<SessionInfo>> {
    Ok(Json(state.sessions.get(&id)?.info()))
}

/// Stop the agent and delete the session with all its events.
#[utoipa::path(delete, operation_id = "deleteSession", path = "/v1/sessions/{session_id}", tag = "sessions", security(("bearer" = ["daemon"])), params(("session_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails)))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    state.sessions.delete(&id, &by).await?;
    state.terminals.kill_all(&id);
    Ok(StatusCode::NO_CONTENT)
}

/// Send a message; the turn's events arrive on the event stream. A paused session resumes.
#[utoipa::path(post, operation_id = "postMessage", path = "/v1/sessions/{session_id}/messages", tag = "sessions", security(("bearer" = ["session:write"])), request_body = MessageRequest,
    params(("session_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 500, body = ProblemDetails), (status = 501, body = ProblemDetails)))]
pub async fn send_message(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<MessageRequest>,
) -> ApiResult<(StatusCode, [(&'static str, String); 1])> {
    let started = post_message(&state, by, &id, req).await?;
    // Where this turn's events begin: what a turn stream on another cluster node starts after.
    Ok((StatusCode::NO_CONTENT, [(crate::cluster::TURN_SEQUENCE, started.to_string())]))
}

/// The largest attachment, whatever `--max-file-bytes` says: the agents send them whole.
const MAX_ATTACHMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Starts a turn with `req`'s message and attachments; the sequence of its `turn.started`.
/// Sent bytes land in the workspace first and are removed again when the turn is refused.
pub(crate) async fn post_message(state: &AppState, by: Principal, id: &str, req: MessageRequest) -> ApiResult<u64> {
    let session = state.sessions.get(id)?;
    let attached = if req.attachments.is_empty() {
        Vec::new()
    } else {
        let jail = super::fs::jail(state, &by, Some(id), true)?;
        let workspace = std::path::PathBuf::from(session.info().directory);
        let limit = state.config.max_file_bytes.min(MAX_ATTACHMENT_BYTES);
        sandbox_agent_fs::attach(&jail, &workspace, &req.attachments, limit).await?
    };
    let attachments = attached
        .iter()
        .map(|a| sandbox_agent_agents::Attachment { path: a.path.clone(), name: a.name.clone(), mime: a.mime.clone() })
        .collect();
    let started = session.call(|reply| Command::Message { text: req.message, attachments, by, reply }).await;
    if started.is_err() {
        sandbox_agent_fs::discard(&attached).await;
    }
    Ok(started?)
}

/// Stop the running turn (the session stays usable). Returns once the turn has ended.
#[utoipa::path(post, operation_id = "interruptSession", path = "/v1/sessions/{session_id}/interrupt", tag = "sessions", security(("bearer" = ["session:write"])), params(("session_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails), (status = 504, body = ProblemDetails)))]
pub async fn interrupt(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let session = state.sessions.get(&id)?;
    let wait = session.call(|reply| Command::Interrupt { by, reply });
    match tokio::time::timeout(state.config.interrupt_timeout, wait).await {
        Ok(result) => result.map(|_| StatusCode::NO_CONTENT).map_err(ApiError::from),
        Err(_) => Err(ApiError::session(ErrorType::Timeout, &id, "the agent did not end the turn in time")),
    }
}

/// Change the app-level fields: `label`, `tags`, `metadata` (replaced; `null` clears). Recorded as
/// `session.updated`; any other field is a 422.
#[utoipa::path(patch, operation_id = "updateSession", path = "/v1/sessions/{session_id}", tag = "sessions", security(("bearer" = ["daemon"])), request_body = UpdateSessionRequest,
    params(("session_id" = String, Path)),
    responses((status = 200, body = SessionInfo), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails), (status = 422, body = ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateSessionRequest>,
) -> ApiResult<Json<SessionInfo>> {
    Ok(Json(state.sessions.update(&id, req, &by).await?))
}

/// Stop the agent and put the session away: events and workspace are kept, it is read-only
/// (messages and replies are 409 `session_archived`) and hidden from the default list.
#[utoipa::path(post, operation_id = "archiveSession", path = "/v1/sessions/{session_id}/archive", tag = "sessions", security(("bearer" = ["daemon"])), params(("session_id" = String, Path)),
    responses((status = 200, body = SessionStatusResponse), (status = 404, body = ProblemDetails)))]
pub async fn archive(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SessionStatusResponse>> {
    Ok(Json(state.sessions.archive(&id, &by).await?))
}

/// Start a paused session's agent now (with its native resume) instead of at the next message.
#[utoipa::path(post, operation_id = "resumeSession", path = "/v1/sessions/{session_id}/resume", tag = "sessions", security(("bearer" = ["session:write"])), params(("session_id" = String, Path)),
    responses((status = 200, body = SessionStatusResponse), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 500, body = ProblemDetails)))]
pub async fn resume(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SessionStatusResponse>> {
    Ok(Json(state.sessions.resume(&id, &by).await?))
}

/// End the session for good and stop its agent (idempotent).
#[utoipa::path(post, operation_id = "terminateSession", path = "/v1/sessions/{session_id}/terminate", tag = "sessions", security(("bearer" = ["daemon"])), params(("session_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails)))]
pub async fn terminate(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let session = state.sessions.get(&id)?;
    session.call(|resp| Command::Terminate { by, resp }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The last check of the session's output contract: `pending` until the first, then
/// `completed`, `blocked` or `failed` with the report, its validation and the daemon's own
/// verification. 404 when the session has no contract.
#[utoipa::path(get, operation_id = "getSessionResult", path = "/v1/sessions/{session_id}/result", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path)),
    responses((status = 200, body = SessionResult), (status = 404, body = ProblemDetails)))]
pub async fn result(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<SessionResult>> {
    Ok(Json(state.sessions.result(&id)?))
}

/// Loop mode's state: status, iteration of maxIterations, summary, next action (`loop: null` for
/// a session that does not loop).
#[utoipa::path(get, operation_id = "getSessionLoop", path = "/v1/sessions/{session_id}/loop", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path)),
    responses((status = 200, body = LoopResponse), (status = 404, body = ProblemDetails)))]
pub async fn loop_state(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<LoopResponse>> {
    Ok(Json(state.sessions.loop_state(&id)?))
}
