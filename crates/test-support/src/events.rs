//! Driving sessions and checking what comes back: turns, SSE reads, paging, and the
//! universal event contract.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;
use sandbox_agent_client::{Client, EventStream, SseOptions};
use sandbox_agent_schema::*;

use crate::WAIT;

pub fn mock() -> CreateSessionRequest {
    CreateSessionRequest { agent: "mock".into(), ..Default::default() }
}

pub async fn new_session(client: &Client, id: &str) {
    client.create_session_with_id(id, &mock()).await.expect("create session");
}

/// Send a message through the turn stream and collect the turn's events.
pub async fn turn(client: &Client, id: &str, message: &str) -> Vec<UniversalEvent> {
    let stream = client.send_message_stream(id, message, &SseOptions::default()).await.expect("turn stream");
    tokio::time::timeout(WAIT, stream.map(|e| e.expect("event")).collect::<Vec<_>>())
        .await
        .expect("turn did not end in time")
}

/// Read events over SSE from `after` until `stop` says so (inclusive).
pub async fn sse_until(
    client: &Client,
    id: &str,
    after: u64,
    stop: impl Fn(&UniversalEvent) -> bool,
) -> Vec<UniversalEvent> {
    sse_until_within(WAIT, client, id, after, stop).await
}

/// [`sse_until`] with its own time limit.
pub async fn sse_until_within(
    limit: Duration,
    client: &Client,
    id: &str,
    after: u64,
    stop: impl Fn(&UniversalEvent) -> bool,
) -> Vec<UniversalEvent> {
    let opts = SseOptions { offset: Some(after), ..Default::default() };
    let mut stream = client.events_sse(id, &opts).await.expect("sse");
    let mut out = Vec::new();
    read_until(limit, &mut stream, &mut out, stop).await;
    out
}

/// Go on reading an open stream into `out` until `stop` says so (inclusive), within `limit`.
pub async fn read_until(
    limit: Duration,
    stream: &mut EventStream,
    out: &mut Vec<UniversalEvent>,
    stop: impl Fn(&UniversalEvent) -> bool,
) {
    tokio::time::timeout(limit, async {
        while let Some(ev) = stream.next().await {
            let ev = ev.expect("event");
            let done = stop(&ev);
            out.push(ev);
            if done {
                return;
            }
        }
        panic!("stream ended before the awaited event; got {:?}", types(out));
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting; got {} events, the last {:?}", out.len(), types(out).last()));
}

/// Every stored event of a session, by paging `GET /events`.
pub async fn all_events(client: &Client, id: &str) -> Vec<UniversalEvent> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |e: &UniversalEvent| e.sequence);
        let page = client
            .events(id, &EventsQuery { offset: Some(after), limit: Some(1000), include_raw: None, type_: None })
            .await
            .unwrap();
        out.extend(page.events);
        if !page.has_more {
            return out;
        }
    }
}

pub fn types(events: &[UniversalEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.data.event_type()).collect()
}

pub fn count(events: &[UniversalEvent], ty: &str) -> usize {
    events.iter().filter(|e| e.data.event_type() == ty).count()
}

/// Completed items of the events, in order.
pub fn completed_items(events: &[UniversalEvent]) -> Vec<&UniversalItem> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::ItemCompleted(d) => Some(&d.item),
            _ => None,
        })
        .collect()
}

/// Concatenated text of the completed assistant messages.
pub fn assistant_text(events: &[UniversalEvent]) -> String {
    completed_items(events)
        .into_iter()
        .filter(|i| i.kind == ItemKind::Message && i.role == Some(ItemRole::Assistant))
        .flat_map(|i| {
            i.content.iter().filter_map(|p| match p {
                ContentPart::Text { text } => Some(text.clone()),
                _ => None,
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The ids of the permissions the events request, in order.
pub fn permission_ids(events: &[UniversalEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::PermissionRequested(p) => Some(p.permission_id.clone()),
            _ => None,
        })
        .collect()
}

pub fn turn_end(events: &[UniversalEvent]) -> &TurnEndedData {
    events
        .iter()
        .rev()
        .find_map(|e| match &e.data {
            EventData::TurnEnded(d) => Some(d),
            _ => None,
        })
        .expect("a turn.ended event")
}

/// The universal event contract over a contiguous run of events:
/// sequences +1 each, `evt_<seq>` ids, source daemon iff synthetic, every item
/// started → delta* → completed with a delta when it has text, turns paired, and no
/// `agent.unparsed` unless allowed.
pub fn check_contract(events: &[UniversalEvent], allow_unparsed: bool) {
    #[derive(Default)]
    struct Seen {
        completed: bool,
        deltas: usize,
    }
    let mut items: HashMap<String, Seen> = HashMap::new();
    let mut turn: Option<String> = None;
    for (i, ev) in events.iter().enumerate() {
        if i > 0 {
            assert_eq!(ev.sequence, events[i - 1].sequence + 1, "sequence gap at {}", ev.sequence);
        }
        assert_eq!(ev.event_id, format!("evt_{}", ev.sequence));
        assert_eq!(ev.synthetic, ev.source == EventSource::Daemon, "source/synthetic mismatch at {}", ev.sequence);
        match &ev.data {
            EventData::ItemStarted(d) => {
                assert!(d.item.item_id.starts_with("itm_"), "item id {}", d.item.item_id);
                assert!(
                    items.insert(d.item.item_id.clone(), Seen::default()).is_none(),
                    "item started twice: {}",
                    d.item.item_id
                );
            }
            EventData::ItemDelta(d) => {
                let seen = items.get_mut(&d.item_id).unwrap_or_else(|| panic!("delta before start: {}", d.item_id));
                assert!(!seen.completed, "delta after completion: {}", d.item_id);
                seen.deltas += 1;
            }
            EventData::ItemCompleted(d) => {
                let seen = items
                    .get_mut(&d.item.item_id)
                    .unwrap_or_else(|| panic!("completed before start: {}", d.item.item_id));
                assert!(!seen.completed, "completed twice: {}", d.item.item_id);
                seen.completed = true;
                let has_text = d.item.content.iter().any(|p| p.delta_text().is_some_and(|t| !t.is_empty()));
                if has_text {
                    assert!(seen.deltas > 0, "item with text but no delta: {}", d.item.item_id);
                }
            }
            EventData::TurnStarted(d) => {
                assert!(turn.is_none(), "turn started inside a turn at {}", ev.sequence);
                turn = Some(d.turn_id.clone());
            }
            EventData::TurnEnded(d) => {
                assert_eq!(turn.as_deref(), Some(d.turn_id.as_str()), "turn.ended for another turn at {}", ev.sequence);
                turn = None;
            }
            EventData::AgentUnparsed(_) => {
                assert!(allow_unparsed, "unexpected agent.unparsed at {}: {:?}", ev.sequence, ev.data);
                assert!(ev.synthetic);
            }
            _ => {}
        }
    }
    if turn.is_none() {
        for (id, seen) in &items {
            assert!(seen.completed, "item {id} never completed");
        }
    }
}
