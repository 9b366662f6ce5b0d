//! Agent adapters behind one trait.
//!
//! An adapter starts an agent for one session and then speaks two channels: it receives
//! [`AgentInput`] (messages, replies, interrupts) and sends [`AgentOutput`] (universal events
//! converted from the agent's native protocol). The daemon's session actor owns everything
//! else: sequences, item ids, synthetic events, persistence.

pub mod acp;
pub mod amp;
pub mod capabilities;
pub mod claude;
pub mod codex;
mod config;
pub mod credentials;
mod jsonrpc;
pub mod locate;
mod mock;
mod models;
pub mod opencode;
mod pending;
mod process;
mod registry;
pub mod skills;
mod startup;
#[cfg(test)]
mod transcripts;
mod universal;

pub use mock::MockAgent;
pub use registry::{
    builtin_agents, builtin_descriptors, configured_agents, install_agent, Adapter, AgentDescriptor, AgentRegistry,
    AgentsConfig, BinarySource,
};
pub use sandbox_agent_install as install;

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use sandbox_agent_schema::{
    AgentCapabilities, AgentModeInfo, AgentModelsResponse, EventData, PermissionReply, StderrOutput,
};
use tokio::sync::mpsc;

/// Everything an adapter needs to start (or resume) an agent for a session.
#[derive(Debug, Clone)]
pub struct SessionSpec {
    pub session_id: String,
    pub agent_mode: String,
    pub permission_mode: String,
    pub model: Option<String>,
    pub variant: Option<String>,
    /// Working directory of the agent.
    pub directory: PathBuf,
    /// A private directory for the agent's own state (config, HOME, native session files);
    /// it outlives daemon restarts so the agent can resume.
    pub state_dir: PathBuf,
    /// Extra environment for the agent (provider base URLs, keys, …), applied last.
    pub env: Vec<(String, String)>,
    /// MCP servers, by name, for agents that take them (`capabilities().mcp_tools`).
    pub mcp: std::collections::BTreeMap<String, sandbox_agent_schema::McpServer>,
    /// Skills, for agents that take them (`capabilities().skills`); see [`skills`].
    pub skills: Vec<sandbox_agent_schema::Skill>,
    /// A fresh start, or a resume of an agent that ran for this session before.
    pub start: Start,
}

/// How a session's agent starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The session's first agent: it announces the session (`session.started`).
    Fresh,
    /// This session's agent ran before (a restart after a pause): no greeting. It continues
    /// the agent's own session when there is an id for it, else starts one afresh.
    Resume { native_session_id: Option<String> },
}

impl Start {
    pub fn is_resume(&self) -> bool {
        matches!(self, Start::Resume { .. })
    }

    /// The agent's own session id to continue, when there is one.
    pub fn native_session_id(&self) -> Option<&str> {
        match self {
            Start::Resume { native_session_id } => native_session_id.as_deref(),
            Start::Fresh => None,
        }
    }
}

impl SessionSpec {
    /// The spec of an agent started only to list its models: the daemon's own environment
    /// and credentials (no session `env`), default modes, `state_dir` as its home and cwd.
    pub fn for_listing(state_dir: &std::path::Path) -> SessionSpec {
        SessionSpec {
            session_id: "models".into(),
            agent_mode: "build".into(),
            permission_mode: "default".into(),
            model: None,
            variant: None,
            directory: state_dir.to_path_buf(),
            state_dir: state_dir.to_path_buf(),
            env: Vec::new(),
            mcp: Default::default(),
            skills: Vec::new(),
            start: Start::Fresh,
        }
    }
}

/// What listing an agent's models needs from the daemon.
#[derive(Debug, Clone)]
pub struct ModelsSpec {
    /// An empty, private directory the agent may use as its home and state while it lists;
    /// the daemon removes it afterwards.
    pub state_dir: PathBuf,
    /// The daemon's data directory (OpenCode's shared servers keep their state under it).
    pub data_dir: PathBuf,
}

/// Why an agent could not list its models.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelsError {
    #[error("agent {0} is not installed")]
    NotInstalled(String),
    #[error("{0}")]
    Unsupported(String),
    /// The agent could not be started, exited, or answered with an error.
    #[error("{message}")]
    Failed { message: String, stderr: Option<StderrOutput> },
    /// The agent did not answer in time.
    #[error("{message}")]
    Timeout { message: String, stderr: Option<StderrOutput> },
}

pub type ModelsFuture<'a> =
    Pin<Box<dyn std::future::Future<Output = Result<AgentModelsResponse, ModelsError>> + Send + 'a>>;

/// What the daemon sends to a running agent.
#[derive(Debug, Clone)]
pub enum AgentInput {
    Message {
        turn_id: String,
        text: String,
        /// Files sent with the message, already in the session's reach.
        attachments: Vec<Attachment>,
    },
    /// Stop the running turn; the agent answers with `turn.ended` (interrupted).
    Interrupt,
    PermissionReply {
        permission_id: String,
        reply: PermissionReply,
    },
    QuestionReply {
        question_id: String,
        answers: Vec<Vec<String>>,
    },
    QuestionReject {
        question_id: String,
    },
    /// Stop for good: the adapter stops its process (gracefully where the agent can save
    /// state, then its whole process group is killed) and emits nothing more.
    Shutdown,
}

