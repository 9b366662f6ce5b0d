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
    #[allow(dead_code, reason = "held for its Drop")]
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

struct State {
    feed: Arc<EventFeed>,
    watermark: watch::Receiver<u64>,
    store: Arc<dyn Store>,
    session_id: String,
    last: u64,
    params: StreamParams,
    ping: tokio::time::Interval,
    done: bool,
}

pub fn sse_response(session_id: String, feed: Arc<EventFeed>, store: Arc<dyn Store>, params: StreamParams) -> Response {
    let start = tokio::time::Instant::now() + params.ping;
    let state = State {
        watermark: feed.subscribe(),
        feed,
        store,
        session_id,
        last: params.after,
        ping: {
            let mut ping = tokio::time::interval_at(start, params.ping);
            ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ping
        },
        params,
        done: false,
    };
    let stream = futures_util::stream::unfold(state, |mut s| async move {
        let chunk = s.next_chunk().await?;
        Some((Ok::<_, std::convert::Infallible>(chunk), s))
    });
    event_stream(stream)
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

impl State {
    async fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            if self.done || self.feed.is_closed() {
                return None; // finished, or the session was deleted
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
            if self.feed.is_ended() {
                // `ended` is set only after the last watermark, which may have moved since it
                // was read above: deliver what is left first.
                if *self.watermark.borrow() > self.last {
                    continue;
                }
                return None; // resumed at or past `session.ended`: nothing will come
            }
            tokio::select! {
                _ = self.watermark.changed() => {}
                _ = self.ping.tick() => return Some(Bytes::from_static(b": ping\n\n")),
            }
        }
    }

    async fn read(&self, watermark: u64) -> Option<Vec<Arc<StoredEvent>>> {
        match self.feed.after(self.last, watermark, PAGE) {
            Catchup::Ring(events) => Some(events),
            Catchup::Store => match self.store.read_events(self.session_id.clone(), self.last, PAGE).await {
                Ok(events) => Some(events.into_iter().map(Arc::new).collect()),
                Err(err) => {
                    tracing::error!(%err, "reading events for a stream failed");
                    None
                }
            },
        }
    }

    /// Frames for the events that pass the filter; advances `last` past all of them.
    fn frames(&mut self, events: &[Arc<StoredEvent>]) -> Option<Bytes> {
        let mut out = BytesMut::new();
        for ev in events {
            self.last = ev.sequence;
            let wanted = match &self.params.subscribe {
                None => true,
                Some(patterns) => patterns.iter().any(|p| event_type_matches(p, ev.event_type)),
            };
            if wanted {
                out.put_slice(b"id: ");
                out.put_slice(ev.sequence.to_string().as_bytes());
                out.put_slice(b"\ndata: ");
                out.put_slice(&ev.wire_json(self.params.include_raw));
                out.put_slice(b"\n\n");
            }
            let ends = match self.params.until {
                Until::SessionEnd => ev.event_type == "session.ended",
                Until::TurnEnd => ev.event_type == "turn.ended" || ev.event_type == "session.ended",
            };
            if ends {
                self.done = true;
                break;
            }
        }
        (!out.is_empty()).then(|| out.freeze())
    }
}
