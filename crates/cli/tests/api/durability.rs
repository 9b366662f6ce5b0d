//! `kill -9` of the daemon mid-stream, then a restart on the same data dir.

use futures_util::StreamExt;
use sandbox_agent_client::SseOptions;
use sandbox_agent_schema::*;

use crate::common::*;

#[tokio::test]
async fn kill9_mid_stream_loses_nothing_delivered_and_the_session_resumes() {
    let mut d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    new_session(&c, "idle").await;
    turn(&c, "idle", "echo before").await;
    let mut stream = c.events_sse("s", &SseOptions::default()).await.unwrap();
    c.send_message("s", "flood 1000000").await.unwrap();
    let mut received = Vec::new();
    tokio::time::timeout(WAIT, async {
        while received.len() < 3000 {
            received.push(stream.next().await.unwrap().unwrap());
        }
    })
    .await
    .expect("events flowing");
    d.kill9().await;
    let last_received = received.last().unwrap().sequence;

    let d = d.restart().await;
    let c = d.client();
    let info = c.get_session("s").await.unwrap();
    assert_eq!(info.status, SessionStatus::Paused);
    assert!(info.current_turn_id.is_none());
    assert_eq!(c.get_session("idle").await.unwrap().status, SessionStatus::Paused);

    // Everything a client saw is still there, identical.
    let stored = all_events(&c, "s").await;
    assert!(stored.len() as u64 >= last_received);
    assert_eq!(&stored[..received.len()], &received[..]);
    // The interrupted turn was closed: its open message failed, the turn ended with an error.
    check_contract(&stored, false);
    let end = turn_end(&stored);
    assert_eq!(end.reason, TurnEndReason::Error);
    assert!(end.message.as_deref().unwrap().contains("restarted"));
    let last_before = stored.last().unwrap().sequence;
    assert_eq!(info.event_count, last_before);

    // The next message resumes the session; sequences continue without reuse.
    let next = turn(&c, "s", "echo resumed").await;
    assert_eq!(next[0].sequence, last_before + 1);
    assert_eq!(assistant_text(&next), "resumed");
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Idle);
    assert_eq!(count(&next, "session.started"), 0, "a resume is not a new session");
    check_contract(&all_events(&c, "s").await, false);
    assert_eq!(assistant_text(&turn(&c, "idle", "echo after").await), "after");
}

#[tokio::test]
async fn clean_restart_keeps_sessions_ended_or_paused() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "done").await;
    c.terminate("done").await.unwrap();
    new_session(&c, "live").await;
    turn(&c, "live", "echo 1").await;
    let before = all_events(&c, "live").await;
    let mut d = d;
    assert!(d.stop().await.success(), "SIGTERM is a clean exit");
    let d = d.restart().await;
    let c = d.client();
    let done = c.get_session("done").await.unwrap();
    assert!(done.ended);
    assert_eq!(done.end.unwrap().reason, SessionEndReason::Terminated);
    assert_eq!(c.get_session("live").await.unwrap().status, SessionStatus::Paused);
    assert_eq!(all_events(&c, "live").await, before);
    let err = c.send_message("done", "hi").await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "session_ended");
}

#[tokio::test]
async fn memory_store_serves_the_same_api_and_keeps_nothing() {
    let d = Daemon::start_with(&["--store", "memory"]).await;
    let c = d.client();
    new_session(&c, "m").await;
    let events = turn(&c, "m", "echo kept in memory").await;
    assert_eq!(assistant_text(&events), "kept in memory");
    check_contract(&all_events(&c, "m").await, false);
    assert_eq!(all_events(&c, "m").await, events_since_start(&c, "m").await);
    assert!(!d.data_path().join("sandbox-agent.db").exists(), "no database file is made");
    let mut d = d;
    assert!(d.stop().await.success());
    let d = d.restart().await;
    let sessions = d.client().list_sessions(&Default::default()).await.unwrap();
    assert!(sessions.sessions.is_empty(), "a memory store forgets everything at exit");
}

/// Every event from the start, through SSE, up to the last `turn.ended`.
async fn events_since_start(c: &sandbox_agent_client::Client, id: &str) -> Vec<UniversalEvent> {
    sse_until(c, id, 0, |e| matches!(e.data, EventData::TurnEnded(_))).await
}
