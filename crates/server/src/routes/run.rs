//! One-shot commands in a sandbox: answered at the end, or streamed as they go.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use bytes::Bytes;
use sandbox_agent_runner::{Progress, RunError, Utf8Chunks, Workdir};
use sandbox_agent_schema::*;

use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::AppState;

/// Run one command to its end in a bubblewrap sandbox (or its deadline, which kills everything
/// it started) and answer with its exit, bounded output and collected files. With `sessionId`
/// it runs in that session's workspace and the session records `run.completed`.
#[utoipa::path(post, operation_id = "runCommand", path = "/v1/run", tag = "run", security(("bearer" = ["daemon"])), request_body = RunRequest,
    responses((status = 200, body = RunResponse), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails),
        (status = 409, body = ProblemDetails), (status = 422, body = ProblemDetails), (status = 429, body = ProblemDetails),
        (status = 500, body = ProblemDetails), (status = 501, body = ProblemDetails), (status = 503, body = ProblemDetails)))]
pub async fn run(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiJson(req): ApiJson<RunRequest>,
) -> ApiResult<Json<RunResponse>> {
    let workdir = workdir(&state, &req)?;
    let (session, command) = (req.session_id.clone(), req.command.clone());
    let result = state.runner.run(req, workdir).await?;
    record(&state, session, command, &by, &result).await;
    Ok(Json(result))
}

/// The same run, streamed: `event: stdout` / `event: stderr` (`RunOutputChunk`) as output comes,
/// then one `event: exit` with the `RunResponse` (its `stdout` and `stderr` empty: they were
/// streamed), or `event: error` with a problem. Problems found before the command starts are
/// answered as for `/v1/run`. A client that goes away kills the run.
#[utoipa::path(post, operation_id = "runCommandStream", path = "/v1/run/stream", tag = "run", security(("bearer" = ["daemon"])), request_body = RunRequest,
    responses((status = 200, content_type = "text/event-stream", description = "stdout, stderr, then exit (RunResponse)"),
        (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails),
        (status = 422, body = ProblemDetails), (status = 429, body = ProblemDetails), (status = 500, body = ProblemDetails),
        (status = 501, body = ProblemDetails), (status = 503, body = ProblemDetails)))]
pub async fn stream(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiJson(req): ApiJson<RunRequest>,
) -> ApiResult<Response> {
    let workdir = workdir(&state, &req)?;
    let (session, command) = (req.session_id.clone(), req.command.clone());
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let task = {
        let state = state.clone();
        tokio::spawn(async move {
            let result = state.runner.run_streaming(req, workdir, tx).await;
            if let Ok(result) = &result {
                record(&state, session, command, &by, result).await;
            }
            result
        })
    };
    // Until the command has started, a refusal is still a problem response.
    let mut task = AbortOnDrop(task);
    if rx.recv().await != Some(Progress::Started) {
        return Err(match (&mut task.0).await {
            Ok(Err(err)) => err.into(),
            _ => RunError::Invalid("the run ended before it started".into()).into(),
        });
    }
    let frames = futures_util::stream::unfold(
        (rx, Some(task), Utf8Chunks::default(), Utf8Chunks::default()),
        |(mut rx, task, mut out, mut err)| async move {
            let mut task = task?;
            match rx.recv().await {
                Some(Progress::Output(chunk)) => {
                    let (name, chunker) = match chunk.stream {
                        OutputStream::Stdout => ("stdout", &mut out),
                        OutputStream::Stderr => ("stderr", &mut err),
                    };
                    let frame = chunker.push(&chunk.bytes).map(|(data, encoding)| output_frame(name, data, encoding));
                    Some((Ok::<_, std::convert::Infallible>(frame.unwrap_or_default()), (rx, Some(task), out, err)))
                }
                Some(Progress::Started) => Some((Ok(Bytes::new()), (rx, Some(task), out, err))),
                None => {
                    let mut tail = Vec::new();
                    for (name, chunker) in [("stdout", &mut out), ("stderr", &mut err)] {
                        if let Some((data, encoding)) = chunker.finish() {
                            tail.extend_from_slice(&output_frame(name, data, encoding));
                        }
                    }
                    let end = match (&mut task.0).await {
                        Ok(Ok(result)) => frame("exit", &result),
                        Ok(Err(e)) => frame("error", &*ApiError::from(e).0),
                        Err(_) => frame("error", &*ApiError::new(ErrorType::Internal, "the run failed").0),
                    };
                    tail.extend_from_slice(&end);
                    Some((Ok(Bytes::from(tail)), (rx, None, out, err)))
                }
            }
        },
    );
    Ok(crate::sse::event_stream(frames))
}

/// The run's task, aborted (its run killed and cleaned up) when the response is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn frame(event: &str, data: &impl serde::Serialize) -> Bytes {
    let json = serde_json::to_string(data).unwrap_or_default();
    Bytes::from(format!("event: {event}\ndata: {json}\n\n"))
}

fn output_frame(event: &str, data: String, encoding: Encoding) -> Bytes {
    frame(event, &RunOutputChunk { data, encoding })
}

/// A session's workspace (checked now, before anything runs), or a scratch directory.
fn workdir(state: &AppState, req: &RunRequest) -> ApiResult<Workdir> {
    Ok(match &req.session_id {
        Some(id) => Workdir::Session(state.sessions.run_dir(id)?),
        None => Workdir::Scratch,
    })
}

/// `run.completed` in the run's session, if it had one.
async fn record(state: &AppState, session: Option<String>, command: Vec<String>, by: &Principal, result: &RunResponse) {
    let Some(id) = session else { return };
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
