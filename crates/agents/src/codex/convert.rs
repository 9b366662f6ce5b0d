//! Codex `app-server` JSON-RPC → universal events. Pure: it builds the requests the adapter
//! sends (handshake, turns, interrupts, approval answers), matches the responses to them by id,
//! and turns notifications and server→client requests into what to emit and what to write
//! back. The process loop in `mod.rs` does the I/O. Every `codex-appserver-*` transcript in
//! `resources/transcripts/` is replayed through it in the tests below; `exec.rs` holds the
//! small converter for `codex exec --json`.
//!
//! Native item ids are `<turnId>:<itemId>`: Codex's item ids come from the model (`call_…`,
//! `msg_…`) and nothing promises they are unique across turns, while the daemon drops every
//! event of an item id it has already completed.

use std::collections::{HashMap, HashSet};

use sandbox_agent_schema::*;
use serde_json::{json, Map, Value};

use crate::{AgentEvent, AgentOutput};

pub use crate::Action;

/// How the converter starts its thread and phrases its turns (decided by `mod.rs`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Emit `session.started` once the thread exists (not when resuming).
    pub announce: bool,
    /// Makes the native ids of the status items this converter invents unique across processes.
    pub nonce: String,
    /// Reported as `clientInfo.version`.
    pub client_version: String,
    /// `thread/start` / `thread/resume` parameters besides `threadId`: cwd, approvalPolicy,
    /// sandbox, model.
    pub thread_params: Map<String, Value>,
    /// Resume this thread (`thread/resume`) instead of starting one.
    pub resume: Option<String>,
    /// Put before every prompt (plan mode).
    pub prompt_prefix: String,
}

/// Where the handshake stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Handshake {
    #[default]
    NotStarted,
    /// `initialize` sent, waiting for its response.
    Initializing,
    /// `thread/start` or `thread/resume` sent, waiting for its response.
    StartingThread,
    /// The thread exists (its id).
    Ready(String),
    /// Why the handshake failed.
    Failed(String),
}

/// Our requests awaiting a response, by JSON-RPC id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    Initialize,
    ThreadStart,
    TurnStart,
    TurnInterrupt,
}

/// Token counts as Codex reports them (`thread/tokenUsage/updated`), cumulative per thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tokens {
    input: u64,
    cached: u64,
    output: u64,
    reasoning: u64,
}

impl Tokens {
    fn from_camel(v: &Value) -> Option<Self> {
        let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        v.is_object().then(|| Tokens {
            input: n("inputTokens"),
            cached: n("cachedInputTokens"),
            output: n("outputTokens"),
            reasoning: n("reasoningOutputTokens"),
        })
    }

    fn minus(self, o: Tokens) -> Tokens {
        Tokens {
            input: self.input.saturating_sub(o.input),
            cached: self.cached.saturating_sub(o.cached),
            output: self.output.saturating_sub(o.output),
            reasoning: self.reasoning.saturating_sub(o.reasoning),
        }
    }

    pub(super) fn usage(self) -> TokenUsage {
        TokenUsage {
            input_tokens: Some(self.input),
            output_tokens: Some(self.output),
            cached_input_tokens: Some(self.cached),
            reasoning_tokens: Some(self.reasoning),
        }
    }
}

/// A permission request of Codex waiting for the daemon's answer.
#[derive(Debug, Clone)]
struct Approval {
    /// The JSON-RPC id to answer, as Codex sent it.
    rpc_id: Value,
    data: PermissionEventData,
}

/// State of the turn the daemon asked for.
#[derive(Debug, Default)]
struct Turn {
    /// Codex's turn id, once `turn/start` answered (or `turn/started` came).
    id: Option<String>,
    /// The daemon asked to interrupt before the turn id was known.
    interrupt_wanted: bool,
    /// An `error` notification already told clients why this turn failed.
    error_reported: bool,
    /// Thread token totals before the turn; set from the turn's first usage report when unknown.
    baseline: Option<Tokens>,
    usage_seen: bool,
    /// The last `turn/diff/updated` shown (Codex repeats the same diff).
    last_diff: Option<String>,
}

#[derive(Debug, Default)]
pub struct Converter {
    settings: Settings,
    next_id: u64,
    requests: HashMap<u64, Request>,
    handshake: Handshake,
    thread_id: Option<String>,
    announced: bool,
    user_agent: Option<String>,
    /// The turn the daemon started, until Codex completes it.
    turn: Option<Turn>,
    /// Thread token totals from the last usage report.
    tokens: Option<Tokens>,
    /// Tool calls already emitted (at `item/started`), by native id.
    calls: HashSet<String>,
    /// Tool results opened by an output delta, by native id of the call.
    results: HashSet<String>,
    /// A file change's `changes`, from its `item/started` or `item/fileChange/patchUpdated`.
    changes: HashMap<String, Value>,
    /// Subagent thread id → native id of the collab tool call that spawned it.
    children: HashMap<String, String>,
    /// Pending approvals by permission id.
    approvals: HashMap<String, Approval>,
    /// Counter for the status items this converter invents.
    status_seq: u64,
}

pub(super) fn event(data: EventData) -> Action {
    Action::Emit(AgentOutput::Event(AgentEvent::native(data)))
}

