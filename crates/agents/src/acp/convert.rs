//! ACP (Agent Client Protocol: JSON-RPC 2.0 over stdio) → universal events. Pure: it builds the
//! requests the daemon sends (handshake, prompts, cancel, permission answers), matches the
//! responses to them by id, and turns `session/update` notifications and agent→client requests
//! into what to emit and what to write back. The process adapter that spawns a generic ACP agent
//! is not built yet; every `*-acp-*` transcript in `resources/transcripts/` is replayed through
//! this converter in the tests below.
//!
//! Native item ids: a tool call's `toolCallId` (unique within an ACP session by the spec), its
//! result `<toolCallId>:result`; a message `msg:<messageId>` / `thought:<messageId>` when the
//! agent names its messages, else `<nonce>:msg:<n>`; status items `<nonce>:status:<n>`. The nonce
//! keeps ids this converter invents unique across processes of one session (the daemon drops
//! every event of an item id it has already completed).

use std::collections::{HashMap, HashSet};

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use crate::{AgentEvent, AgentOutput};

pub use crate::Action;

/// The ACP version this converter speaks.
pub const PROTOCOL_VERSION: u64 = 1;

/// How the converter sets its session up (decided by the process adapter).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Emit `session.started` once the session exists (not when resuming).
    pub announce: bool,
    /// Makes the native ids this converter invents unique across processes.
    pub nonce: String,
    /// Reported as `clientInfo.version`.
    pub client_version: String,
    /// The session's working directory (`cwd` of `session/new`, `session/load`, `session/resume`).
    pub cwd: String,
    /// Continue this ACP session (`session/resume`, else `session/load`) instead of creating one.
    pub resume: Option<String>,
}

/// Where the handshake stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Handshake {
    #[default]
    NotStarted,
    /// `initialize` sent, waiting for its response.
    Initializing,
    /// `session/new`, `session/load` or `session/resume` sent, waiting for its response.
    StartingSession,
    /// The session exists (its id).
    Ready(String),
    /// Why the handshake failed.
    Failed(String),
}

/// Our requests awaiting a response, by JSON-RPC id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    Initialize,
    New,
    /// `session/load` of this session id: the agent replays its history before answering.
    Load(String),
    Resume(String),
    Prompt,
    /// Any other request (`session/set_mode`, …): only an error is worth reporting.
    Other(String),
}

/// What the converter knows of one tool call (ACP sends its fields piecemeal; each update
/// replaces the fields it carries).
#[derive(Debug, Clone, Default)]
struct Tool {
    title: Option<String>,
    kind: Option<String>,
    raw_input: Option<Value>,
    raw_output: Option<Value>,
    content: Option<Value>,
    locations: Option<Value>,
    status: Option<String>,
    /// Its `item.started` was emitted.
    started: bool,
    /// Its call and result items were completed.
    done: bool,
}

impl Tool {
    fn merge(&mut self, u: &Value) {
        let text = |k: &str| u.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(t) = text("title") {
            self.title = Some(t);
        }
        if let Some(k) = text("kind") {
            self.kind = Some(k);
        }
        if let Some(s) = text("status") {
            self.status = Some(s);
        }
        for (key, slot) in [
            ("rawInput", &mut self.raw_input),
            ("rawOutput", &mut self.raw_output),
            ("content", &mut self.content),
            ("locations", &mut self.locations),
        ] {
            if let Some(v) = u.get(key).filter(|v| !v.is_null()) {
                *slot = Some(v.clone());
            }
        }
    }

    /// The tool's name for clients: its title, else its kind.
    fn name(&self) -> String {
        self.title.clone().filter(|t| !t.is_empty()).or_else(|| self.kind.clone()).unwrap_or_else(|| "tool".into())
    }

    fn call_part(&self, id: &str) -> ContentPart {
        let arguments = match &self.raw_input {
            Some(input) => input.to_string(),
            None => "{}".to_string(),
        };
        ContentPart::ToolCall { name: self.name(), arguments, call_id: id.into() }
    }
}

