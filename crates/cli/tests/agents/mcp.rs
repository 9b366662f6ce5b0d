//! MCP servers per session, with the real Claude Code and a stdio server written on the official
//! MCP Python SDK (`fixtures/mcp_echo.py`; `scripts/test` installs the SDK and names its python
//! in `SANDBOX_AGENT_MCP_PYTHON`). The model stub calls the server's tool by name.

use std::collections::BTreeMap;

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

const SECRET: &str = "mcp-secret-7f3a9c1e";

fn python() -> String {
    std::env::var("SANDBOX_AGENT_MCP_PYTHON").unwrap_or_else(|_| {
        panic!(
            "SANDBOX_AGENT_MCP_PYTHON is not set: ./scripts/test installs the MCP Python SDK into a venv and sets it"
        )
    })
}

fn echo_server() -> BTreeMap<String, McpServer> {
    slow_echo_server(0.0)
}

/// The echo server, `delay` seconds slow to start.
fn slow_echo_server(delay: f64) -> BTreeMap<String, McpServer> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agents/fixtures/mcp_echo.py");
    let env = BTreeMap::from([
        ("ECHO_SECRET".to_string(), SECRET.to_string()),
        ("ECHO_STARTUP_DELAY_S".to_string(), delay.to_string()),
    ]);
    BTreeMap::from([("echo".to_string(), McpServer::Stdio { command: python(), args: vec![script.into()], env })])
}

/// The files under the data dir (relative, sorted; the store aside) that hold [`SECRET`],
/// each checked to be readable by the daemon's user only.
fn private_files_with_the_secret(d: &Daemon) -> Vec<String> {
    let found = std::process::Command::new("grep").args(["-r", "-l", SECRET]).arg(d.data_path()).output().unwrap();
    let mut files: Vec<String> = String::from_utf8_lossy(&found.stdout)
        .lines()
        .map(|l| l.strip_prefix(d.data_path().to_str().unwrap()).unwrap_or(l).to_string())
        .filter(|f| !f.starts_with("/sandbox-agent.db"))
        .collect();
    files.sort();
    for file in &files {
        let meta = std::fs::metadata(d.data_path().join(file.trim_start_matches('/'))).unwrap();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777, 0o600, "{file}");
    }
    files
}

#[tokio::test]
async fn claude_calls_a_tool_of_the_session_mcp_server_after_a_permission() {
    ensure_installed(AgentKind::Claude).await;
    let stub = ModelStub::start().await;
    let d = Daemon::start_logged(&["--agents-dir", agents_dir().to_str().unwrap()]).await;
    let c = d.client();
    let req = CreateSessionRequest {
        agent: "claude".into(),
        permission_mode: Some("default".into()),
        env: stub_env(&stub),
        mcp: echo_server(),
        ..Default::default()
    };
    c.create_session_with_id("s", &req).await.unwrap();
    stub.push(Reply::tool(Tool::named("mcp__echo__echo", serde_json::json!({"text": "ping"}))));
    stub.push(Reply::text("the tool answered"));
    c.send_message("s", "use the echo tool").await.unwrap();

    // An MCP tool asks first, like any other.
    let asked = wait_for(&c, "s", 0, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    assert!(p.action.contains("mcp__echo__echo"), "{p:?}");
    c.reply_permission("s", &p.permission_id, PermissionReply::Once).await.unwrap();
    let events = until_turn_end(&c, "s", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);

    // The call and its result are universal items, named after the server's tool.
    let calls: Vec<_> = completed_items(&events).into_iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert!(
        matches!(&calls[0].content[0], ContentPart::ToolCall { name, arguments, .. } if name == "mcp__echo__echo" && arguments.contains("ping")),
        "{calls:?}"
    );
    let results = tool_results(&events);
    let expected = format!("echo says 'ping' (secret of {} chars)", SECRET.len());
    assert!(tool_output(results[0]).contains(&expected), "{results:?}");
    // The model was offered the tool, and got its result back.
    let turns = stub.turns();
    assert!(turns[0].tool_names().iter().any(|t| t == "mcp__echo__echo"), "{:?}", turns[0].tool_names());
    assert!(turns[1].contains(&expected));

    // Only the name is served; the server's env is a secret like the session's env.
    let info = c.get_session("s").await.unwrap();
    assert_eq!(info.mcp_servers, ["echo"]);
    let served = serde_json::to_string(&(info, c.events("s", &Default::default()).await.unwrap())).unwrap();
    assert!(!served.contains(SECRET));
    c.terminate("s").await.unwrap();
    // On disk: in the store (so a resumed agent gets it) and the agent's own configuration, only.
    assert_eq!(private_files_with_the_secret(&d), ["/agent-state/s/mcp.json"]);
}

#[tokio::test]
async fn opencode_calls_a_tool_of_the_session_mcp_server() {
    ensure_installed(AgentKind::Opencode).await;
    let stub = ModelStub::start().await;
    let d = Daemon::start_with(&["--agents-dir", agents_dir().to_str().unwrap()]).await;
    let c = d.client();
    let req = CreateSessionRequest {
        agent: "opencode".into(),
        permission_mode: Some("default".into()),
        env: stub_env(&stub),
        mcp: echo_server(),
        ..Default::default()
    };
    c.create_session_with_id("s", &req).await.unwrap();
    // OpenCode names a server's tools `<server>_<tool>`.
    stub.push(Reply::tool(Tool::named("echo_echo", serde_json::json!({"text": "ping"}))));
    stub.push(Reply::text("the tool answered"));
    let events = turn_of(&c, "s", "use the echo tool").await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{events:?}");
    let calls: Vec<_> = completed_items(&events).into_iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert!(
        calls.iter().any(|c| matches!(&c.content[0], ContentPart::ToolCall { name, arguments, .. } if name == "echo_echo" && arguments.contains("ping"))),
        "{calls:?}"
    );
    let expected = format!("echo says 'ping' (secret of {} chars)", SECRET.len());
    assert!(tool_results(&events).iter().any(|r| tool_output(r).contains(&expected)), "{:?}", tool_results(&events));
    let turns = stub.turns();
    assert!(turns.iter().any(|t| t.contains(&expected)), "the model got the result back");
    assert_eq!(c.get_session("s").await.unwrap().mcp_servers, ["echo"]);
    // The secret is in the store and in the server's generated config, readable by us only.
    let files = private_files_with_the_secret(&d);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].contains("/opencode-") && files[0].ends_with(".json"), "{files:?}");
}

