//! A session's artifacts: files kept in the store (each checked contract report), so they
//! outlive the workspace and every node of a cluster serves them.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::error::ApiResult;
use crate::AppState;

/// The session's artifacts, oldest first: `report-<n>.json` for the n-th contract check (the
/// report as the agent wrote it, byte for byte).
#[utoipa::path(get, operation_id = "listArtifacts", path = "/v1/sessions/{session_id}/artifacts", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path)),
    responses((status = 200, body = ArtifactList), (status = 404, body = ProblemDetails)))]
pub async fn list(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<ArtifactList>> {
    Ok(Json(state.sessions.artifacts(&id)?))
}

/// One artifact's bytes (`application/json` for a `.json` name, else `application/octet-stream`).
#[utoipa::path(get, operation_id = "getArtifact", path = "/v1/sessions/{session_id}/artifacts/{name}", tag = "sessions", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the artifact's bytes"),
        (status = 404, body = ProblemDetails)))]
pub async fn get(State(state): State<AppState>, ApiPath((id, name)): ApiPath<(String, String)>) -> ApiResult<Response> {
    let bytes = state.sessions.artifact(&id, &name).await?;
    let kind = if name.ends_with(".json") { "application/json" } else { "application/octet-stream" };
    Ok(([(header::CONTENT_TYPE, kind)], bytes).into_response())
}
