//! ACP (Agent Client Protocol: JSON-RPC 2.0 over stdio) → universal events. Pure: it builds the
//! requests the daemon sends (handshake, prompts, cancel, permission answers) and matches the
//! responses to them by id (`rpc.rs`, with the agent→client requests), turns `session/update`
//! notifications into what to emit (here; tool calls and their results in `tools.rs`) and says
//! what to write back. The process adapter that spawns a generic ACP agent
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
use serde_json::Value;

use sandbox_agent_agent_types::acp;

use crate::universal::{self, item};

#[path = "rpc.rs"]
mod rpc;
#[path = "tools.rs"]
mod tools;

pub use rpc::id_string;
pub use tools::unified_diff;
use tools::Tool;

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
    Action::Emit(universal::event(data))
}

fn unparsed(error: String, raw: Box<serde_json::value::RawValue>) -> Action {
    Action::Emit(universal::unparsed(LOCATION, error, raw))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn started(item: UniversalItem) -> Action {
    event(universal::started(item))
}

fn completed(item: UniversalItem) -> Action {
    event(universal::completed(item))
}

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

    /// Convert one stdout line. Unknown or malformed input becomes `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![unparsed(format!("not JSON: {err}"), universal::raw_text(line))],
        };
        let mut out = match self.message(&value) {
            Ok(actions) => actions,
            Err(why) => vec![unparsed(why, universal::raw_line(line))],
        };
        universal::attach_raw(universal::emitted(&mut out), universal::raw_line(line));
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
            // Extension notifications (`_vendor/...`, e.g. claude-agent-acp's `_auth/status_update`):
            // the spec says to ignore those one does not know.
            other if other.starts_with('_') => Ok(Vec::new()),
            other => Err(format!("unknown notification {other:?}")),
        }
    }

    fn replaying_id(&self) -> Option<&str> {
        self.requests.values().find_map(|r| match r {
            Request::Load(id) => Some(id.as_str()),
            _ => None,
        })
    }

    /// One `session/update`, read as the ACP schema types it (a field of the wrong shape, or an
    /// update kind the pinned schema does not know, is the caller's `agent.unparsed`).
    fn update(&mut self, u: &Value) -> Result<Vec<Action>, String> {
        use acp::SessionUpdate as U;
        let update = U::from_value(u).map_err(|e| format!("session update: {e}"))?;
        Ok(match update {
            U::AgentMessageChunk(c) => self.chunk(false, &c.content, c.message_id.map(|m| m.0))?,
            U::AgentThoughtChunk(c) => self.chunk(true, &c.content, c.message_id.map(|m| m.0))?,
            // The daemon records the user's messages itself.
            U::UserMessageChunk(_) => Vec::new(),
            // Tool calls arrive piecemeal; `tools.rs` merges their fields as sent.
            U::ToolCall(_) | U::ToolCallUpdate(_) => {
                let mut out = self.close_message();
                out.extend(self.tool_update(u)?);
                out
            }
            U::Plan(plan) => {
                let detail =
                    plan.entries.iter().map(|e| format!("[{}] {}", e.status, e.content)).collect::<Vec<_>>().join("\n");
                let mut out = self.close_message();
                out.push(self.status("acp.plan", Some(detail)));
                out
            }
            U::CurrentModeUpdate(mode) => {
                let mut out = self.close_message();
                out.push(self.status("acp.mode", Some(mode.current_mode_id.0)));
                out
            }
            // Ignored on purpose: the slash commands the agent offers, its config options, the
            // session title, the context window fill and cost (the prompt response carries the
            // turn's token usage), notices, and context compaction.
            U::AvailableCommandsUpdate(_)
            | U::ConfigOptionUpdate(_)
            | U::SessionInfoUpdate(_)
            | U::UsageUpdate(_)
            | U::Notice(_)
            | U::CompactionUpdate(_)
            | U::CompactionSummaryChunk(_) => Vec::new(),
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
    fn chunk(
        &mut self,
        thought: bool,
        content: &acp::ContentBlock,
        message_id: Option<String>,
    ) -> Result<Vec<Action>, String> {
        use acp::ContentBlock as B;
        let json = || serde_json::to_value(content).map_err(|e| e.to_string());
        let (text, part) = match content {
            B::Text(t) => (t.text.clone(), None),
            B::Image(image) => {
                let part = match &image.uri {
                    Some(uri) => ContentPart::Image { path: uri.clone(), mime: Some(image.mime_type.clone()) },
                    None => ContentPart::Json { json: json()? },
                };
                (String::new(), Some(part))
            }
            B::Audio(_) | B::Resource(_) | B::ResourceLink(_) => {
                (String::new(), Some(ContentPart::Json { json: json()? }))
            }
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
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
