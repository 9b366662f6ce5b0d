//! OpenCode → universal events. Pure: it sees the server's `/event` SSE events (already
//! demultiplexed to one session and its subagent sessions) or `opencode run --format json`
//! lines, plus the daemon's input, and returns what to emit and which HTTP requests to make;
//! the session loop in `mod.rs` does the I/O. Every `opencode-serve-*` and `opencode-run-json-*`
//! transcript in `resources/transcripts/` is replayed through it in the tests below.
//!
//! Shapes (OpenCode 1.18): an SSE event is `{"id", "type", "properties"}`. Messages are
//! `message.updated {info: {id, role, sessionID, time: {created, completed?}, error?, …}}`;
//! their content comes as parts, `message.part.updated {part: {id, messageID, sessionID,
//! type, …}}`, with text streamed in between as `message.part.delta {partID, field: "text",
//! delta}`. A turn is over when the session goes `session.status {status: {type: "idle"}}` /
//! `session.idle` after having been `busy`.

use std::collections::{HashMap, HashSet};

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use crate::{AgentEvent, AgentOutput};

/// What an HTTP request to the OpenCode server is for (decides what a failure means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Prompt,
    Abort,
    PermissionReply,
    QuestionReply,
}

/// A `POST` to the OpenCode server. `path` has no query; the session loop adds
/// `?directory=` (OpenCode scopes everything to a project directory).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub kind: RequestKind,
    pub path: String,
    pub body: Option<Value>,
    /// Tried when the server answers 404 to `path` (the route of older servers).
    pub fallback: Option<(String, Value)>,
}

/// What the session loop must do.
#[derive(Debug)]
pub enum Action {
    Emit(AgentOutput),
    Request(Request),
}

/// Per-session settings that shape the requests.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// OpenCode agent (`build`, `plan`, a custom one) for each prompt.
    pub agent: Option<String>,
    /// `{providerID, modelID}` for each prompt; None lets the server's config decide.
    pub model: Option<(String, String)>,
    pub variant: Option<String>,
    /// Bypass: answer every permission request `once` without asking the client.
    pub auto_approve: bool,
}

/// A part the converter has seen.
#[derive(Debug)]
enum Part {
    /// `text` / `reasoning`: one message item, streamed.
    Text { message: String, reasoning: bool, started: bool, streamed: String, parent: Option<String>, done: bool },
    /// `tool`: a tool_call item, then a tool_result item.
    Tool { call_done: bool, result_done: bool },
}

/// The turn the daemon started with its last message.
#[derive(Debug, Default)]
struct Turn {
    /// The session went busy after our prompt (idle before that is the previous turn's).
    busy: bool,
    interrupt_requested: bool,
    /// OpenCode reported `MessageAbortedError`.
    aborted: bool,
    /// Error messages already reported in this turn (session.error and message.updated repeat them).
    errors: Vec<String>,
    usage: TokenUsage,
    steps: HashSet<String>,
}

#[derive(Debug, Default)]
pub struct Converter {
    /// The daemon session's OpenCode session id (None in `run` mode until the first line).
    root: Option<String>,
    opts: Options,
    /// `run` mode: the session id was reported.
    announced: bool,
    user_messages: HashSet<String>,
    parts: HashMap<String, Part>,
    /// Subagent session id → native id of the `task` tool part that runs it.
    subagents: HashMap<String, String>,
    /// Pending permission id → the OpenCode session that asked (for the legacy reply route).
    permissions: HashMap<String, String>,
    /// Pending question id → how many questions it holds.
    questions: HashMap<String, usize>,
    turn: Option<Turn>,
    /// Errors reported outside any turn (deduplicated too).
    loose_errors: Vec<String>,
    statuses: u64,
}

fn event(data: EventData) -> AgentOutput {
    AgentOutput::Event(AgentEvent::native(data))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn is_set(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer).is_some_and(|x| !x.is_null())
}

fn item(
    kind: ItemKind,
    role: ItemRole,
    native: &str,
    parent: Option<String>,
    content: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut item = UniversalItem::new(kind, Some(role), content);
    item.native_item_id = Some(native.to_string());
    item.parent_id = parent;
    item.status = status;
    item
}

fn started(item: UniversalItem) -> AgentOutput {
    event(EventData::ItemStarted(ItemEventData { item }))
}

