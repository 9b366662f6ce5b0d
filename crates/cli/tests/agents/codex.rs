//! The real codex CLI through the daemon, against the model stub.

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_model_stub::{Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

#[tokio::test]
async fn models_are_listed_and_a_listed_one_is_used() {
    let l = crate::models::list("codex", AgentKind::Codex).await;
    let model = crate::models::model(&l, "gpt-5.5");
    assert!(model.variants.iter().any(|v| v == "high"), "{model:?}");
    let request = crate::models::turn_with(&l, "codex", "gpt-5.5", Some("high")).await;
    assert_eq!(request.body["model"], "gpt-5.5");
    assert_eq!(request.body["reasoning"]["effort"], "high", "the variant is the reasoning effort");
}

scenario_tests!("codex", AgentKind::Codex, [
    text_turn => text_turn("default"),
    permission_approved_runs_the_command => permission_approved("default"),
    permission_denied_does_not_run_the_command => permission_denied("default"),
    reasoning_arrives_as_reasoning_parts => reasoning("default"),
    file_write_creates_the_file => file_write("bypass"),
    multi_turn_keeps_history => multi_turn("default"),
    daemon_restart_resumes_the_native_session => restart_resumes("default"),
    interrupt_during_a_slow_reply => interrupt("default"),
    model_api_error_then_usable => api_error("default"),
    killed_agent_pauses_and_resumes => agent_killed("default"),
    no_agent_process_outlives_the_daemon => no_orphans("default"),
    no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
]);

/// Why `questions` stays false for codex: 0.169 offers the model `request_user_input`, but
/// outside its experimental Plan collaboration mode (`turn/start` `collaborationMode`, behind
/// `experimentalApi`) it answers the call itself and never asks the client.
#[tokio::test]
async fn question_tool_is_refused_outside_plan_collaboration_mode() {
    let s = crate::scenarios::setup("codex", AgentKind::Codex, "default").await;
    s.stub.push(Reply::tool(Tool::ask_user("Which color do you want?", ["Red", "Blue"])));
    s.stub.push(Reply::text("noted"));
    let events = turn_of(&s.c, "s", "ask me something").await;
    check_contract(&events, false);
    assert_eq!(count(&events, "question.requested"), 0);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let turns = s.stub.turns();
    assert!(turns[0].tool_names().iter().any(|t| t == "request_user_input"));
    let outputs = tool_outputs(turns.last().unwrap());
    assert!(outputs.iter().any(|o| o.contains("request_user_input is unavailable in Default mode")), "{outputs:?}");
}