/// The message being streamed: chunks of one kind (text or thought) with one `messageId`.
#[derive(Debug)]
struct Open {
    native: String,
    thought: bool,
    message_id: Option<String>,
    text: String,
    /// Non-text content blocks of the message.
    extra: Vec<ContentPart>,
}

/// A permission request waiting for the daemon's answer.
#[derive(Debug, Clone)]
struct Pending {
    /// The JSON-RPC id to answer, as the agent sent it (a number or a string).
    rpc_id: Value,
    options: Vec<Value>,
}

#[derive(Debug, Default)]
pub struct Converter {
    settings: Settings,
    next_id: u64,
    requests: HashMap<String, Request>,
    handshake: Handshake,
    session_id: Option<String>,
    announced: bool,
    /// The `initialize` result (agent info and capabilities).
    agent: Value,
    /// A `session/load` is replaying the session's history.
    replaying: bool,
    /// A prompt is running.
    turn: bool,
    /// `session/cancel` was sent for the running prompt.
    cancelling: bool,
    open: Option<Open>,
    tools: HashMap<String, Tool>,
    pending: HashMap<String, Pending>,
    /// Native ids already used for messages.
    used: HashSet<String>,
    seq: u64,
}

fn event(data: EventData) -> Action {
    Action::Emit(AgentOutput::Event(AgentEvent::native(data)))
}

fn unparsed(error: String, raw: Value) -> Action {
    let data = AgentUnparsedData { error, location: LOCATION.into(), raw_hash: None };
    Action::Emit(AgentOutput::Event(AgentEvent {
        data: EventData::AgentUnparsed(data),
        synthetic: true,
        raw: Some(raw),
    }))
}

