use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo};

use crate::{Agent, AgentError, InstallStatus, MockAgent, OutputSender, SessionSpec, StartFuture};

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

/// claude, codex, opencode, amp (adapters arrive with real-agent support) and mock.
pub fn builtin_agents(mock_pacing: Duration) -> AgentRegistry {
    let mut agents: Vec<Arc<dyn Agent>> = ["claude", "codex", "opencode", "amp"]
        .into_iter()
        .map(|id| Arc::new(NotYetSupported(id)) as Arc<dyn Agent>)
        .collect();
    agents.push(Arc::new(MockAgent::new(mock_pacing)));
    AgentRegistry::new(agents)
}

/// A real agent whose adapter is not built yet: listed, never installed, refuses to start.
struct NotYetSupported(&'static str);

impl Agent for NotYetSupported {
    fn id(&self) -> &'static str {
        self.0
    }
    fn capabilities(&self) -> AgentCapabilities {
        AgentCapabilities::default()
    }
    fn modes(&self) -> Vec<AgentModeInfo> {
        vec![AgentModeInfo { id: "build".into(), name: "Build".into(), description: "Default mode".into() }]
    }
    fn permission_modes(&self) -> &'static [&'static str] {
        &["default"]
    }
    fn install_status(&self) -> InstallStatus {
        InstallStatus::default()
    }
    fn start(&self, _spec: SessionSpec, _output: OutputSender) -> StartFuture {
        let id = self.0;
        Box::pin(async move { Err(AgentError::NotInstalled(id.to_string())) })
    }
}
