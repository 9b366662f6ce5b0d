//! ACP agents through the daemon's generic ACP adapter, with the real packages against the
//! model stub: `opencode acp` (OpenCode's own ACP server).

use sandbox_agent_agents::install::AgentKind;

/// The scenarios every built-in ACP agent passes (`acp::builtin::PROVED`); a denied command
/// is each agent's own.
macro_rules! acp_scenarios {
    ($agent:literal, $package:expr) => {
        scenario_tests!($agent, $package, [
            text_turn => text_turn("default"),
            permission_approved_runs_the_command => permission_approved("default"),
            multi_turn_keeps_history => multi_turn("default"),
            daemon_restart_resumes_the_native_session => restart_resumes("default"),
            interrupt_during_a_slow_reply => interrupt("default"),
            model_api_error_then_usable => api_error("default"),
            killed_agent_pauses_and_resumes => agent_killed("default"),
            no_agent_process_outlives_the_daemon => no_orphans("default"),
            no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
        ]);
    };
}

acp_scenarios!("opencode-acp", AgentKind::Opencode);
scenario_tests!("opencode-acp", AgentKind::Opencode, [
    permission_denied_does_not_run_the_command => permission_denied("default"),
]);

/// An ACP agent defined in configuration (`--agent-config`): here the real `opencode acp`,
/// with the provider configuration its user would write, since the daemon prepares nothing
/// for an agent it does not know.
#[tokio::test]
async fn an_agent_defined_in_configuration_is_listed_and_runs() {
    use sandbox_agent_model_stub::{ModelStub, Reply};
    use sandbox_agent_schema::*;

    use crate::common::*;
    use crate::support::*;

    ensure_installed(AgentKind::Opencode).await;
    let installed = sandbox_agent_agents::install::installed(&agents_dir(), &AgentKind::Opencode.package()).unwrap();
    let stub = ModelStub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let opencode_json = serde_json::json!({
        "$schema": "https://opencode.ai/config.json", "autoupdate": false, "share": "disabled",
        "provider": {"stub": {"npm": "@ai-sdk/openai-compatible", "name": "Stub",
            "options": {"baseURL": format!("{}/v1", stub.url()), "apiKey": "sk-stub"},
            "models": {"m": {"name": "m", "tool_call": true}}}},
        "model": "stub/m", "small_model": "stub/m",
    });
    std::fs::write(dir.path().join("opencode.json"), opencode_json.to_string()).unwrap();
    let toml = format!(
        "[[agents]]\nid = \"my-acp\"\nname = \"My ACP agent\"\ncommand = \"{}\"\nargs = [\"acp\"]\nenv = {{ OPENCODE_CONFIG = \"{}\", XDG_DATA_HOME = \"{}\" }}\n",
        installed.path.display(),
        dir.path().join("opencode.json").display(),
        dir.path().join("data").display(),
    );
    let config = dir.path().join("agents.toml");
    std::fs::write(&config, toml).unwrap();
    let d = Daemon::start_with(&[
        "--agents-dir",
        agents_dir().to_str().unwrap(),
        "--agent-config",
        config.to_str().unwrap(),
    ])
    .await;
    let c = d.client();

    let agents = c.list_agents().await.unwrap().agents;
    let mine = agents.iter().find(|a| a.id == "my-acp").expect("listed");
    assert_eq!(mine.name.as_deref(), Some("My ACP agent"));
    assert!(mine.installed, "found at its absolute command");
    assert_eq!(mine.capabilities, AgentCapabilities::default(), "nothing is claimed for an agent no test has seen");
    assert_eq!(agents.last().map(|a| a.id.as_str()), Some("my-acp"), "after the built-ins");

    c.create_session_with_id("s", &CreateSessionRequest { agent: "my-acp".into(), ..Default::default() })
        .await
        .unwrap();
    stub.push(Reply::text("configured and answering"));
    let events = turn_of(&c, "s", "hello there").await;
    check_contract(&events, false);
    assert_eq!(assistant_text(&events), "configured and answering");
    assert!(stub.turns().iter().any(|t| t.contains("hello there")));
}

/// Zed's `codex-acp` (native binary from `@zed-industries/codex-acp-<platform>`), with the
/// session's `CODEX_HOME` as the Codex adapter writes it.
mod codex_acp {
    use sandbox_agent_agents::acp::builtin::codex_package;

    acp_scenarios!("codex-acp", codex_package());

    /// codex-acp's only refusal is `abort` ("No, and tell Codex what to do differently"): the
    /// command does not run and Codex stops the turn to wait for the user, so it ends
    /// interrupted; the next message goes on.
    #[tokio::test]
    async fn a_denied_command_does_not_run_and_ends_the_turn_for_new_instructions() {
        use sandbox_agent_schema::*;

        use crate::common::*;
        use crate::support::*;

        let s = crate::scenarios::setup("codex-acp", codex_package(), "default").await;
        let events =
            crate::scenarios::shell_with_permission(&s, "echo denied > denied.txt", PermissionReply::Reject).await;
        assert!(!s.workdir.join("denied.txt").exists(), "the command did not run");
        assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted);
        // The model was not asked again: the reply scripted for after the command answers the next message.
        assert_eq!(s.stub.pending(), 1);
        let next = turn_of(&s.c, "s", "do something else").await;
        assert_eq!((assistant_text(&next), turn_end(&next).reason), ("finished".to_string(), TurnEndReason::Completed));
    }
}

