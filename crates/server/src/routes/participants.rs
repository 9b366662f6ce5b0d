//! Who is and was attached to a session, and the session tokens that let others in.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::error::{ApiJson, ApiResult};
use crate::AppState;

/// Every participant of the session: event stream attachments and token holders, connected or not.
#[utoipa::path(get, operation_id = "listParticipants", path = "/v1/sessions/{session_id}/participants", tag = "participants", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path)),
    responses((status = 200, body = ParticipantsResponse), (status = 404, body = ProblemDetails)))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ParticipantsResponse>> {
    Ok(Json(state.sessions.participants(&id)?))
}

/// A token for one session with a role (`observer` reads, `controller` also drives). Shown once;
/// the daemon keeps only its hash.
#[utoipa::path(post, operation_id = "createToken", path = "/v1/sessions/{session_id}/tokens", tag = "participants", security(("bearer" = ["daemon"])),
    request_body = TokenRequest, params(("session_id" = String, Path)),
    responses((status = 200, body = TokenResponse), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 422, body = ProblemDetails)))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(state.sessions.issue_token(&id, req).await?))
}

/// Revoke a session token: it is refused (401) from now on.
#[utoipa::path(delete, operation_id = "revokeToken", path = "/v1/sessions/{session_id}/tokens/{participant_id}", tag = "participants", security(("bearer" = ["daemon"])),
    params(("session_id" = String, Path), ("participant_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiPath((id, participant_id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    state.sessions.revoke_token(&id, &participant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