/// Put the native payload on the first event it produced (unparsed events carry their own).
fn attach_raw(out: &mut [Action], raw: Value) {
    if let Some(Action::Emit(AgentOutput::Event(ev))) =
        out.iter_mut().find(|a| matches!(a, Action::Emit(AgentOutput::Event(_))))
    {
        if ev.raw.is_none() {
            ev.raw = Some(raw);
        }
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn item(kind: ItemKind, role: ItemRole, native: &str, content: Vec<ContentPart>, status: ItemStatus) -> UniversalItem {
    let mut item = UniversalItem::new(kind, Some(role), content);
    item.native_item_id = Some(native.to_string());
    item.status = status;
    item
}

fn started(item: UniversalItem) -> Action {
    event(EventData::ItemStarted(ItemEventData { item }))
}

fn completed(item: UniversalItem) -> Action {
    event(EventData::ItemCompleted(ItemEventData { item }))
}

/// The id of a JSON-RPC message as a string key: numbers as digits, strings as they are.
pub fn id_string(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON-RPC error object's message.
fn rpc_error_message(e: &Value) -> String {
    match e.get("message").and_then(Value::as_str) {
        Some(m) => m.to_string(),
        None => e.to_string(),
    }
}

/// Client methods we advertise no capability for (`fs`, `terminal`): answered with an error.
const UNSUPPORTED_REQUESTS: &[&str] = &[
    "fs/read_text_file",
    "fs/write_text_file",
    "terminal/create",
    "terminal/output",
    "terminal/release",
    "terminal/wait_for_exit",
    "terminal/kill",
];

/// JSON-RPC "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

const LOCATION: &str = "acp stdout";

impl Converter {
    pub fn new(settings: Settings) -> Self {
        Converter { announced: !settings.announce, settings, next_id: 1, ..Default::default() }
    }

    pub fn handshake(&self) -> &Handshake {
        &self.handshake
    }

    /// The agent's session id, once known.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// True while a prompt runs (from `prompt` to its response).
    pub fn turn_active(&self) -> bool {
        self.turn
    }

    /// The `initialize` result: `agentInfo`, `agentCapabilities`, `authMethods`.
    pub fn agent_info(&self) -> &Value {
        &self.agent
    }

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

    /// Convert one stdout line. Unknown or malformed input becomes `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![unparsed(format!("not JSON: {err}"), Value::String(line.to_string()))],
        };
        let mut out = match self.message(&value) {
            Ok(actions) => actions,
            Err(why) => vec![unparsed(why, value.clone())],
        };
        attach_raw(&mut out, value);
        out
    }

    fn message(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        if v.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            return Err("not a JSON-RPC 2.0 message".into());
        }
        let params = v.get("params").unwrap_or(&Value::Null);
        match (v.get("method").and_then(Value::as_str), v.get("id").filter(|id| !id.is_null())) {
            (Some(method), Some(id)) => Ok(self.agent_request(method, id, params)),
            (Some(method), None) => self.notification(method, params),
            (None, Some(id)) => self.response(id, v),
            (None, None) => Err("neither a request, a notification nor a response".into()),
        }
    }

    fn response(&mut self, id: &Value, v: &Value) -> Result<Vec<Action>, String> {
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
                let version = result.get("protocolVersion").and_then(Value::as_u64);
                if version != Some(PROTOCOL_VERSION) {
                    self.handshake = Handshake::Failed(format!(
                        "the agent speaks ACP version {}, not {PROTOCOL_VERSION}",
                        result.get("protocolVersion").unwrap_or(&Value::Null)
                    ));
                    return Ok(out);
                }
                out.extend(self.start_session());
            }
            (Request::New, Some(e)) => {
                self.handshake = Handshake::Failed(format!("session/new failed: {}", rpc_error_message(e)))
            }
            (Request::New, None) => {
                let id =
                    result.get("sessionId").and_then(Value::as_str).ok_or("session/new response without sessionId")?;
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
        let (reason, message) = match (error, str_of(result, "stopReason")) {
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
            (None, "end_turn") => (TurnEndReason::Completed, None),
            (None, "cancelled") => (TurnEndReason::Interrupted, None),
            (None, stop) => {
                let message = match stop {
                    "max_tokens" => "the model reached its maximum number of tokens".to_string(),
                    "max_turn_requests" => {
                        "the agent reached its maximum number of model requests for one turn".to_string()
                    }
                    "refusal" => "the agent refused to continue".to_string(),
                    other => {
                        // Still end the turn (nothing else will), but show what was not understood.
                        out.push(unparsed(format!("unknown stopReason {other:?}"), result.clone()));
                        format!("the turn ended with an unknown stop reason {other:?}")
                    }
                };
                if matches!(stop, "max_tokens" | "max_turn_requests" | "refusal") {
                    let details = json!({"stopReason": stop});
                    out.push(event(EventData::Error(ErrorData {
                        message: message.clone(),
                        code: Some(stop.to_string()),
                        details: Some(details),
                    })));
                }
                (TurnEndReason::Error, Some(message))
            }
        };
        out.push(event(EventData::TurnEnded(TurnEndedData { turn_id: String::new(), reason, usage, message })));
        out
    }

    /// A request from the agent.
    fn agent_request(&mut self, method: &str, id: &Value, params: &Value) -> Vec<Action> {
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
                vec![Action::Write(reply), unparsed(format!("unknown agent request {other:?}"), raw)]
            }
        }
    }

    fn permission_request(&mut self, id: &Value, params: &Value) -> Vec<Action> {
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
        })));
        out
    }

    fn notification(&mut self, method: &str, params: &Value) -> Result<Vec<Action>, String> {
        match method {
            "session/update" => {
                let session = str_of(params, "sessionId");
                if let Some(ours) = self.session_id.as_deref().or(self.replaying_id()) {
                    if session != ours {
                        return Err(format!("session/update for another session {session:?}"));
                    }
                }
                let update = params.get("update").ok_or("session/update without update")?;
                if self.replaying {
                    // History of a loaded session: the daemon recorded it when it happened.
                    return Ok(Vec::new());
                }
                self.update(update)
            }
            other => Err(format!("unknown notification {other:?}")),
        }
    }

    fn replaying_id(&self) -> Option<&str> {
        self.requests.values().find_map(|r| match r {
            Request::Load(id) => Some(id.as_str()),
            _ => None,
        })
    }

    fn update(&mut self, u: &Value) -> Result<Vec<Action>, String> {
        Ok(match str_of(u, "sessionUpdate") {
            "agent_message_chunk" => self.chunk(false, u)?,
            "agent_thought_chunk" => self.chunk(true, u)?,
            // The daemon records the user's messages itself.
            "user_message_chunk" => Vec::new(),
            "tool_call" | "tool_call_update" => {
                let mut out = self.close_message();
                out.extend(self.tool_update(u)?);
                out
            }
            "plan" => {
                let entries = u.get("entries").and_then(Value::as_array).ok_or("plan without entries")?;
                let detail = entries
                    .iter()
                    .map(|e| format!("[{}] {}", str_of(e, "status"), str_of(e, "content")))
                    .collect::<Vec<_>>()
                    .join("\n");
                let mut out = self.close_message();
                out.push(self.status("acp.plan", Some(detail)));
                out
            }
            "current_mode_update" => {
                let mode = u
                    .get("currentModeId")
                    .and_then(Value::as_str)
                    .ok_or("current_mode_update without currentModeId")?;
                let mut out = self.close_message();
                out.push(self.status("acp.mode", Some(mode.to_string())));
                out
            }
            // Ignored on purpose: the slash commands the agent offers, its config options, the
            // session title, and the context window fill and cost (the prompt response carries
            // the turn's token usage).
            "available_commands_update" | "config_option_update" | "session_info_update" | "usage_update" => Vec::new(),
            other => return Err(format!("unknown session update {other:?}")),
        })
    }

    fn status(&mut self, label: &str, detail: Option<String>) -> Action {
        self.seq += 1;
        let native = format!("{}:status:{}", self.settings.nonce, self.seq);
        let part = ContentPart::Status { label: label.into(), detail };
        completed(item(ItemKind::Status, ItemRole::System, &native, vec![part], ItemStatus::Completed))
    }

    /// A message or thought chunk: deltas of the open message when it is of the same kind and
    /// message id, else a new message.
    fn chunk(&mut self, thought: bool, u: &Value) -> Result<Vec<Action>, String> {
        let content = u.get("content").ok_or("message chunk without content")?;
        let message_id = u.get("messageId").and_then(Value::as_str).map(str::to_string);
        let (text, part) = match str_of(content, "type") {
            "text" => (str_of(content, "text").to_string(), None),
            "image" => {
                let part = match content.get("uri").and_then(Value::as_str) {
                    Some(uri) => ContentPart::Image {
                        path: uri.into(),
                        mime: content.get("mimeType").and_then(Value::as_str).map(str::to_string),
                    },
                    None => ContentPart::Json { json: content.clone() },
                };
                (String::new(), Some(part))
            }
            "audio" | "resource" | "resource_link" => {
                (String::new(), Some(ContentPart::Json { json: content.clone() }))
            }
            other => return Err(format!("unknown content block {other:?}")),
        };
        let continues = self.open.as_ref().is_some_and(|o| o.thought == thought && o.message_id == message_id);
        let mut out = Vec::new();
        if !continues {
            out.extend(self.close_message());
            if text.is_empty() && part.is_none() {
                return Ok(out); // an empty first chunk (agents send them): nothing to show yet
            }
            let native = self.message_native(thought, message_id.as_deref());
            out.push(started(item(ItemKind::Message, ItemRole::Assistant, &native, vec![], ItemStatus::InProgress)));
            self.open = Some(Open { native, thought, message_id, text: String::new(), extra: Vec::new() });
        }
        let open = self.open.as_mut().expect("a message is open");
        if !text.is_empty() {
            open.text.push_str(&text);
            out.push(event(EventData::ItemDelta(ItemDeltaData {
                item_id: String::new(),
                native_item_id: Some(open.native.clone()),
                delta: text,
            })));
        }
        open.extra.extend(part);
        Ok(out)
    }

    fn message_native(&mut self, thought: bool, message_id: Option<&str>) -> String {
        let kind = if thought { "thought" } else { "msg" };
        let base = match message_id {
            Some(id) => format!("{kind}:{id}"),
            None => {
                self.seq += 1;
                format!("{}:{kind}:{}", self.settings.nonce, self.seq)
            }
        };
        let mut native = base.clone();
        let mut n = 1;
        while !self.used.insert(native.clone()) {
            n += 1;
            native = format!("{base}#{n}");
        }
        native
    }

    /// Complete the message being streamed, if any.
    fn close_message(&mut self) -> Vec<Action> {
        let Some(open) = self.open.take() else { return Vec::new() };
        let mut content = Vec::new();
        if !open.text.is_empty() {
            content.push(if open.thought {
                ContentPart::Reasoning { text: open.text, visibility: ReasoningVisibility::Public }
            } else {
                ContentPart::text(open.text)
            });
        }
        content.extend(open.extra);
        vec![completed(item(ItemKind::Message, ItemRole::Assistant, &open.native, content, ItemStatus::Completed))]
    }

    fn tool_update(&mut self, u: &Value) -> Result<Vec<Action>, String> {
        let id = u.get("toolCallId").and_then(Value::as_str).ok_or("tool call without toolCallId")?.to_string();
        match u.get("status") {
            None | Some(Value::Null) => {}
            Some(s) if ["pending", "in_progress", "completed", "failed"].iter().any(|k| s == k) => {}
            Some(other) => return Err(format!("unknown tool call status {other}")),
        }
        let tool = self.tools.entry(id.clone()).or_default();
        if tool.done {
            return Ok(Vec::new()); // late updates of a finished call: already reported
        }
        if str_of(u, "sessionUpdate") == "tool_call" {
            // A `tool_call` states the whole call (agents send it again for a call they already
            // announced, or after a permission request described it): start from its fields.
            *tool = Tool { started: tool.started, ..Tool::default() };
        }
        tool.merge(u);
        let finished = match tool.status.as_deref() {
            Some("completed") => Some((false, tool_output(tool)?)),
            Some("failed") => Some((true, tool_output(tool)?)),
            _ => None,
        };
        let mut out = Vec::new();
        if !tool.started {
            tool.started = true;
            out.push(started(item(
                ItemKind::ToolCall,
                ItemRole::Assistant,
                &id,
                vec![tool.call_part(&id)],
                ItemStatus::InProgress,
            )));
        }
        let Some((failed, (output, extra))) = finished else { return Ok(out) };
        out.push(completed(item(
            ItemKind::ToolCall,
            ItemRole::Assistant,
            &id,
            vec![tool.call_part(&id)],
            ItemStatus::Completed,
        )));
        // Keep only the fact that it is finished.
        *tool = Tool { started: true, done: true, ..Tool::default() };
        let mut content = vec![ContentPart::ToolResult { call_id: id.clone(), output }];
        content.extend(extra);
        let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
        let mut result = item(ItemKind::ToolResult, ItemRole::Tool, &format!("{id}:result"), content, status);
        result.parent_id = Some(id);
        out.push(completed(result));
        Ok(out)
    }
}

