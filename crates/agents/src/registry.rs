//! The agents a daemon offers, built from descriptors: data saying which adapter speaks an
//! agent's protocol and where its binary comes from. The five built-ins are descriptors like
//! any other; an agent defined in configuration (any ACP agent) will be one more.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_install::{AgentKind, PackageDescriptor};

use crate::acp::{AcpAgent, AcpProfile};
use crate::amp::AmpAgent;
use crate::claude::ClaudeAgent;
use crate::codex::CodexAgent;
use crate::locate::Lookup;
use crate::opencode::OpencodeAgent;
use crate::{Agent, MockAgent};

/// Which adapter speaks an agent's protocol.
#[derive(Debug, Clone)]
pub enum Adapter {
    Claude,
    Codex,
    Opencode,
    Amp,
    Mock,
    /// Any ACP agent, run as its profile says.
    Acp(AcpProfile),
}

/// One agent, as data.
#[derive(Debug, Clone)]
pub struct AgentDescriptor {
    pub id: String,
    /// A display name (agents defined in configuration).
    pub name: Option<String>,
    pub adapter: Adapter,
    /// Its npm distribution and the executable's name on `PATH`; `None` for agents built into
    /// the daemon (mock).
    pub binary: Option<BinarySource>,
    /// Where its binary is, when the configuration says (`--agent-bin` still wins).
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct BinarySource {
    pub package: PackageDescriptor,
    pub command: String,
}

impl AgentDescriptor {
    fn packaged(kind: AgentKind, adapter: Adapter) -> Self {
        AgentDescriptor {
            id: kind.as_str().to_string(),
            name: None,
            adapter,
            binary: Some(BinarySource { package: kind.package(), command: kind.as_str().to_string() }),
            path: None,
        }
    }
}

/// claude, codex, opencode, amp, mock and the built-in ACP agents, in listing order.
pub fn builtin_descriptors() -> Vec<AgentDescriptor> {
    vec![
        AgentDescriptor::packaged(AgentKind::Claude, Adapter::Claude),
        AgentDescriptor::packaged(AgentKind::Codex, Adapter::Codex),
        AgentDescriptor::packaged(AgentKind::Opencode, Adapter::Opencode),
        AgentDescriptor::packaged(AgentKind::Amp, Adapter::Amp),
        AgentDescriptor { id: "mock".into(), name: None, adapter: Adapter::Mock, binary: None, path: None },
        // `opencode acp`: the same binary as opencode, spoken to over ACP.
        AgentDescriptor {
            id: "opencode-acp".into(),
            name: None,
            adapter: Adapter::Acp(crate::acp::builtin::opencode()),
            binary: Some(BinarySource { package: AgentKind::Opencode.package(), command: "opencode".into() }),
            path: None,
        },
        AgentDescriptor {
            id: "codex-acp".into(),
            name: None,
            adapter: Adapter::Acp(crate::acp::builtin::codex()),
            binary: Some(BinarySource { package: crate::acp::builtin::codex_package(), command: "codex-acp".into() }),
            path: None,
        },
        AgentDescriptor {
            id: "gemini".into(),
            name: Some("Gemini CLI".into()),
            adapter: Adapter::Acp(crate::acp::builtin::gemini()),
            binary: Some(BinarySource { package: crate::acp::builtin::gemini_package(), command: "gemini".into() }),
            path: None,
        },
        AgentDescriptor {
            id: "claude-acp".into(),
            name: None,
            adapter: Adapter::Acp(crate::acp::builtin::claude()),
            binary: Some(BinarySource {
                package: crate::acp::builtin::claude_package(),
                command: "claude-agent-acp".into(),
            }),
            path: None,
        },
    ]
}

/// What the agents need to know about the daemon.
#[derive(Debug, Clone, Default)]
pub struct AgentsConfig {
    /// Where the installer keeps agent binaries.
    pub agents_dir: PathBuf,
    /// Pause between mock agent events.
    pub mock_pacing: Duration,
    /// Explicit binaries by agent id (`--agent-bin ID=PATH`); they win over everything else.
    pub binaries: BTreeMap<String, PathBuf>,
    /// The `PATH` searched for agents not installed by us (the daemon's own, normally).
    pub search_path: Option<OsString>,
}

/// The agents a daemon knows, in listing order.
#[derive(Clone)]
pub struct AgentRegistry {
    agents: Vec<(AgentDescriptor, Arc<dyn Agent>)>,
}

impl AgentRegistry {
    /// Build each descriptor's adapter. Fails on an explicit binary for an agent that is not
    /// described, or for one built into the daemon.
    pub fn from_descriptors(descriptors: Vec<AgentDescriptor>, config: &AgentsConfig) -> Result<Self, String> {
        for id in config.binaries.keys() {
            match descriptors.iter().find(|d| d.id == *id) {
                None => return Err(format!("--agent-bin names an unknown agent: {id}")),
                Some(d) if d.binary.is_none() => return Err(format!("{id} is built in and takes no binary")),
                Some(_) => {}
            }
        }
        let agents = descriptors
            .into_iter()
            .map(|descriptor| {
                let locate = descriptor.binary.as_ref().map(|binary| {
                    Lookup {
                        agent: descriptor.id.clone(),
                        package: binary.package.clone(),
                        command: binary.command.clone(),
                        configured: config.binaries.get(&descriptor.id).cloned().or(descriptor.path.clone()),
                        agents_dir: config.agents_dir.clone(),
                        search_path: config.search_path.clone(),
                    }
                    .into_locate()
                });
                let agent: Arc<dyn Agent> = match (descriptor.adapter.clone(), locate) {
                    (Adapter::Mock, _) | (_, None) => Arc::new(MockAgent::new(config.mock_pacing)),
                    (Adapter::Claude, Some(locate)) => Arc::new(ClaudeAgent::new(locate)),
                    (Adapter::Codex, Some(locate)) => Arc::new(CodexAgent::new(locate)),
                    (Adapter::Opencode, Some(locate)) => Arc::new(OpencodeAgent::new(locate)),
                    (Adapter::Amp, Some(locate)) => Arc::new(AmpAgent::new(locate)),
                    (Adapter::Acp(profile), Some(locate)) => {
                        Arc::new(AcpAgent::new(&descriptor.id, descriptor.name.clone(), profile, locate))
                    }
                };
                (descriptor, agent)
            })
            .collect();
        Ok(AgentRegistry { agents })
    }

