use axum::extract::State;
use axum::Json;
use sandbox_agent_schema::{ClusterHealth, ClusterNode, ClusterNodesResponse, ErrorType, HealthResponse};

use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// Liveness; never needs the token. On a cluster node it says which node, whether NATS is
/// reachable, and how many sessions it runs.
#[utoipa::path(get, operation_id = "getHealth", path = "/v1/health", tag = "meta", security(()), responses((status = 200, body = HealthResponse)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthResponse> {
    let cluster = state.cluster.as_ref().map(|c| ClusterHealth {
        node: c.node_id().to_string(),
        connected: c.connected(),
        prefix: c.names.prefix().to_string(),
    });
    let owned_sessions = state.sessions.local_ids().len() as u64;
    Json(HealthResponse { status: "ok".into(), owned_sessions, cluster })
}

/// The nodes of this daemon's cluster: alive or not, their load and their sessions. A
/// standalone daemon lists itself alone.
#[utoipa::path(get, operation_id = "listClusterNodes", path = "/v1/cluster/nodes", tag = "meta", security(("bearer" = ["daemon"])), responses((status = 200, body = ClusterNodesResponse), (status = 503, description = "NATS is unreachable", body = sandbox_agent_schema::ProblemDetails, content_type = "application/problem+json")))]
pub async fn cluster_nodes(State(state): State<AppState>) -> ApiResult<Json<ClusterNodesResponse>> {
    let Some(cluster) = &state.cluster else {
        let mut ids = state.sessions.local_ids();
        ids.sort();
        let node = ClusterNode {
            id: "standalone".into(),
            alive: true,
            sessions: ids.len() as u64,
            max_sessions: state.config.max_sessions as u64,
            session_ids: ids,
            heartbeat_ms: sandbox_agent_sessions::now_ms(),
            started_ms: 0,
            version: env!("CARGO_PKG_VERSION").into(),
        };
        return Ok(Json(ClusterNodesResponse { node: "standalone".into(), clustered: false, nodes: vec![node] }));
    };
    if !cluster.connected() {
        return Err(ApiError::new(ErrorType::ClusterUnavailable, "the cluster's NATS server is unreachable"));
    }
    let records = cluster.nodes();
    let mut held = cluster.leases_by_node();
    let nodes = records
        .into_iter()
        .map(|r| {
            let mut ids = held.remove(&r.id).unwrap_or_default();
            ids.sort();
            ClusterNode {
                alive: cluster.alive(&r),
                sessions: ids.len() as u64,
                max_sessions: r.max_sessions as u64,
                session_ids: ids,
                heartbeat_ms: r.heartbeat_ms,
                started_ms: r.started_ms,
                version: r.version,
                id: r.id,
            }
        })
        .collect();
    Ok(Json(ClusterNodesResponse { node: cluster.node_id().to_string(), clustered: true, nodes }))
}

/// This API's OpenAPI document (generated from the code).
#[utoipa::path(get, operation_id = "getOpenApi", path = "/v1/openapi.json", tag = "meta", security(("bearer" = ["daemon"])), responses((status = 200, description = "OpenAPI 3.1 document")))]
pub async fn openapi(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(state.openapi.clone())
}
