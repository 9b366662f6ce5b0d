use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sandbox_agent_agents::{install, install_agent, Agent, ModelsError};
use sandbox_agent_schema::*;

use super::ApiPath;
use crate::error::{ApiError, ApiResult, OptionalJson};
use crate::AppState;

fn agent_info(agent: &dyn Agent) -> AgentInfo {
    let status = agent.install_status();
    AgentInfo {
        id: agent.id().to_string(),
        name: agent.name().map(str::to_string),
        installed: status.installed,
        version: status.version,
        path: status.path.map(|p| p.display().to_string()),
        source: status.source,
        pinned_version: status.pinned,
        warning: status.warning,
        capabilities: agent.capabilities(),
    }
}

fn find<'a>(state: &'a AppState, id: &str) -> ApiResult<&'a std::sync::Arc<dyn Agent>> {
    state
        .agents
        .get(id)
        .ok_or_else(|| ApiError::new(ErrorType::UnsupportedAgent, format!("unsupported agent: {id}")).with_agent(id))
}

/// Every agent the daemon knows (claude, codex, opencode, amp, mock, the built-in ACP agents, then those defined in configuration), with install state and capabilities.
#[utoipa::path(get, operation_id = "listAgents", path = "/v1/agents", tag = "agents", security(("bearer" = ["daemon"])), responses((status = 200, body = AgentListResponse)))]
pub async fn list(State(state): State<AppState>) -> Json<AgentListResponse> {
    Json(AgentListResponse { agents: state.agents.all().map(|a| agent_info(a.as_ref())).collect() })
}

/// Install (or reinstall) an agent's binary.
#[utoipa::path(post, operation_id = "installAgent", path = "/v1/agents/{agent}/install", tag = "agents", security(("bearer" = ["daemon"])),
    params(("agent" = String, Path, description = "agent id")),
    request_body(content = AgentInstallRequest, description = "optional"),
    responses((status = 204, description = "installed (or already installed)"), (status = 400, body = ProblemDetails), (status = 500, body = ProblemDetails)))]
pub async fn install(
    State(state): State<AppState>,
    ApiPath(agent): ApiPath<String>,
    OptionalJson(req): OptionalJson<AgentInstallRequest>,
) -> ApiResult<StatusCode> {
    let agent = find(&state, &agent)?;
    let Some(package) = state.agents.package(agent.id()) else {
        return Ok(StatusCode::NO_CONTENT); // built in (mock)
    };
    let options = install::InstallOptions { version: req.version, reinstall: req.reinstall.unwrap_or(false) };
    install_agent(state.config.agents_dir.clone(), package, options, |_| {}).await.map_err(|err| {
        let kind = match err {
            install::Error::InvalidVersion(_) | install::Error::VersionNotFound { .. } => ErrorType::InvalidRequest,
            _ => ErrorType::InstallFailed,
        };
        ApiError::new(kind, err.to_string()).with_agent(agent.id())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// The agent's modes (the first is the default).
#[utoipa::path(get, operation_id = "getAgentModes", path = "/v1/agents/{agent}/modes", tag = "agents", security(("bearer" = ["daemon"])),
    params(("agent" = String, Path, description = "agent id")),
    responses((status = 200, body = AgentModesResponse), (status = 400, body = ProblemDetails)))]
pub async fn modes(
    State(state): State<AppState>,
    ApiPath(agent): ApiPath<String>,
) -> ApiResult<Json<AgentModesResponse>> {
    Ok(Json(AgentModesResponse { modes: find(&state, &agent)?.modes() }))
}

/// The models a session of this agent can ask for, as the agent itself reports them (claude
/// and codex are started for it, OpenCode's server is asked), cached for 10 minutes per agent
/// binary.
#[utoipa::path(get, operation_id = "getAgentModels", path = "/v1/agents/{agent}/models", tag = "agents", security(("bearer" = ["daemon"])),
    params(("agent" = String, Path, description = "agent id")),
    responses((status = 200, body = AgentModelsResponse), (status = 400, body = ProblemDetails), (status = 404, body = ProblemDetails),
        (status = 501, body = ProblemDetails), (status = 502, body = ProblemDetails), (status = 504, body = ProblemDetails)))]
pub async fn models(
    State(state): State<AppState>,
    ApiPath(agent): ApiPath<String>,
) -> ApiResult<Json<AgentModelsResponse>> {
    let agent = find(&state, &agent)?.clone();
    let id = agent.id().to_string();
    state.models.get(agent).await.map(Json).map_err(|err| {
        let (kind, stderr) = match &err {
            ModelsError::NotInstalled(_) => (ErrorType::AgentNotInstalled, None),
            ModelsError::Unsupported(_) => (ErrorType::NotImplemented, None),
            ModelsError::Failed { stderr, .. } => (ErrorType::AgentFailed, stderr.clone()),
            ModelsError::Timeout { stderr, .. } => (ErrorType::Timeout, stderr.clone()),
        };
        let error = ApiError::new(kind, err.to_string()).with_agent(&id);
        match stderr {
            Some(stderr) => error.with_details(serde_json::json!({ "stderr": stderr })),
            None => error,
        }
    })
}
