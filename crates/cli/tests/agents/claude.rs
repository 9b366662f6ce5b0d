//! Claude Code 2.1.197 (the real CLI) through the daemon, against the model stub.

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_model_stub::{Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::scenarios::{self, Setup};
use crate::support::*;

async fn setup(permission_mode: &str) -> Setup {
    scenarios::setup(AGENT, KIND, permission_mode).await
}

fn no_unparsed(events: &[UniversalEvent]) {
    check_contract(events, false);
}

#[tokio::test]
async fn text_turn() {
    let s = setup("default").await;
    s.stub.push(Reply::text("Hello from the stub."));
    let events = turn_of(&s.c, "s", "say hello").await;
    no_unparsed(&events);
    assert_eq!(assistant_text(&events), "Hello from the stub.");
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    // What the capability flags claim: native lifecycle, item starts and streamed deltas.
    for ty in ["session.started", "item.started", "item.delta"] {
        assert!(events.iter().any(|e| e.data.event_type() == ty && !e.synthetic), "a native {ty}");
    }
    let info = s.c.get_session("s").await.unwrap();
    assert!(info.native_session_id.is_some());
    assert_eq!(info.status, SessionStatus::Idle);
    // The request really came from the CLI, with our key and its tools.
    let turns = s.stub.turns();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0].header("x-api-key"), Some("sk-stub"));
    assert!(turns[0].tool_names().iter().any(|t| t == "Bash"));
    assert!(turns[0].contains("say hello"));
}

#[tokio::test]
async fn shell_tool_call_and_result() {
    let s = setup("bypass").await;
    s.stub.push(Reply::tool(Tool::shell("echo tool-output-42")));
    s.stub.push(Reply::text("done"));
    let events = turn_of(&s.c, "s", "run a command").await;
    no_unparsed(&events);
    let calls: Vec<_> = completed_items(&events).into_iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert!(
        matches!(&calls[0].content[0], ContentPart::ToolCall { name, arguments, .. } if name == "Bash" && arguments.contains("tool-output-42"))
    );
    let results = tool_results(&events);
    assert_eq!(results.len(), 1);
    assert!(tool_output(results[0]).contains("tool-output-42"));
    assert_eq!(results[0].status, ItemStatus::Completed);
    assert_eq!(results[0].parent_id.as_deref(), Some(calls[0].item_id.as_str()), "result points at its call");
    // The model saw the tool's output in the next request.
    assert!(s.stub.turns()[1].contains("tool-output-42"));
}

#[tokio::test]
async fn file_write_creates_the_file_with_a_file_ref() {
    let s = setup("bypass").await;
    let path = s.workdir.join("hello.txt");
    s.stub.push(Reply::tool(Tool::write_file(path.display().to_string(), "hello from the stub\n")));
    s.stub.push(Reply::text("written"));
    let events = turn_of(&s.c, "s", "write a file").await;
    no_unparsed(&events);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello from the stub\n");
    let refs: Vec<_> = tool_results(&events)
        .into_iter()
        .flat_map(|i| i.content.clone())
        .filter(|p| matches!(p, ContentPart::FileRef { action: FileAction::Write, path: p, .. } if p.ends_with("hello.txt")))
        .collect();
    assert_eq!(refs.len(), 1);
}

/// Ask for a file write in default mode; return the pending permission.
async fn ask_permission(s: &Setup, path: &std::path::Path) -> PermissionEventData {
    s.stub.push(Reply::tool(Tool::write_file(path.display().to_string(), "approved content\n")));
    s.stub.push(Reply::text("finished"));
    s.c.send_message("s", "write a file please").await.unwrap();
    let asked = wait_for(&s.c, "s", 0, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    assert_eq!(p.action, "Write");
    assert_eq!(s.c.get_session("s").await.unwrap().pending_permissions.len(), 1);
    assert!(!path.exists(), "nothing written before the reply");
    p
}

#[tokio::test]
async fn permission_approved_runs_the_tool() {
    let s = setup("default").await;
    let path = s.workdir.join("approved.txt");
    let p = ask_permission(&s, &path).await;
    s.c.reply_permission("s", &p.permission_id, PermissionReply::Once).await.unwrap();
    let events = until_turn_end(&s.c, "s", 0).await;
    no_unparsed(&events);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "approved content\n");
    assert_eq!(tool_results(&events)[0].status, ItemStatus::Completed);
    assert_eq!(count(&events, "permission.resolved"), 1);
}

#[tokio::test]
async fn permission_denied_does_not_run_the_tool() {
    let s = setup("default").await;
    let path = s.workdir.join("denied.txt");
    let p = ask_permission(&s, &path).await;
    s.c.reply_permission("s", &p.permission_id, PermissionReply::Reject).await.unwrap();
    let events = until_turn_end(&s.c, "s", 0).await;
    no_unparsed(&events);
    assert!(!path.exists());
    assert_eq!(tool_results(&events)[0].status, ItemStatus::Failed);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
}

