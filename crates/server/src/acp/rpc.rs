//! The JSON-RPC a client posts: our answers to its requests, its answers to ours, and its
//! notifications.

use std::sync::Arc;

use sandbox_agent_schema::*;
use sandbox_agent_sessions::Command;
use serde_json::{json, Value};

use super::updates::stop_reason;
use super::AcpServer;
use crate::AppState;

/// JSON-RPC error codes.
const INVALID_PARAMS: i64 = -32602;
const METHOD_NOT_FOUND: i64 = -32601;
const INTERNAL: i64 = -32603;

fn error(id: &Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

fn result(id: &Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// Handle one posted message. Some: the response to a request; None: nothing to answer
/// (a notification, or the client's answer to one of our requests).
pub async fn handle(state: &AppState, server: &Arc<AcpServer>, message: Value) -> Result<Option<Value>, String> {
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err("not a JSON-RPC 2.0 message".into());
    }
    let id = message.get("id").filter(|id| !id.is_null()).cloned();
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    match (message.get("method").and_then(Value::as_str), id) {
        (Some(method), Some(id)) => Ok(Some(request(state, server, method, &id, &params).await)),
        (Some("session/cancel"), None) => {
            cancel(state, server, &params);
            Ok(None)
        }
        (Some(_), None) => Ok(None), // notifications we have no use for
        (None, Some(id)) => {
            answer(state, server, &id, message.get("result")).await;
            Ok(None)
        }
        (None, None) => Err("neither a request, a notification nor a response".into()),
    }
}

async fn request(state: &AppState, server: &Arc<AcpServer>, method: &str, id: &Value, params: &Value) -> Value {
    match method {
        "initialize" => result(
            id,
            json!({
                "protocolVersion": 1,
                "agentCapabilities": {"loadSession": true,
                    "promptCapabilities": {"image": false, "audio": false, "embeddedContext": false}},
                "agentInfo": {"name": "sandbox-agent", "title": "sandbox-agent", "version": env!("CARGO_PKG_VERSION")},
                "authMethods": [],
            }),
        ),
        "session/new" => match new_session(state, server, params).await {
            Ok(session_id) => result(id, json!({"sessionId": session_id})),
            Err(e) => error(id, INTERNAL, e),
        },
        "session/load" => {
            let session_id = params["sessionId"].as_str().unwrap_or_default();
            match state.sessions.get(session_id) {
                // The history is replayed as `session/update`s, as ACP asks of `session/load`.
                Ok(_) => {
                    server.attach(state, session_id, 0);
                    result(id, Value::Null)
                }
                Err(e) => error(id, INVALID_PARAMS, e.to_string()),
            }
        }
        "session/prompt" => prompt(state, server, id, params).await,
        _ => error(id, METHOD_NOT_FOUND, format!("sandbox-agent does not serve {method}")),
    }
}

/// `session/new`: an ordinary daemon session of the server's agent (or the one named in
/// `_meta["sandbox-agent"].agent`), in `cwd`, with `_meta["sandbox-agent"]`'s `env` and `model`.
async fn new_session(state: &AppState, server: &Arc<AcpServer>, params: &Value) -> Result<String, String> {
    let ours = &params["_meta"]["sandbox-agent"];
    let agent = ours["agent"].as_str().unwrap_or(&server.agent).to_string();
    let env = serde_json::from_value(ours["env"].clone()).unwrap_or_default();
    let directory = params["cwd"].as_str().filter(|c| !c.is_empty()).map(str::to_string);
    let model = ours["model"].as_str().map(str::to_string);
    let mcp = mcp_servers(&params["mcpServers"])?;
    let req = CreateSessionRequest { agent, directory, env, model, mcp, ..Default::default() };
    let session_id = format!("ses_{}", uuid::Uuid::new_v4().simple());
    state.sessions.create(session_id.clone(), req, &server.by).await.map_err(|e| e.to_string())?;
    server.attach(state, &session_id, 0);
    Ok(session_id)
}

/// ACP's `mcpServers` (`{name, command, args, env: [{name, value}]}` for stdio, `{type: "http", name,
/// url, headers: [{name, value}]}`) as the session's MCP servers.
fn mcp_servers(list: &Value) -> Result<std::collections::BTreeMap<String, McpServer>, String> {
    let pairs = |v: &Value| -> std::collections::BTreeMap<String, String> {
        let named = v.as_array().into_iter().flatten();
        named.filter_map(|p| Some((p["name"].as_str()?.to_string(), p["value"].as_str()?.to_string()))).collect()
    };
    let mut servers = std::collections::BTreeMap::new();
    for server in list.as_array().into_iter().flatten() {
        let name = server["name"].as_str().ok_or("mcpServers: a server without a name")?.to_string();
        let entry = match server["type"].as_str() {
            Some("http") | Some("sse") => McpServer::Http {
                url: server["url"].as_str().ok_or(format!("mcpServers.{name}: no url"))?.to_string(),
                headers: pairs(&server["headers"]),
            },
            _ => McpServer::Stdio {
                command: server["command"].as_str().ok_or(format!("mcpServers.{name}: no command"))?.to_string(),
                args: serde_json::from_value(server["args"].clone()).unwrap_or_default(),
                env: pairs(&server["env"]),
            },
        };
        servers.insert(name, entry);
    }
    Ok(servers)
}

/// `session/prompt`: the text blocks as one message; answered when its turn ends.
async fn prompt(state: &AppState, server: &Arc<AcpServer>, id: &Value, params: &Value) -> Value {
    let session_id = params["sessionId"].as_str().unwrap_or_default();
    let Some(mut turns) = server.turns(session_id) else {
        return error(
            id,
            INVALID_PARAMS,
            format!("session {session_id} is not open on this connection (session/new or session/load first)"),
        );
    };
    let blocks = params["prompt"].as_array().cloned().unwrap_or_default();
    let text: Vec<&str> = blocks.iter().filter(|b| b["type"] == "text").filter_map(|b| b["text"].as_str()).collect();
    let message = MessageRequest::from(text.join("\n"));
    let started = match crate::routes::sessions::post_message(state, server.by.clone(), session_id, message).await {
        Ok(seq) => seq,
        Err(e) => return error(id, INTERNAL, e.0.detail.clone().unwrap_or_else(|| e.0.title.clone())),
    };
    let mut closed = server.closed();
    loop {
        if let (seq, Some(ended)) = &*turns.borrow_and_update() {
            if *seq > started {
                return match stop_reason(ended.reason) {
                    Some(stop) => result(id, json!({"stopReason": stop})),
                    None => error(id, INTERNAL, ended.message.clone().unwrap_or_else(|| "the turn failed".into())),
                };
            }
        }
        tokio::select! {
            changed = turns.changed() => if changed.is_err() {
                return error(id, INTERNAL, "the session is gone");
            },
            _ = closed.changed() => return error(id, INTERNAL, "the connection was closed"),
        }
    }
}

/// `session/cancel`: interrupt the session's turn (its prompt then answers `cancelled`).
fn cancel(state: &AppState, server: &Arc<AcpServer>, params: &Value) {
    let Ok(session) = state.sessions.get(params["sessionId"].as_str().unwrap_or_default()) else { return };
    let by = server.by.clone();
    tokio::spawn(async move {
        let _ = session.call(|reply| Command::Interrupt { by, reply }).await;
    });
}

/// The client's answer to a `session/request_permission` of ours.
async fn answer(state: &AppState, server: &Arc<AcpServer>, id: &Value, result: Option<&Value>) {
    let Some((session_id, permission_id, reply)) = server.answered(id, result) else { return };
    let Ok(session) = state.sessions.get(&session_id) else { return };
    let by = server.by.clone();
    if let Err(err) = session.call(|resp| Command::Permission { id: permission_id, reply, by, resp }).await {
        tracing::warn!(%err, session = %session_id, "ACP: a permission answer was refused");
    }
}
