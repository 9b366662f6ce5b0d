//! A Hub create or update request as ours. What the daemon cannot honour is refused by name
//! (422), never dropped silently.

use sandbox_agent_agents::AgentRegistry;
use sandbox_agent_schema::*;

use super::wire::{HubCreate, HubRepo, HubUpdate};
use crate::error::{ApiError, ApiResult};

/// The Hub's built-in agent roles: naming one asks for the daemon's `--coder-agent`.
const HUB_ROLES: &[&str] =
    &["lead", "builder", "reviewer", "scout", "memory", "expert", "architect", "planner", "runner"];

fn refuse(what: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorType::InvalidBody, format!("{what} is not supported by this daemon"))
}

fn private_only(visibility: Option<&str>) -> ApiResult<()> {
    match visibility {
        None | Some("private") => Ok(()),
        Some(other) => Err(ApiError::new(
            ErrorType::InvalidBody,
            format!("visibility {other:?} is not supported: every session of this daemon is private"),
        )),
    }
}

fn no_other_fields(other: &JsonObject) -> ApiResult<()> {
    match other.keys().next() {
        None => Ok(()),
        Some(key) => Err(refuse(format_args!("the field {key:?}"))),
    }
}

/// The agent of a new session: one of ours by `agent` or `defaultAgent`, else the default for
/// Hub roles and for nothing at all.
fn agent(agents: &AgentRegistry, req: &HubCreate, default: &str) -> ApiResult<String> {
    for name in [req.agent.as_deref(), req.default_agent.as_deref()].into_iter().flatten() {
        if agents.get(name).is_some() {
            return Ok(name.to_string());
        }
        if !HUB_ROLES.contains(&name) {
            return Err(ApiError::new(
                ErrorType::InvalidBody,
                format!("agent {name:?} is neither one of this daemon's agents nor a Hub role"),
            ));
        }
    }
    Ok(default.to_string())
}

fn repo(r: HubRepo) -> ApiResult<RepoRequest> {
    no_other_fields(&r.other)?;
    if r.path.is_some() {
        return Err(refuse("a repository's `path` (mounting a subdirectory)"));
    }
    let url = match (r.clone_url, r.url, r.full_name, r.owner, r.name) {
        (Some(url), ..) | (None, Some(url), ..) => url,
        (None, None, Some(full), ..) => format!("https://github.com/{full}.git"),
        (None, None, None, Some(owner), Some(name)) => format!("https://github.com/{owner}/{name}.git"),
        _ => {
            return Err(ApiError::new(
                ErrorType::InvalidBody,
                "a repository needs cloneUrl, url, fullName or owner and name",
            ))
        }
    };
    Ok(RepoRequest {
        url,
        branch: r.branch.or(r.ref_),
        commit: r.commit,
        path: r.root_path,
        auth: r.token.map(|token| RepoAuth { token }),
    })
}

pub fn create(agents: &AgentRegistry, req: HubCreate, default_agent: &str) -> ApiResult<CreateSessionRequest> {
    private_only(req.visibility.as_deref())?;
    no_other_fields(&req.other)?;
    for (field, given) in [
        ("workspaceId", req.workspace_id.is_some()),
        ("savedSkillIds", !req.saved_skill_ids.is_empty()),
        ("skillBucketIds", !req.skill_bucket_ids.is_empty()),
        ("enabledAgents", !req.enabled_agents.is_empty()),
    ] {
        if given {
            return Err(refuse(format_args!("the field {field:?}")));
        }
    }
    let agent = agent(agents, &req, default_agent)?;
    let skills = req
        .skills
        .into_iter()
        .map(|s| {
            let content =
                s.content.ok_or_else(|| refuse(format_args!("skill {:?} without inline `content`", s.skill_id)))?;
            let description = s.description.or(s.name).unwrap_or_else(|| s.skill_id.clone());
            Ok(Skill { name: s.skill_id, description, content, files: Vec::new() })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let mut repos = req.repos.into_iter().map(repo).collect::<ApiResult<Vec<_>>>()?;
    let repo = req.repo.map(repo).transpose()?;
    if repos.is_empty() {
        repos.extend(repo);
    } else if let Some(first) = repo {
        repos.insert(0, first);
    }
    Ok(CreateSessionRequest {
        agent,
        task: Some(req.task),
        label: req.label,
        env: req.env,
        skills,
        repos,
        tags: req.tags,
        metadata: req.metadata,
        workflow_mode: req.workflow_mode,
        loop_: req.loop_,
        ..Default::default()
    })
}

pub fn update(req: HubUpdate) -> ApiResult<UpdateSessionRequest> {
    private_only(req.visibility.as_deref())?;
    no_other_fields(&req.other)?;
    Ok(UpdateSessionRequest { label: req.label, tags: req.tags, metadata: req.metadata.map(Some) })
}
