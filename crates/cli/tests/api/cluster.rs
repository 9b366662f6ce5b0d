//! Three real daemons on one real nats-server (loopback): any node serves any session, a
//! killed owner's sessions go on elsewhere, and no client's stream loses or repeats an event.

use futures_util::StreamExt;
use sandbox_agent_client::{Client, EventStream, SseOptions};
use sandbox_agent_schema::*;
use sandbox_agent_test_support::nats::NatsServer;

use crate::common::*;

/// Short leases, so a failover is seconds.
const TTL_MS: &str = "2000";

async fn node(nats: &NatsServer, prefix: &str, id: &str) -> Daemon {
    Daemon::start_with(&["--cluster", &nats.url(), "--node-id", id, "--cluster-prefix", prefix, "--lease-ttl-ms", TTL_MS]).await
}

/// Read a stream until `stop`, with a deadline.
async fn read_until(stream: &mut EventStream, out: &mut Vec<UniversalEvent>, stop: impl Fn(&UniversalEvent) -> bool) {
    tokio::time::timeout(WAIT, async {
        while let Some(ev) = stream.next().await {
            let ev = ev.expect("event");
            let done = stop(&ev);
            out.push(ev);
            if done {
                return;
            }
        }
        panic!("the stream ended; got {:?}", types(out));
    })
    .await
    .unwrap_or_else(|_| panic!("timed out; got {} events, last {:?}", out.len(), out.last().map(|e| e.data.event_type())));
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
    let second_end = |e: &UniversalEvent| e.data.event_type() == "turn.ended" && e.sequence > first.last().unwrap().sequence;
    read_until(&mut on_b, &mut seen_b, second_end).await;
    read_until(&mut on_c, &mut seen_c, second_end).await;
    let first_end = first.last().unwrap().sequence;
    let second: Vec<_> = seen_b.iter().filter(|e| e.sequence > first_end).cloned().collect();
    assert_eq!(assistant_text(&second), "through b");
    assert_eq!(cb.get_session("s").await.unwrap().status, SessionStatus::Idle, "a read through B is A's answer");

    let nodes = cb.cluster_nodes().await.unwrap();
    assert!(nodes.clustered);
    assert_eq!(nodes.nodes.iter().map(|n| (n.id.as_str(), n.alive)).collect::<Vec<_>>(), [("a", true), ("b", true), ("c", true)]);
    assert_eq!(owner(&cb, "s").await.as_deref(), Some("a"));

    // A long turn, asked through B; A is killed in the middle of it.
    cb.send_message("s", "flood 1000000").await.unwrap();
    let mid = seen_b.last().unwrap().sequence + 500;
    read_until(&mut on_b, &mut seen_b, |e| e.sequence >= mid).await;
    a.kill9().await;
    // B or C takes the session over within the lease TTL and fails the cut turn, once.
    let failed = |e: &UniversalEvent| {
        matches!(&e.data, EventData::TurnEnded(t) if t.reason == TurnEndReason::Error)
    };
    read_until(&mut on_b, &mut seen_b, failed).await;
    read_until(&mut on_c, &mut seen_c, failed).await;
    let new_owner = owner(&cb, "s").await.expect("a new owner");
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
