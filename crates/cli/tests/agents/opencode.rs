//! The real opencode CLI through the daemon, against the model stub.

use sandbox_agent_agents::install::AgentKind;

#[tokio::test]
async fn models_are_listed_and_a_listed_one_is_used() {
    let l = crate::models::list("opencode", AgentKind::Opencode).await;
    // The provider the daemon generates for its OPENAI_BASE_URL (the stub) is listed, as the
    // default, next to whatever OpenCode has built in.
    assert_eq!(l.list.default_model.as_deref(), Some("sandbox/default"));
    assert_eq!(crate::models::model(&l, "sandbox/default").description.as_deref(), Some("Sandbox"));
    assert!(l.list.models.iter().all(|m| m.id.contains('/')), "provider/model ids");
    let request = crate::models::turn_with(&l, "opencode", "sandbox/default", None).await;
    assert_eq!(request.body["model"], "default");
}

scenario_tests!("opencode", AgentKind::Opencode, [
    text_turn => text_turn("default"),
    permission_approved_runs_the_command => permission_approved("default"),
    permission_denied_does_not_run_the_command => permission_denied("default"),
    question_answered_reaches_the_model => question_answered("default"),
    reasoning_arrives_as_reasoning_parts => reasoning("default"),
    question_rejected_then_usable => question_rejected("default"),
    file_write_creates_the_file => file_write("bypass"),
    multi_turn_keeps_history => multi_turn("default"),
    daemon_restart_resumes_the_native_session => restart_resumes("default"),
    interrupt_during_a_slow_reply => interrupt("default"),
    model_api_error_then_usable => api_error("default"),
    killed_agent_pauses_and_resumes => agent_killed("default"),
    no_agent_process_outlives_the_daemon => no_orphans("default"),
    no_agent_process_outlives_a_killed_daemon => daemon_crash("default"),
]);
