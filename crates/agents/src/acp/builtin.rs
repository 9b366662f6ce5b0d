//! The ACP agents the daemon knows without configuration, with the flags their real-package
//! tests prove (`crates/cli/tests/agents/acp.rs`).

use sandbox_agent_schema::AgentCapabilities;

use super::{AcpProfile, Setup};

/// `opencode acp` (OpenCode 1.18.33's own ACP server), with the provider config the OpenCode
/// adapter generates.
pub fn opencode() -> AcpProfile {
    AcpProfile {
        args: vec!["acp".into()],
        env: Vec::new(),
        capabilities: AgentCapabilities {
            text_messages: true,
            streaming_deltas: true,
            tool_calls: true,
            tool_results: true,
            permissions: true,
            command_execution: true,
            session_lifecycle: true,
            error_events: true,
            item_started: true,
            interrupt: true,
            resume: true,
            ..Default::default()
        },
        setup: Setup::Opencode,
    }
}
