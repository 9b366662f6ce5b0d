//! The JSON-RPC side of the ACP converter: the requests the daemon sends (handshake, prompts,
//! cancel, mode), the responses to them, and the agent's own requests (permissions; the client
//! file system and terminals, which we do not offer, are refused).

use sandbox_agent_agent_types::acp;
use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::{event, str_of, unparsed, Action, Converter, Handshake, Pending, Request, PROTOCOL_VERSION};
use crate::{universal, AgentEvent, AgentOutput};

use crate::jsonrpc::error_message as rpc_error_message;
pub use crate::jsonrpc::id_string;

/// Client methods we advertise no capability for (`fs`, `terminal`): answered with an error.
pub(super) const UNSUPPORTED_REQUESTS: &[&str] = &[
    "fs/read_text_file",
    "fs/write_text_file",
    "terminal/create",
    "terminal/output",
    "terminal/release",
    "terminal/wait_for_exit",
    "terminal/kill",
];

/// JSON-RPC "method not found".
pub(super) const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

impl Converter {
    fn request(&mut self, kind: Request, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.requests.insert(id.to_string(), kind);
        json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
    }

    /// The first message of the handshake. We advertise no client capabilities: the agent
    /// reads and writes files and runs commands itself, and asks for permission.
    pub fn initialize(&mut self) -> Value {
        self.handshake = Handshake::Initializing;
        let params = json!({
            "protocolVersion": PROTOCOL_VERSION,
            "clientCapabilities": {"fs": {"readTextFile": false, "writeTextFile": false}, "terminal": false},
            "clientInfo": {"name": "sandbox-agent", "title": "sandbox-agent", "version": self.settings.client_version},
        });
        self.request(Request::Initialize, "initialize", params)
    }

    /// `session/new` in `cwd`, with no MCP servers.
    pub fn new_session(&mut self, cwd: &str) -> Value {
        self.handshake = Handshake::StartingSession;
        self.request(Request::New, "session/new", json!({"cwd": cwd, "mcpServers": []}))
    }

    /// `session/load`: the agent replays the session's history (as `session/update`s, which
    /// this converter drops: the daemon has recorded them already) and then answers.
    pub fn load_session(&mut self, session_id: &str, cwd: &str) -> Value {
        self.handshake = Handshake::StartingSession;
        self.replaying = true;
        let params = json!({"sessionId": session_id, "cwd": cwd, "mcpServers": []});
        self.request(Request::Load(session_id.into()), "session/load", params)
    }

    /// `session/resume`: continue a session without a history replay (capability
    /// `sessionCapabilities.resume`).
    pub fn resume_session(&mut self, session_id: &str, cwd: &str) -> Value {
        self.handshake = Handshake::StartingSession;
        let params = json!({"sessionId": session_id, "cwd": cwd, "mcpServers": []});
        self.request(Request::Resume(session_id.into()), "session/resume", params)
    }

    /// `session/prompt` with one text block; the turn runs until its response.
    pub fn prompt(&mut self, text: &str) -> Value {
        self.turn = true;
        self.cancelling = false;
        let params = json!({"sessionId": self.session_id.clone().unwrap_or_default(), "prompt": [{"type": "text", "text": text}]});
        self.request(Request::Prompt, "session/prompt", params)
    }

    /// `session/set_mode` (a mode id from the `session/new` response's `modes`).
    pub fn set_mode(&mut self, mode_id: &str) -> Value {
        let params = json!({"sessionId": self.session_id.clone().unwrap_or_default(), "modeId": mode_id});
        self.request(Request::Other("session/set_mode".into()), "session/set_mode", params)
    }

    /// Cancel the running prompt: the `session/cancel` notification, plus a `cancelled` answer
    /// to every permission request still pending (the spec requires both). The agent then
    /// answers the prompt with `stopReason: cancelled`.
    pub fn cancel(&mut self) -> Vec<Value> {
        if !self.turn {
            return Vec::new();
        }
        self.cancelling = true;
        let mut out = vec![
            json!({"jsonrpc": "2.0", "method": "session/cancel", "params": {"sessionId": self.session_id.clone().unwrap_or_default()}}),
        ];
        let mut pending: Vec<Pending> = self.pending.drain().map(|(_, p)| p).collect();
        pending.sort_by_key(|p| id_string(&p.rpc_id));
        out.extend(pending.into_iter().map(|p| outcome_response(&p.rpc_id, json!({"outcome": "cancelled"}))));
        out
    }

    /// The JSON-RPC response answering a permission request; None if it is not pending.
    /// `once` picks the option of kind `allow_once` (else `allow_always`), `always` picks
    /// `allow_always` (else `allow_once`), `reject` picks `reject_once` (else `reject_always`);
    /// with no such option the request is answered `cancelled`.
    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Option<Value> {
        let pending = self.pending.remove(id)?;
        let kinds: &[&str] = match reply {
            PermissionReply::Once => &["allow_once", "allow_always"],
            PermissionReply::Always => &["allow_always", "allow_once"],
            PermissionReply::Reject => &["reject_once", "reject_always"],
        };
        let option = kinds.iter().find_map(|kind| pending.options.iter().find(|o| str_of(o, "kind") == *kind));
        let outcome = match option.and_then(|o| o.get("optionId")) {
            Some(option_id) => json!({"outcome": "selected", "optionId": option_id}),
            None => json!({"outcome": "cancelled"}),
        };
        Some(outcome_response(&pending.rpc_id, outcome))
    }

