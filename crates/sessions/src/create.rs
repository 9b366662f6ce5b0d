//! Creating a session: check the request against the agent, make its directory, store its
//! document, start its actor and its agent — or, for a task session, start the preparation of
//! its workspace in the background ([`crate::coder::prepare`]), which starts the agent after.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use sandbox_agent_agents::{Agent, PERMISSION_MODES};
use sandbox_agent_schema::{CreateSessionRequest, CreateSessionResponse, Principal, SessionStatus};
use sandbox_agent_store::{Expect, StoreError};

use crate::actor::Command;
use crate::coder::prepare::{self, Job};
use crate::coder::validate::{self, Plan};
use crate::handle::SessionHandle;
use crate::manager::SessionManager;
use crate::state::{validate_session_id, SessionRecord, SessionSettings, SessionState};
use crate::{now, Result, SessionError};

impl SessionManager {
    pub async fn create(
        &self,
        id: String,
        mut req: CreateSessionRequest,
        by: &Principal,
    ) -> Result<CreateSessionResponse> {
        validate_session_id(&id)?;
        let agent =
            self.agents.get(&req.agent).cloned().ok_or_else(|| SessionError::UnsupportedAgent(req.agent.clone()))?;
        let (agent_mode, permission_mode) = modes(agent.as_ref(), &req)?;
        validate::check_tags(&req.tags)?;
        validate::check_metadata(req.metadata.as_ref())?;
        if let Some(label) = &req.label {
            validate::check_label(label)?;
        }
        req.output_contract = validate::contract(&req)?;
        if !req.mcp.is_empty() {
            validate::check_mcp(&req.mcp)?;
            if !agent.capabilities().mcp_tools {
                return Err(SessionError::Unsupported { agent: req.agent.clone(), what: "MCP servers" });
            }
        }
        if !req.skills.is_empty() {
            sandbox_agent_agents::skills::check(&req.skills).map_err(SessionError::InvalidField)?;
            if !agent.capabilities().skills {
                return Err(SessionError::Unsupported { agent: req.agent.clone(), what: "skills" });
            }
        }
        let loop_state = validate::loop_state(&req, &now())?;
        let coder = Plan::is_needed(&req);
        let (plan, repos) = if coder { validate::plan(&mut req)? } else { Default::default() };
        let git = if plan.clones.is_empty() {
            None
        } else {
            Some(crate::coder::workspace::find_git().ok_or(SessionError::GitNotFound)?)
        };
        if !agent.install_status().installed {
            return Err(SessionError::AgentNotInstalled(req.agent));
        }
        let (directory, workspace) = match &req.directory {
            Some(dir) if !std::path::Path::new(dir).is_absolute() => return Err(SessionError::RelativeDirectory),
            Some(dir) => (PathBuf::from(dir), coder.then(|| PathBuf::from(dir))),
            None if coder => {
                let workspace = self.workspace(&id);
                (prepare::agent_directory(&workspace, &plan), Some(workspace))
            }
            None => (self.workspace(&id), None),
        };
        let label =
            req.label.clone().or_else(|| req.task.as_deref().map(validate::label_from_task)).or(req.title.clone());
        let now = now();
        let record = SessionRecord {
            settings: SessionSettings {
                session_id: id.clone(),
                agent: req.agent,
                agent_mode,
                permission_mode,
                model: req.model,
                variant: req.variant,
                directory: directory.display().to_string(),
                created_at: now.clone(),
                env: req.env,
                mcp: req.mcp,
                skills: req.skills,
                task: req.task,
                workspace: workspace.as_ref().map(|w| w.display().to_string()),
                setup: plan.setup.clone(),
                workflow_mode: req.workflow_mode.unwrap_or_default(),
                loop_: req.loop_,
                budget: req.budget,
                output_contract: req.output_contract,
            },
            state: SessionState {
                label,
                tags: req.tags,
                metadata: req.metadata,
                repos,
                title: req.title,
                loop_state,
                ..SessionState::new(now)
            },
        };
        // Check before touching the disk, so a refused create leaves nothing behind.
        self.check_room(&id, &self.sessions.read().unwrap())?;
        let made = workspace.as_ref().unwrap_or(&directory);
        std::fs::create_dir_all(made)
            .map_err(|err| SessionError::Directory { path: made.display().to_string(), reason: err.to_string() })?;
        let data = record.document();
        let handle = {
            let mut sessions = self.sessions.write().unwrap();
            self.check_room(&id, &sessions)?; // again: another create may have raced us
            let handle = self.launch(self.prepare(record, agent, 0));
            sessions.insert(id.clone(), handle.clone());
            handle
        };
        // Absent: the store refuses an id it already holds, even one this daemon does not know.
        let stored = match self.store.put_session(id.clone(), data, Expect::Absent).await {
            Ok(receipt) => receipt.wait().await,
            Err(err) => Err(err),
        };
        if let Err(err) = stored {
            // The actor has done nothing yet; dropping its handle ends it without touching the store.
            self.sessions.write().unwrap().remove(&id);
            return Err(match err {
                StoreError::RevisionConflict { .. } => SessionError::AlreadyExists(id),
                err => err.into(),
            });
        }
        if let Err(err) = handle.call(|reply| Command::Start { prepare: coder, reply }).await {
            self.delete(&id, by).await.ok();
            return Err(err);
        }
        if let Some(workspace) = workspace.filter(|_| coder) {
            let env = sandbox_agent_exec::base_env(&handle.shared.state_dir)
                .into_iter()
                .chain(handle.shared.settings.env.iter().map(|(k, v)| (k.clone(), v.clone())))
                .collect();
            let job = Job { plan, workspace, git, env };
            let task = tokio::spawn(prepare::run(handle.clone(), job));
            *handle.shared.prep.lock().unwrap() = Some(task.abort_handle());
        }
        let info = handle.info();
        Ok(CreateSessionResponse {
            session_id: id,
            status: info.status,
            healthy: true,
            native_session_id: info.native_session_id,
        })
    }

    fn check_room(&self, id: &str, sessions: &HashMap<String, Arc<SessionHandle>>) -> Result<()> {
        if sessions.contains_key(id) {
            return Err(SessionError::AlreadyExists(id.to_string()));
        }
        // Replicas are other nodes' sessions: they take no room here.
        let live = sessions
            .values()
            .filter(|h| h.is_local() && h.shared.state.lock().unwrap().status != SessionStatus::Ended)
            .count();
        if live >= self.max_sessions {
            return Err(SessionError::TooMany(self.max_sessions));
        }
        Ok(())
    }
}

/// The agent and permission modes of a new session: the request's, or the agent's defaults.
fn modes(agent: &dyn Agent, req: &CreateSessionRequest) -> Result<(String, String)> {
    let modes = agent.modes();
    let agent_mode = req.agent_mode.clone().unwrap_or_else(|| modes[0].id.clone());
    if !modes.iter().any(|m| m.id == agent_mode) {
        return Err(SessionError::NoSuchAgentMode { agent: req.agent.clone(), mode: agent_mode });
    }
    let permission_mode = req.permission_mode.clone().unwrap_or_else(|| agent.permission_modes()[0].to_string());
    if !PERMISSION_MODES.contains(&permission_mode.as_str()) {
        return Err(SessionError::UnknownPermissionMode(permission_mode));
    }
    if !agent.permission_modes().contains(&permission_mode.as_str()) {
        return Err(SessionError::PermissionModeNotSupported { agent: req.agent.clone(), mode: permission_mode });
    }
    Ok((agent_mode, permission_mode))
}
