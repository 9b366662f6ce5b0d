use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_install::AgentKind;

use crate::amp::AmpAgent;
use crate::claude::{ClaudeAgent, Locate};
use crate::codex::CodexAgent;
use crate::opencode::OpencodeAgent;
use crate::{Agent, InstallStatus, MockAgent};

/// The agents a daemon knows, in listing order.
#[derive(Clone)]
pub struct AgentRegistry {
    agents: Vec<Arc<dyn Agent>>,
}

impl AgentRegistry {
    pub fn new(agents: Vec<Arc<dyn Agent>>) -> Self {
        AgentRegistry { agents }
    }
    pub fn get(&self, id: &str) -> Option<&Arc<dyn Agent>> {
        self.agents.iter().find(|a| a.id() == id)
    }
    pub fn all(&self) -> &[Arc<dyn Agent>] {
        &self.agents
    }
}

/// What the built-in agents need to know about the daemon.
#[derive(Debug, Clone)]
pub struct AgentsConfig {
    /// Where the installer keeps agent binaries.
    pub agents_dir: PathBuf,
    /// Pause between mock agent events.
    pub mock_pacing: Duration,
}

/// Finds an agent's binary where the installer put it.
pub fn installed_locator(agents_dir: PathBuf, kind: AgentKind) -> Locate {
    Arc::new(move || match sandbox_agent_install::installed(&agents_dir, kind) {
        Some(found) => InstallStatus { installed: true, version: Some(found.version), path: Some(found.path) },
        None => InstallStatus::default(),
    })
}

/// Install (or find installed) an agent's pinned binary under `agents_dir`, using the npm
/// registry npm itself would use. Idempotent; concurrent installs wait for each other.
pub async fn install_agent(
    agents_dir: PathBuf,
    kind: AgentKind,
    options: sandbox_agent_install::InstallOptions,
    progress: impl Fn(sandbox_agent_install::Progress) + Send + Sync,
) -> Result<sandbox_agent_install::InstalledAgent, sandbox_agent_install::Error> {
    // Installed already (and not asked to reinstall): no registry needed, works offline.
    if !options.reinstall {
        if let Some(found) = sandbox_agent_install::installed(&agents_dir, kind) {
            if options.version.as_ref().is_none_or(|v| *v == found.version) {
                progress(sandbox_agent_install::Progress::Done { path: found.path.clone(), downloaded: false });
                return Ok(found);
            }
        }
    }
    // Discovery may run `npm config get registry`: keep it off the async threads.
    let registry = tokio::task::spawn_blocking(|| sandbox_agent_install::Registry::discover(None))
        .await
        .expect("registry discovery does not panic")?;
    let installer = sandbox_agent_install::Installer::new(agents_dir, registry)?;
    installer.install(kind, options, progress).await
}

/// claude, codex, opencode, amp and mock.
pub fn builtin_agents(config: &AgentsConfig) -> AgentRegistry {
    let locate = |kind| installed_locator(config.agents_dir.clone(), kind);
    let agents: Vec<Arc<dyn Agent>> = vec![
        Arc::new(ClaudeAgent::new(locate(AgentKind::Claude))),
        Arc::new(CodexAgent::new(locate(AgentKind::Codex))),
        Arc::new(OpencodeAgent::new(locate(AgentKind::Opencode))),
        Arc::new(AmpAgent::new(locate(AgentKind::Amp))),
        Arc::new(MockAgent::new(config.mock_pacing)),
    ];
    AgentRegistry::new(agents)
}
