//! The SSE contract: ids, replay, resume, slow clients, filters, pings.

use std::time::Duration;

use futures_util::StreamExt;
use sandbox_agent_client::SseOptions;
use sandbox_agent_schema::*;

use crate::common::*;

/// Read a raw SSE body to its end (the stream must end by itself).
async fn raw_body(d: &Daemon, path: &str, headers: &[(&str, &str)]) -> String {
    let mut req = reqwest::Client::new().get(format!("{}{path}", d.url));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    tokio::time::timeout(WAIT, resp.text()).await.unwrap().unwrap()
}

/// `(id, event)` of each data frame.
fn frames(body: &str) -> Vec<(u64, UniversalEvent)> {
    body.split("\n\n")
        .filter(|f| f.contains("data: "))
        .map(|f| {
            let id = f.lines().find_map(|l| l.strip_prefix("id: ")).expect("id line").parse().unwrap();
            let data = f.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
            (id, serde_json::from_str(data).unwrap())
        })
        .collect()
}

/// A session with a few turns, then terminated so its streams end by themselves.
async fn finished_session(c: &sandbox_agent_client::Client, id: &str) {
    new_session(c, id).await;
    for cmd in ["tool", "markdown", "echo bye"] {
        turn(c, id, cmd).await;
    }
    c.terminate(id).await.unwrap();
}

#[tokio::test]
async fn every_frame_has_the_sequence_as_id_and_replay_equals_poll() {
    let d = Daemon::start().await;
    let c = d.client();
    finished_session(&c, "s").await;
    let polled = all_events(&c, "s").await;
    let streamed = frames(&raw_body(&d, "/v1/sessions/s/events/sse", &[]).await);
    assert_eq!(streamed.len(), polled.len());
    for ((id, ev), polled) in streamed.iter().zip(&polled) {
        assert_eq!(*id, ev.sequence);
        assert_eq!(ev, polled);
    }
    check_contract(&polled, false);
    assert_eq!(polled.last().unwrap().data.event_type(), "session.ended");
    // include_raw splices the native payload into the same frames.
    let raw = frames(&raw_body(&d, "/v1/sessions/s/events/sse?include_raw=true", &[]).await);
    assert_eq!(raw[1].1.raw.as_ref().unwrap()["type"], "mock.ready");
    assert!(streamed[1].1.raw.is_none());
}

#[tokio::test]
async fn resume_by_last_event_id_and_by_offset() {
    let d = Daemon::start().await;
    let c = d.client();
    finished_session(&c, "s").await;
    let total = all_events(&c, "s").await.len() as u64;
    // Read ten events, drop the connection, resume.
    let mut first = c.events_sse("s", &SseOptions::default()).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..10 {
        seen.push(first.next().await.unwrap().unwrap().sequence);
    }
    drop(first);
    let by_header = frames(&raw_body(&d, "/v1/sessions/s/events/sse", &[("Last-Event-ID", "10")]).await);
    let by_offset = frames(&raw_body(&d, "/v1/sessions/s/events/sse?offset=10", &[]).await);
    let header_ids: Vec<u64> = by_header.iter().map(|f| f.0).collect();
    assert_eq!(header_ids, (11..=total).collect::<Vec<_>>());
    assert_eq!(by_offset.iter().map(|f| f.0).collect::<Vec<_>>(), header_ids);
    seen.extend(header_ids);
    assert_eq!(seen, (1..=total).collect::<Vec<_>>(), "no gap, no duplicate");
    // Last-Event-ID wins over offset.
    let both = frames(&raw_body(&d, "/v1/sessions/s/events/sse?offset=2", &[("Last-Event-ID", "20")]).await);
    assert_eq!(both[0].0, 21);
}

