//! What a daemon says of its cluster (`GET /v1/health`, `GET /v1/cluster/nodes`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This daemon's place in a cluster (absent on a standalone daemon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterHealth {
    /// This node's id (`--node-id`).
    pub node: String,
    /// Whether the connection to NATS is up now.
    pub connected: bool,
    /// The prefix of the cluster's streams and buckets (`--cluster-prefix`).
    pub prefix: String,
}

/// One node of the cluster, as its last heartbeat and the leases say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterNode {
    pub id: String,
    /// Heartbeat within the lease TTL.
    pub alive: bool,
    /// Sessions whose lease it holds.
    pub sessions: u64,
    pub max_sessions: u64,
    /// Their ids.
    pub session_ids: Vec<String>,
    /// Milliseconds since the epoch.
    pub heartbeat_ms: u64,
    pub started_ms: u64,
    pub version: String,
}

/// Response of `GET /v1/cluster/nodes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterNodesResponse {
    /// The node that answered.
    pub node: String,
    /// False for a standalone daemon, which lists itself alone.
    pub clustered: bool,
    pub nodes: Vec<ClusterNode>,
}
