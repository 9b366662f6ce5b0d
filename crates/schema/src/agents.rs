//! Agent DTOs: identity, capabilities, modes, models, install.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an agent can do through the universal API. A flag is true only where a test shows
/// the behaviour with that agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentCapabilities {
    /// A plan mode that changes how the agent acts.
    pub plan_mode: bool,
    /// `permission.requested` events that wait for a reply.
    pub permissions: bool,
    /// `question.requested` events that wait for a reply.
    pub questions: bool,
    pub tool_calls: bool,
    pub tool_results: bool,
    pub text_messages: bool,
    /// Images sent with a message reach the model; `image` content parts.
    pub images: bool,
    /// Files (other than images) sent with a message reach the agent.
    pub file_attachments: bool,
    /// `session.started` / `session.ended` from the agent.
    pub session_lifecycle: bool,
    /// `error` events.
    pub error_events: bool,
    /// `reasoning` content parts.
    pub reasoning: bool,
    /// Shell command execution shown as tool calls/results.
    pub command_execution: bool,
    /// `file_ref` parts for files the agent changed.
    pub file_changes: bool,
    pub mcp_tools: bool,
    /// Skills given at create (`skills`) are offered to the model and read by the agent.
    pub skills: bool,
    /// Text arrives in `item.delta` pieces while it is generated.
    pub streaming_deltas: bool,
    /// `status` items.
    pub status: bool,
    /// Native `item.started` events (not only synthesized ones).
    pub item_started: bool,
    /// One agent process serves several sessions.
    pub shared_process: bool,
    /// `POST /interrupt` stops the running turn and the session stays usable.
    pub interrupt: bool,
    /// The session continues after a daemon restart.
    pub resume: bool,
}

/// Where the daemon found an agent's binary, in the order it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentSource {
    /// Part of the daemon (the mock agent).
    Builtin,
    /// An explicit path: `--agent-bin ID=PATH`.
    Configured,
    /// The daemon's own install dir (`install-agent`, `POST /v1/agents/{agent}/install`).
    Installed,
    /// Found on the daemon's `PATH` (installed with npm, or baked into the image).
    Path,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentInfo {
    /// `claude`, `codex`, `opencode`, `amp`, `mock`, a built-in ACP agent (`opencode-acp`, `codex-acp`) or
    /// one defined in the daemon's agent configuration.
    pub id: String,
    /// A display name, for agents defined in configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub installed: bool,
    /// The version installed, or what the binary itself reports (`--version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where the binary was found (absent when it was not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AgentSource>,
    /// The version this daemon was tested with (what `install` installs by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_version: Option<String>,
    /// Why the binary might not behave as tested (another version than the pinned one, a
    /// configured path that is not executable). A warning, not a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    pub capabilities: AgentCapabilities,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentListResponse {
    pub agents: Vec<AgentInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentModeInfo {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentModesResponse {
    pub modes: Vec<AgentModeInfo>,
}

/// One model an agent offers, as the agent reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentModelInfo {
    /// What `CreateSessionRequest.model` takes for this model (OpenCode: `provider/model`).
    pub id: String,
    /// The agent's display name for it.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// True for the model a session gets when its request names none.
    pub default: bool,
    /// What `CreateSessionRequest.variant` takes with this model: reasoning effort levels
    /// (claude, codex) or OpenCode's variants. Empty when the model has none.
    pub variants: Vec<String>,
    /// The variant used when the request names none, where the agent says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<String>,
}

/// Response of `GET /v1/agents/{agent}/models`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentModelsResponse {
    pub models: Vec<AgentModelInfo>,
    /// The `id` of the model a session gets when it names none, where the agent says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
    /// Why the list is empty (amp: Amp's servers pick the model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Body of `POST /v1/agents/{agent}/install` (optional; `{}` or no body is fine).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentInstallRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reinstall: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}