#[tokio::test]
async fn models_are_listed_and_a_listed_one_is_used() {
    let l = crate::models::list(AGENT, KIND).await;
    assert_eq!(l.list.default_model.as_deref(), Some("default"));
    let sonnet = crate::models::model(&l, "sonnet");
    assert!(sonnet.variants.iter().any(|v| v == "max"), "{sonnet:?}");
    let request = crate::models::turn_with(&l, AGENT, "sonnet", Some("max")).await;
    // The alias reached the API as a Sonnet model, and the variant as the effort.
    assert!(request.body["model"].as_str().is_some_and(|m| m.contains("sonnet")), "{}", request.body["model"]);
    assert_eq!(request.body["output_config"]["effort"], "max");
}

// The scenarios every real agent shares (crates/cli/tests/agents/scenarios.rs).
scenario_tests!("claude", AgentKind::Claude, [
    ask_user_question_answered_reaches_the_model => question_answered("default"),
    reasoning_arrives_as_reasoning_parts => reasoning("default"),
    ask_user_question_rejected_then_usable => question_rejected("default"),
    multi_turn_keeps_history => multi_turn("default"),
    daemon_restart_resumes_the_native_session => restart_resumes("default"),
    interrupt_during_a_slow_reply => interrupt("default"),
    model_api_error_then_usable => api_error("default"),
    // SIGTERM: the CLI saves its conversation on the way out (after a SIGKILL right after a
    // turn it may not have; the daemon then starts afresh with `agent_history_lost`).
    killed_agent_pauses_and_resumes => agent_killed("default"),
    no_agent_process_outlives_the_daemon => no_orphans("default"),
    no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
]);

const AGENT: &str = "claude";
const KIND: AgentKind = AgentKind::Claude;

/// A claude already on the machine (here: the real binary, linked into a directory on PATH;
/// npm or a sandbox image put it there in real life) is found without our installer, reports
/// the version it prints, and runs a real turn.
#[tokio::test]
async fn a_claude_on_path_is_found_and_runs() {
    ensure_installed(KIND).await;
    let installed = sandbox_agent_agents::install::installed(&agents_dir(), &KIND.package()).expect("installed");
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&installed.path, bin.path().join("claude")).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.path().to_path_buf()).chain(std::env::split_paths(&path_without_agents())),
    )
    .unwrap();
    let stub = sandbox_agent_model_stub::ModelStub::start().await;
    // No --agents-dir: the daemon's own install dir (under its data dir) is empty.
    let d = Daemon::start_env(&[], &[("PATH", path.to_str().unwrap())]).await;
    let c = d.client();
    let info = c.list_agents().await.unwrap().agents.into_iter().find(|a| a.id == AGENT).unwrap();
    assert_eq!((info.installed, info.source), (true, Some(AgentSource::Path)), "{info:?}");
    assert_eq!(info.version.as_deref(), Some(installed.version.as_str()), "the version claude itself prints");
    assert_eq!(info.warning, None);
    session(&c, &stub, AGENT, "s", "default").await;
    stub.push(Reply::text("Found on PATH."));
    let events = turn_of(&c, "s", "say hello").await;
    no_unparsed(&events);
    assert_eq!(assistant_text(&events), "Found on PATH.");
}

/// The transcript of a real Claude task (a shell tool, then a reply) is made of the same
/// entries, with the same fields, as a mock's: a client never special-cases the agent.
#[tokio::test]
async fn a_task_transcript_matches_the_mocks() {
    ensure_installed(KIND).await;
    let stub = sandbox_agent_model_stub::ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("echo from-the-tool")));
    stub.push(Reply::text("All done."));
    let d = daemon().await;
    let c = d.client();
    let req = CreateSessionRequest {
        agent: AGENT.into(),
        permission_mode: Some("bypass".into()),
        task: Some("run the command".into()),
        env: stub_env(&stub),
        ..Default::default()
    };
    c.create_session_with_id("real", &req).await.unwrap();
    let mock = CreateSessionRequest { task: Some("tool".into()), ..mock() };
    c.create_session_with_id("mock", &mock).await.unwrap();
    let mut shapes = Vec::new();
    for id in ["real", "mock"] {
        let events =
            sse_until(&c, id, 0, |e| matches!(e.data, EventData::TaskCompleted(_) | EventData::TaskFailed(_))).await;
        assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{id}: {:?}", types(&events));
        let transcript = c.transcript(id, &Default::default()).await.unwrap();
        let kinds: Vec<TranscriptEntryType> = transcript.entries.iter().map(|e| e.type_).collect();
        let call = transcript.entries.iter().find(|e| e.type_ == TranscriptEntryType::ToolCall).unwrap();
        assert!(call.tool_name.is_some() && call.tool_call_id.is_some() && call.tool_args.is_some(), "{id}: {call:?}");
        let result = transcript.entries.iter().find(|e| e.type_ == TranscriptEntryType::ToolResult).unwrap();
        assert_eq!(result.tool_call_id, call.tool_call_id, "{id}: the result names its call");
        shapes.push(kinds);
    }
    use TranscriptEntryType::*;
    assert_eq!(shapes[0], [UserPrompt, ToolCall, ToolResult, Message, Turn], "real claude");
    // The mock's `tools` does more (a file change, a second call), but with the same entries.
    assert!(shapes[0].iter().all(|t| shapes[1].contains(t)), "{:?} against the mock's {:?}", shapes[0], shapes[1]);
    let real = c.transcript("real", &Default::default()).await.unwrap();
    assert!(real.entries.iter().any(|e| e.text.as_deref().is_some_and(|t| t.contains("from-the-tool"))), "{real:?}");
    assert_eq!(real.entries[3].text.as_deref(), Some("All done."));
}

