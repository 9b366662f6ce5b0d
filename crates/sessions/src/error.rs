//! What can go wrong in the session layer. These are domain errors: the server maps each to a
//! problem detail (type and status) at its edge; nothing here knows about HTTP.

use sandbox_agent_agents::{AgentError, PERMISSION_MODES};
use sandbox_agent_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("invalid session id: use 1-128 characters of A-Z a-z 0-9 . _ - (not . or ..)")]
    InvalidId,
    #[error("session not found: {0}")]
    NotFound(String),
    #[error("session {0} already exists")]
    AlreadyExists(String),
    #[error("at most {0} live sessions")]
    TooMany(usize),
    #[error("unsupported agent: {0}")]
    UnsupportedAgent(String),
    #[error("agent {agent} has no mode {mode}")]
    NoSuchAgentMode { agent: String, mode: String },
    #[error("unknown permission mode {0}; expected one of {modes}", modes = PERMISSION_MODES.join(", "))]
    UnknownPermissionMode(String),
    #[error("agent {agent} does not support permission mode {mode}")]
    PermissionModeNotSupported { agent: String, mode: String },
    #[error("agent {0} is not installed")]
    AgentNotInstalled(String),
    #[error("directory must be an absolute path")]
    RelativeDirectory,
    #[error("cannot create directory {path}: {reason}")]
    Directory { path: String, reason: String },
    #[error("session {0} has ended")]
    Ended(String),
    #[error("session {0} is archived (read-only)")]
    Archived(String),
    #[error("session {0} is still preparing its workspace; the task is its first message")]
    Preparing(String),
    /// A coder field of the request is invalid (tags, metadata, label, repos, setup).
    #[error("{0}")]
    InvalidField(String),
    #[error("git was not found on the daemon's PATH; it is needed to clone repos")]
    GitNotFound,
    #[error("{agent} does not take {what} (yet)")]
    Unsupported { agent: String, what: &'static str },
    #[error("session {0} has no output contract")]
    NoContract(String),
    #[error("session {session_id} has no artifact {name:?}")]
    UnknownArtifact { session_id: String, name: String },
    #[error("no participant {id} with a token in session {session_id}")]
    UnknownParticipant { session_id: String, id: String },
    #[error("a turn is already running in session {0}")]
    TurnInProgress(String),
    #[error("no pending {what} {id} (unknown, or already resolved)")]
    UnknownRequest { session_id: String, what: &'static str, id: String },
    #[error("the agent is not running; its pending requests can no longer be answered")]
    AgentNotRunning(String),
    /// The session's agent could not be started.
    #[error("{error}")]
    AgentStart { session_id: String, agent: String, error: AgentError },
    /// The session's agent runs on another node of the cluster (requests for it are forwarded
    /// there; this is what is left when that node is gone and no other has taken over yet).
    #[error("session {0} is served by another node, which does not answer; another node takes it over within the lease time")]
    Elsewhere(String),
    /// The store failed; the detail is for logs, not for clients.
    #[error("the session store failed")]
    Store(#[from] StoreError),
}

impl SessionError {
    /// The session the error is about, when there is one.
    pub fn session_id(&self) -> Option<&str> {
        use SessionError as E;
        match self {
            E::NotFound(id)
            | E::AlreadyExists(id)
            | E::Ended(id)
            | E::Archived(id)
            | E::Preparing(id)
            | E::UnknownParticipant { session_id: id, .. }
            | E::UnknownArtifact { session_id: id, .. }
            | E::NoContract(id)
            | E::TurnInProgress(id)
            | E::AgentNotRunning(id)
            | E::Elsewhere(id)
            | E::UnknownRequest { session_id: id, .. }
            | E::AgentStart { session_id: id, .. } => Some(id),
            _ => None,
        }
    }
}
