//! Coder sessions: a task in a fresh workspace with repos and setup, tags and metadata,
//! participants with scoped tokens, and the transcript. Field names follow the managed
//! coder-session service's (`task`, `label`, `repos`, `workflowMode`, `participantCount` …) so a
//! compatibility surface for its client is a thin mapping.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

pub type JsonObject = serde_json::Map<String, serde_json::Value>;

/// A repository to clone into the session's workspace.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RepoRequest {
    /// `https://…`, `http://…`, `file://…` or a local path.
    pub url: String,
    /// Branch (or tag) to check out; default: the remote's default branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// A commit to pin (a SHA or anything `git rev-parse` resolves after the clone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Where in the workspace (relative, no `..`); default: the repository's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Credentials for the clone only: used, then dropped (never stored or returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<RepoAuth>,
}

/// Written by hand so a token never reaches a log through `{:?}`.
impl std::fmt::Debug for RepoRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoRequest")
            .field("url", &self.url)
            .field("branch", &self.branch)
            .field("commit", &self.commit)
            .field("path", &self.path)
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RepoAuth {
    /// A token for HTTP(S) clones (sent as the password of a git credential).
    pub token: String,
}

/// A repository of a session as it was cloned: no credentials, the commit it is at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RepoInfo {
    /// The URL without any user or password in it.
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The resolved commit SHA, once cloned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Relative to the workspace.
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowMode {
    #[default]
    Standard,
    /// Iterate until the output contract holds (acted on by the verifier).
    Loop,
}

/// Loop mode: after each check of the output contract the daemon continues the task until the
/// contract holds, it is blocked, or the iterations run out.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoopConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Default 5, at most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<u32>,
    /// Default true: the daemon sends the continuation; false: it waits for a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_continue: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_detached: Option<bool>,
}

/// Limits the daemon enforces on a loop: past one, the loop ends `blocked` with
/// `budget_exhausted` and which one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Budget {
    /// Turns of the loop (its iterations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_turns: Option<u32>,
    /// Time since the loop started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wall_ms: Option<u64>,
    /// Output tokens the agent reported over the loop's turns (`turn.ended` usage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u64>,
}

/// `GET /v1/sessions` filters and paging (`tag` may be repeated: all must match).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct SessionListQuery {
    /// Repeatable; every tag must be on the session.
    pub tag: Option<Vec<String>>,
    /// Exactly this label.
    pub label: Option<String>,
    /// `starting`, `idle`, `running`, `paused`, `ended` or `archived`.
    pub status: Option<String>,
    pub agent: Option<String>,
    /// Case-insensitive substring of the label or the task.
    pub search: Option<String>,
    /// Include archived sessions (default false).
    pub include_archived: Option<bool>,
    /// Default 50, at most 500.
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `PATCH /v1/sessions/{id}`: only these app-level fields; anything else is a 422.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateSessionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Replaces the tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Replaces the metadata; `null` clears it.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<JsonObject>>,
}

/// `Some(None)` for an explicit `null`, `None` for an absent field.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What archive and resume answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatusResponse {
    pub session_id: String,
    pub status: crate::SessionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// Reads the session: record, events, transcript, participants, SSE.
    Observer,
    /// Also drives it: messages, interrupts, answers to questions and permissions.
    Controller,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantTransport {
    /// An SSE attachment.
    Sse,
    /// A WebSocket attachment (the Coder Hub surface's `/api/ws`).
    Ws,
    /// The holder of a session token (over HTTP).
    Token,
}

impl ParticipantTransport {
    /// An attachment (a stream), not a token holder.
    pub fn attached(self) -> bool {
        matches!(self, ParticipantTransport::Sse | ParticipantTransport::Ws)
    }
}

/// Someone who is or was attached to a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// `par_…`.
    pub id: String,
    pub name: String,
    pub role: ParticipantRole,
    pub transport: ParticipantTransport,
    /// Whose credentials: `daemon`, or the id of the token's participant.
    pub principal: String,
    pub connected_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnected_at: Option<String>,
    pub last_activity_at: String,
    /// For a token: when it stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantsResponse {
    pub session_id: String,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    /// Who it is for (shown in participants and audit trails).
    pub name: String,
    pub role: ParticipantRole,
    /// Default 86400 (a day); at most 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<u64>,
}

/// The token is shown once, here; the daemon keeps only its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub token: String,
    pub participant_id: String,
    pub role: ParticipantRole,
    pub expires_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TranscriptEntryType {
    UserPrompt,
    Message,
    Thinking,
    ToolCall,
    ToolResult,
    FileChange,
    Status,
    Error,
    /// The end of a turn (`text` is how it ended).
    Turn,
}

/// One finished piece of the conversation, derived from the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptEntry {
    #[serde(rename = "type")]
    pub type_: TranscriptEntryType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The sequence of the event it comes from.
    pub sequence: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    /// The tool's arguments (JSON when they parse, else the string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub tool_args: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// RFC 3339.
    pub timestamp: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TranscriptQuery {
    /// Skip this many entries (default 0).
    pub offset: Option<u64>,
    /// At most this many (default 1000, at most 10000).
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptResponse {
    pub session_id: String,
    pub entries: Vec<TranscriptEntry>,
    /// Entries in all.
    pub total: u64,
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_null_from_absent_and_refuses_other_fields() {
        let absent: UpdateSessionRequest = serde_json::from_str(r#"{"label":"x"}"#).unwrap();
        assert_eq!(absent.metadata, None);
        let cleared: UpdateSessionRequest = serde_json::from_str(r#"{"metadata":null}"#).unwrap();
        assert_eq!(cleared.metadata, Some(None));
        let set: UpdateSessionRequest = serde_json::from_str(r#"{"metadata":{"k":1}}"#).unwrap();
        assert_eq!(set.metadata.unwrap().unwrap()["k"], 1);
        assert!(serde_json::from_str::<UpdateSessionRequest>(r#"{"status":"idle"}"#).is_err());
        assert!(serde_json::from_str::<UpdateSessionRequest>(r#"{"metadata":[1]}"#).is_err());
    }

    #[test]
    fn a_repo_token_is_not_debug_printed() {
        let repo =
            RepoRequest { url: "u".into(), auth: Some(RepoAuth { token: "s3cret".into() }), ..Default::default() };
        assert!(!format!("{repo:?}").contains("s3cret"));
    }
}