/// A loop with real Claude Code: its first report fails the contract, the daemon's
/// continuation (which the model sees) quotes why, and its second report passes.
#[tokio::test]
async fn a_loop_passes_on_the_second_iteration() {
    ensure_installed(KIND).await;
    let stub = sandbox_agent_model_stub::ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let report = d.data_path().join("sessions/loop/report.json").display().to_string();
    stub.push(Reply::tool(Tool::write_file(report.clone(), "{\"ok\": false}\n")));
    stub.push(Reply::text("Report written."));
    stub.push(Reply::tool(Tool::write_file(report, "{\"ok\": true}\n")));
    stub.push(Reply::text("Fixed the report."));
    let schema = serde_json::json!({"type": "object", "required": ["ok"], "properties": {"ok": {"const": true}}});
    let contract = serde_json::json!({"path": "report.json", "schema": schema});
    let req = CreateSessionRequest {
        agent: AGENT.into(),
        permission_mode: Some("bypass".into()),
        task: Some("Write the report.".into()),
        output_contract: contract.as_object().cloned(),
        workflow_mode: Some(WorkflowMode::Loop),
        env: stub_env(&stub),
        ..Default::default()
    };
    c.create_session_with_id("loop", &req).await.unwrap();
    let done = |e: &UniversalEvent| matches!(&e.data, EventData::LoopStatusChanged(s) if s.to != LoopStatus::Running);
    let events = sse_until_within(AGENT_WAIT, &c, "loop", 0, done).await;
    let EventData::LoopStatusChanged(end) = &events.last().unwrap().data else { unreachable!() };
    assert_eq!(end.to, LoopStatus::Completed, "{:?}", types(&events));
    assert_eq!((count(&events, "contract.failed"), count(&events, "contract.passed")), (1, 1));
    let state = c.loop_state("loop").await.unwrap().loop_.unwrap();
    assert_eq!(state.iteration, 2);
    // The model was shown the daemon's continuation, with the failure in it.
    let turns = stub.turns();
    assert!(turns.iter().any(|t| t.contains("iteration 2 of 5") && t.contains("(at /ok)")), "no continuation seen");
    check_contract(&events, false);
}

/// The output tokens Claude Code reports count against a loop's budget.
#[tokio::test]
async fn a_loop_past_its_output_token_budget_is_blocked() {
    ensure_installed(KIND).await;
    let stub = sandbox_agent_model_stub::ModelStub::start().await;
    stub.push(Reply::text("No report from me."));
    let d = daemon().await;
    let c = d.client();
    let req = CreateSessionRequest {
        agent: AGENT.into(),
        task: Some("Write the report.".into()),
        output_contract: serde_json::json!({"path": "report.json"}).as_object().cloned(),
        workflow_mode: Some(WorkflowMode::Loop),
        budget: Some(Budget { max_output_tokens: Some(1), ..Default::default() }),
        env: stub_env(&stub),
        ..Default::default()
    };
    c.create_session_with_id("budget", &req).await.unwrap();
    let done = |e: &UniversalEvent| matches!(&e.data, EventData::LoopStatusChanged(s) if s.to != LoopStatus::Running);
    let events = sse_until_within(AGENT_WAIT, &c, "budget", 0, done).await;
    let EventData::LoopStatusChanged(end) = &events.last().unwrap().data else { unreachable!() };
    assert_eq!(end.to, LoopStatus::Blocked);
    let reason = end.reason.as_deref().unwrap();
    assert!(reason.starts_with("budget_exhausted: maxOutputTokens (1, ") && !reason.contains(" 0 used"), "{reason}");
    assert_eq!(stub.turns().len(), 1, "no continuation was sent");
}
