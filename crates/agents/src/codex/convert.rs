//! Codex `app-server` JSON-RPC → universal events. Pure: it builds the requests the adapter
//! sends (handshake, turns, interrupts, approval answers, in `rpc.rs`), matches the responses to
//! them by id, and turns notifications (here) and server→client requests (`rpc.rs`) into what to
//! emit and what to write back. Thread items become universal items in `items.rs`. The process
//! loop in `mod.rs` does the I/O. Every `codex-appserver-*` transcript in `resources/transcripts/`
//! is replayed through it in the tests; `exec.rs` holds the small converter for
//! `codex exec --json`.
//!
//! Every message is first deserialized into the app-server's own types
//! (`sandbox_agent_agent_types::codex`, from `codex app-server generate-json-schema`); one that
//! does not match becomes `agent.unparsed`. The typed message drives the conversion; JSON passed on
//! verbatim (commands, tool arguments, changes, approval metadata) is taken from the message.
//!
//! Native item ids are `<turnId>:<itemId>`: Codex's item ids come from the model (`call_…`,
//! `msg_…`) and nothing promises they are unique across turns, while the daemon drops every
//! event of an item id it has already completed.

use std::collections::{HashMap, HashSet};

use sandbox_agent_agent_types::codex::{
    RequestId, ServerNotification as N, ThreadTokenUsage, TokenUsageBreakdown, Turn as CodexTurn, TurnStatus,
};
use sandbox_agent_schema::*;
use serde_json::{json, Map, Value};

use crate::universal::{attach_raw, completed, delta, emitted, event, item, raw_line, raw_text, started, unparsed};

#[path = "items.rs"]
pub(super) mod items;
#[path = "rpc.rs"]
mod rpc;

use items::{native_id, result_id, result_item};

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
    /// Codex's Plan collaboration mode for every turn (`agentMode: plan`). It is experimental, so
    /// the handshake opts into `experimentalApi`; it is what offers the model `request_user_input`.
    pub plan: bool,
    /// The session's MCP servers: the first turn waits until Codex says each has started (or
    /// failed), so their tools are there when the model is first asked.
    pub mcp_servers: Vec<String>,
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

/// Token counts as Codex reports them (`thread/tokenUsage/updated`), cumulative per thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tokens {
    input: u64,
    cached: u64,
    output: u64,
    reasoning: u64,
}

impl Tokens {
    fn from_breakdown(b: &TokenUsageBreakdown) -> Self {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Tokens {
            input: n(b.input_tokens),
            cached: n(b.cached_input_tokens),
            output: n(b.output_tokens),
            reasoning: n(b.reasoning_output_tokens),
        }
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
/// A `request_user_input` call awaiting the client's answers.
#[derive(Debug, Clone)]
struct Question {
    rpc_id: Value,
    /// Codex's ids of the call's questions, in order (answers are keyed by them).
    ids: Vec<String>,
    data: QuestionEventData,
}

#[derive(Debug, Clone)]
struct Approval {
    /// The JSON-RPC id to answer, as Codex sent it.
    rpc_id: Value,
    data: PermissionEventData,
    /// An MCP tool call's approval, asked as an elicitation (answered with an action).
    elicitation: bool,
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
    requests: HashMap<u64, rpc::Request>,
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
    /// A file change's `changes` (as Codex sent them), from its `item/started` or
    /// `item/fileChange/patchUpdated`.
    changes: HashMap<String, Value>,
    /// Subagent thread id → native id of the collab tool call that spawned it.
    children: HashMap<String, String>,
    /// Pending approvals by permission id.
    approvals: HashMap<String, Approval>,
    /// Pending `request_user_input` calls by question id.
    questions: HashMap<String, Question>,
    /// The thread's model (from `thread/start`), which a collaboration mode must name.
    model: Option<String>,
    /// Counter for the status items this converter invents.
    status_seq: u64,
    /// MCP servers Codex has not reported started (or failed) yet.
    mcp_starting: std::collections::BTreeSet<String>,
    /// A `turn/start` held until they have.
    held: Option<Value>,
}

pub(super) fn emit(data: EventData) -> Action {
    Action::Emit(event(data))
}

const LOCATION: &str = "codex app-server stdout";

impl Converter {
    pub fn new(settings: Settings) -> Self {
        let mcp_starting = settings.mcp_servers.iter().cloned().collect();
        Converter { announced: !settings.announce, settings, next_id: 1, mcp_starting, ..Default::default() }
    }

    pub fn handshake(&self) -> &Handshake {
        &self.handshake
    }

    pub fn thread_id(&self) -> Option<&str> {
        self.thread_id.as_deref()
    }

    /// Convert one stdout line. Malformed input, and messages that do not match the
    /// app-server's schema or that the converter does not handle, become `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![Action::Emit(unparsed(LOCATION, format!("not JSON: {err}"), raw_text(line)))],
        };
        let mut out = match self.message(&value) {
            Ok(actions) => actions,
            Err(why) => vec![Action::Emit(unparsed(LOCATION, why, raw_line(line)))],
        };
        attach_raw(emitted(&mut out), raw_line(line));
        out
    }

