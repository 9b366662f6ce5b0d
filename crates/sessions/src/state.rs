//! A session's three shapes: what it was created with ([`SessionSettings`], fixed for its life),
//! what changes while it lives ([`SessionState`], written by its actor only), and what is stored
//! ([`SessionRecord`], both together). The HTTP view, `SessionInfo`, is built from them in one
//! place ([`crate::SessionHandle::info`]), so a new field of one shape does not change the others.

use std::collections::BTreeMap;

use sandbox_agent_schema::{
    JsonObject, LoopConfig, Participant, PermissionEventData, QuestionEventData, RepoInfo, SessionEndedData,
    SessionInfo, SessionStatus, WorkflowMode,
};
use sandbox_agent_store::{Document, SessionIndex};
use serde::{Deserialize, Serialize};

use crate::coder::tokens::TokenRecord;

use crate::SessionError;

/// What a session was created with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSettings {
    pub session_id: String,
    pub agent: String,
    pub agent_mode: String,
    pub permission_mode: String,
    pub model: Option<String>,
    pub variant: Option<String>,
    /// The agent's working directory.
    pub directory: String,
    pub created_at: String,
    /// The agent's extra environment (from the create request): stored so a resumed agent gets
    /// it again, never served.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// MCP servers for the agent (from the create request): their env and headers are secrets
    /// like `env`; only the names are served.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mcp: BTreeMap<String, sandbox_agent_schema::McpServer>,
    /// Skills for the agent (from the create request); only the names are served.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<sandbox_agent_schema::Skill>,
    /// The task sent as the first message, once the workspace is ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The workspace the daemon made (clones and setup run there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    /// Setup commands, run once at creation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    #[serde(default)]
    pub workflow_mode: WorkflowMode,
    #[serde(default, rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_: Option<LoopConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<sandbox_agent_schema::Budget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_contract: Option<JsonObject>,
}

/// What changes while a session lives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    pub status: SessionStatus,
    pub native_session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<SessionEndedData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_turn_id: Option<String>,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub pending_permissions: Vec<PermissionEventData>,
    #[serde(default)]
    pub pending_questions: Vec<QuestionEventData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonObject>,
    /// The workspace's repositories (commits filled in as they are cloned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repos: Vec<RepoInfo>,
    /// The workspace is being prepared (clones, setup): the agent has not started yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preparing: bool,
    /// The turn that carries the task, until it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_turn_id: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    /// Session tokens, hashed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<TokenRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<String>,
    /// The last check of the output contract, and how many have run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_result: Option<sandbox_agent_schema::SessionResult>,
    /// The files kept in the store for this session (their bytes are there, not here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<sandbox_agent_schema::Artifact>,
    /// Output tokens reported by the agent over the session's turns (for `budget`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub output_tokens: u64,
    /// Loop mode's state (None: the session does not loop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loop_state: Option<sandbox_agent_schema::LoopState>,
}

impl SessionState {
    /// A new session's state: `starting`, nothing else yet.
    pub fn new(now: String) -> Self {
        SessionState {
            status: SessionStatus::Starting,
            native_session_id: None,
            end: None,
            current_turn_id: None,
            updated_at: now,
            title: None,
            pending_permissions: Vec::new(),
            pending_questions: Vec::new(),
            label: None,
            tags: Vec::new(),
            metadata: None,
            repos: Vec::new(),
            preparing: false,
            task_turn_id: None,
            archived: false,
            participants: Vec::new(),
            tokens: Vec::new(),
            last_activity_at: None,
            contract_result: None,
            artifacts: Vec::new(),
            output_tokens: 0,
            loop_state: None,
        }
    }
}

impl SessionRecord {
    pub fn document(&self) -> Document {
        RecordRef { settings: &self.settings, state: &self.state }.document()
    }
}

/// The stored document of a session (the same JSON object as before the split: the fields of
/// both halves side by side, camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    #[serde(flatten)]
    pub settings: SessionSettings,
    #[serde(flatten)]
    pub state: SessionState,
}

/// A record serialized without cloning either half.
#[derive(Serialize)]
pub(crate) struct RecordRef<'a> {
    #[serde(flatten)]
    pub settings: &'a SessionSettings,
    #[serde(flatten)]
    pub state: &'a SessionState,
}

