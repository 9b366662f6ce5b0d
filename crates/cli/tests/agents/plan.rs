//! Plan mode with the real Claude Code (`agentMode: "plan"`): the CLI runs in its plan permission
//! mode, the plan comes as a question (`ExitPlanMode`), and only an approved plan goes on to act.

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_client::Client;
use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

const PLAN: &str = "1. write plan.txt";

/// A plan-mode session `id`; the stub proposes the plan first. Returns the question and the workdir.
async fn planned(c: &Client, stub: &ModelStub, id: &str) -> (QuestionEventData, std::path::PathBuf) {
    let req = CreateSessionRequest {
        agent: "claude".into(),
        agent_mode: Some("plan".into()),
        env: stub_env(stub),
        ..Default::default()
    };
    c.create_session_with_id(id, &req).await.unwrap();
    let dir = std::path::PathBuf::from(c.get_session(id).await.unwrap().directory);
    stub.push(Reply::tool(Tool::named("ExitPlanMode", serde_json::json!({"plan": PLAN}))));
    c.send_message(id, "make a plan, then do it").await.unwrap();
    let asked = wait_for(c, id, 0, "question.requested").await;
    // The CLI's own init (before its first reply) says which permission mode it runs in.
    let events = c.events(id, &Default::default()).await.unwrap().events;
    let modes: Vec<String> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::SessionStarted(s)
                if s.metadata.as_ref().is_some_and(|m| m.get("claudeCodeVersion").is_some()) =>
            {
                s.metadata.as_ref().and_then(|m| m["permissionMode"].as_str()).map(str::to_string)
            }
            _ => None,
        })
        .collect();
    assert_eq!(modes, ["plan"], "the CLI itself runs in plan mode");
    let EventData::QuestionRequested(q) = asked.data else { unreachable!() };
    (q, dir)
}

