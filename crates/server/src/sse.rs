//! Server-sent event streams of a session. Each client waits on the session's durable
//! watermark and sends `(last_sent, watermark]` — from the in-memory ring when it is close
//! behind, from the store when it has fallen further back. Nothing is queued per client, so
//! a stalled client costs one parked task and never slows the agent or other clients.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::{BufMut, Bytes, BytesMut};
use sandbox_agent_schema::event_type_matches;
use sandbox_agent_store::{Store, StoredEvent};
use tokio::sync::watch;

use sandbox_agent_sessions::{Catchup, EventFeed};

/// Events per read from the ring or the store.
const PAGE: usize = 512;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Until `session.ended` (or the session is deleted).
    SessionEnd,
    /// Until the first `turn.ended` or `session.ended`.
    TurnEnd,
}

pub struct StreamParams {
    /// Dropped when the stream ends (the participant leaves).
    pub guard: Option<Box<dyn Send + Sync>>,
    pub after: u64,
    pub include_raw: bool,
    pub subscribe: Option<Vec<String>>,
    pub until: Until,
    pub ping: Duration,
}

/// Parse `subscribe=a,b.*` (None or empty: everything).
pub fn parse_subscribe(raw: Option<&str>) -> Option<Vec<String>> {
    let patterns: Vec<String> = raw?.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
    (!patterns.is_empty()).then_some(patterns)
}

/// The sequence to resume after: `Last-Event-ID` wins over `offset`.
pub fn resume_point(headers: &HeaderMap, offset: Option<u64>) -> Option<u64> {
    headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok()).or(offset)
}

/// Turns stored events into frames. The universal stream writes each event as it is stored; the
/// Coder Hub surface writes its own vocabulary.
pub trait Framer: Send + Sync + 'static {
    /// Appends `ev`'s frames to `out` (none when it is filtered out); true when the stream ends
    /// after it.
    fn frame(&mut self, ev: &StoredEvent, out: &mut BytesMut) -> bool;
}

/// The universal stream: `id:` + the envelope, filtered by `subscribe=`.
struct Universal {
    include_raw: bool,
    subscribe: Option<Vec<String>>,
    until: Until,
}

impl Framer for Universal {
    fn frame(&mut self, ev: &StoredEvent, out: &mut BytesMut) -> bool {
        let wanted = match &self.subscribe {
            None => true,
            Some(patterns) => patterns.iter().any(|p| event_type_matches(p, ev.event_type)),
        };
        if wanted {
            out.put_slice(b"id: ");
            out.put_slice(ev.sequence.to_string().as_bytes());
            out.put_slice(b"\ndata: ");
            out.put_slice(&ev.wire_json(self.include_raw));
            out.put_slice(b"\n\n");
        }
        match self.until {
            Until::SessionEnd => ev.event_type == "session.ended",
            Until::TurnEnd => ev.event_type == "turn.ended" || ev.event_type == "session.ended",
        }
    }
}

/// Where a stream reads from and how it paces itself, whatever its framing.
pub struct Tail {
    pub session_id: String,
    pub feed: Arc<EventFeed>,
    pub store: Arc<dyn Store>,
    /// Dropped when the stream ends (the participant leaves).
    #[allow(dead_code, reason = "held for its Drop")]
    pub guard: Option<Box<dyn Send + Sync>>,
    pub after: u64,
    pub ping: Duration,
    /// Stay open (with pings) after the session ended, until the client goes or the session is
    /// deleted: for clients that reconnect whenever a stream closes.
    pub hold_open: bool,
}

struct State<F> {
    tail: Tail,
    watermark: watch::Receiver<u64>,
    last: u64,
    framer: F,
    ping: tokio::time::Interval,
    done: bool,
}

pub fn sse_response(session_id: String, feed: Arc<EventFeed>, store: Arc<dyn Store>, params: StreamParams) -> Response {
    let framer = Universal { include_raw: params.include_raw, subscribe: params.subscribe, until: params.until };
    let tail =
        Tail { session_id, feed, store, guard: params.guard, after: params.after, ping: params.ping, hold_open: false };
    event_stream(frames(tail, framer))
}

/// The frames of `tail` after `tail.after`, as `framer` writes them, with `: ping` comments while
/// idle.
pub fn frames<F: Framer>(
    tail: Tail,
    framer: F,
) -> impl futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> + Send + 'static {
    let start = tokio::time::Instant::now() + tail.ping;
    let mut ping = tokio::time::interval_at(start, tail.ping);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = State { watermark: tail.feed.subscribe(), last: tail.after, tail, framer, ping, done: false };
    futures_util::stream::unfold(state, |mut s| async move {
        let chunk = s.next_chunk().await?;
        Some((Ok::<_, std::convert::Infallible>(chunk), s))
    })
}

/// A stream of SSE frames as the response: its content type, never cached, never buffered by a
/// proxy.
pub fn event_stream<S>(frames: S) -> Response
where
    S: futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> + Send + 'static,
{
    let mut response = Body::from_stream(frames).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

impl<F: Framer> State<F> {
    async fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            if self.tail.feed.is_closed() {
                return None; // the session was deleted
            }
            if self.done {
                if !self.tail.hold_open {
                    return None;
                }
                self.ping.tick().await;
                return Some(Bytes::from_static(b": ping\n\n"));
            }
            let watermark = *self.watermark.borrow_and_update();
            if watermark > self.last {
                let events = self.read(watermark).await?;
                if events.is_empty() {
                    // Sequences lost to a failed commit: nothing durable lies there.
                    self.last = watermark;
                } else if let Some(chunk) = self.frames(&events) {
                    return Some(chunk);
                }
                continue;
            }
            if self.tail.feed.is_ended() {
                // `ended` is set only after the last watermark, which may have moved since it
                // was read above: deliver what is left first.
                if *self.watermark.borrow() > self.last {
                    continue;
                }
                self.done = true; // resumed at or past `session.ended`: nothing will come
                continue;
            }
            tokio::select! {
                _ = self.watermark.changed() => {}
                _ = self.ping.tick() => return Some(Bytes::from_static(b": ping\n\n")),
            }
        }
    }

    async fn read(&self, watermark: u64) -> Option<Vec<Arc<StoredEvent>>> {
        let tail = &self.tail;
        match tail.feed.after(self.last, watermark, PAGE) {
            Catchup::Ring(events) => Some(events),
            Catchup::Store => match tail.store.read_events(tail.session_id.clone(), self.last, PAGE).await {
                Ok(events) => Some(events.into_iter().map(Arc::new).collect()),
                Err(err) => {
                    tracing::error!(%err, "reading events for a stream failed");
                    None
                }
            },
        }
    }

    /// Frames for the events the framer keeps; advances `last` past all of them.
    fn frames(&mut self, events: &[Arc<StoredEvent>]) -> Option<Bytes> {
        let mut out = BytesMut::new();
        for ev in events {
            self.last = ev.sequence;
            if self.framer.frame(ev, &mut out) {
                self.done = true;
                break;
            }
        }
        (!out.is_empty()).then(|| out.freeze())
    }
}
