//! ACP over HTTP (`/v1/acp/{serverId}`): an ACP client's connection to the daemon.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One ACP connection (`serverId` is the client's choice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcpServerInfo {
    pub server_id: String,
    /// The agent its `session/new` uses unless `_meta["sandbox-agent"].agent` names another.
    pub agent: String,
    /// The daemon sessions it created or loaded.
    pub session_ids: Vec<String>,
    pub created_at: String,
    /// The sequence of its last outbound message (the SSE `id:`).
    pub last_event_id: u64,
}

/// Response of `GET /v1/acp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AcpServerList {
    pub servers: Vec<AcpServerInfo>,
}