    pub fn get(&self, id: &str) -> Option<&Arc<dyn Agent>> {
        self.agents.iter().find(|(d, _)| d.id == id).map(|(_, a)| a)
    }

    /// The package that installs agent `id` (`None`: built in, or unknown).
    pub fn package(&self, id: &str) -> Option<&PackageDescriptor> {
        self.agents.iter().find(|(d, _)| d.id == id).and_then(|(d, _)| Some(&d.binary.as_ref()?.package))
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn Agent>> {
        self.agents.iter().map(|(_, a)| a)
    }
}

/// Install (or find installed) an agent's pinned binary under `agents_dir`, using the npm
/// registry npm itself would use. Idempotent; concurrent installs wait for each other.
pub async fn install_agent(
    agents_dir: PathBuf,
    package: &PackageDescriptor,
    options: sandbox_agent_install::InstallOptions,
    progress: impl Fn(sandbox_agent_install::Progress) + Send + Sync,
) -> Result<sandbox_agent_install::InstalledAgent, sandbox_agent_install::Error> {
    // Installed already (and not asked to reinstall): no registry needed, works offline.
    if !options.reinstall {
        if let Some(found) = sandbox_agent_install::installed(&agents_dir, package) {
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
    installer.install(package, options, progress).await
}

/// The built-in agents.
pub fn builtin_agents(config: &AgentsConfig) -> Result<AgentRegistry, String> {
    AgentRegistry::from_descriptors(builtin_descriptors(), config)
}

/// The built-in agents, then those the file at `agent_config` defines (if any).
pub fn configured_agents(
    config: &AgentsConfig,
    agent_config: Option<&std::path::Path>,
) -> Result<AgentRegistry, String> {
    let mut descriptors = builtin_descriptors();
    if let Some(path) = agent_config {
        let taken: Vec<String> = descriptors.iter().map(|d| d.id.clone()).collect();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        descriptors.extend(crate::config::load(path, &taken)?);
    }
    AgentRegistry::from_descriptors(descriptors, config)
}
