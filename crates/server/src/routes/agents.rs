use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sandbox_agent_agents::Agent;
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::error::{ApiError, ApiResult, OptionalJson};
use crate::AppState;

fn agent_info(agent: &dyn Agent) -> AgentInfo {
    let status = agent.install_status();
    AgentInfo {
        id: agent.id().to_string(),
        installed: status.installed,
        version: status.version,
        path: status.path.map(|p| p.display().to_string()),
        capabilities: agent.capabilities(),
    }
}

fn find<'a>(state: &'a AppState, id: &str) -> ApiResult<&'a std::sync::Arc<dyn Agent>> {
    state
        .agents
        .get(id)
        .ok_or_else(|| ApiError::new(ErrorType::UnsupportedAgent, format!("unsupported agent: {id}")).with_agent(id))
}

/// Every agent the daemon knows (claude, codex, opencode, amp, mock), with install state and capabilities.
#[utoipa::path(get, path = "/v1/agents", tag = "agents", responses((status = 200, body = AgentListResponse)))]
pub async fn list(State(state): State<AppState>) -> Json<AgentListResponse> {
    Json(AgentListResponse { agents: state.agents.all().iter().map(|a| agent_info(a.as_ref())).collect() })
}

/// Install (or reinstall) an agent's binary.
#[utoipa::path(post, path = "/v1/agents/{agent}/install", tag = "agents",
    params(("agent" = String, Path, description = "agent id")),
    request_body(content = AgentInstallRequest, description = "optional"),
    responses((status = 204, description = "installed"), (status = 400, body = ProblemDetails), (status = 501, body = ProblemDetails)))]
pub async fn install(
    State(state): State<AppState>,
    ApiPath(agent): ApiPath<String>,
    OptionalJson(_req): OptionalJson<AgentInstallRequest>,
) -> ApiResult<StatusCode> {
    let agent = find(&state, &agent)?;
    if agent.install_status().installed {
        return Ok(StatusCode::NO_CONTENT);
    }
    Err(ApiError::new(
        ErrorType::NotImplemented,
        format!("installing {} is not supported by this build yet", agent.id()),
    )
    .with_agent(agent.id()))
}

/// The agent's modes (the first is the default).
#[utoipa::path(get, path = "/v1/agents/{agent}/modes", tag = "agents",
    params(("agent" = String, Path, description = "agent id")),
    responses((status = 200, body = AgentModesResponse), (status = 400, body = ProblemDetails)))]
pub async fn modes(State(state): State<AppState>, ApiPath(agent): ApiPath<String>) -> ApiResult<Json<AgentModesResponse>> {
    Ok(Json(AgentModesResponse { modes: find(&state, &agent)?.modes() }))
}