#[tokio::test]
async fn subscribe_filters_by_type_pattern() {
    let d = Daemon::start().await;
    let c = d.client();
    finished_session(&c, "s").await;
    let body = raw_body(&d, "/v1/sessions/s/events/sse?subscribe=turn.*,session.ended", &[]).await;
    let got: Vec<&str> = frames(&body).iter().map(|(_, e)| e.data.event_type()).collect();
    let mut expected = ["turn.started", "turn.ended"].repeat(3);
    expected.push("session.ended");
    assert_eq!(got, expected);
    let items = frames(&raw_body(&d, "/v1/sessions/s/events/sse?subscribe=item.*", &[]).await);
    assert!(items.iter().all(|(_, e)| e.data.event_type().starts_with("item.")));
    assert!(!items.is_empty());
    let everything = frames(&raw_body(&d, "/v1/sessions/s/events/sse?subscribe=*", &[]).await);
    assert_eq!(everything.len(), all_events(&c, "s").await.len());
    // The client's subscribe option does the same.
    let opts = SseOptions { subscribe: vec!["session.ended".into()], ..Default::default() };
    let only: Vec<_> = c.events_sse("s", &opts).await.unwrap().collect().await;
    assert_eq!(only.len(), 1);
}

#[tokio::test]
async fn turn_stream_filters_but_still_ends_at_turn_end() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let opts = SseOptions { subscribe: vec!["item.completed".into()], ..Default::default() };
    let events: Vec<_> = c.send_message_stream("s", "tool", &opts).await.unwrap().collect().await;
    assert!(events.len() >= 5);
    assert!(events.iter().all(|e| e.as_ref().unwrap().data.event_type() == "item.completed"));
    // The session is usable right after.
    assert_eq!(assistant_text(&turn(&c, "s", "echo next").await), "next");
}

#[tokio::test]
async fn a_stalled_client_catches_up_without_loss() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    // Open a stream and do not read it while 50k events are produced (far past the ring).
    let resp = reqwest::Client::new().get(format!("{}/v1/sessions/s/events/sse", d.url)).send().await.unwrap();
    let n = 50_000;
    let events = turn(&c, "s", &format!("flood {n}")).await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    c.terminate("s").await.unwrap();
    let body = tokio::time::timeout(WAIT, resp.text()).await.unwrap().unwrap();
    let got = frames(&body);
    let total = all_events(&c, "s").await.len() as u64;
    assert!(total > n);
    assert_eq!(got.iter().map(|f| f.0).collect::<Vec<_>>(), (1..=total).collect::<Vec<_>>());
}

#[tokio::test]
async fn idle_streams_get_pings() {
    let d = Daemon::start_with(&["--sse-ping-ms", "100"]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let mut resp =
        reqwest::Client::new().get(format!("{}/v1/sessions/s/events/sse?offset=1000", d.url)).send().await.unwrap();
    let chunk = tokio::time::timeout(WAIT, resp.chunk()).await.unwrap().unwrap().unwrap();
    assert_eq!(&chunk[..], b": ping\n\n");
}

#[tokio::test]
async fn deleting_a_session_ends_its_streams() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let mut stream = c.events_sse("s", &SseOptions { offset: Some(1000), ..Default::default() }).await.unwrap();
    c.delete_session("s").await.unwrap();
    let end = tokio::time::timeout(Duration::from_secs(10), stream.next()).await.unwrap();
    assert!(end.is_none());
}

#[tokio::test]
async fn a_stream_resumed_at_the_end_of_an_ended_session_closes() {
    let d = Daemon::start().await;
    let c = d.client();
    finished_session(&c, "s").await;
    let total = all_events(&c, "s").await.len();
    let body = raw_body(&d, &format!("/v1/sessions/s/events/sse?offset={total}"), &[]).await;
    assert!(frames(&body).is_empty());
    let body = raw_body(&d, "/v1/sessions/s/events/sse?offset=100000", &[]).await;
    assert!(frames(&body).is_empty());
}

#[tokio::test]
async fn sigterm_with_open_streams_exits_promptly() {
    let mut d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let mut stream = c.events_sse("s", &SseOptions::default()).await.unwrap();
    stream.next().await.unwrap().unwrap();
    unsafe { libc::kill(d.pid(), libc::SIGTERM) };
    let drained = tokio::time::timeout(Duration::from_secs(10), async { while stream.next().await.is_some() {} }).await;
    assert!(drained.is_ok(), "the stream ended when the daemon shut down");
    assert!(d.wait_exit().await.success());
    // The daemon has exited: a restart on the same data dir sees the session.
    let d = d.restart().await;
    assert_eq!(d.client().get_session("s").await.unwrap().status, SessionStatus::Paused);
}
