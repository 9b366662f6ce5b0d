//! OpenCode → universal events. Pure: it sees the server's `/event` SSE events (already
//! demultiplexed to one session and its subagent sessions) or `opencode run --format json`
//! lines, plus the daemon's input, and returns what to emit and which HTTP requests to make
//! (`requests.rs`); the session loop in `mod.rs` does the I/O. Message parts are converted in
//! `parts.rs`. Every `opencode-serve-*` and `opencode-run-json-*` transcript in
//! `resources/transcripts/` is replayed through it in the tests.
//!
//! Each SSE event is first deserialized into the `Event` union of the OpenAPI document the
//! pinned `opencode serve` serves (`sandbox_agent_agent_types::opencode`); an event that does not
//! match becomes `agent.unparsed`. `run --format json` lines are not in that document: their
//! envelope (`type`, `part`, `error`, `sessionID`) is read as JSON and their `part` typed.
//!
//! Shapes (OpenCode 1.18): an SSE event is `{"id", "type", "properties"}`. Messages are
//! `message.updated {info: {id, role, sessionID, time: {created, completed?}, error?, …}}`;
//! their content comes as parts, `message.part.updated {part: {id, messageID, sessionID,
//! type, …}}`, with text streamed in between as `message.part.delta {partID, field: "text",
//! delta}`. A turn is over when the session goes `session.status {status: {type: "idle"}}` /
//! `session.idle` after having been `busy`.

use std::collections::{HashMap, HashSet};

use sandbox_agent_agent_types::opencode::{Event as E, Message, Part as NativePart, SessionStatus};
use sandbox_agent_schema::*;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::universal::{self, attach_raw, raw_json, raw_line, raw_text, unparsed};
use crate::AgentOutput;

#[path = "parts.rs"]
mod parts;
#[path = "requests.rs"]
mod requests;

use parts::{part_item, text_item};
pub use requests::{Action, Options, Request, RequestKind};

/// A part the converter has seen.
#[derive(Debug)]
enum Seen {
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
    parts: HashMap<String, Seen>,
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
    universal::event(data)
}

fn started(item: UniversalItem) -> AgentOutput {
    event(universal::started(item))
}

fn completed(item: UniversalItem) -> AgentOutput {
    event(universal::completed(item))
}

fn delta(native: &str, text: &str) -> AgentOutput {
    event(universal::delta(native.to_string(), text))
}