fn completed(item: UniversalItem) -> AgentOutput {
    event(EventData::ItemCompleted(ItemEventData { item }))
}

fn delta(native: &str, text: &str) -> AgentOutput {
    event(EventData::ItemDelta(ItemDeltaData {
        item_id: String::new(),
        native_item_id: Some(native.to_string()),
        delta: text.to_string(),
    }))
}

fn unparsed(error: String, location: &str, raw: Value) -> Action {
    let data = AgentUnparsedData { error, location: location.into(), raw_hash: None };
    Action::Emit(AgentOutput::Event(AgentEvent {
        data: EventData::AgentUnparsed(data),
        synthetic: true,
        raw: Some(raw),
    }))
}

/// Events about the server or the project as a whole, with no session in them: nothing for
/// a session's clients. The router drops them; the converter ignores them too.
pub fn is_global_noise(event_type: &str) -> bool {
    matches!(
        event_type,
        "server.connected"
            | "server.heartbeat"
            | "server.instance.disposed"
            | "global.disposed"
            | "plugin.added"
            | "catalog.updated"
            | "reference.updated"
            | "integration.updated"
            | "installation.updated"
            | "installation.update-available"
            | "project.updated"
            | "ide.installed"
            | "storage.write"
    ) || ["lsp.", "file.", "vcs.", "mcp.", "tui.", "pty.", "workspace."].iter().any(|p| event_type.starts_with(p))
}