fn outcome_response(id: &Value, outcome: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": {"outcome": outcome}})
}

fn error_response(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A synthetic `error` telling clients the agent's history is gone (the daemon's code).
fn history_lost(message: String, details: Option<Value>) -> Action {
    let error = ErrorData { message, code: Some("agent_history_lost".into()), details };
    Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::Error(error), synthetic: true, raw: None }))
}

/// A finished tool call's output text and extra parts: the text of its `content` blocks (else
/// its `rawOutput`), a `file_ref` per diff, and `read` file refs for a `read` tool's locations.
fn tool_output(tool: &Tool) -> Result<(String, Vec<ContentPart>), String> {
    let mut texts = Vec::new();
    let mut extra = Vec::new();
    for c in tool.content.as_ref().and_then(Value::as_array).into_iter().flatten() {
        match str_of(c, "type") {
            "content" => texts.push(block_text(c.get("content").unwrap_or(&Value::Null))?),
            "diff" => {
                let path = str_of(c, "path");
                let old = c.get("oldText").and_then(Value::as_str);
                let new = str_of(c, "newText");
                let action = if old.is_none() { FileAction::Write } else { FileAction::Patch };
                extra.push(ContentPart::FileRef { path: path.into(), action, diff: unified_diff(path, old, new) });
            }
            // We advertise no terminals, so none should come; keep the reference.
            "terminal" => extra.push(ContentPart::Json { json: c.clone() }),
            other => return Err(format!("unknown tool call content {other:?}")),
        }
    }
    if tool.kind.as_deref() == Some("read") && extra.is_empty() {
        for l in tool.locations.as_ref().and_then(Value::as_array).into_iter().flatten() {
            if let Some(path) = l.get("path").and_then(Value::as_str) {
                extra.push(ContentPart::FileRef { path: path.into(), action: FileAction::Read, diff: None });
            }
        }
    }
    let mut output = texts.join("\n");
    if output.is_empty() {
        output = match &tool.raw_output {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(raw) => ["formatted_output", "aggregated_output", "output", "stdout"]
                .iter()
                .find_map(|k| raw.get(*k).and_then(Value::as_str))
                .map(str::to_string)
                .unwrap_or_else(|| raw.to_string()),
        };
    }
    Ok((output, extra))
}