fn usage_of(turn: &Turn) -> Option<TokenUsage> {
    (!turn.steps.is_empty()).then(|| turn.usage.clone())
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

/// The OpenCode session an SSE event belongs to, if it names one (routing, before any typing).
pub fn session_of(event: &Value) -> Option<&str> {
    let props = event.get("properties")?;
    let ty = event.get("type").and_then(Value::as_str).unwrap_or("");
    props
        .get("sessionID")
        .or_else(|| props.pointer("/info/sessionID"))
        .or_else(|| props.pointer("/part/sessionID"))
        .or_else(|| if ty.starts_with("session.") { props.pointer("/info/id") } else { None })
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn emitted(out: &mut [Action]) -> impl Iterator<Item = &mut AgentOutput> {
    out.iter_mut().filter_map(|a| match a {
        Action::Emit(o) => Some(o),
        Action::Request(_) => None,
    })
}

impl Converter {
    /// A converter for the OpenCode session `root` (None in `run` mode: learnt from the output).
    pub fn new(root: Option<String>, opts: Options) -> Self {
        Converter { root, opts, ..Default::default() }
    }

    pub fn turn_active(&self) -> bool {
        self.turn.is_some()
    }

    /// Convert one SSE event from `GET /event`. Malformed events, and events that do not
    /// match the server's `Event` schema, become `agent.unparsed`.
    pub fn sse(&mut self, value: &Value) -> Vec<Action> {
        let converted = E::from_value(value)
            .map_err(|e| format!("not an OpenCode event: {e}"))
            .and_then(|ev| self.sse_event(ev, value));
        let mut out = match converted {
            Ok(outputs) => outputs.into_iter().map(Action::Emit).collect::<Vec<_>>(),
            Err(why) => vec![Action::Emit(unparsed("opencode /event", why, raw_json(value)))],
        };
        attach_raw(emitted(&mut out), raw_json(value));
        out.extend(self.auto_approve(value));
        out
    }

    /// Convert one line of `opencode run --format json`.
    pub fn run_line(&mut self, line: &str) -> Vec<Action> {
        const LOCATION: &str = "opencode run stdout";
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![Action::Emit(unparsed(LOCATION, format!("not JSON: {err}"), raw_text(line)))],
        };
        let mut out = Vec::new();
        if let (false, Some(id)) = (self.announced, value.get("sessionID").and_then(Value::as_str)) {
            self.announced = true;
            self.root = Some(id.to_string());
            out.push(Action::Emit(AgentOutput::NativeSessionId(id.to_string())));
        }
        match self.run_event(&value) {
            Ok(outputs) => out.extend(outputs.into_iter().map(Action::Emit)),
            Err(why) => out.push(Action::Emit(unparsed(LOCATION, why, raw_line(line)))),
        }
        attach_raw(emitted(&mut out), raw_line(line));
        out
    }

    fn run_event(&mut self, v: &Value) -> Result<Vec<AgentOutput>, String> {
        // `run` has no prompt from us: each process run is one turn.
        if self.turn.is_none() {
            self.turn = Some(Turn { busy: true, ..Default::default() });
        }
        let part = || NativePart::deserialize(&v["part"]).map_err(|e| format!("not an OpenCode part: {e}"));
        match v.get("type").and_then(Value::as_str).unwrap_or("") {
            "step_start" => Ok(Vec::new()),
            "text" | "reasoning" | "tool_use" => self.part(part()?, &v["part"]),
            "step_finish" => {
                let NativePart::StepFinish { id, tokens, reason, .. } = part()? else {
                    return Err("step_finish without a step-finish part".into());
                };
                self.count_step(&id, &tokens);
                Ok(match reason.as_str() {
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

    /// One typed SSE event; `v` is the event as OpenCode sent it.
    fn sse_event(&mut self, ev: E, v: &Value) -> Result<Vec<AgentOutput>, String> {
        let session = session_of(v).unwrap_or("").to_string();
        let is_root = self.root.as_deref().is_none_or(|r| r == session);
        let props = &v["properties"];
        Ok(match ev {
            E::EventMessageUpdated(e) => self.message_updated(e.properties.info, &props["info"]),
            E::EventMessagePartUpdated(e) => self.part(e.properties.part, &props["part"])?,
            E::EventMessagePartDelta(e) => {
                let p = e.properties;
                self.part_delta(p.part_id, p.message_id, &p.session_id, &p.field, &p.delta)?
            }
            E::EventSessionStatus(e) => match (is_root, e.properties.status) {
                // A subagent's status: its work shows as the `task` tool's items.
                (false, _) => Vec::new(),
                (true, SessionStatus::Busy) => {
                    if let Some(turn) = &mut self.turn {
                        turn.busy = true;
                    }
                    Vec::new()
                }
                (true, SessionStatus::Idle) => self.idle(),
                (true, SessionStatus::Retry { attempt, message, .. }) => {
                    if let Some(turn) = &mut self.turn {
                        turn.busy = true;
                    }
                    self.statuses += 1;
                    let part = ContentPart::Status {
                        label: "opencode.retry".into(),
                        detail: Some(format!("attempt {attempt}: {message}")),
                    };
                    let native = format!("{session}:status:{}", self.statuses);
                    vec![completed(part_item(
                        ItemKind::Status,
                        ItemRole::System,
                        &native,
                        None,
                        vec![part],
                        ItemStatus::Completed,
                    ))]
                }
            },
            E::EventSessionIdle(_) if is_root => self.idle(),
            E::EventSessionError(_) if is_root => self.error(props.get("error").unwrap_or(&Value::Null)),
            // A subagent's end or failure surfaces as the `task` tool's result.
            E::EventSessionIdle(_) | E::EventSessionError(_) => Vec::new(),
            // Our own session's creation is reported as the native session id; a subagent's
            // (the `task` tool) only tells the router to send its events here too.
            E::EventSessionCreated(_) => Vec::new(),
            // Session metadata (title, cost, summaries, diffs): the daemon keeps its own.
            E::EventSessionUpdated(_)
            | E::EventSessionDiff(_)
            | E::EventSessionDeleted(_)
            | E::EventSessionCompacted(_) => Vec::new(),
            // Reverting history removes messages; the universal log is append-only.
            E::EventMessageRemoved(_) | E::EventMessagePartRemoved(_) => Vec::new(),
            E::EventPermissionAsked(e) => {
                let p = e.properties;
                self.permission_asked(p.id, p.permission, p.session_id, props)
            }
            // The daemon records permission.resolved when it forwards the reply.
            E::EventPermissionReplied(_) => Vec::new(),
            E::EventQuestionAsked(e) => {
                let p = e.properties;
                let first = p.questions.first().ok_or("question.asked with no question")?;
                let data = QuestionEventData {
                    question_id: p.id.clone(),
                    prompt: first.question.clone(),
                    options: first.options.iter().map(|o| o.label.clone()).collect(),
                    response: None,
                    status: QuestionStatus::Requested,
                    answered_by: None,
                };
                self.questions.insert(p.id, p.questions.len());
                vec![event(EventData::QuestionRequested(data))]
            }
            // Likewise question.resolved.
            E::EventQuestionReplied(_) | E::EventQuestionRejected(_) => Vec::new(),
            // The todo list also comes as the `todowrite` tool's call and result.
            E::EventTodoUpdated(_) => Vec::new(),
            // A slash command ran; its output comes as the messages it produces.
            E::EventCommandExecuted(_) => Vec::new(),
            // The `session.next.*` events and the V2 permission and question events describe the
            // same turns as the message, part, permission and question events above, for the
            // clients of OpenCode's next session API; converting both would duplicate them.
            E::EventSessionNextAgentSwitched(_)
            | E::EventSessionNextModelSwitched(_)
            | E::EventSessionNextMoved(_)
            | E::EventSessionNextPrompted(_)
            | E::EventSessionNextPromptAdmitted(_)
            | E::EventSessionNextContextUpdated(_)
            | E::EventSessionNextSynthetic(_)
            | E::EventSessionNextShellStarted(_)
            | E::EventSessionNextShellEnded(_)
            | E::EventSessionNextStepStarted(_)
            | E::EventSessionNextStepEnded(_)
            | E::EventSessionNextStepFailed(_)
            | E::EventSessionNextTextStarted(_)
            | E::EventSessionNextTextDelta(_)
            | E::EventSessionNextTextEnded(_)
            | E::EventSessionNextReasoningStarted(_)
            | E::EventSessionNextReasoningDelta(_)
            | E::EventSessionNextReasoningEnded(_)
            | E::EventSessionNextToolInputStarted(_)
            | E::EventSessionNextToolInputDelta(_)
            | E::EventSessionNextToolInputEnded(_)
            | E::EventSessionNextToolCalled(_)
            | E::EventSessionNextToolProgress(_)
            | E::EventSessionNextToolSuccess(_)
            | E::EventSessionNextToolFailed(_)
            | E::EventSessionNextRetried(_)
            | E::EventSessionNextCompactionStarted(_)
            | E::EventSessionNextCompactionDelta(_)
            | E::EventSessionNextCompactionEnded(_)
            | E::EventSessionNextRevertStaged(_)
            | E::EventSessionNextRevertCleared(_)
            | E::EventSessionNextRevertCommitted(_)
            | E::EventPermissionV2Asked(_)
            | E::EventPermissionV2Replied(_)
            | E::EventQuestionV2Asked(_)
            | E::EventQuestionV2Replied(_)
            | E::EventQuestionV2Rejected(_) => Vec::new(),
            // Server and project noise (`is_global_noise`, the router drops most of it).
            E::EventServerConnected(_)
            | E::EventServerInstanceDisposed(_)
            | E::EventGlobalDisposed(_)
            | E::EventPluginAdded(_)
            | E::EventCatalogUpdated(_)
            | E::EventModelsDevRefreshed(_)
            | E::EventReferenceUpdated(_)
            | E::EventIntegrationUpdated(_)
            | E::EventIntegrationConnectionUpdated(_)
            | E::EventInstallationUpdated(_)
            | E::EventInstallationUpdateAvailable(_)
            | E::EventProjectUpdated(_)
            | E::EventProjectDirectoriesUpdated(_)
            | E::EventLspUpdated(_)
            | E::EventFileEdited(_)
            | E::EventFileWatcherUpdated(_)
            | E::EventVcsBranchUpdated(_)
            | E::EventMcpToolsChanged(_)
            | E::EventMcpBrowserOpenFailed(_)
            | E::EventTuiPromptAppend(_)
            | E::EventTuiCommandExecute(_)
            | E::EventTuiToastShow(_)
            | E::EventTuiSessionSelect(_)
            | E::EventPtyCreated(_)
            | E::EventPtyUpdated(_)
            | E::EventPtyExited(_)
            | E::EventPtyDeleted(_)
            | E::EventWorkspaceReady(_)
            | E::EventWorkspaceFailed(_)
            | E::EventWorkspaceStatus(_)
            | E::EventWorktreeReady(_)
            | E::EventWorktreeFailed(_) => Vec::new(),
        })
    }

    /// The parent item of a session's items: the `task` tool part for a subagent's.
    fn parent_for(&self, session: &str) -> Option<String> {
        match &self.root {
            Some(root) if root != session && !session.is_empty() => self.subagents.get(session).cloned(),
            _ => None,
        }
    }

    /// `message.updated` (`raw`: the message info as OpenCode sent it).
    fn message_updated(&mut self, info: Message, raw: &Value) -> Vec<AgentOutput> {
        let (id, session, failed, done) = match info {
            Message::User { id, .. } => {
                // The daemon records the user's message itself.
                self.user_messages.insert(id);
                return Vec::new();
            }
            Message::Assistant { id, session_id, error, time, .. } => {
                (id, session_id, error.is_some(), time.completed.is_some())
            }
        };
        let mut out = Vec::new();
        // A subagent's failure surfaces as the `task` tool's failed result.
        if failed && self.root.as_deref().is_none_or(|r| r == session || session.is_empty()) {
            out.extend(self.error(&raw["error"]));
        }
        if done {
            // Parts OpenCode never closed end with their message.
            let mut open: Vec<String> = self
                .parts
                .iter()
                .filter(|(_, p)| matches!(p, Seen::Text { message, started: true, done: false, .. } if *message == id))
                .map(|(k, _)| k.clone())
                .collect();
            open.sort();
            for pid in open {
                if let Some(Seen::Text { reasoning, streamed, parent, done, .. }) = self.parts.get_mut(&pid) {
                    *done = true;
                    let text = std::mem::take(streamed);
                    out.push(completed(text_item(&pid, *reasoning, &text, parent.clone(), ItemStatus::Completed)));
                }
            }
        }
        out
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
        let ended = TurnEndedData { turn_id: String::new(), reason, usage: usage_of(&turn), message };
        vec![event(EventData::TurnEnded(ended))]
    }

    /// An OpenCode error object `{name, data: {message, …}}`, as OpenCode sent it.
    fn error(&mut self, err: &Value) -> Vec<AgentOutput> {
        let name = err.get("name").and_then(Value::as_str).unwrap_or("");
        if name == "MessageAbortedError" {
            // OpenCode reports an abort more than once (session.error and message.updated), and
            // the last may come after the next turn has started: only a turn we asked to stop
            // is the aborted one.
            if let Some(turn) = self.turn.as_mut().filter(|t| t.interrupt_requested) {
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

    /// `permission.asked` (`p`: its properties as OpenCode sent them, for the metadata).
    fn permission_asked(&mut self, id: String, action: String, session: String, p: &Value) -> Vec<AgentOutput> {
        self.permissions.insert(id.clone(), session);
        if self.opts.auto_approve {
            return Vec::new(); // bypass: answered in `auto_approve`
        }
        let metadata = json!({
            "permission": action, "patterns": p.get("patterns"), "always": p.get("always"),
            "metadata": p.get("metadata"), "tool": p.get("tool"), "title": p.get("title"), "sessionID": p.get("sessionID"),
        });
        let data = PermissionEventData {
            permission_id: id,
            action,
            status: PermissionStatus::Requested,
            metadata: Some(metadata),
            answered_by: None,
        };
        vec![event(EventData::PermissionRequested(data))]
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
