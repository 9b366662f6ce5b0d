//! Failover with a real agent: Claude Code on node A of a two-node cluster (one nats-server,
//! one shared data dir: the sessions' workspaces and the agents' own state), A killed in the
//! middle of a turn, the session resumed on B with its conversation.

use std::sync::Arc;

use sandbox_agent_model_stub::{ModelStub, Reply};
use sandbox_agent_schema::*;
use sandbox_agent_test_support::nats::NatsServer;

use crate::common::*;
use crate::support::*;

#[tokio::test]
async fn claude_resumes_on_another_node_after_its_node_is_killed_mid_turn() {
    ensure_installed(sandbox_agent_agents::install::AgentKind::Claude).await;
    let nats = NatsServer::start().await;
    let stub = ModelStub::start().await;
    let shared = Arc::new(tempfile::tempdir().unwrap());
    let agents = agents_dir();
    let args = |id: &'static str| {
        vec![
            "--agents-dir".to_string(),
            agents.to_str().unwrap().into(),
            "--cluster".into(),
            nats.url(),
            "--node-id".into(),
            id.into(),
            "--cluster-prefix".into(),
            "claude".into(),
            "--lease-ttl-ms".into(),
            "2000".into(),
        ]
    };
    let strs = |v: &[String]| v.iter().map(String::clone).collect::<Vec<_>>();
    let (a_args, b_args) = (strs(&args("a")), strs(&args("b")));
    let mut a = Daemon::start_shared(shared.clone(), &a_args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let b = Daemon::start_shared(shared.clone(), &b_args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ca, cb) = (a.client(), b.client());
    session(&ca, &stub, "claude", "s", "default").await;
    assert_eq!(ca.health().await.unwrap().owned_sessions, 1);

    stub.push(Reply::text("remember the word PELICAN"));
    let first = turn_of(&cb, "s", "before the failover").await;
    assert_eq!(assistant_text(&first), "remember the word PELICAN");
    // The next reply never comes: A is killed while its agent waits for it.
    stub.push(Reply::delay(120_000, Reply::text("never seen")));
    let start = cb.get_session("s").await.unwrap().event_count;
    cb.send_message("s", "this turn is cut").await.unwrap();
    stub.wait_for_turns(2, AGENT_WAIT).await.expect("the second turn reached the model");
    a.kill9().await;

    let failed = agent_events(
        &cb,
        "s",
        start,
        |e| matches!(&e.data, EventData::TurnEnded(t) if t.reason == TurnEndReason::Error),
    )
    .await;
    let end = turn_end(&failed);
    assert!(end.message.as_deref().unwrap_or_default().contains("restarted"), "{end:?}");
    assert_eq!(cb.health().await.unwrap().owned_sessions, 1, "B runs it now");

    stub.push(Reply::text("resumed on b"));
    let next = turn_of(&cb, "s", "after the failover").await;
    assert_eq!(assistant_text(&next), "resumed on b");
    let last = stub.turns().pop().unwrap();
    assert!(last.contains("PELICAN") && last.contains("before the failover"), "the conversation went on");
    let events = all_events(&cb, "s").await;
    check_contract(&events, false);
    let fails = events
        .iter()
        .filter(|e| matches!(&e.data, EventData::TurnEnded(t) if t.reason == TurnEndReason::Error))
        .count();
    assert_eq!(fails, 1, "the cut turn is failed once");
    for pair in events.windows(2) {
        assert_eq!(pair[1].sequence, pair[0].sequence + 1);
    }
}
