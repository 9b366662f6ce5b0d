//! The ACP agents the daemon knows without configuration, with the flags their real-package
//! tests prove (`crates/cli/tests/agents/acp.rs`).

use sandbox_agent_schema::AgentCapabilities;

use super::{AcpProfile, Setup};

/// What `acp.rs`'s scenarios prove for each built-in ACP agent: a text turn (streamed), a shell
/// command approved and denied, two turns, an interrupt, a model API error, a restart and a
/// killed agent resumed (`session/load`).
const PROVED: AgentCapabilities = AgentCapabilities {
    text_messages: true,
    streaming_deltas: true,
    item_started: true,
    tool_calls: true,
    tool_results: true,
    command_execution: true,
    permissions: true,
    session_lifecycle: true,
    error_events: true,
    interrupt: true,
    resume: true,
    plan_mode: false,
    questions: false,
    images: false,
    file_attachments: false,
    reasoning: false,
    file_changes: false,
    mcp_tools: false,
    skills: false,
    status: false,
    shared_process: false,
};

/// `opencode acp` (OpenCode 1.18.33's own ACP server), with the provider config the OpenCode
/// adapter generates.
pub fn opencode() -> AcpProfile {
    AcpProfile { args: vec!["acp".into()], env: Vec::new(), capabilities: PROVED, setup: Setup::Opencode }
}

/// `codex-acp` (Zed's ACP adapter around Codex; 0.16.0 embeds Codex 0.137), its native binary
/// run directly (the node launcher orphans it on SIGTERM), with the session's `CODEX_HOME`.
pub fn codex() -> AcpProfile {
    AcpProfile { args: Vec::new(), env: Vec::new(), capabilities: PROVED, setup: Setup::Codex }
}

/// `claude-agent-acp` (the ACP project's adapter around the Claude Agent SDK, which runs its own
/// Claude Code CLI), with the environment the Claude adapter gives the CLI.
pub fn claude() -> AcpProfile {
    // Its CLI retries a refused model request itself: no error reaches ACP.
    let capabilities = AgentCapabilities { error_events: false, ..PROVED };
    AcpProfile { args: Vec::new(), env: Vec::new(), capabilities, setup: Setup::Claude }
}

/// Where `claude-agent-acp` comes from: one node package, its dependencies installed beside it
/// (the SDK, with its platform's native CLI).
pub fn claude_package() -> sandbox_agent_install::PackageDescriptor {
    sandbox_agent_install::PackageDescriptor::new("claude-acp", CLAUDE_ACP_VERSION, |_, version| {
        Ok(sandbox_agent_install::PackageSpec {
            package: "@agentclientprotocol/claude-agent-acp".into(),
            version: version.to_string(),
            binary: "dist/index.js".into(),
            dependencies: true,
        })
    })
}

/// The `claude-agent-acp` version the tests ran.
pub const CLAUDE_ACP_VERSION: &str = "0.101.0";

/// Gemini CLI in ACP mode (`gemini --acp`), its model at the session's `GOOGLE_GEMINI_BASE_URL`
/// with its `GEMINI_API_KEY`.
pub fn gemini() -> AcpProfile {
    // Its `session/load` (0.61.0) starts recording the loaded session afresh before it reads it,
    // so it finds nothing to resume: a resumed session goes on without its history.
    let capabilities = AgentCapabilities { resume: false, ..PROVED };
    AcpProfile { args: vec!["--acp".into()], env: Vec::new(), capabilities, setup: Setup::Gemini }
}

/// Where Gemini CLI comes from: one bundled node package (its optional native terminal
/// packages are not needed: its shell tool falls back to a plain child process).
pub fn gemini_package() -> sandbox_agent_install::PackageDescriptor {
    sandbox_agent_install::PackageDescriptor::npm("gemini", "@google/gemini-cli", GEMINI_VERSION, "bundle/gemini.js")
}

/// The Gemini CLI version the tests ran.
pub const GEMINI_VERSION: &str = "0.61.0";

/// Where `codex-acp` comes from: the platform's native package.
pub fn codex_package() -> sandbox_agent_install::PackageDescriptor {
    sandbox_agent_install::PackageDescriptor::new("codex-acp", CODEX_ACP_VERSION, |platform, version| {
        let os_cpu = platform.npm_os_cpu().ok_or_else(|| sandbox_agent_install::Error::UnsupportedPlatform {
            agent: "codex-acp".into(),
            platform: platform.to_string(),
        })?;
        Ok(sandbox_agent_install::PackageSpec {
            package: format!("@zed-industries/codex-acp-{os_cpu}"),
            version: version.to_string(),
            binary: "bin/codex-acp".into(),
            dependencies: false,
        })
    })
}

/// The `codex-acp` version the tests ran.
pub const CODEX_ACP_VERSION: &str = "0.16.0";