#[tokio::test]
async fn codex_calls_a_tool_of_the_session_mcp_server() {
    ensure_installed(AgentKind::Codex).await;
    let stub = ModelStub::start().await;
    let d = Daemon::start_logged(&["--agents-dir", agents_dir().to_str().unwrap()]).await;
    let c = d.client();
    // Slow to start: the first turn waits for it (Codex reports its MCP servers' start).
    let req = CreateSessionRequest { mcp: slow_echo_server(2.0), ..session_request(&stub, "codex", "default") };
    c.create_session_with_id("s", &req).await.unwrap();
    stub.push(Reply::tool(Tool::named("tool_search", serde_json::json!({"query": "echo"}))));
    stub.push(Reply::tool(Tool::named("mcp__echo__echo", serde_json::json!({"text": "ping"}))));
    stub.push(Reply::text("the tool answered"));
    c.send_message("s", "use the echo tool").await.unwrap();
    // Codex asks before an MCP tool runs, as an elicitation of its own: a permission here.
    let asked = wait_for(&c, "s", 0, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    let meta = p.metadata.clone().unwrap_or_default();
    assert_eq!(
        (p.action.as_str(), &meta["server"], &meta["tool"]),
        ("mcpToolCall", &serde_json::json!("echo"), &serde_json::json!("echo")),
        "{p:?}"
    );
    assert_eq!(meta["arguments"], serde_json::json!({"text": "ping"}));
    c.reply_permission("s", &p.permission_id, PermissionReply::Once).await.unwrap();
    let events = until_turn_end(&c, "s", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{events:?}");
    // Codex defers MCP tools: the model finds them with `tool_search`, then is offered them.
    let turns = stub.turns();
    let offered = |i: usize| turns[i].tool_names();
    assert!(offered(0).iter().any(|t| t == "tool_search") && !offered(0).iter().any(|t| t == "mcp__echo__echo"));
    assert!(offered(1).iter().any(|t| t == "mcp__echo__echo"), "{:?}", offered(1));
    let calls: Vec<_> = completed_items(&events).into_iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert!(
        calls.iter().any(|c| matches!(&c.content[0], ContentPart::ToolCall { name, arguments, .. } if name == "echo.echo" && arguments.contains("ping"))),
        "{calls:?}"
    );
    let expected = format!("echo says 'ping' (secret of {} chars)", SECRET.len());
    assert!(tool_results(&events).iter().any(|r| tool_output(r).contains(&expected)), "{:?}", tool_results(&events));
    assert!(turns.iter().any(|t| t.contains(&expected)), "the model got the result back");
    assert_eq!(c.get_session("s").await.unwrap().mcp_servers, ["echo"]);

    // Found once, the tool stays offered; a rejected call is failed and the model is told.
    stub.push(Reply::tool(Tool::named("mcp__echo__echo", serde_json::json!({"text": "again"}))));
    stub.push(Reply::text("understood"));
    let start = c.get_session("s").await.unwrap().event_count;
    c.send_message("s", "once more").await.unwrap();
    let asked = wait_for(&c, "s", start, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    c.reply_permission("s", &p.permission_id, PermissionReply::Reject).await.unwrap();
    let events = until_turn_end(&c, "s", start).await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{events:?}");
    let rejected = tool_results(&events).into_iter().find(|r| r.status == ItemStatus::Failed).expect("a failed result");
    assert!(tool_output(rejected).contains("rejected"), "{rejected:?}");
    assert!(stub.turns().last().unwrap().contains("rejected"), "the model heard the refusal");
    c.terminate("s").await.unwrap();
    // The secret is in the store and the session's config.toml (0600), nowhere else (logs included).
    assert_eq!(private_files_with_the_secret(&d), ["/agent-state/s/home/.codex/config.toml"]);
}

#[tokio::test]
async fn mcp_servers_are_validated_and_refused_by_agents_without_them() {
    let d = Daemon::start().await;
    let c = d.client();
    let with = |agent: &str, mcp: BTreeMap<String, McpServer>| CreateSessionRequest {
        agent: agent.into(),
        mcp,
        ..Default::default()
    };
    let err = c.create_session(&with("mock", echo_server())).await.unwrap_err();
    let p = err.problem().unwrap();
    assert_eq!((p.status, p.code(), p.agent.as_deref()), (501, "not_implemented", Some("mock")));
    for (name, server) in [
        ("bad name", McpServer::Stdio { command: "x".into(), args: vec![], env: BTreeMap::new() }),
        ("ok", McpServer::Stdio { command: " ".into(), args: vec![], env: BTreeMap::new() }),
        ("ok", McpServer::Http { url: "ftp://x".into(), headers: BTreeMap::new() }),
    ] {
        let err = c.create_session(&with("claude", BTreeMap::from([(name.to_string(), server)]))).await.unwrap_err();
        assert_eq!(err.problem().unwrap().status, 422, "{name}");
    }
}