    pub(super) fn response(&mut self, id: &Value, v: &Value) -> Result<Vec<Action>, String> {
        let kind =
            self.requests.remove(&id_string(id)).ok_or_else(|| format!("response to unknown request id {id}"))?;
        let error = v.get("error").filter(|e| !e.is_null());
        let result = v.get("result").unwrap_or(&Value::Null);
        let mut out = Vec::new();
        match (kind, error) {
            (Request::Initialize, Some(e)) => {
                self.handshake = Handshake::Failed(format!("initialize failed: {}", rpc_error_message(e)))
            }
            (Request::Initialize, None) => {
                self.agent = result.clone();
                let version = match typed::<acp::InitializeResponse>(result, "initialize response") {
                    Ok(init) => init.protocol_version.0,
                    Err(why) => {
                        self.handshake = Handshake::Failed(why);
                        return Ok(out);
                    }
                };
                if u64::from(version) != PROTOCOL_VERSION {
                    self.handshake =
                        Handshake::Failed(format!("the agent speaks ACP version {version}, not {PROTOCOL_VERSION}"));
                    return Ok(out);
                }
                out.extend(self.start_session());
            }
            (Request::New, Some(e)) => {
                self.handshake = Handshake::Failed(format!("session/new failed: {}", rpc_error_message(e)))
            }
            (Request::New, None) => {
                let new = typed::<acp::NewSessionResponse>(result, "session/new response")?;
                let id = new.session_id.0.as_str();
                out.extend(self.ready(id));
                if !std::mem::replace(&mut self.announced, true) {
                    let metadata = json!({
                        "sessionId": id, "agentInfo": self.agent.get("agentInfo"), "agentCapabilities": self.agent.get("agentCapabilities"),
                        "modes": result.get("modes"), "models": result.get("models"), "configOptions": result.get("configOptions"),
                    });
                    out.push(event(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) })));
                }
            }
            (Request::Load(id) | Request::Resume(id), None) => {
                self.replaying = false;
                out.extend(self.ready(&id));
            }
            (Request::Load(id) | Request::Resume(id), Some(e)) => {
                // The agent no longer has the session: go on in a new one, and say so.
                self.replaying = false;
                let message = format!("the agent could not continue its session {id} ({}); continuing in a new session without its history", rpc_error_message(e));
                out.push(history_lost(message, Some(e.clone())));
                let cwd = self.settings.cwd.clone();
                out.push(Action::Write(self.new_session(&cwd)));
            }
            (Request::Prompt, error) => out.extend(self.prompt_response(result, error)),
            (Request::Other(method), Some(e)) => {
                let message = format!("{method} failed: {}", rpc_error_message(e));
                out.push(event(EventData::Error(ErrorData {
                    message,
                    code: Some("request_failed".into()),
                    details: Some(e.clone()),
                })));
            }
            (Request::Other(_), None) => {}
        }
        Ok(out)
    }

    /// After `initialize`: create the session, or continue the one to resume when the agent can.
    fn start_session(&mut self) -> Vec<Action> {
        let cwd = self.settings.cwd.clone();
        let Some(id) = self.settings.resume.clone() else {
            return vec![Action::Write(self.new_session(&cwd))];
        };
        let caps = self.agent.get("agentCapabilities").cloned().unwrap_or(Value::Null);
        if caps.pointer("/sessionCapabilities/resume").is_some_and(|r| !r.is_null()) {
            vec![Action::Write(self.resume_session(&id, &cwd))]
        } else if caps.get("loadSession").and_then(Value::as_bool).unwrap_or(false) {
            vec![Action::Write(self.load_session(&id, &cwd))]
        } else {
            let message = format!("the agent cannot continue sessions (no session/resume or session/load); continuing in a new session without the history of {id}");
            vec![history_lost(message, None), Action::Write(self.new_session(&cwd))]
        }
    }

    fn ready(&mut self, id: &str) -> Vec<Action> {
        self.session_id = Some(id.to_string());
        self.handshake = Handshake::Ready(id.to_string());
        vec![Action::Emit(AgentOutput::NativeSessionId(id.to_string()))]
    }

    fn prompt_response(&mut self, result: &Value, error: Option<&Value>) -> Vec<Action> {
        let mut out = self.close_message();
        // Requests do not outlive their turn (the daemon voids them).
        self.pending.clear();
        self.turn = false;
        let cancelling = std::mem::take(&mut self.cancelling);
        let usage = result.get("usage").filter(|u| u.is_object()).map(|u| {
            let n = |k: &str| u.get(k).and_then(Value::as_u64);
            TokenUsage {
                input_tokens: n("inputTokens"),
                output_tokens: n("outputTokens"),
                cached_input_tokens: n("cachedReadTokens"),
                reasoning_tokens: n("thoughtTokens"),
            }
        });
        let stop = match error {
            Some(_) => None,
            None => match typed::<acp::PromptResponse>(result, "session/prompt response") {
                Ok(prompt) => Some(prompt.stop_reason),
                Err(why) => {
                    // Still end the turn (nothing else will), but show what was not understood.
                    out.push(unparsed(why, universal::raw_json(result)));
                    None
                }
            },
        };
        use acp::StopReason as S;
        let (reason, message) = match (error, stop) {
            (Some(_), _) if cancelling => (TurnEndReason::Interrupted, None),
            (Some(e), _) => {
                let message = format!("session/prompt failed: {}", rpc_error_message(e));
                out.push(event(EventData::Error(ErrorData {
                    message: message.clone(),
                    code: Some("prompt_failed".into()),
                    details: Some(e.clone()),
                })));
                (TurnEndReason::Error, Some(message))
            }
            (None, Some(S::EndTurn)) => (TurnEndReason::Completed, None),
            (None, Some(S::Cancelled)) => (TurnEndReason::Interrupted, None),
            (None, None) => {
                (TurnEndReason::Error, Some("the turn ended with a stop reason this client does not know".into()))
            }
            (None, Some(stop)) => {
                let message = match stop {
                    S::MaxTokens => "the model reached its maximum number of tokens",
                    S::MaxTurnRequests => "the agent reached its maximum number of model requests for one turn",
                    _ => "the agent refused to continue",
                };
                let code = serde_json::to_value(stop).ok().and_then(|v| v.as_str().map(str::to_string));
                out.push(event(EventData::Error(ErrorData {
                    message: message.to_string(),
                    code: code.clone(),
                    details: Some(json!({"stopReason": code})),
                })));
                (TurnEndReason::Error, Some(message.to_string()))
            }
        };
        out.push(event(EventData::TurnEnded(TurnEndedData { turn_id: String::new(), reason, usage, message })));
        out
    }

    /// A request from the agent.
    pub(super) fn agent_request(&mut self, method: &str, id: &Value, params: &Value) -> Vec<Action> {
        match method {
            "session/request_permission" => self.permission_request(id, params),
            m if UNSUPPORTED_REQUESTS.contains(&m) => {
                let message = format!("{m} is not supported: this client advertises no fs or terminal capabilities");
                let reply = error_response(id, METHOD_NOT_FOUND, &message);
                let error = ErrorData {
                    message,
                    code: Some("unsupported_request".into()),
                    details: Some(json!({"method": m, "params": params})),
                };
                vec![Action::Write(reply), event(EventData::Error(error))]
            }
            other => {
                // Answer anyway so the agent never waits on us.
                let reply = error_response(id, METHOD_NOT_FOUND, &format!("unknown method {other}"));
                let raw = json!({"jsonrpc": "2.0", "id": id, "method": other, "params": params});
                vec![
                    Action::Write(reply),
                    unparsed(format!("unknown agent request {other:?}"), universal::raw_json(&raw)),
                ]
            }
        }
    }

    fn permission_request(&mut self, id: &Value, params: &Value) -> Vec<Action> {
        if let Err(why) = typed::<acp::RequestPermissionRequest>(params, "session/request_permission") {
            // Answered, so the agent does not wait on a request nobody can read.
            let raw = json!({"jsonrpc": "2.0", "id": id, "method": "session/request_permission", "params": params});
            return vec![
                Action::Write(error_response(id, INVALID_PARAMS, &why)),
                unparsed(why, universal::raw_json(&raw)),
            ];
        }
        let mut out = self.close_message();
        let call = params.get("toolCall").cloned().unwrap_or(Value::Null);
        let call_id = str_of(&call, "toolCallId").to_string();
        let tool = self.tools.entry(call_id.clone()).or_default();
        tool.merge(&call);
        let action = tool.name();
        let options: Vec<Value> = params.get("options").and_then(Value::as_array).cloned().unwrap_or_default();
        let permission_id = id_string(id);
        self.pending.insert(permission_id.clone(), Pending { rpc_id: id.clone(), options: options.clone() });
        let metadata = json!({"toolCallId": call_id, "toolCall": call, "options": options});
        out.push(event(EventData::PermissionRequested(PermissionEventData {
            permission_id,
            action,
            status: PermissionStatus::Requested,
            metadata: Some(metadata),
            answered_by: None,
        })));
        out
    }
}

/// `v` as the ACP schema's `T`, or why not.
fn typed<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> Result<T, String> {
    T::deserialize(v).map_err(|e| format!("{what}: {e}"))
}

pub(super) fn outcome_response(id: &Value, outcome: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": {"outcome": outcome}})
}

pub(super) fn error_response(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A synthetic `error` telling clients the agent's history is gone (the daemon's code).
fn history_lost(message: String, details: Option<Value>) -> Action {
    let error = ErrorData { message, code: Some("agent_history_lost".into()), details };
    Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::Error(error), synthetic: true, raw: None }))
}
