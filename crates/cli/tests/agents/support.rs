//! Shared setup for real-agent tests: the installed binaries and the model stub.

use std::path::PathBuf;

use sandbox_agent_agents::install::{InstallOptions, PackageDescriptor};
use sandbox_agent_client::Client;
use sandbox_agent_model_stub::ModelStub;
use sandbox_agent_schema::*;

use crate::common::*;

/// The install cache: `$SANDBOX_AGENT_AGENTS_DIR`, else `~/.cache/sandbox-agent/agents`.
pub fn agents_dir() -> PathBuf {
    match std::env::var_os("SANDBOX_AGENT_AGENTS_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/sandbox-agent/agents"),
    }
}

/// Install the pinned agent through the project's installer (a no-op when cached).
pub async fn ensure_installed(package: impl Into<PackageDescriptor>) {
    let package = package.into();
    let install = sandbox_agent_agents::install_agent(agents_dir(), &package, InstallOptions::default(), |_| {});
    let installed = tokio::time::timeout(std::time::Duration::from_secs(600), install).await.expect("install in time");
    installed.unwrap_or_else(|e| panic!("installing {}: {e}", package.agent));
}

/// A daemon that finds agents in the install cache.
pub async fn daemon() -> Daemon {
    Daemon::start_with(&["--agents-dir", agents_dir().to_str().unwrap()]).await
}

/// Create a session of `agent` pointed at the stub.
pub async fn session(c: &Client, stub: &ModelStub, agent: &str, id: &str, permission_mode: &str) {
    let req = session_request(stub, agent, permission_mode);
    c.create_session_with_id(id, &req).await.unwrap_or_else(|e| panic!("create {agent} session: {e}"));
}

/// The create request of [`session`], to add to.
pub fn session_request(stub: &ModelStub, agent: &str, permission_mode: &str) -> CreateSessionRequest {
    CreateSessionRequest {
        agent: agent.into(),
        permission_mode: Some(permission_mode.into()),
        model: test_model(agent).map(str::to_string),
        env: stub_env(stub),
        ..Default::default()
    }
}

/// The environment that points every agent at the stub.
pub fn stub_env(stub: &ModelStub) -> std::collections::BTreeMap<String, String> {
    [
        ("ANTHROPIC_BASE_URL", stub.url()),
        ("ANTHROPIC_API_KEY", "sk-stub".to_string()),
        ("CLAUDE_CODE_MAX_RETRIES", "0".to_string()),
        ("OPENAI_BASE_URL", format!("{}/v1", stub.url())),
        ("OPENAI_API_KEY", "sk-stub".to_string()),
        ("GOOGLE_GEMINI_BASE_URL", stub.url()),
        ("GEMINI_API_KEY", "sk-stub".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The model a test session asks for. Codex 0.169's default model is offered no function
/// tools; `gpt-5.5` (in its bundled catalog) gets `exec_command` and `apply_patch`.
fn test_model(agent: &str) -> Option<&'static str> {
    matches!(agent, "codex" | "codex-acp").then_some("gpt-5.5")
}

/// How long a real agent may take for one step: OpenCode's server alone needs 5–15 s to
/// start on a loaded 2-core machine.
pub const AGENT_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Events until `stop`, within [`AGENT_WAIT`].
pub async fn agent_events(
    c: &Client,
    id: &str,
    after: u64,
    stop: impl Fn(&UniversalEvent) -> bool,
) -> Vec<UniversalEvent> {
    sse_until_within(AGENT_WAIT, c, id, after, stop).await
}

/// Events up to the next `turn.ended` after `after`.
pub async fn until_turn_end(c: &Client, id: &str, after: u64) -> Vec<UniversalEvent> {
    agent_events(c, id, after, |e| e.data.event_type() == "turn.ended").await
}

/// Send a message and wait for the turn's end; returns the turn's events.
pub async fn turn_of(c: &Client, id: &str, message: &str) -> Vec<UniversalEvent> {
    let start = c.get_session(id).await.unwrap().event_count;
    c.send_message(id, message).await.unwrap();
    until_turn_end(c, id, start).await
}

/// The first event of a type after `after`, waiting for it.
pub async fn wait_for(c: &Client, id: &str, after: u64, ty: &str) -> UniversalEvent {
    agent_events(c, id, after, |e| e.data.event_type() == ty).await.pop().unwrap()
}

pub fn tool_results(events: &[UniversalEvent]) -> Vec<&UniversalItem> {
    completed_items(events).into_iter().filter(|i| i.kind == ItemKind::ToolResult).collect()
}

pub fn tool_output(item: &UniversalItem) -> String {
    item.content
        .iter()
        .filter_map(|p| match p {
            ContentPart::ToolResult { output, .. } => Some(output.as_str()),
            _ => None,
        })
        .collect()
}

/// The tool results a model request carries, as text, whatever its API: Anthropic
/// `tool_result` blocks, Chat Completions `tool` messages, Responses `*_call_output` items.
pub fn tool_outputs(request: &sandbox_agent_model_stub::RecordedRequest) -> Vec<String> {
    let body = &request.body;
    let list = |key: &str| body[key].as_array().cloned().unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    let anthropic = list("messages")
        .into_iter()
        .flat_map(|m| m["content"].as_array().cloned().unwrap_or_default())
        .filter(|b| b["type"] == "tool_result")
        .map(|b| text(&b["content"]));
    let chat = list("messages").into_iter().filter(|m| m["role"] == "tool").map(|m| text(&m["content"]));
    let responses = list("input")
        .into_iter()
        .filter(|i| i["type"].as_str().is_some_and(|t| t.ends_with("_call_output")))
        .map(|i| text(&i["output"]));
    anthropic.chain(chat).chain(responses).collect()
}