pub(super) fn unparsed(location: &str, error: String, raw: Value) -> Action {
    let data = AgentUnparsedData { error, location: location.into(), raw_hash: None };
    Action::Emit(AgentOutput::Event(AgentEvent {
        data: EventData::AgentUnparsed(data),
        synthetic: true,
        raw: Some(raw),
    }))
}

/// Put the native payload on the first event it produced (unparsed events carry their own).
pub(super) fn attach_raw(out: &mut [Action], raw: Value) {
    if let Some(Action::Emit(AgentOutput::Event(ev))) =
        out.iter_mut().find(|a| matches!(a, Action::Emit(AgentOutput::Event(_))))
    {
        if ev.raw.is_none() {
            ev.raw = Some(raw);
        }
    }
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(super) fn item(
    kind: ItemKind,
    role: ItemRole,
    native: &str,
    content: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut item = UniversalItem::new(kind, Some(role), content);
    item.native_item_id = Some(native.to_string());
    item.status = status;
    item
}

pub(super) fn started(item: UniversalItem) -> EventData {
    EventData::ItemStarted(ItemEventData { item })
}

pub(super) fn completed(item: UniversalItem) -> EventData {
    EventData::ItemCompleted(ItemEventData { item })
}

pub(super) fn delta(native: String, text: &str) -> EventData {
    EventData::ItemDelta(ItemDeltaData {
        item_id: String::new(),
        native_item_id: Some(native),
        delta: text.to_string(),
    })
}

/// A tool call item, complete: `started` then `completed` (the call is fully known).
pub(super) fn call_events(
    native: &str,
    name: &str,
    arguments: &Value,
    call_id: &str,
    parent: Option<String>,
    extra: Vec<ContentPart>,
) -> [EventData; 2] {
    let mut content =
        vec![ContentPart::ToolCall { name: name.into(), arguments: arguments.to_string(), call_id: call_id.into() }];
    content.extend(extra);
    let mut call = item(ItemKind::ToolCall, ItemRole::Assistant, native, content, ItemStatus::InProgress);
    call.parent_id = parent;
    let mut done = call.clone();
    done.status = ItemStatus::Completed;
    [started(call), completed(done)]
}

/// The native id of a call's result item.
pub(super) fn result_id(call_native: &str) -> String {
    format!("{call_native}:result")
}

/// A tool result item, child of its call.
pub(super) fn result_item(
    call_native: &str,
    call_id: &str,
    output: String,
    extra: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut content = vec![ContentPart::ToolResult { call_id: call_id.into(), output }];
    content.extend(extra);
    let mut result = item(ItemKind::ToolResult, ItemRole::Tool, &result_id(call_native), content, status);
    result.parent_id = Some(call_native.to_string());
    result
}

/// `add` → write, everything else (update, delete, moves) → patch; the kind is `{"type": …}`
/// in app-server items and a plain string in `codex exec --json`.
pub(super) fn file_refs(changes: &Value) -> Vec<ContentPart> {
    let Some(changes) = changes.as_array() else { return Vec::new() };
    changes
        .iter()
        .filter_map(|c| {
            let path = c.get("path").and_then(Value::as_str)?;
            let kind = c.get("kind").map(|k| k.get("type").unwrap_or(k)).and_then(Value::as_str).unwrap_or("");
            let action = if kind == "add" { FileAction::Write } else { FileAction::Patch };
            let diff = c.get("diff").and_then(Value::as_str).filter(|d| !d.is_empty()).map(str::to_string);
            Some(ContentPart::FileRef { path: path.into(), action, diff })
        })
        .collect()
}

/// The text of MCP content blocks (`[{type: "text", text}, …]`); other blocks as JSON.
pub(super) fn mcp_output(result: &Value) -> String {
    let blocks = result.get("content").and_then(Value::as_array).cloned().unwrap_or_default();
    blocks
        .iter()
        .map(|b| match b.get("text").and_then(Value::as_str) {
            Some(text) => text.to_string(),
            None => b.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A JSON-RPC error object's message.
fn rpc_error_message(e: &Value) -> String {
    match e.get("message").and_then(Value::as_str) {
        Some(m) => m.to_string(),
        None => e.to_string(),
    }
}

fn params(v: &Value) -> &Value {
    static NULL: Value = Value::Null;
    v.get("params").unwrap_or(&NULL)
}

/// The id of a JSON-RPC message as a permission id: numbers as digits, strings as they are.
fn id_string(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `turnId:itemId`, see the module docs.
fn native_id(turn: &str, item: &str) -> String {
    if turn.is_empty() {
        item.to_string()
    } else {
        format!("{turn}:{item}")
    }
}

/// Server→client requests the protocol defines but this adapter does not serve: answered
/// with a JSON-RPC error (so Codex never waits) and reported as an `error` event.
const UNSUPPORTED_REQUESTS: &[&str] = &[
    // request_user_input: no transcript shows it yet, so questions are not mapped.
    "item/tool/requestUserInput",
    "mcpServer/elicitation/request",
    "item/permissions/requestApproval",
    // We register no dynamic tools.
    "item/tool/call",
    "account/chatgptAuthTokens/refresh",
    "attestation/generate",
    // Legacy approvals, only for turns started through the v1 API (we use turn/start).
    "applyPatchApproval",
    "execCommandApproval",
];

const LOCATION: &str = "codex app-server stdout";

impl Converter {
    pub fn new(settings: Settings) -> Self {
        Converter { announced: !settings.announce, settings, next_id: 1, ..Default::default() }
    }

    pub fn handshake(&self) -> &Handshake {
        &self.handshake
    }

    pub fn thread_id(&self) -> Option<&str> {
        self.thread_id.as_deref()
    }

    fn request(&mut self, kind: Request, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.requests.insert(id, kind);
        json!({"id": id, "method": method, "params": params})
    }

    /// The first message of the handshake.
    pub fn initialize(&mut self) -> Value {
        self.handshake = Handshake::Initializing;
        let info = json!({"name": "sandbox-agent", "title": "sandbox-agent", "version": self.settings.client_version});
        self.request(Request::Initialize, "initialize", json!({"clientInfo": info}))
    }

    fn thread_request(&mut self) -> Value {
        let mut params = self.settings.thread_params.clone();
        match self.settings.resume.clone() {
            Some(id) => {
                params.insert("threadId".into(), Value::String(id));
                self.request(Request::ThreadStart, "thread/resume", Value::Object(params))
            }
            None => self.request(Request::ThreadStart, "thread/start", Value::Object(params)),
        }
    }

    /// `turn/start` for a user message; the turn runs until Codex completes it.
    pub fn user_message(&mut self, text: &str) -> Value {
        self.turn = Some(Turn { baseline: self.tokens, ..Default::default() });
        let text = format!("{}{text}", self.settings.prompt_prefix);
        let params =
            json!({"threadId": self.thread_id.clone().unwrap_or_default(), "input": [{"type": "text", "text": text}]});
        self.request(Request::TurnStart, "turn/start", params)
    }

    /// `turn/interrupt` for the running turn; deferred until Codex has named the turn.
    pub fn interrupt(&mut self) -> Option<Value> {
        let turn = self.turn.as_mut()?;
        match turn.id.clone() {
            Some(turn_id) => Some(self.interrupt_request(turn_id)),
            None => {
                turn.interrupt_wanted = true;
                None
            }
        }
    }

    fn interrupt_request(&mut self, turn_id: String) -> Value {
        let params = json!({"threadId": self.thread_id.clone().unwrap_or_default(), "turnId": turn_id});
        self.request(Request::TurnInterrupt, "turn/interrupt", params)
    }

    /// Codex named the running turn: remember it, and send a deferred interrupt.
    fn learn_turn(&mut self, turn_id: &str) -> Vec<Action> {
        let Some(turn) = self.turn.as_mut() else { return Vec::new() };
        if turn.id.is_some() || turn_id.is_empty() {
            return Vec::new();
        }
        turn.id = Some(turn_id.to_string());
        if std::mem::take(&mut turn.interrupt_wanted) {
            return vec![Action::Write(self.interrupt_request(turn_id.to_string()))];
        }
        Vec::new()
    }

    /// The JSON-RPC response answering an approval request; None if it is not pending.
    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Option<Value> {
        let approval = self.approvals.remove(id)?;
        let decision = match reply {
            PermissionReply::Once => "accept",
            PermissionReply::Always => "acceptForSession",
            PermissionReply::Reject => "decline",
        };
        Some(json!({"id": approval.rpc_id, "result": {"decision": decision}}))
    }

    /// Convert one stdout line. Unknown or malformed input becomes `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![unparsed(LOCATION, format!("not JSON: {err}"), Value::String(line.to_string()))],
        };
        let mut out = match self.message(&value) {
            Ok(actions) => actions,
            Err(why) => vec![unparsed(LOCATION, why, value.clone())],
        };
        attach_raw(&mut out, value);
        out
    }

    fn message(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        if !v.is_object() {
            return Err("not a JSON-RPC message".into());
        }
        match (v.get("method").and_then(Value::as_str), v.get("id")) {
            (Some(method), Some(id)) => Ok(self.server_request(method, id, v)),
            (Some(method), None) => self.notification(method, params(v)),
            (None, Some(id)) => self.response(id, v),
            (None, None) => Err("neither a request, a notification nor a response".into()),
        }
    }

    fn response(&mut self, id: &Value, v: &Value) -> Result<Vec<Action>, String> {
        let kind = id
            .as_u64()
            .and_then(|n| self.requests.remove(&n))
            .ok_or_else(|| format!("response to unknown request id {id}"))?;
        let error = v.get("error").filter(|e| !e.is_null()).map(rpc_error_message);
        let result = v.get("result").unwrap_or(&Value::Null);
        let mut out = Vec::new();
        match (kind, error) {
            (Request::Initialize, Some(e)) => self.handshake = Handshake::Failed(format!("initialize failed: {e}")),
            (Request::Initialize, None) => {
                self.user_agent = result.get("userAgent").and_then(Value::as_str).map(str::to_string);
                self.handshake = Handshake::StartingThread;
                out.push(Action::Write(json!({"method": "initialized"})));
                out.push(Action::Write(self.thread_request()));
            }
            (Request::ThreadStart, Some(e)) => {
                let what = if self.settings.resume.is_some() { "thread/resume" } else { "thread/start" };
                self.handshake = Handshake::Failed(format!("{what} failed: {e}"));
            }
            (Request::ThreadStart, None) => {
                let thread = result.get("thread").unwrap_or(&Value::Null);
                let Some(id) = thread.get("id").or_else(|| result.get("threadId")).and_then(Value::as_str) else {
                    self.handshake = Handshake::Failed("the thread/start response has no thread id".into());
                    return Err("thread response without a thread id".into());
                };
                self.thread_id = Some(id.to_string());
                self.handshake = Handshake::Ready(id.to_string());
                out.push(Action::Emit(AgentOutput::NativeSessionId(id.to_string())));
                let metadata = json!({
                    "threadId": id, "model": result.get("model"), "modelProvider": result.get("modelProvider"),
                    "cwd": result.get("cwd"), "approvalPolicy": result.get("approvalPolicy"), "sandbox": result.get("sandbox"),
                    "cliVersion": thread.get("cliVersion"), "userAgent": self.user_agent,
                });
                out.extend(self.announce(metadata));
            }
            (Request::TurnStart, Some(e)) => {
                // No turn/completed will follow: end the turn here.
                if self.turn.take().is_some() {
                    let message = format!("turn/start failed: {e}");
                    out.push(event(EventData::Error(ErrorData {
                        message: message.clone(),
                        code: Some("turn_start_failed".into()),
                        details: v.get("error").cloned(),
                    })));
                    out.push(event(EventData::TurnEnded(TurnEndedData {
                        turn_id: String::new(),
                        reason: TurnEndReason::Error,
                        usage: None,
                        message: Some(message),
                    })));
                }
            }
            (Request::TurnStart, None) => {
                out.extend(self.learn_turn(str_of(result.get("turn").unwrap_or(&Value::Null), "id")))
            }
            (Request::TurnInterrupt, Some(e)) => {
                // Only worth telling while the turn still runs (otherwise it simply ended first).
                if self.turn.is_some() {
                    let message = format!("turn/interrupt failed: {e}");
                    out.push(event(EventData::Error(ErrorData {
                        message,
                        code: Some("interrupt_failed".into()),
                        details: v.get("error").cloned(),
                    })));
                }
            }
            // The turn ends with turn/completed (status interrupted).
            (Request::TurnInterrupt, None) => {}
        }
        Ok(out)
    }

    fn announce(&mut self, metadata: Value) -> Vec<Action> {
        if std::mem::replace(&mut self.announced, true) {
            return Vec::new();
        }
        vec![event(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) }))]
    }

    /// True for our thread's notifications (and for any before the thread is known).
    fn ours(&self, thread: &str) -> bool {
        thread.is_empty() || self.thread_id.as_deref().is_none_or(|t| t == thread)
    }

    /// A status item this converter invents (warnings, plans, diffs, progress).
    fn status(&mut self, label: &str, detail: Option<String>, parent: Option<String>) -> Action {
        self.status_seq += 1;
        let native = format!("codex-status:{}:{}", self.settings.nonce, self.status_seq);
        let part = ContentPart::Status { label: label.into(), detail };
        let mut done = item(ItemKind::Status, ItemRole::System, &native, vec![part], ItemStatus::Completed);
        done.parent_id = parent;
        event(completed(done))
    }

    fn notification(&mut self, method: &str, p: &Value) -> Result<Vec<Action>, String> {
        let thread = str_of(p, "threadId");
        let turn = str_of(p, "turnId");
        let ours = self.ours(thread);
        Ok(match method {
            "thread/started" => {
                let t = p.get("thread").ok_or("thread/started without thread")?;
                if self.ours(str_of(t, "id")) {
                    // Normally already announced from the thread/start response.
                    let metadata = json!({"threadId": t.get("id"), "model": t.get("model"), "modelProvider": t.get("modelProvider"),
                        "cwd": t.get("cwd"), "cliVersion": t.get("cliVersion"), "userAgent": self.user_agent});
                    self.announce(metadata)
                } else {
                    // A subagent's thread: its items are attributed through the collab tool call.
                    Vec::new()
                }
            }
            "turn/started" => {
                let id = p.pointer("/turn/id").and_then(Value::as_str).unwrap_or("");
                // The daemon records turn.started itself; subagent turns are not turns of the session.
                if ours {
                    self.learn_turn(id)
                } else {
                    Vec::new()
                }
            }
            "turn/completed" => {
                let t = p.get("turn").ok_or("turn/completed without turn")?;
                if ours {
                    self.turn_completed(t)?
                } else {
                    Vec::new() // a subagent's turn
                }
            }
            "item/started" | "item/completed" => {
                let it = p.get("item").ok_or("item notification without item")?;
                self.thread_item(it, turn, thread, method == "item/completed")?.into_iter().map(event).collect()
            }
            "item/agentMessage/delta"
            | "item/plan/delta"
            | "item/reasoning/summaryTextDelta"
            | "item/reasoning/textDelta" => {
                vec![event(delta(native_id(turn, str_of(p, "itemId")), str_of(p, "delta")))]
            }
            // Output of a running command (or of a patch, deprecated) streams into its result.
            "item/commandExecution/outputDelta" | "item/fileChange/outputDelta" => {
                let call = native_id(turn, str_of(p, "itemId"));
                let mut out = Vec::new();
                if self.results.insert(call.clone()) {
                    let open =
                        result_item(&call, str_of(p, "itemId"), String::new(), Vec::new(), ItemStatus::InProgress);
                    out.push(event(started(open)));
                }
                out.push(event(delta(result_id(&call), str_of(p, "delta"))));
                out
            }
            "item/fileChange/patchUpdated" => {
                if let Some(changes) = p.get("changes") {
                    self.changes.insert(native_id(turn, str_of(p, "itemId")), changes.clone());
                }
                Vec::new()
            }
            "item/mcpToolCall/progress" => {
                let parent = native_id(turn, str_of(p, "itemId"));
                vec![self.status(
                    "codex.mcp_progress",
                    p.get("message").and_then(Value::as_str).map(str::to_string),
                    Some(parent),
                )]
            }
            "turn/plan/updated" => {
                let mut lines: Vec<String> =
                    p.get("explanation").and_then(Value::as_str).map(str::to_string).into_iter().collect();
                for step in p.get("plan").and_then(Value::as_array).into_iter().flatten() {
                    lines.push(format!("[{}] {}", str_of(step, "status"), str_of(step, "step")));
                }
                vec![self.status("codex.plan", Some(lines.join("\n")), None)]
            }
            "turn/diff/updated" => {
                let diff = str_of(p, "diff").to_string();
                match self.turn.as_mut() {
                    // Codex repeats the same aggregated diff; show it when it changes.
                    Some(t) if ours && t.last_diff.as_deref() == Some(diff.as_str()) => Vec::new(),
                    Some(t) if ours => {
                        t.last_diff = Some(diff.clone());
                        vec![self.status("codex.turn_diff", Some(diff), None)]
                    }
                    _ => vec![self.status("codex.turn_diff", Some(diff), None)],
                }
            }
            "thread/tokenUsage/updated" => {
                if ours {
                    self.token_usage(p.get("tokenUsage").ok_or("thread/tokenUsage/updated without tokenUsage")?);
                }
                Vec::new()
            }
            "error" => self.error(p, ours),
            "warning" => vec![self.status("codex.warning", Some(str_of(p, "message").to_string()), None)],
            "configWarning" | "deprecationNotice" => {
                let label = if method == "configWarning" { "codex.config_warning" } else { "codex.deprecation_notice" };
                let mut detail = str_of(p, "summary").to_string();
                if let Some(more) = p.get("details").and_then(Value::as_str).filter(|d| !d.is_empty()) {
                    detail = format!("{detail}\n{more}");
                }
                vec![self.status(label, Some(detail), None)]
            }
            "guardianWarning" => {
                let detail = p
                    .get("message")
                    .or_else(|| p.get("summary"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| p.to_string());
                vec![self.status("codex.guardian_warning", Some(detail), None)]
            }
            "model/rerouted" => {
                let detail = format!(
                    "{} → {} ({})",
                    str_of(p, "fromModel"),
                    str_of(p, "toModel"),
                    p.get("reason").unwrap_or(&Value::Null)
                );
                vec![self.status("codex.model_rerouted", Some(detail), None)]
            }
            "serverRequest/resolved" => {
                // After our answer there is nothing left to say (the daemon resolved the request
                // when the client replied). A request still pending here was withdrawn by Codex
                // (an interrupt, a cancelled turn): resolve it as denied.
                let id = p.get("requestId").map(id_string).unwrap_or_default();
                match self.approvals.remove(&id) {
                    Some(mut approval) => {
                        approval.data.status = PermissionStatus::Denied;
                        vec![event(EventData::PermissionResolved(approval.data))]
                    }
                    None => Vec::new(),
                }
            }
            // Deliberately ignored, each for its reason:
            // - the daemon tracks the session's status, turns and pending requests itself;
            "thread/status/changed" | "item/reasoning/summaryPartAdded" => Vec::new(),
            // - account, login, rate-limit and remote-control state mean nothing to a session;
            "account/rateLimits/updated"
            | "account/updated"
            | "account/login/completed"
            | "remoteControl/status/changed" => Vec::new(),
            // - MCP server lifecycle (tool calls themselves are items);
            "mcpServer/startupStatus/updated" | "mcpServer/oauthLogin/completed" => Vec::new(),
            // - thread bookkeeping we never ask for (archive, names, goals, skills) and the deprecated
            //   compaction notice (compaction is a `contextCompaction` item);
            "thread/archived"
            | "thread/unarchived"
            | "thread/closed"
            | "thread/name/updated"
            | "thread/goal/updated"
            | "thread/goal/cleared"
            | "skills/changed"
            | "thread/compacted"
            | "model/verification" => Vec::new(),
            // - hooks, auto-review, raw response items (internal) and stdin written to a running
            //   command: no content of their own for clients;
            "hook/started"
            | "hook/completed"
            | "item/autoApprovalReview/started"
            | "item/autoApprovalReview/completed"
            | "rawResponseItem/completed"
            | "item/commandExecution/terminalInteraction" => Vec::new(),
            // - APIs this adapter never calls (command/exec, process/spawn, fuzzy search, realtime,
            //   apps, fs watches, config import, Windows sandbox).
            "command/exec/outputDelta"
            | "process/outputDelta"
            | "process/exited"
            | "fuzzyFileSearch/sessionUpdated"
            | "fuzzyFileSearch/sessionCompleted"
            | "app/list/updated"
            | "fs/changed"
            | "externalAgentConfig/import/completed"
            | "windows/worldWritableWarning"
            | "windowsSandbox/setupCompleted" => Vec::new(),
            m if m.starts_with("thread/realtime/") => Vec::new(),
            other => return Err(format!("unknown notification {other:?}")),
        })
    }

    fn token_usage(&mut self, usage: &Value) {
        let (Some(total), last) =
            (usage.get("total").and_then(Tokens::from_camel), usage.get("last").and_then(Tokens::from_camel))
        else {
            return;
        };
        if let Some(turn) = self.turn.as_mut() {
            if turn.baseline.is_none() {
                // The first report of a resumed thread: its total includes earlier turns.
                turn.baseline = Some(total.minus(last.unwrap_or(total)));
            }
            turn.usage_seen = true;
        }
        self.tokens = Some(total);
    }

    fn error(&mut self, p: &Value, ours: bool) -> Vec<Action> {
        let e = p.get("error").unwrap_or(&Value::Null);
        let message = str_of(e, "message").to_string();
        if p.get("willRetry").and_then(Value::as_bool).unwrap_or(false) {
            // A transient failure Codex retries by itself (reconnecting, stream errors).
            return vec![self.status("codex.retry", Some(message), None)];
        }
        if ours {
            if let Some(turn) = self.turn.as_mut() {
                turn.error_reported = true;
            }
        }
        vec![event(EventData::Error(error_data(e, p)))]
    }

    fn turn_completed(&mut self, t: &Value) -> Result<Vec<Action>, String> {
        let Some(turn) = self.turn.take() else {
            return Ok(Vec::new()); // a turn the daemon did not start, or already ended
        };
        // Whatever is still open belongs to a finished turn (the daemon closes its items and
        // voids its requests): forget it rather than let it accumulate.
        self.approvals.clear();
        self.calls.clear();
        self.results.clear();
        self.changes.clear();
        let status = str_of(t, "status");
        let error = t.get("error").filter(|e| !e.is_null());
        let mut out = Vec::new();
        let (reason, message) = match status {
            "completed" => (TurnEndReason::Completed, None),
            "interrupted" => (TurnEndReason::Interrupted, None),
            "failed" => {
                let message =
                    error.map(|e| str_of(e, "message").to_string()).unwrap_or_else(|| "the turn failed".into());
                if !turn.error_reported {
                    let e = error.cloned().unwrap_or_else(|| json!({"message": message}));
                    out.push(event(EventData::Error(error_data(&e, &json!({"turnId": t.get("id")})))));
                }
                (TurnEndReason::Error, Some(message))
            }
            other => {
                self.turn = Some(turn);
                return Err(format!("turn/completed with status {other:?}"));
            }
        };
        let usage = match (turn.usage_seen, self.tokens) {
            (true, Some(total)) => Some(total.minus(turn.baseline.unwrap_or_default()).usage()),
            _ => None,
        };
        let turn_id = str_of(t, "id").to_string();
        out.push(event(EventData::TurnEnded(TurnEndedData { turn_id, reason, usage, message })));
        Ok(out)
    }

    /// One `item/started` or `item/completed` ThreadItem.
    fn thread_item(&mut self, it: &Value, turn: &str, thread: &str, done: bool) -> Result<Vec<EventData>, String> {
        let id = str_of(it, "id");
        let native = native_id(turn, id);
        // A subagent's items hang under the collab tool call that spawned it.
        let parent = if self.ours(thread) { None } else { self.children.get(thread).cloned() };
        let status = if done { ItemStatus::Completed } else { ItemStatus::InProgress };
        let kind = str_of(it, "type");
        let simple = |kind: ItemKind, role: ItemRole, content: Vec<ContentPart>| {
            let mut one = item(kind, role, &native, content, status);
            one.parent_id = parent.clone();
            vec![if done { completed(one) } else { started(one) }]
        };
        let text = |s: &str| if s.is_empty() { vec![] } else { vec![ContentPart::text(s)] };
        Ok(match kind {
            // The daemon records the user's message itself (and a subagent's prompt is in the
            // collab call's arguments).
            "userMessage" => Vec::new(),
            "agentMessage" | "plan" => simple(ItemKind::Message, ItemRole::Assistant, text(str_of(it, "text"))),
            "hookPrompt" => {
                let fragments = it.get("fragments").and_then(Value::as_array).into_iter().flatten();
                let joined = fragments.map(|f| str_of(f, "text")).collect::<Vec<_>>().join("\n");
                simple(ItemKind::Message, ItemRole::System, text(&joined))
            }
            "reasoning" => {
                let parts = |key: &str, visibility: ReasoningVisibility| {
                    it.get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(move |s| ContentPart::Reasoning { text: s.into(), visibility })
                        .collect::<Vec<_>>()
                };
                let mut content = parts("summary", ReasoningVisibility::Public);
                content.extend(parts("content", ReasoningVisibility::Private));
                simple(ItemKind::Message, ItemRole::Assistant, content)
            }
            "webSearch" => {
                // One call spanning the search: the query is only known once it completes.
                let args = json!({"query": it.get("query"), "action": it.get("action")});
                let call =
                    ContentPart::ToolCall { name: "webSearch".into(), arguments: args.to_string(), call_id: id.into() };
                simple(ItemKind::ToolCall, ItemRole::Assistant, vec![call])
            }
            "imageView" => {
                let path = str_of(it, "path");
                let call = ContentPart::ToolCall {
                    name: "imageView".into(),
                    arguments: json!({"path": path}).to_string(),
                    call_id: id.into(),
                };
                simple(
                    ItemKind::ToolCall,
                    ItemRole::Assistant,
                    vec![call, ContentPart::Image { path: path.into(), mime: mime_of(path) }],
                )
            }
            "imageGeneration" => {
                let mut content = Vec::new();
                if let Some(path) = it.get("savedPath").and_then(Value::as_str) {
                    content.push(ContentPart::Image { path: path.into(), mime: mime_of(path) });
                }
                let detail = it.get("revisedPrompt").and_then(Value::as_str).map(str::to_string);
                content.push(ContentPart::Status { label: "codex.image_generation".into(), detail });
                simple(ItemKind::Message, ItemRole::Assistant, content)
            }
            "sleep" => status_part("codex.sleep", it.get("durationMs").map(|d| format!("{d} ms")), simple),
            "enteredReviewMode" => status_part("codex.review_started", Some(str_of(it, "review").to_string()), simple),
            "exitedReviewMode" => status_part("codex.review_finished", Some(str_of(it, "review").to_string()), simple),
            "contextCompaction" => status_part("codex.context_compaction", None, simple),
            "subAgentActivity" => {
                let label = format!("codex.subagent_{}", str_of(it, "kind"));
                status_part(
                    &label,
                    Some(format!("{} ({})", str_of(it, "agentPath"), str_of(it, "agentThreadId"))),
                    simple,
                )
            }
            "commandExecution" | "fileChange" | "mcpToolCall" | "dynamicToolCall" | "collabAgentToolCall" => {
                self.tool_item(kind, it, &native, parent, done)
            }
            other => return Err(format!("unknown thread item type {other:?}")),
        })
    }

    /// Tools: a complete `tool_call` item when the call starts, a `tool_result` when it ends.
    fn tool_item(
        &mut self,
        kind: &str,
        it: &Value,
        native: &str,
        parent: Option<String>,
        done: bool,
    ) -> Vec<EventData> {
        let call_id = str_of(it, "id");
        let (name, args) = match kind {
            "commandExecution" => {
                ("commandExecution".to_string(), json!({"command": it.get("command"), "cwd": it.get("cwd")}))
            }
            "fileChange" => {
                if let Some(changes) = it.get("changes").filter(|c| c.as_array().is_some_and(|a| !a.is_empty())) {
                    self.changes.insert(native.to_string(), changes.clone());
                }
                ("fileChange".to_string(), json!({"changes": self.changes.get(native)}))
            }
            "mcpToolCall" => (
                format!("{}.{}", str_of(it, "server"), str_of(it, "tool")),
                it.get("arguments").cloned().unwrap_or(json!({})),
            ),
            "dynamicToolCall" => {
                let name = match it.get("namespace").and_then(Value::as_str) {
                    Some(ns) => format!("{ns}.{}", str_of(it, "tool")),
                    None => str_of(it, "tool").to_string(),
                };
                (name, it.get("arguments").cloned().unwrap_or(json!({})))
            }
            // Subagents: spawnAgent, sendInput, resumeAgent, wait, closeAgent.
            _ => {
                for child in it
                    .get("receiverThreadIds")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    self.children.entry(child.to_string()).or_insert_with(|| native.to_string());
                }
                let args = json!({"prompt": it.get("prompt"), "receiverThreadIds": it.get("receiverThreadIds"), "model": it.get("model")});
                (str_of(it, "tool").to_string(), args)
            }
        };
        let mut out = Vec::new();
        if !self.calls.contains(native) {
            // Normally at item/started; a tool only ever seen completed gets its call here.
            out.extend(call_events(native, &name, &args, call_id, parent, Vec::new()));
            self.calls.insert(native.to_string());
        }
        if !done {
            return out;
        }
        self.calls.remove(native);
        self.results.remove(native);
        let status = str_of(it, "status");
        let mut ok = status == "completed";
        let (output, extra) = match kind {
            "commandExecution" => {
                ok &= it.get("exitCode").and_then(Value::as_i64).is_none_or(|c| c == 0);
                let extra = if status == "declined" {
                    vec![ContentPart::Status { label: "codex.declined".into(), detail: None }]
                } else {
                    Vec::new()
                };
                (str_of(it, "aggregatedOutput").to_string(), extra)
            }
            "fileChange" => {
                let changes = self.changes.remove(native).unwrap_or(Value::Null);
                let extra = match status {
                    "completed" => file_refs(&changes),
                    "declined" => vec![ContentPart::Status { label: "codex.declined".into(), detail: None }],
                    _ => Vec::new(),
                };
                (String::new(), extra)
            }
            "mcpToolCall" => {
                match (it.get("result").filter(|r| !r.is_null()), it.get("error").filter(|e| !e.is_null())) {
                    (_, Some(e)) => (str_of(e, "message").to_string(), Vec::new()),
                    (Some(r), None) => {
                        let structured = r
                            .get("structuredContent")
                            .filter(|s| !s.is_null())
                            .map(|s| ContentPart::Json { json: s.clone() });
                        (mcp_output(r), structured.into_iter().collect())
                    }
                    (None, None) => (String::new(), Vec::new()),
                }
            }
            "dynamicToolCall" => {
                ok &= it.get("success").and_then(Value::as_bool).unwrap_or(true);
                let items = it.get("contentItems").and_then(Value::as_array).cloned().unwrap_or_default();
                let text =
                    items.iter().filter_map(|c| c.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join("\n");
                (text, Vec::new())
            }
            _ => {
                let states = it.get("agentsStates").and_then(Value::as_object).cloned().unwrap_or_default();
                let lines: Vec<String> = states
                    .iter()
                    .map(|(thread, s)| match s.get("message").and_then(Value::as_str) {
                        Some(m) => format!("{thread}: {} — {m}", str_of(s, "status")),
                        None => format!("{thread}: {}", str_of(s, "status")),
                    })
                    .collect();
                (lines.join("\n"), Vec::new())
            }
        };
        let status = if ok { ItemStatus::Completed } else { ItemStatus::Failed };
        out.push(completed(result_item(native, call_id, output, extra, status)));
        out
    }

    /// A server→client request: approvals become permissions; everything else is refused.
    fn server_request(&mut self, method: &str, id: &Value, v: &Value) -> Vec<Action> {
        let p = params(v);
        let permission_id = id_string(id);
        let turn = str_of(p, "turnId");
        let item_id = str_of(p, "itemId");
        let metadata = match method {
            "item/commandExecution/requestApproval" => json!({
                "command": p.get("command"), "cwd": p.get("cwd"), "reason": p.get("reason"), "itemId": item_id, "turnId": turn,
                "threadId": p.get("threadId"), "commandActions": p.get("commandActions"), "availableDecisions": p.get("availableDecisions"),
                "proposedExecpolicyAmendment": p.get("proposedExecpolicyAmendment"), "networkApprovalContext": p.get("networkApprovalContext"),
            }),
            "item/fileChange/requestApproval" => json!({
                "reason": p.get("reason"), "grantRoot": p.get("grantRoot"), "itemId": item_id, "turnId": turn,
                "threadId": p.get("threadId"), "changes": self.changes.get(&native_id(turn, item_id)),
            }),
            _ => {
                let error = json!({"id": id, "error": {"code": -32601, "message": format!("sandbox-agent does not support {method}")}});
                if UNSUPPORTED_REQUESTS.contains(&method) {
                    let data = ErrorData {
                        message: format!("codex sent {method}, which sandbox-agent does not support; it was refused"),
                        code: Some("unsupported_request".into()),
                        details: Some(p.clone()),
                    };
                    return vec![Action::Write(error), event(EventData::Error(data))];
                }
                return vec![
                    Action::Write(error),
                    unparsed(LOCATION, format!("unknown server request {method:?}"), v.clone()),
                ];
            }
        };
        let action = if method.starts_with("item/commandExecution") { "commandExecution" } else { "fileChange" };
        let data = PermissionEventData {
            permission_id: permission_id.clone(),
            action: action.into(),
            status: PermissionStatus::Requested,
            metadata: Some(metadata),
        };
        self.approvals.insert(permission_id, Approval { rpc_id: id.clone(), data: data.clone() });
        vec![event(EventData::PermissionRequested(data))]
    }
}

/// An `error` event from a Codex TurnError (`{message, codexErrorInfo, additionalDetails}`).
fn error_data(e: &Value, context: &Value) -> ErrorData {
    let info = e.get("codexErrorInfo").filter(|i| !i.is_null());
    // codexErrorInfo is a name ("contextWindowExceeded") or a one-key object ({"httpConnectionFailed": {…}}).
    let code = info
        .and_then(|i| i.as_str().map(str::to_string).or_else(|| i.as_object().and_then(|o| o.keys().next().cloned())));
    let details = json!({"codexErrorInfo": info, "additionalDetails": e.get("additionalDetails"), "threadId": context.get("threadId"), "turnId": context.get("turnId")});
    ErrorData {
        message: str_of(e, "message").to_string(),
        code: Some(code.unwrap_or_else(|| "codex_error".into())),
        details: Some(details),
    }
}

fn status_part(
    label: &str,
    detail: Option<String>,
    simple: impl Fn(ItemKind, ItemRole, Vec<ContentPart>) -> Vec<EventData>,
) -> Vec<EventData> {
    simple(ItemKind::Status, ItemRole::System, vec![ContentPart::Status { label: label.into(), detail }])
}

pub(super) fn mime_of(path: &str) -> Option<String> {
    let ext = path.rsplit('.').next()?.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    Some(mime.into())
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
