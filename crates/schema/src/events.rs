//! The universal event envelope and the data of each event type.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::items::UniversalItem;

/// One event of a session. `sequence` starts at 1, increases by one per event and is never
/// reused, not even across daemon restarts. `raw` is the agent's native payload and is only
/// filled when the client asks for it with `include_raw=true`.
///
/// `type` and `data` are a tagged pair: the JSON has `"type": "item.delta", "data": {...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UniversalEvent {
    /// `evt_<sequence>`.
    pub event_id: String,
    pub sequence: u64,
    /// RFC 3339 UTC time at which the daemon recorded the event.
    pub time: String,
    pub session_id: String,
    pub native_session_id: Option<String>,
    /// True when the daemon made the event up (then `source` is `daemon`).
    pub synthetic: bool,
    pub source: EventSource,
    #[serde(flatten)]
    pub data: EventData,
    /// The native payload, only with `include_raw=true`. Always the last field.
    #[schema(value_type = Object, nullable = true)]
    pub raw: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    Agent,
    Daemon,
}

/// The event type and its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "data")]
pub enum EventData {
    #[serde(rename = "session.started")]
    SessionStarted(SessionStartedData),
    #[serde(rename = "session.ended")]
    SessionEnded(SessionEndedData),
    #[serde(rename = "turn.started")]
    TurnStarted(TurnStartedData),
    #[serde(rename = "turn.ended")]
    TurnEnded(TurnEndedData),
    #[serde(rename = "item.started")]
    ItemStarted(ItemEventData),
    #[serde(rename = "item.delta")]
    ItemDelta(ItemDeltaData),
    #[serde(rename = "item.completed")]
    ItemCompleted(ItemEventData),
    #[serde(rename = "error")]
    Error(ErrorData),
    #[serde(rename = "permission.requested")]
    PermissionRequested(PermissionEventData),
    #[serde(rename = "permission.resolved")]
    PermissionResolved(PermissionEventData),
    #[serde(rename = "question.requested")]
    QuestionRequested(QuestionEventData),
    #[serde(rename = "question.resolved")]
    QuestionResolved(QuestionEventData),
    #[serde(rename = "agent.unparsed")]
    AgentUnparsed(AgentUnparsedData),
    #[serde(rename = "session.updated")]
    SessionUpdated(SessionUpdatedData),
    #[serde(rename = "setup.started")]
    SetupStarted(SetupStartedData),
    #[serde(rename = "setup.output")]
    SetupOutput(SetupOutputData),
    #[serde(rename = "setup.completed")]
    SetupCompleted(SetupCompletedData),
    #[serde(rename = "task.started")]
    TaskStarted(TaskStartedData),
    #[serde(rename = "task.completed")]
    TaskCompleted(TaskCompletedData),
    #[serde(rename = "task.failed")]
    TaskFailed(TaskFailedData),
    #[serde(rename = "participant.joined")]
    ParticipantJoined(ParticipantEventData),
    #[serde(rename = "participant.left")]
    ParticipantLeft(ParticipantEventData),
    #[serde(rename = "run.completed")]
    RunCompleted(RunCompletedData),
    #[serde(rename = "contract.passed")]
    ContractPassed(crate::ContractPassedData),
    #[serde(rename = "contract.failed")]
    ContractFailed(crate::ContractFailedData),
    #[serde(rename = "task.blocked")]
    TaskBlocked(crate::TaskBlockedData),
    #[serde(rename = "loop.iteration")]
    LoopIteration(crate::LoopIterationData),
    #[serde(rename = "loop.status_changed")]
    LoopStatusChanged(crate::LoopStatusChangedData),
}

/// Every event type name, in schema order.
pub const EVENT_TYPES: &[&str] = &[
    "session.started",
    "session.ended",
    "turn.started",
    "turn.ended",
    "item.started",
    "item.delta",
    "item.completed",
    "error",
    "permission.requested",
    "permission.resolved",
    "question.requested",
    "question.resolved",
    "agent.unparsed",
    "session.updated",
    "setup.started",
    "setup.output",
    "setup.completed",
    "task.started",
    "task.completed",
    "task.failed",
    "participant.joined",
    "participant.left",
    "run.completed",
    "contract.passed",
    "contract.failed",
    "task.blocked",
    "loop.iteration",
    "loop.status_changed",
];

