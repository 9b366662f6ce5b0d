//! One-shot commands in a sandbox.

use axum::extract::State;
use axum::Json;
use sandbox_agent_runner::Workdir;
use sandbox_agent_schema::*;

use crate::auth::Caller;
use crate::error::{ApiJson, ApiResult};
use crate::AppState;

/// Run one command to its end in a bubblewrap sandbox (or its deadline, which kills everything
/// it started) and answer with its exit, bounded output and collected files. With `sessionId`
/// it runs in that session's workspace and the session records `run.completed`.
#[utoipa::path(post, path = "/v1/run", tag = "run", security(("bearer" = ["daemon"])), request_body = RunRequest,
    responses((status = 200, body = RunResponse), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails),
        (status = 409, body = ProblemDetails), (status = 422, body = ProblemDetails), (status = 429, body = ProblemDetails),
        (status = 500, body = ProblemDetails), (status = 501, body = ProblemDetails), (status = 503, body = ProblemDetails)))]
pub async fn run(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiJson(req): ApiJson<RunRequest>,
) -> ApiResult<Json<RunResponse>> {
    let session = req.session_id.clone();
    let workdir = match &session {
        Some(id) => Workdir::Session(state.sessions.run_dir(id)?),
        None => Workdir::Scratch,
    };
    let command = req.command.clone();
    let result = state.runner.run(req, workdir).await?;
    if let Some(id) = session {
        let data = EventData::RunCompleted(RunCompletedData {
            command,
            exit_code: result.exit_code,
            signal: result.signal,
            timed_out: result.timed_out,
            duration_ms: result.duration_ms,
            run_by: by.id().to_string(),
        });
        // The session may have ended while the command ran: the result stands all the same.
        if let Err(err) = state.sessions.record(&id, data).await {
            tracing::warn!(session = %id, %err, "run.completed not recorded");
        }
    }
    Ok(Json(result))
}
