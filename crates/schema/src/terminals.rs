//! Terminals: `/v1/sessions/{id}/terminals`. A PTY running a shell (or a given program) in the
//! session's workspace, watched and driven over a WebSocket.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The subprotocol a terminal's WebSocket speaks (offered by the client, selected by the daemon).
pub const TERMINAL_PROTOCOL: &str = "sandbox-agent.terminal.v1";

/// Body of `POST /v1/sessions/{id}/terminals`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTerminalRequest {
    /// The program and its arguments (default: `bash -i` where bash exists, else `sh -i`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Relative to the session's workspace, without `..` (default: the workspace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// More environment, over the daemon's own (`TERM` defaults to `xterm-256color`). Never returned.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Default 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cols: Option<u16>,
    /// Default 24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminalStatus {
    Running,
    Exited,
}

/// One terminal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TerminalInfo {
    /// `term_…`.
    pub terminal_id: String,
    pub session_id: String,
    pub command: Vec<String>,
    pub cwd: String,
    pub pid: u32,
    pub cols: u16,
    pub rows: u16,
    pub status: TerminalStatus,
    /// Once exited: the code, or null when a signal ended it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// RFC 3339.
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exited_at: Option<String>,
}

/// `GET /v1/sessions/{id}/terminals`: oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TerminalListResponse {
    pub terminals: Vec<TerminalInfo>,
}

/// A control message on a terminal's WebSocket, as JSON text frames (input and output are
/// binary frames: raw bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TerminalMessage {
    /// Client → daemon: the PTY's new size.
    Resize { cols: u16, rows: u16 },
    /// Daemon → client: the program ended; the socket closes after this.
    Exit {
        #[serde(rename = "exitCode")]
        exit_code: Option<i32>,
        signal: Option<i32>,
    },
    /// Daemon → client: something the daemon refused or could not do (an observer's input, a
    /// lagging client's skipped output).
    Error { message: String },
}