    fn message(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        if !v.is_object() {
            return Err("not a JSON-RPC message".into());
        }
        match (v.get("method").and_then(Value::as_str), v.get("id")) {
            (Some(method), Some(id)) => Ok(self.server_request(method, id, v)),
            (Some(_), None) => {
                let n = N::from_value(v).map_err(|e| format!("not an app-server notification: {e}"))?;
                self.notification(n, v)
            }
            (None, Some(id)) => self.response(id, v),
            (None, None) => Err("neither a request, a notification nor a response".into()),
        }
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
        emit(completed(done))
    }

    /// A notification, typed; `v` is the message as Codex sent it.
    fn notification(&mut self, n: N, v: &Value) -> Result<Vec<Action>, String> {
        Ok(match n {
            N::ThreadStarted(p) => {
                let t = p.thread;
                if self.ours(&t.id) {
                    // Normally already announced from the thread/start response.
                    let metadata = json!({"threadId": t.id, "model": t.model, "modelProvider": t.model_provider,
                        "cwd": t.cwd.0, "cliVersion": t.cli_version, "userAgent": self.user_agent});
                    self.announce(metadata)
                } else {
                    // A subagent's thread: its items are attributed through the collab tool call.
                    Vec::new()
                }
            }
            // The daemon records turn.started itself; subagent turns are not turns of the session.
            N::TurnStarted(p) if self.ours(&p.thread_id) => self.learn_turn(&p.turn.id),
            N::TurnStarted(_) => Vec::new(),
            N::TurnCompleted(p) if self.ours(&p.thread_id) => {
                self.turn_completed(p.turn, &v["params"]["turn"]["error"])?
            }
            N::TurnCompleted(_) => Vec::new(), // a subagent's turn
            N::ItemStarted(p) => {
                let raw = &v["params"]["item"];
                self.thread_item(p.item, raw, &p.turn_id, &p.thread_id, false)?.into_iter().map(emit).collect()
            }
            N::ItemCompleted(p) => {
                let raw = &v["params"]["item"];
                self.thread_item(p.item, raw, &p.turn_id, &p.thread_id, true)?.into_iter().map(emit).collect()
            }
            N::ItemAgentMessageDelta(p) => vec![emit(delta(native_id(&p.turn_id, &p.item_id), &p.delta))],
            N::ItemPlanDelta(p) => vec![emit(delta(native_id(&p.turn_id, &p.item_id), &p.delta))],
            N::ItemReasoningSummaryTextDelta(p) => vec![emit(delta(native_id(&p.turn_id, &p.item_id), &p.delta))],
            N::ItemReasoningTextDelta(p) => vec![emit(delta(native_id(&p.turn_id, &p.item_id), &p.delta))],
            // Output of a running command (or of a patch, deprecated) streams into its result.
            N::ItemCommandExecutionOutputDelta(p) => self.output_delta(&p.turn_id, &p.item_id, &p.delta),
            N::ItemFileChangeOutputDelta(p) => self.output_delta(&p.turn_id, &p.item_id, &p.delta),
            N::ItemFileChangePatchUpdated(p) => {
                self.changes.insert(native_id(&p.turn_id, &p.item_id), v["params"]["changes"].clone());
                Vec::new()
            }
            N::ItemMcpToolCallProgress(p) => {
                let parent = native_id(&p.turn_id, &p.item_id);
                vec![self.status("codex.mcp_progress", Some(p.message), Some(parent))]
            }
            N::TurnPlanUpdated(p) => {
                let mut lines: Vec<String> = p.explanation.into_iter().collect();
                lines.extend(p.plan.iter().map(|step| format!("[{}] {}", step.status, step.step)));
                vec![self.status("codex.plan", Some(lines.join("\n")), None)]
            }
            N::TurnDiffUpdated(p) => {
                let ours = self.ours(&p.thread_id);
                match self.turn.as_mut() {
                    // Codex repeats the same aggregated diff; show it when it changes.
                    Some(t) if ours && t.last_diff.as_deref() == Some(p.diff.as_str()) => Vec::new(),
                    Some(t) if ours => {
                        t.last_diff = Some(p.diff.clone());
                        vec![self.status("codex.turn_diff", Some(p.diff), None)]
                    }
                    _ => vec![self.status("codex.turn_diff", Some(p.diff), None)],
                }
            }
            N::ThreadTokenUsageUpdated(p) => {
                if self.ours(&p.thread_id) {
                    self.token_usage(&p.token_usage);
                }
                Vec::new()
            }
            N::Error(p) => {
                let ours = self.ours(&p.thread_id);
                self.error(p.will_retry, &v["params"], ours)
            }
            N::Warning(p) => vec![self.status("codex.warning", Some(p.message), None)],
            N::ConfigWarning(p) => vec![self.status("codex.config_warning", Some(summary(p.summary, p.details)), None)],
            N::DeprecationNotice(p) => {
                vec![self.status("codex.deprecation_notice", Some(summary(p.summary, p.details)), None)]
            }
            N::GuardianWarning(p) => vec![self.status("codex.guardian_warning", Some(p.message), None)],
            N::ModelRerouted(p) => {
                let detail = format!("{} → {} ({})", p.from_model, p.to_model, json!(p.reason));
                vec![self.status("codex.model_rerouted", Some(detail), None)]
            }
            N::ServerRequestResolved(p) => {
                // After our answer there is nothing left to say (the daemon resolved the request
                // when the client replied). A request still pending here was withdrawn by Codex
                // (an interrupt, a cancelled turn): resolve it as denied.
                let id = match p.request_id {
                    RequestId::String(s) => s,
                    RequestId::Int64(n) => n.to_string(),
                };
                if let Some(mut question) = self.questions.remove(&id) {
                    question.data.status = QuestionStatus::Rejected;
                    return Ok(vec![emit(EventData::QuestionResolved(question.data))]);
                }
                match self.approvals.remove(&id) {
                    Some(mut approval) => {
                        approval.data.status = PermissionStatus::Denied;
                        vec![emit(EventData::PermissionResolved(approval.data))]
                    }
                    None => Vec::new(),
                }
            }
            // Deliberately ignored, each for its reason:
            // - the daemon tracks the session's status, turns and pending requests itself;
            N::ThreadStatusChanged(_) | N::ItemReasoningSummaryPartAdded(_) | N::ThreadReadStateChanged(_) => {
                Vec::new()
            }
            // - account, login, rate-limit, provider-auth and remote-control state mean nothing to
            //   a session;
            N::AccountRateLimitsUpdated(_)
            | N::AccountUpdated(_)
            | N::AccountLoginCompleted(_)
            | N::AccountGatewayOAuthChanged(_)
            | N::ModelProviderAuthRecoveryStarted(_)
            | N::ModelProviderAuthRecoveryCompleted(_)
            | N::RemoteControlStatusChanged(_) => Vec::new(),
            // - MCP server lifecycle and events (tool calls themselves are items);
            N::McpServerStartupStatusUpdated(n) => self.mcp_started(&n.name, &n.status.to_string(), n.error.as_deref()),
            N::McpServerOauthLoginCompleted(_) | N::McpServerEventStreamNotification(_) => Vec::new(),
            // - thread bookkeeping we never ask for (archive, names, sections, goals, queues,
            //   projects, environments, settings, skills), the deprecated compaction notice
            //   (compaction is a `contextCompaction` item) and model checks;
            N::ThreadArchived(_)
            | N::ThreadUnarchived(_)
            | N::ThreadDeleted(_)
            | N::ThreadClosed(_)
            | N::ThreadReverted(_)
            | N::ThreadNameUpdated(_)
            | N::ThreadSectionChanged(_)
            | N::ThreadAttachmentUpdated(_)
            | N::ThreadGoalUpdated(_)
            | N::ThreadGoalCleared(_)
            | N::ThreadPredictionUpdated(_)
            | N::ThreadQueueChanged(_)
            | N::ProjectChanged(_)
            | N::ThreadProjectUpdated(_)
            | N::ThreadEnvironmentConnected(_)
            | N::ThreadEnvironmentDisconnected(_)
            | N::ThreadSettingsUpdated(_)
            | N::SkillsChanged(_)
            | N::ThreadCompacted(_)
            | N::ModelVerification(_)
            | N::ModelSafetyBufferingUpdated(_)
            | N::TurnModerationMetadata(_) => Vec::new(),
            // - hooks, auto-review, raw response items (internal) and stdin written to a running
            //   command: no content of their own for clients;
            N::HookStarted(_)
            | N::HookCompleted(_)
            | N::ItemAutoApprovalReviewStarted(_)
            | N::ItemAutoApprovalReviewCompleted(_)
            | N::AutoApprovalReviewStrictReviewRequired(_)
            | N::ItemCommandExecutionTerminalInteraction(_) => Vec::new(),
            // - APIs this adapter never calls (command/exec, process/spawn, fuzzy search, realtime,
            //   apps, fs watches, config import, Windows sandbox).
            N::CommandExecOutputDelta(_)
            | N::ProcessOutputDelta(_)
            | N::ProcessExited(_)
            | N::FuzzyFileSearchSessionUpdated(_)
            | N::FuzzyFileSearchSessionCompleted(_)
            | N::AppListUpdated(_)
            | N::FsChanged(_)
            | N::ExternalAgentConfigImportProgress(_)
            | N::ExternalAgentConfigImportCompleted(_)
            | N::WindowsWorldWritableWarning(_)
            | N::WindowsSandboxSetupCompleted(_)
            | N::ThreadRealtimeStarted(_)
            | N::ThreadRealtimeItemAdded(_)
            | N::ThreadRealtimeItemStarted(_)
            | N::ThreadRealtimeItemTranscriptDelta(_)
            | N::ThreadRealtimeItemCompleted(_)
            | N::ThreadRealtimeTranscriptDelta(_)
            | N::ThreadRealtimeTranscriptDone(_)
            | N::ThreadRealtimeOutputAudioDelta(_)
            | N::ThreadRealtimeSdp(_)
            | N::ThreadRealtimeError(_)
            | N::ThreadRealtimeClosed(_) => Vec::new(),
        })
    }

