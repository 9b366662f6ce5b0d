//! Session DTOs.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::events::{PermissionEventData, PermissionReply, QuestionEventData, SessionEndedData, UniversalEvent};

/// Lifecycle of a session: `starting → idle ⇄ running → (paused) → ended`, plus `archived`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// The agent is being started.
    Starting,
    /// Ready for a message.
    Idle,
    /// A turn is in progress.
    Running,
    /// The agent process is gone (daemon restart, crash); the next message resumes it.
    Paused,
    /// Over for good; no more messages.
    Ended,
    Archived,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Starting => "starting",
            SessionStatus::Idle => "idle",
            SessionStatus::Running => "running",
            SessionStatus::Paused => "paused",
            SessionStatus::Ended => "ended",
            SessionStatus::Archived => "archived",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionRequest {
    /// `claude`, `codex`, `opencode`, `amp` or `mock`.
    pub agent: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    /// Working directory of the agent (absolute). Default: a fresh directory under the data dir.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Extra environment for the agent process (provider base URLs, keys, …). Kept with the
    /// session so a resumed agent gets it again; never returned by the API.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub env: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionResponse {
    pub session_id: String,
    pub healthy: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_session_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub session_id: String,
    pub agent: String,
    pub agent_mode: String,
    pub permission_mode: String,
    pub model: Option<String>,
    pub variant: Option<String>,
    pub native_session_id: Option<String>,
    pub status: SessionStatus,
    /// True once the session is over (`status` is `ended`).
    pub ended: bool,
    /// How it ended, when it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<SessionEndedData>,
    /// The turn in progress, while `status` is `running`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_turn_id: Option<String>,
    /// Number of events; equal to the last sequence.
    pub event_count: u64,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    pub directory: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Permission requests waiting for a reply.
    pub pending_permissions: Vec<PermissionEventData>,
    /// Questions waiting for an answer.
    pub pending_questions: Vec<QuestionEventData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionListResponse {
    pub sessions: Vec<SessionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MessageRequest {
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Return events with `sequence > offset` (default 0).
    pub offset: Option<u64>,
    /// At most this many events (default and maximum 10000).
    pub limit: Option<u64>,
    /// Include the agent's native payload in `raw`.
    #[serde(alias = "includeRaw")]
    pub include_raw: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SseQuery {
    /// Start after this sequence. `Last-Event-ID` wins when both are given.
    pub offset: Option<u64>,
    #[serde(alias = "includeRaw")]
    pub include_raw: Option<bool>,
    /// Comma-separated event type patterns: `*`, exact names, or prefixes like `item.*`.
    pub subscribe: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TurnStreamQuery {
    #[serde(alias = "includeRaw")]
    pub include_raw: Option<bool>,
    /// Same as for `/events/sse`.
    pub subscribe: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventsResponse {
    pub events: Vec<UniversalEvent>,
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionReplyRequest {
    /// One array of selected option labels per question.
    pub answers: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PermissionReplyRequest {
    pub reply: PermissionReply,
}
