//! The real codex CLI through the daemon, against the model stub.

use sandbox_agent_agents::install::AgentKind;

use crate::scenarios::{self, setup};

const AGENT: &str = "codex";
const KIND: AgentKind = AgentKind::Codex;

#[tokio::test]
async fn text_turn() {
    scenarios::text_turn(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn permission_approved_runs_the_command() {
    scenarios::permission_approved(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn permission_denied_does_not_run_the_command() {
    scenarios::permission_denied(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn file_write_creates_the_file() {
    scenarios::file_write(setup(AGENT, KIND, "bypass").await).await;
}

#[tokio::test]
async fn multi_turn_keeps_history() {
    scenarios::multi_turn(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn daemon_restart_resumes_the_native_session() {
    scenarios::restart_resumes(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn interrupt_during_a_slow_reply() {
    scenarios::interrupt(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn model_api_error_then_usable() {
    scenarios::api_error(setup(AGENT, KIND, "default").await).await;
}

#[tokio::test]
async fn killed_agent_pauses_and_resumes() {
    scenarios::agent_killed(setup(AGENT, KIND, "default").await).await;
}