/// A file sent with a message: on disk (absolute, links resolved), with its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub path: PathBuf,
    pub name: String,
    pub mime: String,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }

    /// Text a model can read as is (source, markdown, JSON, …).
    pub fn is_text(&self) -> bool {
        self.mime.starts_with("text/")
            || matches!(self.mime.as_str(), "application/json" | "application/xml" | "application/yaml")
    }

    /// How the user's message names it, for agents that are told of a file rather than shown it.
    pub fn mention(&self) -> String {
        format!("[attached file: {} ({})]", self.path.display(), self.mime)
    }
}

/// One universal event from an agent, before the daemon stamps it. Item ids in it are the
/// agent's native ids (`native_item_id`, `parent_id`); the daemon maps them to `itm_` ids.
#[derive(Debug, Clone)]
pub struct AgentEvent {
    pub data: EventData,
    /// True when the adapter invented the event (the agent has no native equivalent).
    pub synthetic: bool,
    /// The agent's native message as JSON text (the line as the agent wrote it where the
    /// converter reads lines), stored apart from the envelope and spliced in on request.
    pub raw: Option<Box<serde_json::value::RawValue>>,
}

impl AgentEvent {
    pub fn native(data: EventData) -> Self {
        AgentEvent { data, synthetic: false, raw: None }
    }
}

/// What a converter of a stdio protocol (claude, codex, ACP) asks its process loop to do
/// for one native line. Converters stay pure; the loop does the I/O.
#[derive(Debug)]
pub enum Action {
    Emit(AgentOutput),
    /// A JSON line to write to the agent's stdin.
    Write(serde_json::Value),
}

/// How an agent process went away.
#[derive(Debug, Clone)]
pub struct AgentExit {
    pub exit_code: Option<i32>,
    pub message: String,
    pub stderr: Option<StderrOutput>,
    /// True when a new process can pick the conversation up (the session becomes `paused`).
    pub resumable: bool,
}

#[derive(Debug, Clone)]
pub enum AgentOutput {
    Event(AgentEvent),
    /// The agent told us its own session id.
    NativeSessionId(String),
    /// The agent is gone; nothing more will come.
    Exited(AgentExit),
}

/// Where an adapter sends its output. Bounded: a slow store slows the agent, not memory.
pub type OutputSender = mpsc::Sender<AgentOutput>;

/// A started agent: send it input; drop it (or send `Shutdown`) to stop it.
pub struct AgentHandle {
    pub input: mpsc::UnboundedSender<AgentInput>,
    pub native_session_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("agent {0} is not installed")]
    NotInstalled(String),
    #[error("{0}")]
    NotImplemented(String),
    #[error("failed to start agent: {0}")]
    Spawn(String),
}

/// Install state of an agent binary, and where it was found.
#[derive(Debug, Clone, Default)]
pub struct InstallStatus {
    pub installed: bool,
    pub version: Option<String>,
    pub path: Option<PathBuf>,
    pub source: Option<sandbox_agent_schema::AgentSource>,
    /// The version the daemon was tested with.
    pub pinned: Option<String>,
    /// Why it may not behave as tested (another version, a configured path that is missing).
    pub warning: Option<String>,
}

/// Finds an agent's binary ([`locate::Lookup`], or a test's answer).
pub type Locate = Arc<dyn Fn() -> InstallStatus + Send + Sync>;

pub type StartFuture = Pin<Box<dyn std::future::Future<Output = Result<AgentHandle, AgentError>> + Send>>;

/// One coding agent (claude, codex, opencode, amp, mock).
pub trait Agent: Send + Sync + 'static {
    fn id(&self) -> &str;
    /// A display name, where one was configured.
    fn name(&self) -> Option<&str> {
        None
    }
    fn capabilities(&self) -> AgentCapabilities;
    /// Agent modes (`build`, `plan`, …); the first is the default.
    fn modes(&self) -> Vec<AgentModeInfo>;
    /// Permission modes it supports; the first is the default.
    fn permission_modes(&self) -> &'static [&'static str];
    fn install_status(&self) -> InstallStatus;
    /// Start (or resume, as `spec.start` says) an agent for a session.
    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture;
    /// The models a session can ask for, as the agent itself reports them. Agents that start
    /// a process for this use the daemon's environment and credentials, as sessions do.
    fn models(&self, _spec: ModelsSpec) -> ModelsFuture<'_> {
        let id = self.id();
        Box::pin(async move { Err(ModelsError::Unsupported(format!("{id} cannot list its models"))) })
    }
    /// Stop what the agent shares between sessions (a server), at daemon shutdown, after
    /// every session's agent was stopped.
    fn shutdown(&self) -> Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(async {})
    }
}

/// Every permission mode name the API knows (an unknown name is a bad request, a known one
/// the agent lacks is `mode_not_supported`).
pub const PERMISSION_MODES: &[&str] = &["default", "plan", "acceptEdits", "bypass"];
