//! The Hub's WebSocket (`/api/ws`): observers watch, controllers also drive the session with
//! `rpc_command` (`prompt`, `follow_up`, `steer`, `abort`). The daemon's agent is the session's
//! lead, so a client may not connect as one.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use sandbox_agent_schema::*;
use sandbox_agent_sessions::now_ms;
use serde::Deserialize;
use serde_json::{json, Value};

use super::stream::{self, Patterns};
use crate::auth::{self, Caller, Scope};
use crate::error::ApiQuery;
use crate::routes::events::presence;
use crate::routes::sessions::interrupt;
use crate::routes::ApiPath;
use crate::AppState;

/// How long a client without `api_key` has to send its `{authorization}` frame.
const AUTH_WAIT: Duration = Duration::from_secs(10);

/// No `Debug`: it carries the key.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WsQuery {
    session_id: Option<String>,
    role: Option<String>,
    subscribe: Option<String>,
    #[serde(rename = "api_key")]
    api_key: Option<String>,
}

pub async fn upgrade(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<WsQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let token = q.api_key.clone().or_else(|| auth::bearer(&headers).map(str::to_string));
    ws.on_upgrade(move |socket| async move {
        let (mut tx, mut rx) = socket.split();
        match admit(&state, &q, token, &mut rx).await {
            Ok(admitted) => serve(state, admitted, q.subscribe.as_deref(), tx, rx).await,
            Err((code, reason, message)) => {
                let rejected = json!({"type": "connection_rejected", "code": reason, "message": message,
                    "sessionId": q.session_id, "timestamp": now_ms()});
                let _ = tx.send(Message::Text(rejected.to_string().into())).await;
                let _ = tx.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
            }
        }
    })
}

struct Admitted {
    principal: Principal,
    /// The key as an `Authorization` header: a command for a session another cluster node runs
    /// is carried out there with it.
    credentials: HeaderMap,
    session_id: String,
    controller: bool,
}

type Refusal = (u16, &'static str, String);

/// Who connects, to which session, in which role; or the close code and why not.
async fn admit(
    state: &AppState,
    q: &WsQuery,
    token: Option<String>,
    rx: &mut futures_util::stream::SplitStream<WebSocket>,
) -> Result<Admitted, Refusal> {
    let token = match token {
        Some(token) => Some(token),
        // Without `api_key` the client's first frame is `{authorization, org_id}`.
        None => match tokio::time::timeout(AUTH_WAIT, rx.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("authorization").and_then(Value::as_str).map(str::to_string)),
            _ => None,
        },
    };
    let principal = auth::principal(state, token.as_deref()).ok_or((
        4401,
        "auth_failed",
        "missing, invalid, expired or revoked token".into(),
    ))?;
    let controller = match q.role.as_deref().unwrap_or("observer") {
        "observer" => false,
        "controller" => true,
        other => {
            return Err((
                4400,
                "unsupported_role",
                format!("role {other:?}: the daemon's agent leads; connect as observer or controller"),
            ))
        }
    };
    let session_id = q.session_id.clone().ok_or((4400, "bad_request", "sessionId is required".into()))?;
    let scope = if controller { Scope::SessionWrite } else { Scope::SessionRead };
    auth::permits(&principal, scope, &session_id).map_err(|why| (4403, "forbidden", why))?;
    crate::cluster::discover(state, &session_id).await;
    state
        .sessions
        .get(&session_id)
        .map_err(|_| (4404, "session_not_found", format!("session not found: {session_id}")))?;
    let mut credentials = HeaderMap::new();
    if let Some(mut value) = token.and_then(|t| axum::http::HeaderValue::try_from(format!("Bearer {t}")).ok()) {
        // Never shown by a `Debug` of the headers.
        value.set_sensitive(true);
        credentials.insert(axum::http::header::AUTHORIZATION, value);
    }
    Ok(Admitted { principal, credentials, session_id, controller })
}

