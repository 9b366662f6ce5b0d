//! Three real daemons on one real nats-server (loopback): any node serves any session, a
//! killed owner's sessions go on elsewhere, and no client's stream loses or repeats an event.

use futures_util::StreamExt;
use sandbox_agent_client::{Client, EventStream, SseOptions};
use sandbox_agent_schema::*;
use sandbox_agent_test_support::nats::{NatsServer, Relay};

use crate::common::*;

/// Short leases, so a failover is seconds.
const TTL_MS: &str = "2000";

async fn node(nats: &NatsServer, prefix: &str, id: &str) -> Daemon {
    Daemon::start_with(&[
        "--cluster",
        &nats.url(),
        "--node-id",
        id,
        "--cluster-prefix",
        prefix,
        "--lease-ttl-ms",
        TTL_MS,
    ])
    .await
}

/// Read a stream until `stop`, with a deadline.
async fn read_until(stream: &mut EventStream, out: &mut Vec<UniversalEvent>, stop: impl Fn(&UniversalEvent) -> bool) {
    sandbox_agent_test_support::read_until(WAIT, stream, out, stop).await
}

fn sequences(events: &[UniversalEvent]) -> Vec<u64> {
    events.iter().map(|e| e.sequence).collect()
}

/// Every sequence once, ascending, none skipped.
fn assert_gapless(events: &[UniversalEvent], who: &str) {
    for pair in events.windows(2) {
        assert_eq!(pair[1].sequence, pair[0].sequence + 1, "{who}: {} then {}", pair[0].sequence, pair[1].sequence);
    }
}

async fn owner(client: &Client, session: &str) -> Option<String> {
    let nodes = client.cluster_nodes().await.unwrap();
    nodes.nodes.into_iter().find(|n| n.alive && n.session_ids.iter().any(|s| s == session)).map(|n| n.id)
}