/// The OpenCode session an SSE event belongs to, if it names one.
pub fn session_of(event: &Value) -> Option<&str> {
    let props = event.get("properties")?;
    let ty = str_of(event, "type");
    props
        .get("sessionID")
        .or_else(|| props.pointer("/info/sessionID"))
        .or_else(|| props.pointer("/part/sessionID"))
        .or_else(|| if ty.starts_with("session.") { props.pointer("/info/id") } else { None })
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

impl Converter {
    /// A converter for the OpenCode session `root` (None in `run` mode: learnt from the output).
    pub fn new(root: Option<String>, opts: Options) -> Self {
        Converter { root, opts, ..Default::default() }
    }

    pub fn turn_active(&self) -> bool {
        self.turn.is_some()
    }

    // ----- daemon → OpenCode -----

    /// The prompt for a new turn.
    pub fn message(&mut self, text: &str) -> Request {
        self.turn = Some(Turn::default());
        let mut body = json!({"parts": [{"type": "text", "text": text}]});
        if let Some(agent) = &self.opts.agent {
            body["agent"] = json!(agent);
        }
        if let Some((provider, model)) = &self.opts.model {
            body["model"] = json!({"providerID": provider, "modelID": model});
        }
        if let Some(variant) = &self.opts.variant {
            body["variant"] = json!(variant);
        }
        Request {
            kind: RequestKind::Prompt,
            path: format!("/session/{}/prompt_async", self.root_id()),
            body: Some(body),
            fallback: None,
        }
    }

    /// Abort the running turn; OpenCode then reports `MessageAbortedError` and goes idle.
    pub fn interrupt(&mut self) -> Request {
        if let Some(turn) = &mut self.turn {
            turn.interrupt_requested = true;
        }
        Request {
            kind: RequestKind::Abort,
            path: format!("/session/{}/abort", self.root_id()),
            body: None,
            fallback: None,
        }
    }

    /// OpenCode never confirmed an abort: end the turn anyway (interrupted).
    pub fn interrupt_timed_out(&mut self) -> Vec<Action> {
        match self.turn.take() {
            Some(turn) => {
                let data = TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Interrupted,
                    usage: usage_of(&turn),
                    message: Some("OpenCode did not confirm the abort in time".into()),
                };
                vec![Action::Emit(AgentOutput::Event(AgentEvent {
                    data: EventData::TurnEnded(data),
                    synthetic: true,
                    raw: None,
                }))]
            }
            None => Vec::new(),
        }
    }

    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Request {
        let session = self.permissions.remove(id).unwrap_or_else(|| self.root_id().to_string());
        let reply = match reply {
            PermissionReply::Once => "once",
            PermissionReply::Always => "always",
            PermissionReply::Reject => "reject",
        };
        Request {
            kind: RequestKind::PermissionReply,
            path: format!("/permission/{id}/reply"),
            body: Some(json!({"reply": reply})),
            fallback: Some((format!("/session/{session}/permissions/{id}"), json!({"response": reply}))),
        }
    }

    /// Answer a question (`answers`: one array of selected labels per question) or reject it (None).
    pub fn question_reply(&mut self, id: &str, answers: Option<&[Vec<String>]>) -> Request {
        let count = self.questions.remove(id).unwrap_or(0);
        match answers {
            Some(answers) => {
                let mut answers = answers.to_vec();
                // OpenCode expects one answer per question, in order.
                while answers.len() < count {
                    answers.push(Vec::new());
                }
                Request {
                    kind: RequestKind::QuestionReply,
                    path: format!("/question/{id}/reply"),
                    body: Some(json!({"answers": answers})),
                    fallback: None,
                }
            }
            None => Request {
                kind: RequestKind::QuestionReply,
                path: format!("/question/{id}/reject"),
                body: None,
                fallback: None,
            },
        }
    }

    /// A request failed (`status` None: no HTTP answer at all).
    pub fn request_failed(&mut self, req: &Request, status: Option<u16>, detail: &str) -> Vec<Action> {
        let what = match req.kind {
            RequestKind::Abort => return Vec::new(), // the abort timeout ends the turn
            RequestKind::Prompt => "the prompt",
            RequestKind::PermissionReply => "the permission reply",
            RequestKind::QuestionReply => "the question reply",
        };
        let message = match status {
            Some(code) => format!("OpenCode rejected {what} (HTTP {code}): {detail}"),
            None => format!("could not send {what} to OpenCode: {detail}"),
        };
        let details = json!({"path": req.path, "status": status, "body": detail});
        let err = ErrorData { message: message.clone(), code: Some("opencode_http".into()), details: Some(details) };
        let mut out = vec![Action::Emit(AgentOutput::Event(AgentEvent {
            data: EventData::Error(err),
            synthetic: true,
            raw: None,
        }))];
        if req.kind == RequestKind::Prompt {
            if let Some(turn) = self.turn.take() {
                let data = TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Error,
                    usage: usage_of(&turn),
                    message: Some(message),
                };
                out.push(Action::Emit(AgentOutput::Event(AgentEvent {
                    data: EventData::TurnEnded(data),
                    synthetic: true,
                    raw: None,
                })));
            }
        }
        out
    }

    fn root_id(&self) -> &str {
        self.root.as_deref().unwrap_or("")
    }

    // ----- OpenCode → daemon -----

    /// Convert one SSE event from `GET /event`. Unknown or malformed input becomes `agent.unparsed`.
    pub fn sse(&mut self, value: &Value) -> Vec<Action> {
        let mut out = match self.sse_event(value) {
            Ok(outputs) => outputs.into_iter().map(Action::Emit).collect::<Vec<_>>(),
            Err(why) => vec![unparsed(why, "opencode /event", value.clone())],
        };
        attach_raw(&mut out, value);
        out.extend(self.auto_approve(value));
        out
    }

    /// Convert one line of `opencode run --format json`.
    pub fn run_line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => {
                return vec![unparsed(
                    format!("not JSON: {err}"),
                    "opencode run stdout",
                    Value::String(line.to_string()),
                )]
            }
        };
        let mut out = Vec::new();
        if let (false, Some(id)) = (self.announced, value.get("sessionID").and_then(Value::as_str)) {
            self.announced = true;
            self.root = Some(id.to_string());
            out.push(Action::Emit(AgentOutput::NativeSessionId(id.to_string())));
        }
        match self.run_event(&value) {
            Ok(outputs) => out.extend(outputs.into_iter().map(Action::Emit)),
            Err(why) => out.push(unparsed(why, "opencode run stdout", value.clone())),
        }
        attach_raw(&mut out, &value);
        out
    }

    fn run_event(&mut self, v: &Value) -> Result<Vec<AgentOutput>, String> {
        // `run` has no prompt from us: each process run is one turn.
        if self.turn.is_none() {
            self.turn = Some(Turn { busy: true, ..Default::default() });
        }
        match str_of(v, "type") {
            "step_start" => Ok(Vec::new()),
            "text" | "reasoning" | "tool_use" => self.part(v.get("part").ok_or("event without part")?),
            "step_finish" => {
                let part = v.get("part").ok_or("step_finish without part")?;
                self.count_step(part);
                Ok(match str_of(part, "reason") {
                    "tool-calls" => Vec::new(), // the model continues after the tool results
                    _ => self.end_turn(),
                })
            }
            "error" => {
                let mut out = self.error(v.get("error").unwrap_or(&Value::Null));
                out.extend(self.end_turn());
                Ok(out)
            }
            other => Err(format!("unknown run event {other:?}")),
        }
    }

    fn sse_event(&mut self, v: &Value) -> Result<Vec<AgentOutput>, String> {
        let ty = v.get("type").and_then(Value::as_str).ok_or("event without type")?;
        let empty = json!({});
        let props = v.get("properties").unwrap_or(&empty);
        let session = session_of(v).unwrap_or("").to_string();
        let is_root = self.root.as_deref().is_none_or(|r| r == session);
        Ok(match ty {
            "message.updated" => self.message_updated(props.get("info").ok_or("message.updated without info")?)?,
            "message.part.updated" => self.part(props.get("part").ok_or("message.part.updated without part")?)?,
            "message.part.delta" => self.part_delta(props)?,
            "session.status" => {
                let status = props.get("status").ok_or("session.status without status")?;
                match (is_root, str_of(status, "type")) {
                    // A subagent's status: its work shows as the `task` tool's items.
                    (false, "busy" | "idle" | "retry") => Vec::new(),
                    (true, "busy") => {
                        if let Some(turn) = &mut self.turn {
                            turn.busy = true;
                        }
                        Vec::new()
                    }
                    (true, "idle") => self.idle(),
                    (true, "retry") => {
                        if let Some(turn) = &mut self.turn {
                            turn.busy = true;
                        }
                        self.statuses += 1;
                        let detail = format!(
                            "attempt {}: {}",
                            status.get("attempt").unwrap_or(&Value::Null),
                            str_of(status, "message")
                        );
                        let part = ContentPart::Status { label: "opencode.retry".into(), detail: Some(detail) };
                        let native = format!("{session}:status:{}", self.statuses);
                        vec![completed(item(
                            ItemKind::Status,
                            ItemRole::System,
                            &native,
                            None,
                            vec![part],
                            ItemStatus::Completed,
                        ))]
                    }
                    (_, other) => return Err(format!("unknown session status {other:?}")),
                }
            }
            "session.idle" if is_root => self.idle(),
            "session.error" if is_root => self.error(props.get("error").unwrap_or(&Value::Null)),
            // A subagent's end or failure surfaces as the `task` tool's result.
            "session.idle" | "session.error" => Vec::new(),
            // Our own session's creation is reported as the native session id; a subagent's
            // (the `task` tool) only tells the router to send its events here too.
            "session.created" => Vec::new(),
            // Session metadata (title, cost, summaries, diffs): the daemon keeps its own.
            "session.updated" | "session.diff" | "session.deleted" | "session.compacted" => Vec::new(),
            // Reverting history removes messages; the universal log is append-only.
            "message.removed" | "message.part.removed" => Vec::new(),
            "permission.asked" | "permission.updated" => self.permission_asked(props, ty)?,
            // The daemon records permission.resolved when it forwards the reply.
            "permission.replied" => Vec::new(),
            "question.asked" => self.question_asked(props)?,
            // Likewise question.resolved.
            "question.replied" | "question.rejected" => Vec::new(),
            // The todo list also comes as the `todowrite` tool's call and result.
            "todo.updated" => Vec::new(),
            // A slash command ran; its output comes as the messages it produces.
            "command.executed" => Vec::new(),
            t if is_global_noise(t) => Vec::new(),
            other => return Err(format!("unknown event type {other:?}")),
        })
    }

    /// The parent item of a session's items: the `task` tool part for a subagent's.
    fn parent_for(&self, session: &str) -> Option<String> {
        match &self.root {
            Some(root) if root != session && !session.is_empty() => self.subagents.get(session).cloned(),
            _ => None,
        }
    }

    fn message_updated(&mut self, info: &Value) -> Result<Vec<AgentOutput>, String> {
        let id = str_of(info, "id").to_string();
        match str_of(info, "role") {
            "user" => {
                // The daemon records the user's message itself.
                self.user_messages.insert(id);
                return Ok(Vec::new());
            }
            "assistant" => {}
            other => return Err(format!("unknown message role {other:?}")),
        }
        let mut out = Vec::new();
        let session = str_of(info, "sessionID");
        // A subagent's failure surfaces as the `task` tool's failed result.
        if is_set(info, "/error") && self.root.as_deref().is_none_or(|r| r == session || session.is_empty()) {
            out.extend(self.error(&info["error"]));
        }
        if is_set(info, "/time/completed") {
            // Parts OpenCode never closed end with their message.
            let mut open: Vec<&String> = self
                .parts
                .iter()
                .filter(|(_, p)| matches!(p, Part::Text { message, started: true, done: false, .. } if *message == id))
                .map(|(k, _)| k)
                .collect();
            open.sort();
            let open: Vec<String> = open.into_iter().cloned().collect();
            for pid in open {
                if let Some(Part::Text { reasoning, streamed, parent, done, .. }) = self.parts.get_mut(&pid) {
                    *done = true;
                    let text = std::mem::take(streamed);
                    out.push(completed(text_item(&pid, *reasoning, &text, parent.clone(), ItemStatus::Completed)));
                }
            }
        }
        Ok(out)
    }

    fn part(&mut self, part: &Value) -> Result<Vec<AgentOutput>, String> {
        let id = str_of(part, "id").to_string();
        if id.is_empty() {
            return Err("part without id".into());
        }
        let message = str_of(part, "messageID").to_string();
        if self.user_messages.contains(&message) {
            return Ok(Vec::new()); // the user's own message: recorded by the daemon
        }
        let parent = self.parent_for(str_of(part, "sessionID"));
        match str_of(part, "type") {
            "text" => Ok(self.text_part(&id, message, false, part, parent)),
            "reasoning" => Ok(self.text_part(&id, message, true, part, parent)),
            "tool" => self.tool_part(&id, part, parent),
            // Step boundaries and the snapshot hash OpenCode keeps for undo: no content.
            "step-start" | "snapshot" => Ok(Vec::new()),
            "step-finish" => {
                self.count_step(part);
                Ok(Vec::new())
            }
            "file" => {
                let mime = part.get("mime").and_then(Value::as_str).map(str::to_string);
                let path = part
                    .pointer("/source/path")
                    .or_else(|| part.get("filename"))
                    .or_else(|| part.get("url"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let content = if mime.as_deref().is_some_and(|m| m.starts_with("image/")) {
                    ContentPart::Image { path, mime }
                } else {
                    ContentPart::FileRef { path, action: FileAction::Read, diff: None }
                };
                Ok(vec![completed(item(
                    ItemKind::Message,
                    ItemRole::Assistant,
                    &id,
                    parent,
                    vec![content],
                    ItemStatus::Completed,
                ))])
            }
            "patch" => {
                // The files a step changed.
                let mut content = vec![ContentPart::Status {
                    label: "opencode.patch".into(),
                    detail: part.get("hash").and_then(Value::as_str).map(str::to_string),
                }];
                for file in part.get("files").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
                {
                    content.push(ContentPart::FileRef { path: file.into(), action: FileAction::Patch, diff: None });
                }
                Ok(vec![completed(item(
                    ItemKind::Status,
                    ItemRole::System,
                    &id,
                    parent,
                    content,
                    ItemStatus::Completed,
                ))])
            }
            kind @ ("retry" | "compaction" | "agent" | "subtask") => {
                let detail = match kind {
                    "retry" => part
                        .pointer("/error/data/message")
                        .or_else(|| part.pointer("/error/name"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    "agent" => part.get("name").and_then(Value::as_str).map(str::to_string),
                    "subtask" => part.get("description").and_then(Value::as_str).map(str::to_string),
                    _ => None,
                };
                let content = vec![ContentPart::Status { label: format!("opencode.{kind}"), detail }];
                Ok(vec![completed(item(
                    ItemKind::Status,
                    ItemRole::System,
                    &id,
                    parent,
                    content,
                    ItemStatus::Completed,
                ))])
            }
            other => Err(format!("unknown part type {other:?}")),
        }
    }

    fn text_part(
        &mut self,
        id: &str,
        message: String,
        reasoning: bool,
        part: &Value,
        parent: Option<String>,
    ) -> Vec<AgentOutput> {
        let text = str_of(part, "text");
        let ended = is_set(part, "/time/end");
        let state = self.parts.entry(id.to_string()).or_insert_with(|| Part::Text {
            message,
            reasoning,
            started: false,
            streamed: String::new(),
            parent: parent.clone(),
            done: false,
        });
        let Part::Text { started: was_started, streamed, done, reasoning: is_reasoning, parent: p, .. } = state else {
            return Vec::new();
        };
        *is_reasoning = reasoning;
        if *done {
            return Vec::new();
        }
        let mut out = Vec::new();
        if !*was_started && !ended {
            *was_started = true;
            out.push(started(item(
                ItemKind::Message,
                ItemRole::Assistant,
                id,
                p.clone(),
                Vec::new(),
                ItemStatus::InProgress,
            )));
        }
        // Servers that send no `message.part.delta` grow the text in place.
        if *was_started && text.len() > streamed.len() && text.starts_with(streamed.as_str()) {
            out.push(delta(id, &text[streamed.len()..]));
            *streamed = text.to_string();
        }
        if ended {
            *done = true;
            // Done parts keep no text (a long session would otherwise hold all of it).
            let streamed = std::mem::take(streamed);
            let text = if text.is_empty() { streamed } else { text.to_string() };
            out.push(completed(text_item(id, reasoning, &text, p.clone(), ItemStatus::Completed)));
        }
        out
    }

    fn part_delta(&mut self, props: &Value) -> Result<Vec<AgentOutput>, String> {
        let id = str_of(props, "partID").to_string();
        let message = str_of(props, "messageID").to_string();
        if id.is_empty() {
            return Err("message.part.delta without partID".into());
        }
        if self.user_messages.contains(&message) {
            return Ok(Vec::new());
        }
        let field = str_of(props, "field");
        if field != "text" {
            return Err(format!("delta of unknown field {field:?}"));
        }
        let text = str_of(props, "delta");
        let parent = self.parent_for(str_of(props, "sessionID"));
        let state = self.parts.entry(id.clone()).or_insert_with(|| Part::Text {
            message,
            reasoning: false,
            // The daemon synthesizes the item.started for a delta it has no item for.
            started: true,
            streamed: String::new(),
            parent,
            done: false,
        });
        match state {
            Part::Text { streamed, done: false, .. } => {
                streamed.push_str(text);
                Ok(vec![delta(&id, text)])
            }
            Part::Text { done: true, .. } => Ok(Vec::new()),
            Part::Tool { .. } => Err("text delta for a tool part".into()),
        }
    }

    fn tool_part(&mut self, id: &str, part: &Value, parent: Option<String>) -> Result<Vec<AgentOutput>, String> {
        let tool = str_of(part, "tool").to_string();
        let call_id = part.get("callID").and_then(Value::as_str).unwrap_or(id).to_string();
        let state = part.get("state").ok_or("tool part without state")?;
        let status = str_of(state, "status");
        let input = state.get("input").cloned().unwrap_or(json!({}));
        if tool == "task" {
            // The subagent's session: its items hang under this part.
            if let Some(child) = state.pointer("/metadata/sessionId").and_then(Value::as_str) {
                self.subagents.insert(child.to_string(), id.to_string());
            }
        }
        let entry = self.parts.entry(id.to_string()).or_insert(Part::Tool { call_done: false, result_done: false });
        let Part::Tool { call_done, result_done } = entry else {
            return Err("tool update for a text part".into());
        };
        let arguments = match &input {
            Value::Object(map) if map.is_empty() => "{}".to_string(),
            other => other.to_string(),
        };
        let call = ContentPart::ToolCall { name: tool.clone(), arguments, call_id: call_id.clone() };
        let mut out = Vec::new();
        match status {
            "pending" => {
                if !*call_done {
                    out.push(started(item(
                        ItemKind::ToolCall,
                        ItemRole::Assistant,
                        id,
                        parent,
                        vec![call],
                        ItemStatus::InProgress,
                    )));
                }
            }
            "running" | "completed" | "error" => {
                if !*call_done {
                    *call_done = true;
                    out.push(completed(item(
                        ItemKind::ToolCall,
                        ItemRole::Assistant,
                        id,
                        parent,
                        vec![call],
                        ItemStatus::Completed,
                    )));
                }
                if status != "running" && !*result_done {
                    *result_done = true;
                    let failed = status == "error";
                    let output = if failed { str_of(state, "error") } else { str_of(state, "output") };
                    let mut content = vec![ContentPart::ToolResult { call_id, output: output.to_string() }];
                    if !failed {
                        content.extend(file_refs(&tool, &input, state.get("metadata").unwrap_or(&Value::Null)));
                    }
                    let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
                    let result = item(
                        ItemKind::ToolResult,
                        ItemRole::Tool,
                        &format!("{id}:result"),
                        Some(id.to_string()),
                        content,
                        status,
                    );
                    out.push(completed(result));
                }
            }
            other => return Err(format!("unknown tool state {other:?}")),
        }
        Ok(out)
    }

    fn count_step(&mut self, part: &Value) {
        let (Some(turn), Some(tokens)) = (self.turn.as_mut(), part.get("tokens")) else { return };
        if !turn.steps.insert(str_of(part, "id").to_string()) {
            return;
        }
        let add = |slot: &mut Option<u64>, v: Option<u64>| {
            if let Some(v) = v {
                *slot = Some(slot.unwrap_or(0) + v);
            }
        };
        add(&mut turn.usage.input_tokens, tokens.get("input").and_then(Value::as_u64));
        add(&mut turn.usage.output_tokens, tokens.get("output").and_then(Value::as_u64));
        add(&mut turn.usage.cached_input_tokens, tokens.pointer("/cache/read").and_then(Value::as_u64));
        add(&mut turn.usage.reasoning_tokens, tokens.get("reasoning").and_then(Value::as_u64));
    }

    /// The root session went idle: the end of our turn, once it was busy (an idle that
    /// arrives before is the previous turn's, late).
    fn idle(&mut self) -> Vec<AgentOutput> {
        match &self.turn {
            Some(t) if t.busy || t.interrupt_requested || t.aborted => self.end_turn(),
            _ => Vec::new(),
        }
    }

    fn end_turn(&mut self) -> Vec<AgentOutput> {
        let Some(turn) = self.turn.take() else { return Vec::new() };
        let (reason, message) = if turn.aborted {
            (TurnEndReason::Interrupted, None)
        } else if let Some(first) = turn.errors.first() {
            (TurnEndReason::Error, Some(first.clone()))
        } else if turn.interrupt_requested {
            (TurnEndReason::Interrupted, None)
        } else {
            (TurnEndReason::Completed, None)
        };
        vec![event(EventData::TurnEnded(TurnEndedData {
            turn_id: String::new(),
            reason,
            usage: usage_of(&turn),
            message,
        }))]
    }

    /// An OpenCode error object `{name, data: {message, …}}`.
    fn error(&mut self, err: &Value) -> Vec<AgentOutput> {
        let name = str_of(err, "name");
        if name == "MessageAbortedError" {
            if let Some(turn) = &mut self.turn {
                turn.aborted = true;
            }
            return Vec::new(); // an interruption, not a failure
        }
        let message = err
            .pointer("/data/message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| if name.is_empty() { "OpenCode reported an error".into() } else { name.to_string() });
        let seen = match &mut self.turn {
            Some(turn) => &mut turn.errors,
            None => &mut self.loose_errors,
        };
        if seen.contains(&message) {
            return Vec::new(); // session.error and message.updated report the same failure
        }
        seen.push(message.clone());
        let code = (!name.is_empty()).then(|| name.to_string());
        vec![event(EventData::Error(ErrorData { message, code, details: Some(err.clone()) }))]
    }

    fn permission_asked(&mut self, p: &Value, ty: &str) -> Result<Vec<AgentOutput>, String> {
        let id = str_of(p, "id").to_string();
        if id.is_empty() {
            return Err(format!("{ty} without id"));
        }
        // 1.x: `permission`; before 1.0 (`permission.updated`): `type`.
        let action =
            p.get("permission").or_else(|| p.get("type")).and_then(Value::as_str).unwrap_or("unknown").to_string();
        self.permissions.insert(id.clone(), str_of(p, "sessionID").to_string());
        if self.opts.auto_approve {
            return Ok(Vec::new()); // bypass: answered in `auto_approve`
        }
        let metadata = json!({
            "permission": action, "patterns": p.get("patterns").or_else(|| p.get("pattern")), "always": p.get("always"),
            "metadata": p.get("metadata"), "tool": p.get("tool"), "title": p.get("title"), "sessionID": p.get("sessionID"),
        });
        let data = PermissionEventData {
            permission_id: id,
            action,
            status: PermissionStatus::Requested,
            metadata: Some(metadata),
        };
        Ok(vec![event(EventData::PermissionRequested(data))])
    }

    fn auto_approve(&mut self, v: &Value) -> Vec<Action> {
        let ty = str_of(v, "type");
        if !self.opts.auto_approve || !matches!(ty, "permission.asked" | "permission.updated") {
            return Vec::new();
        }
        match v.pointer("/properties/id").and_then(Value::as_str) {
            Some(id) => vec![Action::Request(self.permission_reply(id, PermissionReply::Once))],
            None => Vec::new(),
        }
    }

    fn question_asked(&mut self, p: &Value) -> Result<Vec<AgentOutput>, String> {
        let id = str_of(p, "id").to_string();
        let questions = p.get("questions").and_then(Value::as_array).ok_or("question.asked without questions")?;
        let first = questions.first().ok_or("question.asked with no question")?;
        self.questions.insert(id.clone(), questions.len());
        let options = first
            .get("options")
            .and_then(Value::as_array)
            .map(|o| o.iter().map(|o| str_of(o, "label").to_string()).collect())
            .unwrap_or_default();
        let data = QuestionEventData {
            question_id: id,
            prompt: str_of(first, "question").to_string(),
            options,
            response: None,
            status: QuestionStatus::Requested,
        };
        Ok(vec![event(EventData::QuestionRequested(data))])
    }
}

fn usage_of(turn: &Turn) -> Option<TokenUsage> {
    (!turn.steps.is_empty()).then(|| turn.usage.clone())
}

fn text_item(id: &str, reasoning: bool, text: &str, parent: Option<String>, status: ItemStatus) -> UniversalItem {
    let part = if reasoning {
        ContentPart::Reasoning { text: text.to_string(), visibility: ReasoningVisibility::Public }
    } else {
        ContentPart::text(text)
    };
    item(ItemKind::Message, ItemRole::Assistant, id, parent, vec![part], status)
}

/// The native payload goes with the first event it produced.
fn attach_raw(out: &mut [Action], value: &Value) {
    if let Some(Action::Emit(AgentOutput::Event(ev))) =
        out.iter_mut().find(|a| matches!(a, Action::Emit(AgentOutput::Event(_))))
    {
        if ev.raw.is_none() {
            ev.raw = Some(value.clone());
        }
    }
}

/// File references for OpenCode's file tools, with the diff when the tool reported one.
fn file_refs(tool: &str, input: &Value, metadata: &Value) -> Vec<ContentPart> {
    let diff = metadata.get("diff").and_then(Value::as_str).filter(|d| !d.is_empty()).map(str::to_string);
    let path = input
        .get("filePath")
        .or_else(|| input.get("file_path"))
        .or_else(|| metadata.get("filepath"))
        .and_then(Value::as_str);
    match (tool, path) {
        ("read", Some(path)) => vec![ContentPart::FileRef { path: path.into(), action: FileAction::Read, diff: None }],
        ("write", Some(path)) => vec![ContentPart::FileRef { path: path.into(), action: FileAction::Write, diff }],
        ("edit" | "multiedit", Some(path)) => {
            vec![ContentPart::FileRef { path: path.into(), action: FileAction::Patch, diff }]
        }
        ("patch" | "apply_patch", _) => {
            // One reference per file the patch touched, when the tool lists them.
            let files = metadata.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
            let refs: Vec<ContentPart> = files
                .iter()
                .filter_map(|f| {
                    let path =
                        f.as_str().or_else(|| f.get("filePath").or_else(|| f.get("path")).and_then(Value::as_str))?;
                    let diff = f.get("diff").and_then(Value::as_str).map(str::to_string);
                    Some(ContentPart::FileRef { path: path.into(), action: FileAction::Patch, diff })
                })
                .collect();
            if refs.is_empty() && diff.is_some() {
                vec![ContentPart::FileRef { path: String::new(), action: FileAction::Patch, diff }]
            } else {
                refs
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
