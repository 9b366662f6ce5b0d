//! The Coder Hub's wire types, as `@agentuity/core` 2.0.21's `CoderClient` and
//! `streamCoderSessionSSE` read and write them (docs/coder-compat.md). Its schemas refuse `null`
//! where a field is optional, so every `Option` here is left out when `None`. Session objects and
//! REST participants carry ISO times; frames, entries and loop state carry epoch milliseconds.

use std::collections::BTreeMap;

use sandbox_agent_schema::{JsonObject, LoopConfig, LoopStatus, WorkflowMode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A session as the list (`sessions.websocket[]`) and the detail show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubSession {
    pub session_id: String,
    pub label: String,
    pub status: &'static str,
    pub mode: &'static str,
    pub visibility: &'static str,
    pub workflow_mode: WorkflowMode,
    pub created_at: String,
    pub last_activity_at: String,
    pub task_count: u64,
    pub sub_agent_count: u64,
    pub observer_count: u64,
    pub participant_count: u64,
    pub tags: Vec<String>,
    pub skills: Vec<HubSkill>,
    pub enabled_agents: Vec<String>,
    pub bucket: &'static str,
    pub runtime_available: bool,
    pub control_available: bool,
    pub wake_available: bool,
    pub history_only: bool,
    pub live_expected: bool,
    /// Our agent (kept by the detail's passthrough schema; the list drops it).
    pub agent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<HubRepoInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repos: Vec<HubRepoInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_status: Option<LoopStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_iteration: Option<u32>,
    /// Detail only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubSkill {
    pub skill_id: String,
    pub repo: &'static str,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubRepoInfo {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Where it was cloned in the workspace.
    pub root_path: String,
}

#[derive(Debug, Serialize)]
pub struct SessionBuckets {
    pub websocket: Vec<HubSession>,
    /// Required by the client, then discarded.
    pub sandbox: Vec<HubSession>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubList {
    pub sessions: SessionBuckets,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// `POST /hub/session`. Fields the daemon cannot honour are refused by name (see `create.rs`).
/// No `Debug` (nor on its parts): it carries env values and repo tokens.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HubCreate {
    pub task: String,
    pub label: Option<String>,
    pub agent: Option<String>,
    pub default_agent: Option<String>,
    pub visibility: Option<String>,
    pub workflow_mode: Option<WorkflowMode>,
    #[serde(rename = "loop")]
    pub loop_: Option<LoopConfig>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub enabled_agents: Vec<String>,
    #[serde(default)]
    pub saved_skill_ids: Vec<String>,
    #[serde(default)]
    pub skill_bucket_ids: Vec<String>,
    #[serde(default)]
    pub skills: Vec<HubSkillRef>,
    pub repo: Option<HubRepo>,
    #[serde(default)]
    pub repos: Vec<HubRepo>,
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    pub metadata: Option<JsonObject>,
    /// The sandbox pass-through fields (`runtime`, `resources`, `files`, …).
    #[serde(flatten)]
    pub other: JsonObject,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HubSkillRef {
    pub skill_id: String,
    pub name: Option<String>,
    pub content: Option<String>,
    pub description: Option<String>,
}

/// A repository reference; any of `cloneUrl`, `url`, `fullName` or `owner` + `name` names it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HubRepo {
    pub url: Option<String>,
    pub clone_url: Option<String>,
    pub owner: Option<String>,
    pub name: Option<String>,
    pub full_name: Option<String>,
    pub branch: Option<String>,
    #[serde(rename = "ref")]
    pub ref_: Option<String>,
    pub commit: Option<String>,
    /// A subdirectory of the repository to mount: not supported.
    pub path: Option<String>,
    /// Where in the workspace.
    pub root_path: Option<String>,
    pub token: Option<String>,
    #[serde(flatten)]
    pub other: JsonObject,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubCreated {
    pub session_id: String,
    pub status: &'static str,
    pub mode: &'static str,
    pub visibility: &'static str,
}

/// `PATCH /hub/session/{id}`: what the daemon can change; the rest is refused by name.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HubUpdate {
    pub label: Option<String>,
    pub tags: Option<Vec<String>>,
    pub metadata: Option<JsonObject>,
    pub visibility: Option<String>,
    #[serde(flatten)]
    pub other: JsonObject,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubUpdated {
    pub session_id: String,
    pub label: String,
    pub visibility: &'static str,
    pub tags: Vec<String>,
    pub skills: Vec<HubSkill>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonObject>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubLifecycle {
    pub session_id: String,
    pub status: &'static str,
}

/// `limit` and `offset` of the paged routes.
#[derive(Debug, Default, Deserialize)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    pub search: Option<String>,
    pub include_archived: Option<bool>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// One event of `…/events/history`: the same name, category and payload a stream carries.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    pub id: u64,
    pub event: String,
    pub category: &'static str,
    pub agent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    pub payload: Value,
    pub occurred_at: String,
    pub ingested_at: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub session_id: String,
    pub events: Vec<HistoryEvent>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// One entry of replay and hydration (`ConversationEntry`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub agent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_args: Option<JsonObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn_id: Option<String>,
    pub sequence: u64,
    pub timestamp: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceCounts {
    pub durable_stream: u64,
    pub session_entries: u64,
    pub event_history: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replay {
    pub session_id: String,
    pub entries_source: &'static str,
    pub source_counts: SourceCounts,
    pub entries: Vec<Entry>,
    pub total: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubParticipant {
    pub id: String,
    pub role: &'static str,
    pub transport: &'static str,
    pub connected_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disconnected_at: Option<String>,
    pub last_activity_at: String,
    pub metadata: JsonObject,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participants {
    pub session_id: String,
    pub participants: Vec<HubParticipant>,
    pub total: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubLoopState {
    pub status: LoopStatus,
    pub iteration: u32,
    pub max_iterations: u32,
    pub auto_continue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<u64>,
    pub updated_at: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HubLoop {
    pub session_id: String,
    pub workflow_mode: WorkflowMode,
    /// Present always: `null` for a session that does not loop.
    #[serde(rename = "loop")]
    pub loop_: Option<HubLoopState>,
}

/// A participant as presence frames and snapshots carry it (strict: ms times).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveParticipant {
    pub id: String,
    pub role: &'static str,
    pub transport: &'static str,
    pub subscriptions: Vec<String>,
    pub connected_at: u64,
    pub last_activity: u64,
}
