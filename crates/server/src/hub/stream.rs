//! The Hub's live stream: `snapshot` and `hydration` on connect (its client has no resume cursor,
//! so this is how a reconnect catches up), then every later event as a `broadcast` or `presence`
//! frame, filtered by `subscribe=`. Its client reconnects whenever a stream closes, so the stream
//! stays open past the session's end.

use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::response::Response;
use bytes::{BufMut, Bytes, BytesMut};
use sandbox_agent_schema::*;
use sandbox_agent_sessions::SessionHandle;
use sandbox_agent_store::StoredEvent;
use serde::Deserialize;
use serde_json::{json, Value};

use super::map;
use crate::auth::Caller;
use crate::error::{ApiQuery, ApiResult};
use crate::routes::events::presence;
use crate::routes::ApiPath;
use crate::sse::{event_stream, frames, parse_subscribe, Framer, Tail};
use crate::AppState;

/// Patterns of a stream; a WebSocket's `subscribe` frame replaces them while it runs.
pub type Patterns = Arc<RwLock<Vec<String>>>;

pub fn patterns(raw: Option<&str>) -> Patterns {
    Arc::new(RwLock::new(parse_subscribe(raw).unwrap_or_default()))
}

/// Writes our events as Hub frames: SSE blocks, or (for the WebSocket) one JSON per line.
pub struct HubFramer {
    pub session_id: String,
    pub agent: String,
    pub patterns: Patterns,
    pub items: map::Items,
    pub lines: bool,
}

impl Framer for HubFramer {
    fn frame(&mut self, stored: &StoredEvent, out: &mut BytesMut) -> bool {
        let ev = match serde_json::from_slice::<UniversalEvent>(&stored.wire_json(false)) {
            Ok(ev) => ev,
            Err(err) => {
                tracing::error!(%err, seq = stored.sequence, "a stored event does not parse");
                return false;
            }
        };
        let mapped = map::event(&ev, &self.agent, &mut self.items);
        if !map::subscribed(&self.patterns.read().unwrap(), &mapped.event, mapped.category) {
            return false;
        }
        let (name, value) = map::frame(mapped, &self.session_id, map::ms(&ev.time));
        write(out, name, &value, self.lines);
        false
    }
}

pub fn write(out: &mut BytesMut, name: &str, value: &Value, lines: bool) {
    if lines {
        out.put_slice(value.to_string().as_bytes());
        out.put_u8(b'\n');
    } else {
        out.put_slice(b"event: ");
        out.put_slice(name.as_bytes());
        out.put_slice(b"\ndata: ");
        out.put_slice(value.to_string().as_bytes());
        out.put_slice(b"\n\n");
    }
}

/// What a newcomer is shown first: the snapshot, the hydration (the conversation so far), and
/// the sequence the live frames follow.
pub struct Opening {
    pub snapshot: Value,
    pub hydration: Value,
    pub entries: Vec<Value>,
    pub after: u64,
    pub agent: String,
}

pub async fn opening(state: &AppState, id: &str) -> ApiResult<Opening> {
    let handle = state.sessions.get(id)?;
    // Taken before the transcript is read: at worst an event shows in both, never in neither.
    let after = handle.shared.feed.watermark();
    let info = handle.info();
    let (transcript, _) = state.sessions.transcript(id, 0, 10_000).await?;
    let entries: Vec<Value> =
        transcript.iter().map(|e| serde_json::to_value(map::entry(e, &info.agent)).unwrap_or_default()).collect();
    let tool_calls = transcript.iter().filter(|e| e.type_ == TranscriptEntryType::ToolCall).count();
    let participants: Vec<Value> = state
        .sessions
        .participants(id)?
        .participants
        .iter()
        .filter(|p| p.transport.attached() && p.disconnected_at.is_none())
        .map(|p| {
            let p = map::participant(p);
            json!({"id": p.id, "role": p.role, "transport": p.transport, "connectedAt": p.connected_at})
        })
        .collect();
    let label = info.label.clone().or_else(|| info.title.clone()).unwrap_or_default();
    let activity = json!({"name": info.agent, "status": info.status.as_str(), "toolCallCount": tool_calls,
        "lastActivity": map::ms(&info.last_activity_at)});
    let snapshot = json!({"type": "snapshot", "sessionId": id, "label": label, "status": map::status(info.status),
        "createdAt": info.created_at, "mode": "sandbox", "participants": participants,
        "taskCount": info.task.is_some() as u64, "agentActivity": {info.agent.clone(): activity}});
    let mut hydration = json!({"type": "hydration", "sessionId": id, "entries": entries});
    if let Some(task) = &info.task {
        hydration["task"] = task.clone().into();
    }
    Ok(Opening { snapshot, hydration, entries, after, agent: info.agent })
}

/// The live frames after the opening, held open past the session's end; `lines` for the
/// WebSocket.
pub fn live(
    state: &AppState,
    session: &SessionHandle,
    guard: Option<Box<dyn Send + Sync>>,
    opening: &Opening,
    patterns: Patterns,
    lines: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> + Send + 'static {
    let tail = Tail {
        session_id: session.shared.id.clone(),
        feed: session.shared.feed.clone(),
        store: state.sessions.store().clone(),
        guard,
        after: opening.after,
        ping: state.config.sse_ping_interval,
        hold_open: true,
    };
    let framer = HubFramer {
        session_id: session.shared.id.clone(),
        agent: opening.agent.clone(),
        patterns,
        items: Default::default(),
        lines,
    };
    frames(tail, framer)
}

#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    subscribe: Option<String>,
}

pub async fn sse(
    State(state): State<AppState>,
    Caller(by): Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> ApiResult<Response> {
    let session = state.sessions.get(&id)?;
    let opening = opening(&state, &id).await?;
    let guard = presence(&state, &session, "coder-sse".into(), ParticipantTransport::Sse, true, &by).await?;
    let mut first = BytesMut::new();
    write(&mut first, "snapshot", &opening.snapshot, false);
    write(&mut first, "hydration", &opening.hydration, false);
    let live = live(&state, &session, guard, &opening, patterns(q.subscribe.as_deref()), false);
    let head = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(first.freeze()) });
    Ok(event_stream(futures_util::StreamExt::chain(head, live)))
}