impl RecordRef<'_> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("session record serializes")
    }

    /// The document with what sessions are listed by.
    pub fn document(&self) -> Document {
        Document::new(self.to_json(), index(self.settings, self.state))
    }
}

fn index(settings: &SessionSettings, state: &SessionState) -> SessionIndex {
    let label = state.label.clone();
    let search = [label.as_deref(), settings.task.as_deref()].into_iter().flatten().collect::<Vec<_>>().join("\n");
    SessionIndex {
        status: state.status.as_str().to_string(),
        agent: settings.agent.clone(),
        label,
        search: search.to_lowercase(),
        tags: state.tags.clone(),
        archived: state.archived,
    }
}

/// The HTTP view of a session.
pub(crate) fn view(settings: &SessionSettings, state: &SessionState, event_count: u64) -> SessionInfo {
    SessionInfo {
        session_id: settings.session_id.clone(),
        agent: settings.agent.clone(),
        agent_mode: settings.agent_mode.clone(),
        permission_mode: settings.permission_mode.clone(),
        model: settings.model.clone(),
        variant: settings.variant.clone(),
        native_session_id: state.native_session_id.clone(),
        status: state.status,
        ended: matches!(state.status, SessionStatus::Ended | SessionStatus::Archived),
        end: state.end.clone(),
        current_turn_id: state.current_turn_id.clone(),
        event_count,
        created_at: settings.created_at.clone(),
        updated_at: state.updated_at.clone(),
        directory: settings.directory.clone(),
        title: state.title.clone(),
        pending_permissions: state.pending_permissions.clone(),
        pending_questions: state.pending_questions.clone(),
        task: settings.task.clone(),
        label: state.label.clone(),
        tags: state.tags.clone(),
        metadata: state.metadata.clone(),
        repos: state.repos.clone(),
        mcp_servers: settings.mcp.keys().cloned().collect(),
        skills: settings.skills.iter().map(|s| s.name.clone()).collect(),
        workflow_mode: settings.workflow_mode,
        loop_: settings.loop_.clone(),
        budget: settings.budget.clone(),
        output_contract: settings.output_contract.clone(),
        workspace: settings.workspace.clone(),
        archived: state.archived,
        participant_count: state
            .participants
            .iter()
            .filter(|p| p.transport.attached() && p.disconnected_at.is_none())
            .count() as u64,
        last_activity_at: state.last_activity_at.clone().unwrap_or_else(|| state.updated_at.clone()),
    }
}

/// Session ids travel in URL paths: 1–128 characters of `[A-Za-z0-9._-]`, not `.` or `..`.
pub fn validate_session_id(id: &str) -> Result<(), SessionError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id != "."
        && id != ".."
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then_some(()).ok_or(SessionError::InvalidId)
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Documents written before the split (a `SessionInfo` flattened with `env`) still load.
    #[test]
    fn records_of_the_previous_layout_load() {
        let old = r#"{"sessionId":"s1","agent":"mock","agentMode":"build","permissionMode":"default","model":null,
            "variant":null,"nativeSessionId":"n1","status":"paused","ended":false,"eventCount":7,
            "createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:01.000Z","directory":"/w",
            "title":"t","pendingPermissions":[],"pendingQuestions":[],"env":{"K":"V"}}"#;
        let record: SessionRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.settings.session_id, "s1");
        assert_eq!(record.settings.env.get("K").map(String::as_str), Some("V"));
        assert_eq!(record.state.status, SessionStatus::Paused);
        assert_eq!(record.state.native_session_id.as_deref(), Some("n1"));
        assert_eq!(record.state.title.as_deref(), Some("t"));
        let again: SessionRecord =
            serde_json::from_str(&RecordRef { settings: &record.settings, state: &record.state }.to_json()).unwrap();
        assert_eq!(again.state.updated_at, record.state.updated_at);
        let info = view(&again.settings, &again.state, 7);
        assert_eq!((info.event_count, info.ended, info.directory.as_str()), (7, false, "/w"));
    }

    #[test]
    fn session_ids() {
        for good in ["a", "ses_1", "A.b-c_9", &"x".repeat(128)] {
            assert!(validate_session_id(good).is_ok(), "{good}");
        }
        for bad in ["", ".", "..", "a/b", "a b", "é", &"x".repeat(129)] {
            assert!(validate_session_id(bad).is_err(), "{bad}");
        }
    }
}