/// The node that holds `session`'s lease, once the asked node's copy of the leases has it (its
/// watch lags a lease written by another node by a moment).
async fn owner_seen(client: &Client, session: &str) -> String {
    tokio::time::timeout(WAIT, async {
        loop {
            if let Some(node) = owner(client, session).await {
                return node;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the session's owner is listed")
}

#[tokio::test]
async fn three_nodes_serve_any_session_and_a_killed_owner_is_replaced_without_loss() {
    let nats = NatsServer::start().await;
    let mut a = node(&nats, "c3", "a").await;
    let b = node(&nats, "c3", "b").await;
    let c = node(&nats, "c3", "c").await;
    let (ca, cb, cc) = (a.client(), b.client(), c.client());

    // Created on A (the least loaded; A itself on a tie), streamed from B and C.
    ca.create_session_with_id("s", &mock()).await.unwrap();
    let health = ca.health().await.unwrap();
    assert_eq!(health.cluster.as_ref().map(|h| (h.node.as_str(), h.connected)), Some(("a", true)));
    assert_eq!(health.owned_sessions, 1);
    assert_eq!(cb.health().await.unwrap().owned_sessions, 0);
    let mut on_b = cb.events_sse("s", &SseOptions::default()).await.unwrap();
    let mut on_c = cc.events_sse("s", &SseOptions::default()).await.unwrap();

    // A message through C reaches the agent on A; the turn streams back on C.
    let first = turn(&cc, "s", "echo hello from c").await;
    assert_eq!(assistant_text(&first), "hello from c");
    ca.send_message("s", "echo through b").await.unwrap();
    let (mut seen_b, mut seen_c) = (Vec::new(), Vec::new());
    let second_end =
        |e: &UniversalEvent| e.data.event_type() == "turn.ended" && e.sequence > first.last().unwrap().sequence;
    read_until(&mut on_b, &mut seen_b, second_end).await;
    read_until(&mut on_c, &mut seen_c, second_end).await;
    let first_end = first.last().unwrap().sequence;
    let second: Vec<_> = seen_b.iter().filter(|e| e.sequence > first_end).cloned().collect();
    assert_eq!(assistant_text(&second), "through b");
    assert_eq!(cb.get_session("s").await.unwrap().status, SessionStatus::Idle, "a read through B is A's answer");

    let nodes = cb.cluster_nodes().await.unwrap();
    assert!(nodes.clustered);
    assert_eq!(
        nodes.nodes.iter().map(|n| (n.id.as_str(), n.alive)).collect::<Vec<_>>(),
        [("a", true), ("b", true), ("c", true)]
    );
    assert_eq!(owner_seen(&cb, "s").await, "a");
    let (code, out, _) = c.cli(&["cluster", "nodes"]).await;
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l == "a\talive\t1/4096\ts"), "{out}");

    // A long turn, asked through B; A is killed in the middle of it.
    cb.send_message("s", "flood 1000000").await.unwrap();
    let mid = seen_b.last().unwrap().sequence + 500;
    read_until(&mut on_b, &mut seen_b, |e| e.sequence >= mid).await;
    a.kill9().await;
    // B or C takes the session over within the lease TTL and fails the cut turn, once.
    let failed = |e: &UniversalEvent| matches!(&e.data, EventData::TurnEnded(t) if t.reason == TurnEndReason::Error);
    read_until(&mut on_b, &mut seen_b, failed).await;
    read_until(&mut on_c, &mut seen_c, failed).await;
    let new_owner = owner_seen(&cb, "s").await;
    assert!(new_owner == "b" || new_owner == "c", "{new_owner}");

    // The next message (through whichever node) resumes the session there.
    let next = turn(&cc, "s", "echo after the failover").await;
    assert_eq!(assistant_text(&next), "after the failover");
    let last = next.last().unwrap().sequence;
    read_until(&mut on_b, &mut seen_b, |e| e.sequence == last).await;
    read_until(&mut on_c, &mut seen_c, |e| e.sequence == last).await;

    // Both clients saw the same events, each once, in order, and so does the store.
    assert_gapless(&seen_b, "B's stream");
    assert_gapless(&seen_c, "C's stream");
    assert_eq!(sequences(&seen_b), sequences(&seen_c));
    assert_eq!(seen_b, seen_c);
    let stored = all_events(&cb, "s").await;
    assert_eq!(stored, seen_b, "the streams are the stored log");
    let ends: Vec<_> = stored.iter().filter(|e| failed(e)).collect();
    assert_eq!(ends.len(), 1, "the cut turn is failed once");
    check_contract(&stored, false);
}

#[tokio::test]
async fn new_sessions_go_to_the_least_loaded_node_and_a_full_cluster_says_so() {
    let nats = NatsServer::start().await;
    let args = |id: &'static str| {
        [
            "--cluster".to_string(),
            nats.url(),
            "--node-id".into(),
            id.into(),
            "--cluster-prefix".into(),
            "place".into(),
            "--lease-ttl-ms".into(),
            // Long leases: a heartbeat late under load must not make a node look gone.
            "10000".into(),
            "--max-sessions".into(),
            "2".into(),
        ]
    };
    let a = Daemon::start_with(&args("a").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let b = Daemon::start_with(&args("b").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ca, cb) = (a.client(), b.client());
    // Both nodes are registered once each answers its own health with the cluster up.
    tokio::time::timeout(WAIT, async {
        while ca.cluster_nodes().await.unwrap().nodes.len() < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("both nodes registered");
    let mut placed = Vec::new();
    for _ in 0..4 {
        let created = ca.create_session(&mock()).await.unwrap();
        placed.push(owner_seen(&ca, &created.session_id).await);
    }
    placed.sort();
    assert_eq!(placed, ["a", "a", "b", "b"], "two each: a node takes its share, never more than its cap");
    let full = ca.create_session(&mock()).await.unwrap_err();
    assert_eq!(full.problem().map(|p| p.status), Some(429), "{full:?}");
    assert_eq!(cb.health().await.unwrap().owned_sessions, 2);
}

#[tokio::test]
async fn a_restarted_nats_server_loses_nothing_acknowledged_and_the_nodes_reconnect() {
    let mut nats = NatsServer::start().await;
    let args = |id: &'static str| {
        vec![
            "--cluster".to_string(),
            nats.url(),
            "--node-id".into(),
            id.into(),
            "--cluster-prefix".into(),
            "restart".into(),
            "--lease-ttl-ms".into(),
            "10000".into(),
        ]
    };
    let a = Daemon::start_with(&args("a").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let b = Daemon::start_with(&args("b").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ca, cb) = (a.client(), b.client());
    ca.create_session_with_id("s", &mock()).await.unwrap();
    let before = turn(&cb, "s", "echo before").await;
    let stored_before = all_events(&cb, "s").await;
    nats.restart().await;
    // Commands wait for the connection to come back (the client reconnects by itself).
    let after = tokio::time::timeout(WAIT, async {
        loop {
            match cb.send_message_stream("s", "echo after", &SseOptions::default()).await {
                Ok(stream) => return stream.map(|e| e.unwrap()).collect::<Vec<_>>().await,
                Err(err) => {
                    let status = err.problem().map(|p| p.status);
                    assert_eq!(status, Some(503), "only 'unavailable' while NATS is back up: {err:?}");
                    tokio::task::yield_now().await;
                }
            }
        }
    })
    .await
    .expect("served again after the restart");
    assert_eq!(assistant_text(&after), "after");
    assert_eq!(after[0].sequence, before.last().unwrap().sequence + 1);
    let stored = all_events(&ca, "s").await;
    assert_eq!(&stored[..stored_before.len()], &stored_before[..], "everything acknowledged before is there");
    assert_gapless(&stored, "the log");
    assert!(ca.health().await.unwrap().cluster.unwrap().connected);
}

#[tokio::test]
async fn a_node_cut_off_from_nats_longer_than_its_lease_stops_its_agents() {
    let nats = NatsServer::start().await;
    let relay = Relay::start(nats.port).await;
    let flags = |url: String, id: &'static str| {
        vec![
            "--cluster".to_string(),
            url,
            "--node-id".into(),
            id.into(),
            "--cluster-prefix".into(),
            "part".into(),
            "--lease-ttl-ms".into(),
            TTL_MS.into(),
        ]
    };
    let a = Daemon::start_with(&flags(relay.url(), "a").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let b = Daemon::start_with(&flags(nats.url(), "b").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ca, cb) = (a.client(), b.client());
    ca.create_session_with_id("s", &mock()).await.unwrap();
    let mut on_b = cb.events_sse("s", &SseOptions::default()).await.unwrap();
    ca.send_message("s", "flood 1000000").await.unwrap();
    let mut seen = Vec::new();
    read_until(&mut on_b, &mut seen, |e| e.sequence >= 200).await;
    relay.cut();
    // B takes the session over once A's lease has run out; A, unable to renew, has stopped.
    read_until(
        &mut on_b,
        &mut seen,
        |e| matches!(&e.data, EventData::TurnEnded(t) if t.reason == TurnEndReason::Error),
    )
    .await;
    assert_eq!(ca.health().await.unwrap().owned_sessions, 0, "the cut-off node runs nothing");
    assert_eq!(cb.health().await.unwrap().owned_sessions, 1);
    relay.heal();
    let next = turn(&cb, "s", "echo healed").await;
    assert_eq!(assistant_text(&next), "healed");
    let last = next.last().unwrap().sequence;
    read_until(&mut on_b, &mut seen, |e| e.sequence == last).await;
    assert_gapless(&seen, "B's stream");
    assert_eq!(all_events(&cb, "s").await, seen, "nothing A wrote after it was cut off was kept");
}

#[tokio::test]
async fn the_coder_hub_on_any_node_streams_and_drives_a_session_another_node_runs() {
    use crate::hub::{self, TOKEN};
    use futures_util::SinkExt;
    use reqwest::{Method, StatusCode};
    use serde_json::{json, Value};
    use tokio_tungstenite::tungstenite::Message;

    let nats = NatsServer::start().await;
    let url = nats.url();
    let hub_node = |id: &'static str| {
        let flags = ["--cluster", &url, "--node-id", id, "--cluster-prefix", "hub", "--lease-ttl-ms", "10000"];
        let more = ["--token", TOKEN, "--coder-agent", "mock", "--sse-ping-ms", "50"];
        let args: Vec<String> = flags.iter().chain(more.iter()).map(|s| s.to_string()).collect();
        async move { Daemon::start_with(&args.iter().map(String::as_str).collect::<Vec<_>>()).await }
    };
    let a = hub_node("a").await;
    let b = hub_node("b").await;
    let cb = b.client();

    // Created through A's Hub (A on a tie), then only B is called.
    let (status, created) = hub::call(&a, Method::POST, "/api/hub/session", Some(json!({"task": "echo first"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["sessionId"].as_str().unwrap().to_string();
    assert_eq!(owner_seen(&cb, &id).await, "a");
    sse_until(&cb, &id, 0, |e| e.data.event_type() == "turn.ended").await;
    let (status, got) = hub::call(&b, Method::GET, &format!("/api/hub/session/{id}"), None).await;
    assert_eq!((status, got["sessionId"].as_str()), (StatusCode::OK, Some(id.as_str())), "{got}");
    let (status, patched) =
        hub::call(&b, Method::PATCH, &format!("/coder/api/hub/session/{id}"), Some(json!({"label": "via b"}))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(a.client().get_session(&id).await.unwrap().label.as_deref(), Some("via b"), "A recorded B's update");

    // The Hub's SSE on B: the opening shows A's first turn.
    let res = reqwest::get(format!("{}/api/hub/session/{id}/events?api_key={TOKEN}", b.url)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut sse = res.bytes_stream();
    let mut seen = String::new();
    assert!(hub::read_until(&mut sse, &mut seen, "event: hydration").await);
    assert!(seen.contains("first"), "{seen}");

    // A controller on B's WebSocket prompts; A's agent answers; both B streams show it.
    let mut socket = hub::ws(&b, &format!("sessionId={id}&role=controller&api_key={TOKEN}")).await;
    let prompt =
        json!({"type": "rpc_command", "id": "r1", "command": {"type": "prompt", "message": "echo over b's socket"}});
    socket.send(Message::Text(prompt.to_string().into())).await.unwrap();
    let mut frames = Vec::<Value>::new();
    frames_until(&mut socket, &mut frames, |f| f["data"]["delta"] == "over b's socket").await;
    let response = frames.iter().find(|f| f["type"] == "rpc_response").expect("an rpc response");
    assert_eq!(response["response"]["success"], true, "{response}");
    assert!(hub::read_until(&mut sse, &mut seen, "over b's socket").await);

    // An abort on B's socket stops the turn running on A.
    let slow = json!({"type": "rpc_command", "id": "r2", "command": {"type": "prompt", "message": "slow 600000"}});
    socket.send(Message::Text(slow.to_string().into())).await.unwrap();
    frames_until(&mut socket, &mut frames, |f| f["id"] == "r2").await;
    let abort = json!({"type": "rpc_command", "id": "r3", "command": {"type": "abort"}});
    socket.send(Message::Text(abort.to_string().into())).await.unwrap();
    frames_until(&mut socket, &mut frames, |f| f["id"] == "r3").await;
    let acted = frames.iter().find(|f| f["id"] == "r3").unwrap();
    assert_eq!(acted["actions"][0]["action"], "ACK", "{acted}");
    let events = all_events(&cb, &id).await;
    let last_end = events.iter().rev().find_map(|e| match &e.data {
        EventData::TurnEnded(t) => Some(t.reason),
        _ => None,
    });
    assert_eq!(last_end, Some(TurnEndReason::Interrupted));
}

/// A WebSocket's JSON frames into `frames` until one is `done`, with a deadline.
async fn frames_until<S>(socket: &mut S, frames: &mut Vec<serde_json::Value>, done: impl Fn(&serde_json::Value) -> bool)
where
    S: futures_util::Stream<
            Item = Result<tokio_tungstenite::tungstenite::Message, tokio_tungstenite::tungstenite::Error>,
        > + Unpin,
{
    tokio::time::timeout(WAIT, async {
        while !frames.iter().any(&done) {
            let tokio_tungstenite::tungstenite::Message::Text(t) = socket.next().await.unwrap().unwrap() else {
                continue;
            };
            frames.push(serde_json::from_str(&t).unwrap());
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{frames:?}"))
}

#[tokio::test]
async fn a_checked_report_is_served_by_every_node_after_the_node_that_checked_it_is_gone() {
    let nats = NatsServer::start().await;
    // Each node has its own data dir: the report reaches B through the object store only. Long
    // leases: B must answer from its own copy, long before it could take the session over.
    let flags = |id: &'static str| {
        ["--cluster", &nats.url(), "--node-id", id, "--cluster-prefix", "art", "--lease-ttl-ms", "10000"]
            .map(String::from)
    };
    let mut a = Daemon::start_with(&flags("a").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let b = Daemon::start_with(&flags("b").iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ca, cb) = (a.client(), b.client());
    let contract = serde_json::json!({"path": "report.json", "schema": {"type": "object", "required": ["ok"]}});
    let req = CreateSessionRequest {
        task: Some("write report.json\n{\"ok\": true, \"note\": \"kept\"}\nEOF".into()),
        output_contract: contract.as_object().cloned(),
        ..mock()
    };
    let id = ca.create_session(&req).await.unwrap().session_id;
    sse_until(&cb, &id, 0, |e| matches!(e.data, EventData::TaskCompleted(_))).await;
    assert_eq!(owner_seen(&cb, &id).await, "a");
    a.kill9().await;

    // B's copy of the session has the check (the document came with the events that recorded
    // it, whether or not A lived to write the bucket's copy); A's lease still runs, so the
    // request forwarded to A fails and B answers from its copy.
    let result = tokio::time::timeout(WAIT, async {
        loop {
            let result = cb.result(&id).await.unwrap();
            if result.status == ResultStatus::Completed {
                return result;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("B's copy has the check");
    assert_eq!(cb.health().await.unwrap().owned_sessions, 0, "answered before any takeover");
    assert_eq!(result.artifact.as_deref(), Some("report-1.json"));
    let listed = cb.artifacts(&id).await.unwrap().artifacts;
    assert_eq!(listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["report-1.json"]);
    let bytes = cb.artifact(&id, "report-1.json").await.unwrap();
    assert_eq!(listed[0].size, bytes.len() as u64);
    let report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(report, serde_json::json!({"ok": true, "note": "kept"}));
    assert_eq!(result.report, Some(report));
    // B takes the session over once A's lease has run out (its state read from the log, with
    // the check), and deletes it with its artifacts.
    tokio::time::timeout(WAIT, async {
        // Ten seconds of lease: asked every 50 ms, not in a busy loop.
        let mut every = tokio::time::interval(std::time::Duration::from_millis(50));
        while cb.health().await.unwrap().owned_sessions != 1 {
            every.tick().await;
        }
    })
    .await
    .expect("B takes the session over");
    assert_eq!(cb.result(&id).await.unwrap().artifact.as_deref(), Some("report-1.json"));
    cb.delete_session(&id).await.unwrap();
    let gone = cb.artifact(&id, "report-1.json").await.unwrap_err();
    assert_eq!(gone.problem().map(|p| p.status), Some(404), "{gone:?}");
}
