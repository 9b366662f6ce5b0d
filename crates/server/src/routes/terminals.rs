//! Terminals in a session's workspace (`crates/terminals`): create, list, look at, kill, and a
//! WebSocket per terminal carrying its bytes both ways. Output arrives as binary frames
//! (the scrollback first), input is sent as binary frames, control as JSON text frames
//! (`TerminalMessage`). Observers watch; only controllers (and the daemon token) type or resize.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use futures_util::{SinkExt, StreamExt};
use sandbox_agent_schema::*;
use sandbox_agent_terminals::Event;
use tokio::sync::broadcast::error::RecvError;

use super::ApiPath;
use crate::auth::Caller;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::AppState;

/// A PTY running `command` (default: an interactive shell) in the session's workspace.
#[utoipa::path(post, operation_id = "createTerminal", path = "/v1/sessions/{session_id}/terminals", tag = "terminals", security(("bearer" = ["session:write"])),
    request_body = CreateTerminalRequest, params(("session_id" = String, Path)),
    responses((status = 200, body = TerminalInfo), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails),
        (status = 409, body = ProblemDetails), (status = 429, body = ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<CreateTerminalRequest>,
) -> ApiResult<Json<TerminalInfo>> {
    let info = state.sessions.get(&id)?.info();
    if info.archived {
        return Err(ApiError::session(ErrorType::SessionArchived, &id, format!("session {id} is archived")));
    }
    Ok(Json(state.terminals.create(&id, std::path::Path::new(&info.directory), req)?))
}

/// The session's terminals, running and exited, oldest first.
#[utoipa::path(get, operation_id = "listTerminals", path = "/v1/sessions/{session_id}/terminals", tag = "terminals", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path)),
    responses((status = 200, body = TerminalListResponse), (status = 404, body = ProblemDetails)))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<TerminalListResponse>> {
    state.sessions.get(&id)?;
    Ok(Json(TerminalListResponse { terminals: state.terminals.list(&id) }))
}

#[utoipa::path(get, operation_id = "getTerminal", path = "/v1/sessions/{session_id}/terminals/{terminal_id}", tag = "terminals", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), ("terminal_id" = String, Path)),
    responses((status = 200, body = TerminalInfo), (status = 404, body = ProblemDetails)))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath((id, tid)): ApiPath<(String, String)>,
) -> ApiResult<Json<TerminalInfo>> {
    state.sessions.get(&id)?;
    Ok(Json(state.terminals.get(&id, &tid)?))
}

/// Kills the terminal's whole process session (SIGKILL) and forgets it.
#[utoipa::path(delete, operation_id = "killTerminal", path = "/v1/sessions/{session_id}/terminals/{terminal_id}", tag = "terminals", security(("bearer" = ["session:write"])),
    params(("session_id" = String, Path), ("terminal_id" = String, Path)),
    responses((status = 204), (status = 404, body = ProblemDetails)))]
pub async fn kill(
    State(state): State<AppState>,
    ApiPath((id, tid)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    state.sessions.get(&id)?;
    state.terminals.kill(&id, &tid)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The terminal's WebSocket (subprotocol `sandbox-agent.terminal.v1`): its scrollback, then its
/// output as it comes; input and `resize` from controllers; `exit` when it ends, then close.
#[utoipa::path(get, operation_id = "attachTerminal", path = "/v1/sessions/{session_id}/terminals/{terminal_id}/ws", tag = "terminals", security(("bearer" = ["session:read"])),
    params(("session_id" = String, Path), ("terminal_id" = String, Path)),
    responses((status = 101, description = "a WebSocket"), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails)))]
pub async fn attach(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath((id, tid)): ApiPath<(String, String)>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    state.sessions.get(&id)?;
    let attachment = state.terminals.attach(&id, &tid)?;
    let upgrade =
        upgrade.map_err(|r| ApiError::new(ErrorType::InvalidRequest, format!("not a WebSocket request: {r}")))?;
    let writer = match &by {
        Principal::Daemon => true,
        Principal::Participant { role, .. } => *role == ParticipantRole::Controller,
    };
    Ok(upgrade
        .protocols([TERMINAL_PROTOCOL])
        .on_upgrade(move |socket| serve(state, id, tid, attachment, writer, socket)))
}

fn control(message: &TerminalMessage) -> Message {
    Message::Text(serde_json::to_string(message).unwrap_or_default().into())
}

async fn serve(
    state: AppState,
    session: String,
    terminal: String,
    attachment: sandbox_agent_terminals::Attachment,
    writer: bool,
    socket: WebSocket,
) {
    let (mut tx, mut rx) = socket.split();
    let mut events = attachment.events;
    if !attachment.scrollback.is_empty() && tx.send(Message::Binary(attachment.scrollback.into())).await.is_err() {
        return;
    }
    if let Some((exit_code, signal)) = attachment.exited {
        let _ = tx.send(control(&TerminalMessage::Exit { exit_code, signal })).await;
        let _ = tx.close().await;
        return;
    }
    let mut told = false;
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(Event::Output(bytes)) => {
                    if tx.send(Message::Binary(bytes)).await.is_err() {
                        break;
                    }
                }
                Ok(Event::Exit { code, signal }) => {
                    let _ = tx.send(control(&TerminalMessage::Exit { exit_code: code, signal })).await;
                    let _ = tx.close().await;
                    break;
                }
                Err(RecvError::Lagged(n)) => {
                    let message = format!("this client fell behind: {n} chunks of output were skipped");
                    if tx.send(control(&TerminalMessage::Error { message })).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Closed) => break,
            },
            incoming = rx.next() => {
                let refusal = match incoming {
                    Some(Ok(Message::Binary(bytes))) if writer => {
                        state.terminals.write(&session, &terminal, &bytes).await.err().map(|e| e.to_string())
                    }
                    Some(Ok(Message::Text(text))) if writer => match serde_json::from_str::<TerminalMessage>(&text) {
                        Ok(TerminalMessage::Resize { cols, rows }) => {
                            state.terminals.resize(&session, &terminal, cols, rows).err().map(|e| e.to_string())
                        }
                        _ => Some(format!("not a control message: {text}")),
                    },
                    Some(Ok(Message::Binary(_) | Message::Text(_))) if !told => {
                        told = true;
                        Some("an observer may watch this terminal, not type into it".to_string())
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => None,
                };
                if let Some(message) = refusal {
                    if tx.send(control(&TerminalMessage::Error { message })).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
}