    /// Output of a running tool streams into its result item (started on the first delta).
    fn output_delta(&mut self, turn: &str, item_id: &str, text: &str) -> Vec<Action> {
        let call = native_id(turn, item_id);
        let mut out = Vec::new();
        if self.results.insert(call.clone()) {
            let open = result_item(&call, item_id, String::new(), Vec::new(), ItemStatus::InProgress);
            out.push(emit(started(open)));
        }
        out.push(emit(delta(result_id(&call), text)));
        out
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

    fn token_usage(&mut self, usage: &ThreadTokenUsage) {
        let total = Tokens::from_breakdown(&usage.total);
        let last = Tokens::from_breakdown(&usage.last);
        if let Some(turn) = self.turn.as_mut() {
            if turn.baseline.is_none() {
                // The first report of a resumed thread: its total includes earlier turns.
                turn.baseline = Some(total.minus(last));
            }
            turn.usage_seen = true;
        }
        self.tokens = Some(total);
    }

    /// An `error` notification (`params` as Codex sent it).
    fn error(&mut self, will_retry: bool, params: &Value, ours: bool) -> Vec<Action> {
        let e = &params["error"];
        if will_retry {
            // A transient failure Codex retries by itself (reconnecting, stream errors).
            let message = e.get("message").and_then(Value::as_str).unwrap_or("").to_string();
            return vec![self.status("codex.retry", Some(message), None)];
        }
        if ours {
            if let Some(turn) = self.turn.as_mut() {
                turn.error_reported = true;
            }
        }
        vec![emit(EventData::Error(error_data(e, params)))]
    }

    /// `turn/completed` of our turn (`error` as Codex sent it).
    fn turn_completed(&mut self, t: CodexTurn, error: &Value) -> Result<Vec<Action>, String> {
        let Some(turn) = self.turn.take() else {
            return Ok(Vec::new()); // a turn the daemon did not start, or already ended
        };
        // Whatever is still open belongs to a finished turn (the daemon closes its items and
        // voids its requests): forget it rather than let it accumulate.
        self.approvals.clear();
        self.questions.clear();
        self.calls.clear();
        self.results.clear();
        self.changes.clear();
        let mut out = Vec::new();
        let (reason, message) = match t.status {
            TurnStatus::Completed => (TurnEndReason::Completed, None),
            TurnStatus::Interrupted => (TurnEndReason::Interrupted, None),
            TurnStatus::Failed => {
                let message = t.error.map(|e| e.message).unwrap_or_else(|| "the turn failed".into());
                if !turn.error_reported {
                    let e = if error.is_null() { json!({"message": message}) } else { error.clone() };
                    out.push(emit(EventData::Error(error_data(&e, &json!({"turnId": t.id})))));
                }
                (TurnEndReason::Error, Some(message))
            }
            TurnStatus::InProgress => {
                self.turn = Some(turn);
                return Err("turn/completed with status \"inProgress\"".into());
            }
        };
        let usage = match (turn.usage_seen, self.tokens) {
            (true, Some(total)) => Some(total.minus(turn.baseline.unwrap_or_default()).usage()),
            _ => None,
        };
        out.push(emit(EventData::TurnEnded(TurnEndedData { turn_id: t.id, reason, usage, message })));
        Ok(out)
    }
}

/// A warning's summary, then its details on the next line.
fn summary(summary: String, details: Option<String>) -> String {
    match details.filter(|d| !d.is_empty()) {
        Some(more) => format!("{summary}\n{more}"),
        None => summary,
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
        message: e.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
        code: Some(code.unwrap_or_else(|| "codex_error".into())),
        details: Some(details),
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
