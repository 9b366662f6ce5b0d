//! The universal schema of sandbox-agent: events, items, content parts, HTTP DTOs and
//! problem details. Pure data (serde + OpenAPI derives), no I/O, so every other crate and
//! every client can depend on it.
//!
//! Casing: HTTP DTOs are camelCase, universal events are snake_case (as in the reference API).

pub mod acp;
pub mod agents;
pub mod cluster;
pub mod coder;
pub mod contract;
pub mod events;
pub mod fs;
pub mod items;
pub mod mcp;
pub mod principal;
pub mod problem;
pub mod run;
pub mod sessions;
pub mod skills;
pub mod terminals;

pub use acp::*;
pub use agents::*;
pub use cluster::*;
pub use coder::*;
pub use contract::*;
pub use events::*;
pub use fs::*;
pub use items::*;
pub use mcp::*;
pub use principal::*;
pub use problem::*;
pub use run::*;
pub use sessions::*;
pub use skills::*;
pub use terminals::*;

/// Response of `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthResponse {
    /// Always `"ok"` while the daemon serves requests.
    pub status: String,
    /// Sessions whose agent this daemon runs (on a cluster node: those it holds the lease of).
    #[serde(default)]
    pub owned_sessions: u64,
    /// Present on a cluster node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterHealth>,
}
