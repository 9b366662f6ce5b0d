//! One-shot commands: `POST /v1/run`. A command runs to its end in a sandbox (bubblewrap), with
//! limits and a deadline, and its whole result comes back at once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Text as given, or bytes in base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    #[default]
    Utf8,
    Base64,
}

impl Encoding {
    pub fn is_utf8(&self) -> bool {
        *self == Encoding::Utf8
    }
}

/// A file written into the work directory before the command starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunFileInput {
    /// Relative to the work directory, without `..`.
    pub path: String,
    /// The bytes, base64.
    pub content: String,
    /// Unix permission bits (default 0o644).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
}

/// Resource limits of one run (setrlimit; `pids` by a cgroup where one is writable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunLimits {
    /// Address space of each process (RLIMIT_AS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
    /// Processes in the run at once (a pids cgroup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pids: Option<u64>,
    /// CPU time of each process (RLIMIT_CPU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_seconds: Option<u64>,
    /// Largest file a process may write (RLIMIT_FSIZE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size_bytes: Option<u64>,
}

/// Body of `POST /v1/run`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunRequest {
    /// The program and its arguments (no shell: give `["sh", "-c", "…"]` for one).
    pub command: Vec<String>,
    /// Relative to the work directory (default: the work directory itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// The command's whole environment, on top of a minimal `PATH`, `HOME`, `LANG`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub env: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<String>,
    /// How `stdin` is given.
    #[serde(default, skip_serializing_if = "Encoding::is_utf8")]
    pub stdin_encoding: Encoding,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<RunFileInput>,
    /// Globs, relative to the work directory, of files returned after the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collect: Vec<String>,
    /// Default 60000; at most the daemon's `--max-run-timeout-ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Per stream; default 1 MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_bytes: Option<u64>,
    /// Reach the network (default false: a network namespace of its own, loopback only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<bool>,
    /// Run in the sandbox (default true). `false` needs the daemon's `--allow-unisolated-run`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<RunLimits>,
    /// Run in this session's workspace (writable) instead of a fresh scratch directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

/// Which streams were cut at `maxOutputBytes`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Truncated {
    pub stdout: bool,
    pub stderr: bool,
}

/// A file returned by `collect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunFileOutput {
    pub path: String,
    /// base64.
    pub content: String,
    /// The file's size (`content` may hold less: `truncated`).
    pub size: u64,
    /// Past what `collect` returns in all (16 MiB), the rest of the file is left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Result of `POST /v1/run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunResponse {
    /// None when a signal ended the command.
    pub exit_code: Option<i32>,
    /// The signal's number, when one ended it (SIGKILL at the deadline).
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// The kernel's OOM killer ended it (`limits.memoryBytes` enforced by a memory cgroup).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub oom_killed: bool,
    pub truncated: Truncated,
    pub stdout: String,
    /// `base64` when the bytes were not UTF-8.
    #[serde(default, skip_serializing_if = "Encoding::is_utf8")]
    pub stdout_encoding: Encoding,
    pub stderr: String,
    #[serde(default, skip_serializing_if = "Encoding::is_utf8")]
    pub stderr_encoding: Encoding,
    pub duration_ms: u64,
    /// User and system CPU time of the command and everything it waited for.
    pub cpu_time_ms: u64,
    /// The largest resident set of any of its processes.
    pub max_rss_bytes: u64,
    pub files: Vec<RunFileOutput>,
    /// How it was isolated: `bwrap` or `none`.
    pub isolation: String,
    /// Where `limits.pids` or `limits.memoryBytes` was enforced by a cgroup: `cgroup-v1`,
    /// `cgroup-v2`; null when neither was (memory then falls back to `RLIMIT_AS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<String>,
}

/// One event of `POST /v1/run/stream`: `stdout` / `stderr` as output comes, then `exit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RunOutputChunk {
    pub data: String,
    #[serde(default, skip_serializing_if = "Encoding::is_utf8")]
    pub encoding: Encoding,
}
