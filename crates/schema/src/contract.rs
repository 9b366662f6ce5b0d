//! Output contracts: the report a task session's agent must write, which the daemon itself
//! reads, validates, verifies by running a command, and checks against git after each turn.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `outputContract` of a task session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputContract {
    /// The report, relative to the agent's directory (a repo's root, or the workspace).
    pub path: String,
    /// A JSON Schema the report must satisfy (default: [`default_report_schema`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub schema: Option<serde_json::Value>,
    /// A command the daemon runs itself, in the sandbox, in the agent's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<ContractVerify>,
    /// Whether a task without the report fails (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractVerify {
    pub command: CommandLine,
    /// Default 300000 (5 min).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

/// An argv, or a string run with `sh -c`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CommandLine {
    Argv(Vec<String>),
    Shell(String),
}

impl CommandLine {
    pub fn argv(&self) -> Vec<String> {
        match self {
            CommandLine::Argv(argv) => argv.clone(),
            CommandLine::Shell(line) => vec!["sh".into(), "-c".into(), line.clone()],
        }
    }

    /// As a person would type it.
    pub fn display(&self) -> String {
        match self {
            CommandLine::Argv(argv) => argv.join(" "),
            CommandLine::Shell(line) => line.clone(),
        }
    }
}

/// The report shape of the seed's output contract.
pub fn default_report_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "required": ["status", "changedFiles", "commandsRun", "verification", "blockers"],
        "properties": {
            "status": {"enum": ["completed", "blocked"]},
            "changedFiles": {"type": "array", "items": {"type": "string"}},
            "commandsRun": {"type": "array", "items": {"type": "string"}},
            "verification": {
                "type": "object",
                "required": ["command", "passed", "outputExcerpt"],
                "properties": {
                    "command": {"type": "string"},
                    "passed": {"type": "boolean"},
                    "outputExcerpt": {"type": "string"}
                }
            },
            "blockers": {"type": "array", "items": {"type": "string"}}
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractErrorKind {
    /// No report at the path.
    Missing,
    InvalidJson,
    /// The report does not satisfy the schema.
    Schema,
    /// The verification command failed while the report says the task is completed.
    VerificationFailed,
    /// The report claims what the daemon found otherwise (`verification.passed`, `changedFiles`).
    ClaimMismatch,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContractError {
    pub kind: ContractErrorKind,
    /// Where in the report (a JSON pointer), when it is about one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

/// What the daemon's own run of `verify.command` gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub command: String,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    /// The last 2 KiB of its stdout and stderr.
    pub output_excerpt: String,
    pub duration_ms: u64,
}

/// `contract.passed`: the report is valid and every checked claim holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContractPassedData {
    pub path: String,
    /// The report's `status` (`completed` or `blocked`).
    pub status: String,
    pub iteration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// `contract.failed`: what is wrong with the report, and what the verification gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContractFailedData {
    pub path: String,
    pub errors: Vec<ContractError>,
    pub iteration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// `task.blocked`: a valid report says the task is blocked, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaskBlockedData {
    pub blockers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    /// No check yet (the task's turn has not ended).
    Pending,
    Completed,
    Blocked,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Validation {
    pub valid: bool,
    pub errors: Vec<ContractError>,
}

/// `GET /v1/sessions/{id}/result`: the last check of the session's output contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionResult {
    pub session_id: String,
    pub status: ResultStatus,
    pub path: String,
    /// The report as read (when it parsed).
    #[schema(value_type = Object, nullable = true)]
    pub report: Option<serde_json::Value>,
    pub validation: Validation,
    pub verification: Option<Verification>,
    pub checked_at: Option<String>,
    /// How many checks have run (one per completed turn).
    pub iteration: u32,
    /// The artifact holding the report as read, byte for byte (`report-<iteration>.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
}

/// A file a session keeps in the daemon's store, so it outlives the workspace and is served by
/// every node of a cluster: each checked contract report (`report-<iteration>.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    pub name: String,
    pub size: u64,
    pub created_at: String,
}

/// `GET /v1/sessions/{id}/artifacts`: the session's artifacts, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactList {
    pub session_id: String,
    pub artifacts: Vec<Artifact>,
}

/// Where a loop session stands (the managed service's shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoopStatus {
    Idle,
    /// The workspace is being prepared.
    Starting,
    Running,
    Paused,
    /// The contract holds.
    Completed,
    /// Interrupted, archived or ended by a client.
    Cancelled,
    /// The report says blocked, or the iterations ran out, or a turn failed.
    Blocked,
    /// A check failed and `autoContinue` is off: the next message continues.
    AwaitingInput,
}

/// `GET /v1/sessions/{id}/loop` → `loop`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoopState {
    pub status: LoopStatus,
    /// The iteration under way or last done (1 = the task's own turn).
    pub iteration: u32,
    pub max_iterations: u32,
    pub auto_continue: bool,
    pub goal: Option<String>,
    /// What the last check found, in a line.
    pub summary: Option<String>,
    /// What happens next: `the daemon continues`, `a message continues`, or nothing.
    pub next_action: Option<String>,
    pub started_at: Option<String>,
    pub updated_at: String,
    pub completed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoopResponse {
    pub session_id: String,
    pub workflow_mode: crate::WorkflowMode,
    #[serde(rename = "loop")]
    pub loop_: Option<LoopState>,
}

/// `loop.iteration`: an iteration starts (its message is the task, or a continuation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LoopIterationData {
    pub iteration: u32,
    pub max_iterations: u32,
}

/// `loop.status_changed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LoopStatusChangedData {
    pub from: LoopStatus,
    pub to: LoopStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