/// `claude-agent-acp` (the ACP project's adapter around the Claude Agent SDK and its own native
/// Claude Code), installed with its dependencies, with the Claude adapter's environment.
mod claude_acp {
    use sandbox_agent_agents::acp::builtin::claude_package;

    // Not `api_error`: the CLI retries a refused model request itself and the turn completes,
    // so no error reaches ACP (`errorEvents` is false for it).
    scenario_tests!("claude-acp", claude_package(), [
        text_turn => text_turn("default"),
        permission_approved_runs_the_command => permission_approved("default"),
        permission_denied_does_not_run_the_command => permission_denied("default"),
        multi_turn_keeps_history => multi_turn("default"),
        daemon_restart_resumes_the_native_session => restart_resumes("default"),
        interrupt_during_a_slow_reply => interrupt("default"),
        killed_agent_pauses_and_resumes => agent_killed("default"),
        no_agent_process_outlives_the_daemon => no_orphans("default"),
        no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
    ]);
}

/// Gemini CLI in ACP mode, its model API (Gemini's `streamGenerateContent`) served by the stub.
mod gemini {
    use sandbox_agent_agents::acp::builtin::gemini_package;

    // Not the two resumes: see `a_restart_goes_on_without_the_history_and_says_so`.
    scenario_tests!("gemini", gemini_package(), [
        text_turn => text_turn("default"),
        permission_approved_runs_the_command => permission_approved("default"),
        permission_denied_does_not_run_the_command => permission_denied("default"),
        multi_turn_keeps_history => multi_turn("default"),
        interrupt_during_a_slow_reply => interrupt("default"),
        model_api_error_then_usable => api_error("default"),
        no_agent_process_outlives_the_daemon => no_orphans("default"),
        no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
    ]);

    /// Gemini CLI 0.61.0's `session/load` rewrites the session's record before reading it and
    /// answers "No previous sessions found for this project." (reproduced with the CLI alone):
    /// after a restart the daemon goes on in a new session and records that the history is lost.
    /// `resume` is false for it; this fails once a pinned Gemini CLI resumes.
    #[tokio::test]
    async fn a_restart_goes_on_without_the_history_and_says_so() {
        use sandbox_agent_model_stub::Reply;
        use sandbox_agent_schema::*;

        use crate::common::*;
        use crate::support::*;

        let s = crate::scenarios::setup("gemini", gemini_package(), "default").await;
        s.stub.push(Reply::text("remember the word PELICAN"));
        turn_of(&s.c, "s", "before the restart").await;
        let crate::scenarios::Setup { stub, mut d, .. } = s;
        assert!(d.stop().await.success());
        let d = d.restart().await;
        let c = d.client();
        stub.push(Reply::text("going on"));
        let events = turn_of(&c, "s", "after the restart").await;
        assert_eq!(assistant_text(&events), "going on");
        let all = all_events(&c, "s").await;
        let lost = all
            .iter()
            .any(|e| matches!(&e.data, EventData::Error(e) if e.code.as_deref() == Some("agent_history_lost")));
        assert!(lost, "the lost history is recorded");
        assert!(!stub.turns().pop().unwrap().contains("PELICAN"), "the new session has no history");
    }
}

/// An ACP client drives a real agent through the daemon (`/v1/acp`): Claude Code, its model
/// env given in `session/new`'s `_meta`.
#[tokio::test]
async fn an_acp_client_drives_claude_through_the_daemon() {
    use futures_util::StreamExt;
    use sandbox_agent_model_stub::{ModelStub, Reply};
    use serde_json::json;

    use crate::support::*;

    ensure_installed(AgentKind::Claude).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let rpc = |id: u64, method: &str, params: serde_json::Value| json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    c.post_acp("zed", Some("claude"), &rpc(1, "initialize", json!({"protocolVersion": 1}))).await.unwrap();
    let new = rpc(
        2,
        "session/new",
        json!({"cwd": d.data_path().join("w"), "mcpServers": [], "_meta": {"sandbox-agent": {"env": stub_env(&stub)}}}),
    );
    let created = c.post_acp("zed", None, &new).await.unwrap().unwrap();
    let session = created["result"]["sessionId"].as_str().unwrap_or_else(|| panic!("{created}")).to_string();
    stub.push(Reply::text("Claude, over ACP."));
    let prompt = rpc(3, "session/prompt", json!({"sessionId": session, "prompt": [{"type": "text", "text": "hello"}]}));
    let done = tokio::time::timeout(AGENT_WAIT, c.post_acp("zed", None, &prompt)).await.unwrap().unwrap().unwrap();
    assert_eq!(done["result"]["stopReason"], "end_turn", "{done}");
    let last = c.list_acp_servers().await.unwrap().servers[0].last_event_id;
    let stream = c.acp_events("zed", None).await.unwrap();
    let messages = tokio::time::timeout(AGENT_WAIT, stream.take(last as usize).collect::<Vec<_>>()).await.unwrap();
    let text: String = messages
        .into_iter()
        .map(Result::unwrap)
        .filter(|m| m.message["params"]["update"]["sessionUpdate"] == "agent_message_chunk")
        .map(|m| m.message["params"]["update"]["content"]["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(text, "Claude, over ACP.");
    assert!(stub.turns().iter().any(|t| t.contains("hello")));
    assert_eq!(c.get_session(&session).await.unwrap().agent, "claude");
}