/// The text of an ACP content block inside tool output.
fn block_text(b: &Value) -> Result<String, String> {
    Ok(match str_of(b, "type") {
        "text" => str_of(b, "text").to_string(),
        "resource_link" => str_of(b, "uri").to_string(),
        "resource" => {
            let r = b.get("resource").unwrap_or(&Value::Null);
            r.get("text").and_then(Value::as_str).unwrap_or_else(|| str_of(r, "uri")).to_string()
        }
        "image" | "audio" => format!("[{} {}]", str_of(b, "type"), str_of(b, "mimeType")),
        other => return Err(format!("unknown content block {other:?}")),
    })
}

/// A unified diff of two texts (line based, 3 lines of context); None when nothing changed.
/// `old: None` is a new file.
pub fn unified_diff(path: &str, old: Option<&str>, new: &str) -> Option<String> {
    let a: Vec<&str> = old.unwrap_or("").lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = diff_lines(&a, &b);
    if ops.iter().all(|(op, _)| *op == ' ') {
        return None;
    }
    const CONTEXT: usize = 3;
    // The ranges of ops to show: every change with its context, merged when they touch.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, (op, _)) in ops.iter().enumerate() {
        if *op == ' ' {
            continue;
        }
        let (start, end) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(ops.len()));
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    let from = if old.is_some() { format!("a/{path}") } else { "/dev/null".to_string() };
    let mut out = format!("--- {from}\n+++ b/{path}\n");
    for (start, end) in ranges {
        let count = |ops: &[(char, &str)], side: char| ops.iter().filter(|(op, _)| *op == ' ' || *op == side).count();
        let (old_before, new_before) = (count(&ops[..start], '-'), count(&ops[..start], '+'));
        let (old_len, new_len) = (count(&ops[start..end], '-'), count(&ops[start..end], '+'));
        let first = |before: usize, len: usize| if len == 0 { before } else { before + 1 };
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            first(old_before, old_len),
            first(new_before, new_len)
        ));
        for (op, line) in &ops[start..end] {
            out.push(*op);
            out.push_str(line);
            out.push('\n');
        }
    }
    Some(out)
}

/// Line edit script from `a` to `b`: `' '` kept, `'-'` removed, `'+'` added. Longest common
/// subsequence on what lies between the common prefix and suffix; a very large middle is shown
/// as removed then added.
fn diff_lines<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(char, &'a str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(char, &'a str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        ops.extend(am.iter().map(|l| ('-', *l)));
        ops.extend(bm.iter().map(|l| ('+', *l)));
    } else {
        // lcs[i][j] = LCS length of am[i..] and bm[j..].
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((' ', am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', am[i]));
                i += 1;
            } else {
                ops.push(('+', bm[j]));
                j += 1;
            }
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));
    ops
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