async fn serve(
    state: AppState,
    admitted: Admitted,
    subscribe: Option<&str>,
    mut tx: futures_util::stream::SplitSink<WebSocket, Message>,
    mut rx: futures_util::stream::SplitStream<WebSocket>,
) {
    let Admitted { principal, credentials, session_id: id, controller } = admitted;
    let send = |v: Value| Message::Text(v.to_string().into());
    let (Ok(opening), Ok(session)) = (stream::opening(&state, &id).await, state.sessions.get(&id)) else { return };
    let joined = presence(&state, &session, "coder-ws".into(), ParticipantTransport::Ws, !controller, &principal);
    let Ok(guard) = joined.await else { return };
    let role = if controller { "controller" } else { "observer" };
    let info = session.info();
    let mut init = json!({"type": "init", "role": role, "sessionId": id});
    let mut hydration =
        json!({"type": "session_hydration", "sessionId": id, "resumedAt": now_ms(), "entries": opening.entries});
    if let Some(task) = &info.task {
        init["task"] = task.clone().into();
        hydration["task"] = task.clone().into();
    }
    if let Some(label) = &info.label {
        hydration["label"] = label.clone().into();
    }
    if tx.send(send(init)).await.is_err() || tx.send(send(hydration)).await.is_err() {
        return;
    }
    let patterns = stream::patterns(subscribe);
    let mut live = std::pin::pin!(stream::live(&state, &session, guard, &opening, patterns.clone(), true));
    loop {
        tokio::select! {
            chunk = live.next() => {
                let Some(Ok(chunk)) = chunk else { break };
                for line in chunk.split(|b| *b == b'\n').filter(|l| !l.is_empty() && l[0] != b':') {
                    let text = String::from_utf8_lossy(line).into_owned();
                    if tx.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
            }
            incoming = rx.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let caller = Controller { by: &principal, credentials: &credentials, controller };
                for reply in answer(&state, &caller, &id, &patterns, &text).await {
                    if tx.send(send(reply)).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// Who sends a connection's frames.
struct Controller<'a> {
    by: &'a Principal,
    credentials: &'a HeaderMap,
    controller: bool,
}

/// The frames that answer one client frame.
async fn answer(state: &AppState, caller: &Controller<'_>, id: &str, patterns: &Patterns, text: &str) -> Vec<Value> {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return vec![protocol_error(id, "invalid_json", "a frame must be a JSON object")];
    };
    let request_id = frame.get("id").and_then(Value::as_str).map(str::to_string);
    let kind = frame.get("type").and_then(Value::as_str).unwrap_or_default();
    let acted = |outcome: Result<Value, String>| {
        let actions = match &outcome {
            Ok(_) => json!([{"action": "ACK"}]),
            Err(reason) => json!([{"action": "BLOCK", "reason": reason}]),
        };
        request_id.clone().map(|rid| json!({"id": rid, "actions": actions}))
    };
    match kind {
        "ping" => {
            let echoed = frame.get("timestamp").cloned().unwrap_or(Value::Null);
            let mut pong = json!({"type": "pong", "timestamp": now_ms()});
            if echoed.is_number() {
                pong["echoedTimestamp"] = echoed;
            }
            vec![pong]
        }
        "subscribe" => {
            let list = frame
                .get("patterns")
                .and_then(Value::as_array)
                .map(|ps| ps.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>());
            match list {
                Some(list) => {
                    *patterns.write().unwrap() = list;
                    acted(Ok(Value::Null)).into_iter().collect()
                }
                None => vec![protocol_error(id, "bad_subscribe", "subscribe needs patterns: string[]")],
            }
        }
        "bootstrap_ready" | "" if frame.get("authorization").is_some() || kind == "bootstrap_ready" => Vec::new(),
        "rpc_command" => {
            let command = frame.get("command").cloned().unwrap_or(Value::Null);
            let name = command.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
            let outcome = if caller.controller {
                rpc(state, caller, id, &name, &command).await
            } else {
                Err("an observer may not drive the session".into())
            };
            let mut response = json!({"type": "response", "command": name, "success": outcome.is_ok()});
            match &outcome {
                Ok(data) if !data.is_null() => response["data"] = data.clone(),
                Ok(_) => {}
                Err(error) => response["error"] = error.clone().into(),
            }
            if let Some(cid) = command.get("id") {
                response["id"] = cid.clone();
            }
            let mut out = vec![json!({"type": "rpc_response", "response": response})];
            out.extend(acted(outcome));
            out
        }
        "event" | "tool" | "command" | "session_entry" | "session_write" | "rpc_ui_response" => {
            let reason = format!("{kind} frames are for a Hub's lead agent; this daemon's agent leads itself");
            acted(Err(reason.clone())).map_or_else(|| vec![protocol_error(id, "unsupported", &reason)], |r| vec![r])
        }
        other => vec![protocol_error(id, "unknown_message", &format!("unknown frame type {other:?}"))],
    }
}

fn protocol_error(id: &str, code: &str, message: &str) -> Value {
    json!({"type": "protocol_error", "code": code, "message": message, "sessionId": id, "timestamp": now_ms()})
}

/// Carries out a controller's command; its data, or why not.
async fn rpc(
    state: &AppState,
    caller: &Controller<'_>,
    id: &str,
    name: &str,
    command: &Value,
) -> Result<Value, String> {
    // A session another cluster node runs is driven there.
    let owner = crate::cluster::owner_elsewhere(state, id).await;
    match name {
        "prompt" | "follow_up" | "steer" => {
            let text = ["message", "text"].iter().find_map(|k| command.get(*k).and_then(Value::as_str));
            let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
                return Err(format!("{name} needs a non-empty message"));
            };
            let req = MessageRequest { message: text.to_string(), attachments: Vec::new() };
            let seq = match &owner {
                Some(node) => crate::cluster::post_message_at(state, node, id, caller.credentials, &req).await,
                None => crate::routes::sessions::post_message(state, caller.by.clone(), id, req).await,
            };
            Ok(json!({"turnId": format!("turn_{}", seq.map_err(|e| detail(&e))?)}))
        }
        "abort" => {
            let done = match &owner {
                Some(node) => {
                    let path = format!("/v1/sessions/{id}/interrupt");
                    crate::cluster::command_at(state, node, caller.credentials, Method::POST, path, None)
                        .await
                        .map(drop)
                }
                None => {
                    let path = ApiPath(id.to_string());
                    interrupt(State(state.clone()), Caller(caller.by.clone()), path).await.map(drop)
                }
            };
            done.map(|_| Value::Null).map_err(|e| detail(&e))
        }
        other => Err(format!("unknown command {other:?}: prompt, follow_up, steer and abort are supported")),
    }
}

fn detail(err: &crate::error::ApiError) -> String {
    err.0.detail.clone().unwrap_or_else(|| err.0.title.clone())
}
