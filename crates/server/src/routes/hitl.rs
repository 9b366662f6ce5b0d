//! Human in the loop: answering questions and permission requests.

use axum::extract::State;
use axum::http::StatusCode;
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiJson, ApiResult};
use crate::AppState;
use sandbox_agent_sessions::Command;

/// Answer a question (one array of chosen option labels per question).
#[utoipa::path(post, operation_id = "replyQuestion", path = "/v1/sessions/{session_id}/questions/{question_id}/reply", tag = "sessions", security(("bearer" = ["session:write"])),
    request_body = QuestionReplyRequest, params(("session_id" = String, Path), ("question_id" = String, Path)),
    responses((status = 204), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails)))]
pub async fn reply_question(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath((id, question_id)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<QuestionReplyRequest>,
) -> ApiResult<StatusCode> {
    let session = state.sessions.get(&id)?;
    session.call(|resp| Command::Question { id: question_id, answers: Some(req.answers), by, resp }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline to answer a question.
#[utoipa::path(post, operation_id = "rejectQuestion", path = "/v1/sessions/{session_id}/questions/{question_id}/reject", tag = "sessions", security(("bearer" = ["session:write"])),
    params(("session_id" = String, Path), ("question_id" = String, Path)),
    responses((status = 204), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails)))]
pub async fn reject_question(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath((id, question_id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let session = state.sessions.get(&id)?;
    session.call(|resp| Command::Question { id: question_id, answers: None, by, resp }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Allow (`once`, `always`) or deny (`reject`) a permission request.
#[utoipa::path(post, operation_id = "replyPermission", path = "/v1/sessions/{session_id}/permissions/{permission_id}/reply", tag = "sessions", security(("bearer" = ["session:write"])),
    request_body = PermissionReplyRequest, params(("session_id" = String, Path), ("permission_id" = String, Path)),
    responses((status = 204), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails)))]
pub async fn reply_permission(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath((id, permission_id)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<PermissionReplyRequest>,
) -> ApiResult<StatusCode> {
    let session = state.sessions.get(&id)?;
    session.call(|resp| Command::Permission { id: permission_id, reply: req.reply, by, resp }).await?;
    Ok(StatusCode::NO_CONTENT)
}
