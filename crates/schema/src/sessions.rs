//! Session DTOs.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::coder::{JsonObject, LoopConfig, RepoInfo, RepoRequest, WorkflowMode};
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
    /// Over and put away: read-only, hidden from the default list, events and workspace kept.
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
    /// MCP servers for the agent, by name, written into its own configuration (where the agent
    /// supports it: `mcpTools` in its capabilities; else 501). Their `env` and `headers` are
    /// never returned.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub mcp: std::collections::BTreeMap<String, crate::McpServer>,
    /// Skills for the agent, written as `SKILL.md` folders where it discovers them (where the
    /// agent supports it: `skills` in its capabilities; else 501).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<crate::Skill>,
    /// A task: the session prepares a fresh workspace (repos, setup) in the background, then
    /// sends this as the first message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// Default: the task's first line, trimmed to 60 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<RepoRequest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repos: Vec<RepoRequest>,
    /// Shell commands (`sh -c`), run in the workspace one after the other before the task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    /// For all of `setup` together (default 600000, ten minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_timeout_ms: Option<u64>,
    /// Up to 32 tags of 1-64 characters of `A-Z a-z 0-9 . _ : / -`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The application's own data (a JSON object of at most 64 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<JsonObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_mode: Option<WorkflowMode>,
    #[serde(default, rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_: Option<LoopConfig>,
    /// Loop limits the daemon enforces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<crate::Budget>,
    /// The report the daemon checks after each turn (`OutputContract`; see docs/coder.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub output_contract: Option<JsonObject>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionResponse {
    pub session_id: String,
    /// `idle` once the agent runs; `starting` while a task session prepares in the background.
    pub status: SessionStatus,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<JsonObject>,
    /// The repositories of the workspace (no credentials), with the commit each is at.
    #[serde(default)]
    pub repos: Vec<RepoInfo>,
    /// The names of the session's MCP servers (their commands, env and headers are not served).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mcp_servers: Vec<String>,
    /// The names of the session's skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    #[serde(default)]
    pub workflow_mode: WorkflowMode,
    #[serde(default, rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_: Option<LoopConfig>,
    /// Loop limits the daemon enforces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<crate::Budget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub output_contract: Option<JsonObject>,
    /// The workspace the daemon made for a task session (the agent works there or in its
    /// only repo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    #[serde(default)]
    pub archived: bool,
    /// Attached now (SSE).
    #[serde(default)]
    pub participant_count: u64,
    /// RFC 3339: the last message, reply, event stream attachment or change.
    #[serde(default)]
    pub last_activity_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionListResponse {
    pub sessions: Vec<SessionInfo>,
    /// Sessions matching the filters, in all pages.
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub limit: u64,
    #[serde(default)]
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct MessageRequest {
    pub message: String,
    /// Files for the agent to see with the message. Each lands in the session's workspace and
    /// reaches the agent in its own way (an image or document block, a local image, a file part).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<MessageAttachment>,
}

/// A file sent with a message: a file already in the session's reach (`path`, relative to its
/// workspace), or its bytes (`name` and `contentBase64`, written to `attachments/<name>` in the
/// workspace). `mime` defaults to one guessed from the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged, try_from = "AttachmentFields")]
pub enum MessageAttachment {
    Path {
        path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mime: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    Inline {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mime: Option<String>,
        content_base64: String,
    },
}

/// The fields of either attachment form, so a wrong mix gets a clear error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AttachmentFields {
    path: Option<String>,
    name: Option<String>,
    mime: Option<String>,
    content_base64: Option<String>,
}

impl TryFrom<AttachmentFields> for MessageAttachment {
    type Error = String;

    fn try_from(f: AttachmentFields) -> Result<Self, String> {
        match (f.path, f.name, f.content_base64) {
            (Some(path), None, None) => Ok(MessageAttachment::Path { path, mime: f.mime }),
            (None, Some(name), Some(content_base64)) => {
                Ok(MessageAttachment::Inline { name, mime: f.mime, content_base64 })
            }
            (Some(_), _, _) => Err("an attachment has either `path` or `name` and `contentBase64`, not both".into()),
            (None, None, Some(_)) => Err("an attachment with `contentBase64` needs a `name`".into()),
            (None, _, None) => Err("an attachment needs `path`, or `name` and `contentBase64`".into()),
        }
    }
}

impl From<&str> for MessageRequest {
    fn from(message: &str) -> Self {
        MessageRequest { message: message.to_string(), attachments: Vec::new() }
    }
}

impl From<String> for MessageRequest {
    fn from(message: String) -> Self {
        MessageRequest { message, attachments: Vec::new() }
    }
}

impl From<&String> for MessageRequest {
    fn from(message: &String) -> Self {
        message.as_str().into()
    }
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
    /// Only events of these types: comma-separated patterns as for `subscribe=` (`task.*`).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub type_: Option<String>,
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
    /// The name this attachment goes by among the session's participants (or the
    /// `X-Participant-Name` header).
    pub participant: Option<String>,
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