#[tokio::test]
async fn claude_plans_first_and_acts_once_the_plan_is_approved() {
    ensure_installed(AgentKind::Claude).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let (q, dir) = planned(&c, &stub, "s").await;
    assert_eq!(q.prompt, format!("Approve this plan?\n\n{PLAN}"));
    assert_eq!(q.options, ["Approve", "Reject"]);
    let file = dir.join("plan.txt");
    stub.push(Reply::tool(Tool::write_file(file.display().to_string(), "after the plan\n")));
    stub.push(Reply::text("done"));
    assert!(!file.exists());
    c.reply_question("s", &q.question_id, vec![vec!["Approve".into()]]).await.unwrap();
    // Out of plan mode, an edit asks as in the default mode.
    let asked = wait_for(&c, "s", 0, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    assert_eq!(p.action, "Write");
    c.reply_permission("s", &p.permission_id, PermissionReply::Once).await.unwrap();
    let events = until_turn_end(&c, "s", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "after the plan\n");
}

#[tokio::test]
async fn claude_is_told_when_its_plan_is_rejected_and_does_not_act() {
    ensure_installed(AgentKind::Claude).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let (q, dir) = planned(&c, &stub, "r").await;
    stub.push(Reply::text("understood, no changes"));
    c.reply_question("r", &q.question_id, vec![vec!["Reject".into()]]).await.unwrap();
    let events = until_turn_end(&c, "r", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let answered = events.iter().find_map(|e| match &e.data {
        EventData::QuestionResolved(r) => Some(r.clone()),
        _ => None,
    });
    assert_eq!(answered.map(|r| r.status), Some(QuestionStatus::Answered));
    // The model hears the rejection as the tool's result.
    assert!(stub.turns().last().unwrap().contains("The user rejected the plan."));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing written");
}

/// A Codex session in its Plan collaboration mode (`agentMode: "plan"`).
async fn codex_planning(c: &Client, stub: &ModelStub, id: &str) {
    let req = CreateSessionRequest {
        agent: "codex".into(),
        agent_mode: Some("plan".into()),
        model: Some("gpt-5.5".into()),
        env: stub_env(stub),
        ..Default::default()
    };
    c.create_session_with_id(id, &req).await.unwrap();
}

#[tokio::test]
async fn codex_plans_in_its_plan_mode_and_its_questions_are_answered() {
    ensure_installed(AgentKind::Codex).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    codex_planning(&c, &stub, "s").await;
    stub.push(Reply::tool(Tool::ask_user("Which color do you want?", ["Red", "Blue"])));
    stub.push(Reply::text("<proposed_plan>\n1. paint it red\n</proposed_plan>"));
    c.send_message("s", "plan the painting").await.unwrap();
    let asked = wait_for(&c, "s", 0, "question.requested").await;
    let EventData::QuestionRequested(q) = asked.data else { unreachable!() };
    assert_eq!((q.prompt.as_str(), q.options.clone()), ("Which color do you want?", vec!["Red".into(), "Blue".into()]));
    c.reply_question("s", &q.question_id, vec![vec!["Red".into()]]).await.unwrap();
    let events = until_turn_end(&c, "s", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let resolved: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::QuestionResolved(r) => Some(r.status),
            _ => None,
        })
        .collect();
    assert_eq!(resolved, [QuestionStatus::Answered]);
    let turns = stub.turns();
    // The model ran under Codex's plan-mode instructions and got the answer back.
    assert!(turns[0].contains("Plan Mode"), "plan-mode instructions in the request");
    let outputs = tool_outputs(turns.last().unwrap());
    assert!(outputs.iter().any(|o| o.contains("Red")), "{outputs:?}");
    assert!(assistant_text(&events).contains("paint it red"), "{}", assistant_text(&events));
}

#[tokio::test]
async fn codex_hears_a_rejected_question_and_default_mode_has_no_plan_instructions() {
    ensure_installed(AgentKind::Codex).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    codex_planning(&c, &stub, "r").await;
    stub.push(Reply::tool(Tool::ask_user("Which color do you want?", ["Red", "Blue"])));
    stub.push(Reply::text("fine, no color"));
    c.send_message("r", "plan the painting").await.unwrap();
    let asked = wait_for(&c, "r", 0, "question.requested").await;
    let EventData::QuestionRequested(q) = asked.data else { unreachable!() };
    c.reject_question("r", &q.question_id).await.unwrap();
    let events = until_turn_end(&c, "r", 0).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let outputs = tool_outputs(stub.turns().last().unwrap());
    assert_eq!(outputs, [r#"{"answers":{}}"#], "the model hears that no answer came");

    // The same request in the default mode runs without the plan-mode instructions.
    let stub2 = ModelStub::start().await;
    crate::support::session(&c, &stub2, "codex", "b", "default").await;
    stub2.push(Reply::text("ok"));
    turn_of(&c, "b", "plan the painting").await;
    assert!(!stub2.turns()[0].contains("Plan Mode"));
}

#[tokio::test]
async fn opencode_plan_agent_refuses_edits_and_says_it_plans() {
    ensure_installed(AgentKind::Opencode).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let req = CreateSessionRequest {
        agent: "opencode".into(),
        agent_mode: Some("plan".into()),
        permission_mode: Some("default".into()),
        env: stub_env(&stub),
        ..Default::default()
    };
    c.create_session_with_id("p", &req).await.unwrap();
    let dir = std::path::PathBuf::from(c.get_session("p").await.unwrap().directory);
    let file = dir.join("edit.txt");
    stub.push(Reply::tool(Tool::write_file(file.display().to_string(), "should not land\n")));
    stub.push(Reply::text("here is the plan instead"));
    let events = turn_of(&c, "p", "change edit.txt").await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    // No permission is asked: the plan agent's rules refuse the edit, and the model is told.
    assert_eq!(count(&events, "permission.requested"), 0);
    let results = tool_results(&events);
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0].status, ItemStatus::Failed);
    assert!(tool_output(results[0]).contains("prevents you from using this specific tool call"), "{results:?}");
    assert!(!file.exists(), "nothing written");
    let turns = stub.turns();
    assert!(
        turns[0].body.to_string().to_lowercase().contains("plan mode"),
        "the plan agent's reminder reaches the model"
    );
    assert!(turns.last().unwrap().contains("prevents you from using this specific tool call"));
}