impl EventData {
    /// The wire name of this event type (`"item.delta"` …).
    pub fn event_type(&self) -> &'static str {
        match self {
            EventData::SessionStarted(_) => "session.started",
            EventData::SessionEnded(_) => "session.ended",
            EventData::TurnStarted(_) => "turn.started",
            EventData::TurnEnded(_) => "turn.ended",
            EventData::ItemStarted(_) => "item.started",
            EventData::ItemDelta(_) => "item.delta",
            EventData::ItemCompleted(_) => "item.completed",
            EventData::Error(_) => "error",
            EventData::PermissionRequested(_) => "permission.requested",
            EventData::PermissionResolved(_) => "permission.resolved",
            EventData::QuestionRequested(_) => "question.requested",
            EventData::QuestionResolved(_) => "question.resolved",
            EventData::AgentUnparsed(_) => "agent.unparsed",
            EventData::SessionUpdated(_) => "session.updated",
            EventData::SetupStarted(_) => "setup.started",
            EventData::SetupOutput(_) => "setup.output",
            EventData::SetupCompleted(_) => "setup.completed",
            EventData::TaskStarted(_) => "task.started",
            EventData::TaskCompleted(_) => "task.completed",
            EventData::TaskFailed(_) => "task.failed",
            EventData::ParticipantJoined(_) => "participant.joined",
            EventData::ParticipantLeft(_) => "participant.left",
            EventData::RunCompleted(_) => "run.completed",
            EventData::ContractPassed(_) => "contract.passed",
            EventData::ContractFailed(_) => "contract.failed",
            EventData::TaskBlocked(_) => "task.blocked",
            EventData::LoopIteration(_) => "loop.iteration",
            EventData::LoopStatusChanged(_) => "loop.status_changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct SessionStartedData {
    #[schema(value_type = Object, nullable = true)]
    pub metadata: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionEndedData {
    pub reason: SessionEndReason,
    pub terminated_by: TerminatedBy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<StderrOutput>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionEndReason {
    Completed,
    Error,
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminatedBy {
    Agent,
    Daemon,
}

/// An excerpt of an agent's stderr, attached when it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StderrOutput {
    pub head: Option<String>,
    pub tail: Option<String>,
    pub truncated: bool,
    pub total_lines: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TurnStartedData {
    pub turn_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TurnEndedData {
    pub turn_id: String,
    pub reason: TurnEndReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<TokenUsage>,
    /// Why the turn ended abnormally (error or interruption), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TurnEndReason {
    Completed,
    Interrupted,
    Error,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct TokenUsage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cached_input_tokens: Option<u64>,
    pub reasoning_tokens: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemEventData {
    pub item: UniversalItem,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemDeltaData {
    pub item_id: String,
    pub native_item_id: Option<String>,
    pub delta: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorData {
    pub message: String,
    pub code: Option<String>,
    #[schema(value_type = Object, nullable = true)]
    pub details: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PermissionEventData {
    pub permission_id: String,
    /// What the agent wants to do (a tool name, `commandExecution`, …).
    pub action: String,
    pub status: PermissionStatus,
    #[schema(value_type = Object, nullable = true)]
    pub metadata: Option<serde_json::Value>,
    /// On `permission.resolved` by a reply: who answered (`daemon` or a participant id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionStatus {
    Requested,
    Approved,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionEventData {
    pub question_id: String,
    pub prompt: String,
    pub options: Vec<String>,
    pub response: Option<String>,
    pub status: QuestionStatus,
    /// On `question.resolved` by a reply: who answered (`daemon` or a participant id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Requested,
    Answered,
    Rejected,
}

/// Something the daemon could not parse. Always synthetic; tests treat one as a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentUnparsedData {
    pub error: String,
    pub location: String,
    pub raw_hash: Option<String>,
}

/// `PATCH /v1/sessions/{id}` changed these (only the fields it changed are present;
/// `metadata: null` means cleared).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionUpdatedData {
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, nullable = true)]
    pub metadata: Option<serde_json::Value>,
    /// `daemon` or a participant id.
    pub updated_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetupStep {
    Clone,
    Command,
}

/// A step of a task session's preparation begins: a clone (`name` is the repo's URL without
/// credentials) or a setup command (`name` is the command).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SetupStartedData {
    pub step: SetupStep,
    pub name: String,
    /// Steps are numbered from 0 across clones and commands.
    pub index: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// Output of a step, coalesced (many lines per event) and bounded per step; `truncated` says
/// output was dropped before this text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SetupOutputData {
    pub index: u32,
    pub stream: OutputStream,
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SetupCompletedData {
    pub index: u32,
    /// None when the step was killed (timeout) or could not start.
    pub exit_code: Option<i32>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaskStartedData {
    pub task: String,
    pub label: String,
}

/// The task's turn ended normally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaskCompletedData {
    pub turn_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskFailReason {
    /// A repository could not be cloned (or its branch or commit checked out).
    CloneFailed,
    /// A setup command failed or ran out of time.
    SetupFailed,
    /// The agent could not start.
    AgentFailed,
    /// The output contract's check failed (see the `contract.failed` before it).
    ContractFailed,
    /// The task's turn ended in an error or was interrupted.
    TurnFailed,
    /// The daemon stopped while the workspace was being prepared.
    Interrupted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaskFailedData {
    pub reason: TaskFailReason,
    pub message: String,
    /// The last output of the failed step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ParticipantEventData {
    pub participant: crate::coder::Participant,
}

/// A one-shot command (`POST /v1/run` with `sessionId`) ran in the session's workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RunCompletedData {
    pub command: Vec<String>,
    /// None when a signal ended it.
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub duration_ms: u64,
    /// `daemon` or a participant id.
    pub run_by: String,
}

/// How to answer a permission request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionReply {
    /// Allow this one request.
    Once,
    /// Allow this and similar requests for the rest of the session.
    Always,
    /// Deny.
    Reject,
}

impl PermissionReply {
    pub fn status(self) -> PermissionStatus {
        match self {
            PermissionReply::Once | PermissionReply::Always => PermissionStatus::Approved,
            PermissionReply::Reject => PermissionStatus::Denied,
        }
    }
}

/// True when an event type name matches a `subscribe=` pattern: `*`, an exact name, or a
/// prefix wildcard such as `item.*`.
pub fn event_type_matches(pattern: &str, event_type: &str) -> bool {
    match pattern.strip_suffix('*') {
        _ if pattern == "*" => true,
        Some(prefix) => event_type.starts_with(prefix),
        None => pattern == event_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_type_and_data_and_raw_last() {
        let ev = UniversalEvent {
            event_id: "evt_1".into(),
            sequence: 1,
            time: "2026-01-01T00:00:00Z".into(),
            session_id: "s".into(),
            native_session_id: None,
            synthetic: true,
            source: EventSource::Daemon,
            data: EventData::TurnStarted(TurnStartedData { turn_id: "t1".into() }),
            raw: None,
        };
        let json = serde_json::to_string(&ev).unwrap();
        assert!(json.contains(r#""type":"turn.started","data":{"turn_id":"t1"}"#), "{json}");
        assert!(json.ends_with(r#","raw":null}"#), "{json}");
        let back: UniversalEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ev);
    }

    #[test]
    fn every_type_name_round_trips() {
        for name in EVENT_TYPES {
            assert!(event_type_matches("*", name));
            assert!(event_type_matches(name, name));
        }
        assert!(event_type_matches("item.*", "item.delta"));
        assert!(!event_type_matches("item.*", "turn.ended"));
        assert!(!event_type_matches("item.delta", "item.deltas"));
    }
}
