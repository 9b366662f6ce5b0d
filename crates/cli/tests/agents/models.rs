//! `GET /v1/agents/{agent}/models` with the real agents: the daemon's own environment points
//! them at the stub (as it would at a provider), the list comes from the agent, and a listed
//! model (and variant) is what a session then sends to the model API.

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_client::Client;
use sandbox_agent_model_stub::{ModelStub, RecordedRequest, Reply};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

pub struct Listed {
    pub stub: ModelStub,
    /// Kept for its lifetime: dropping it kills the daemon.
    _daemon: Daemon,
    pub c: Client,
    pub list: AgentModelsResponse,
}

/// A daemon whose environment points `agent` at a new stub, and the agent's model list.
pub async fn list(agent: &str, kind: AgentKind) -> Listed {
    ensure_installed(kind).await;
    let stub = ModelStub::start().await;
    let (base, v1) = (stub.url(), format!("{}/v1", stub.url()));
    let env = [
        ("ANTHROPIC_BASE_URL", base.as_str()),
        ("ANTHROPIC_API_KEY", "sk-stub"),
        ("CLAUDE_CODE_MAX_RETRIES", "0"),
        ("OPENAI_BASE_URL", v1.as_str()),
        ("OPENAI_API_KEY", "sk-stub"),
    ];
    let d = Daemon::start_env(&["--agents-dir", agents_dir().to_str().unwrap()], &env).await;
    let c = d.client();
    let list = tokio::time::timeout(AGENT_WAIT, c.agent_models(agent))
        .await
        .expect("listed in time")
        .unwrap_or_else(|e| panic!("{agent}: {e}"));
    assert!(!list.models.is_empty(), "{agent}: {list:?}");
    let default = list.default_model.clone().unwrap_or_else(|| panic!("{agent}: a default model: {list:?}"));
    assert_eq!(list.models.iter().filter(|m| m.default).map(|m| &m.id).collect::<Vec<_>>(), [&default], "{agent}");
    let again = c.agent_models(agent).await.unwrap();
    assert_eq!(again, list, "{agent}: the same list again (from the cache)");
    // The listing cleaned up after itself: its directory and any process it started.
    let tmp = d.data_path().join("models-tmp");
    assert!(std::fs::read_dir(&tmp).map_or(true, |mut entries| entries.next().is_none()), "{agent}: {tmp:?} is empty");
    assert!(
        sandbox_agent_test_support::procs::processes_mentioning(&tmp).is_empty(),
        "{agent}: no process of the listing is left"
    );
    Listed { stub, _daemon: d, c, list }
}

/// The listed model with this id.
pub fn model<'a>(l: &'a Listed, id: &str) -> &'a AgentModelInfo {
    l.list.models.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("{id} is listed: {:?}", l.list))
}

/// A session (no `env`: the daemon's environment reaches the agent) with `model` and
/// `variant`; one text turn; the model request it caused.
pub async fn turn_with(l: &Listed, agent: &str, model: &str, variant: Option<&str>) -> RecordedRequest {
    let req = CreateSessionRequest {
        agent: agent.into(),
        model: Some(model.into()),
        variant: variant.map(str::to_string),
        ..Default::default()
    };
    l.c.create_session_with_id("s", &req).await.unwrap_or_else(|e| panic!("create {agent} session: {e}"));
    l.stub.push(Reply::text("listed model answers"));
    let events = turn_of(&l.c, "s", "which model are you").await;
    check_contract(&events, false);
    assert_eq!(assistant_text(&events), "listed model answers", "{agent}");
    l.stub.turns().pop().expect("a model request")
}
