//! SSE responses as a stream of universal events.

use std::pin::Pin;
use std::task::{Context, Poll};

use eventsource_stream::Eventsource;
use futures_util::{Stream, StreamExt};
use sandbox_agent_schema::UniversalEvent;

use crate::{ClientError, Result};

/// Options of the two SSE endpoints.
#[derive(Debug, Clone, Default)]
pub struct SseOptions {
    /// Start after this sequence.
    pub offset: Option<u64>,
    /// Sent as `Last-Event-ID` (wins over `offset` on the server).
    pub last_event_id: Option<u64>,
    pub include_raw: bool,
    /// Event type patterns (`item.*`, `turn.ended`, `*`).
    pub subscribe: Vec<String>,
    /// The name this attachment goes by among the session's participants.
    pub participant: Option<String>,
}

impl SseOptions {
    pub(crate) fn query(&self, with_offset: bool) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let (true, Some(offset)) = (with_offset, self.offset) {
            q.push(("offset", offset.to_string()));
        }
        if self.include_raw {
            q.push(("include_raw", "true".to_string()));
        }
        if !self.subscribe.is_empty() {
            q.push(("subscribe", self.subscribe.join(",")));
        }
        if let (true, Some(name)) = (with_offset, &self.participant) {
            q.push(("participant", name.clone()));
        }
        q
    }
}

/// An SSE response as a stream of decoded frames; ends when the server closes it.
pub struct Frames<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send>>,
}

impl<T: Send + 'static> Frames<T> {
    /// `parse` turns a frame into an item, or skips it (`None`).
    fn parsed(resp: reqwest::Response, parse: fn(&eventsource_stream::Event) -> Option<Result<T>>) -> Self {
        let inner = resp.bytes_stream().eventsource().filter_map(move |frame| async move {
            match frame {
                Ok(ev) => parse(&ev),
                Err(err) => Some(Err(ClientError::Decode(err.to_string()))),
            }
        });
        Frames { inner: Box::pin(inner) }
    }
}

impl<T> Stream for Frames<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A frame's data as a `T`, made an item by `wrap` (always an item: a bad one is an error,
/// not skipped).
fn decode<T: serde::de::DeserializeOwned, U>(data: &str, wrap: fn(T) -> U) -> Option<Result<U>> {
    Some(serde_json::from_str(data).map(wrap).map_err(|e| ClientError::Decode(e.to_string())))
}

/// Universal events as they arrive.
pub type EventStream = Frames<UniversalEvent>;

impl EventStream {
    pub(crate) fn new(resp: reqwest::Response) -> Self {
        Frames::parsed(resp, |ev| if ev.data.is_empty() { None } else { decode(&ev.data, |e| e) })
    }
}

impl crate::AcpStream {
    pub(crate) fn acp(resp: reqwest::Response) -> Self {
        Frames::parsed(resp, |ev| {
            let id = ev.id.parse().ok()?;
            let message = serde_json::from_str(&ev.data).map_err(|e| ClientError::Decode(e.to_string()));
            Some(message.map(|message| crate::AcpMessage { id, message }))
        })
    }
}

/// One event of `POST /v1/run/stream`.
#[derive(Debug, Clone, PartialEq)]
pub enum RunEvent {
    Stdout(sandbox_agent_schema::RunOutputChunk),
    Stderr(sandbox_agent_schema::RunOutputChunk),
    /// The last event: how it ended (its `stdout` and `stderr` are empty: they were streamed).
    Exit(Box<sandbox_agent_schema::RunResponse>),
    /// The run failed after it started (the daemon's problem).
    Error(Box<sandbox_agent_schema::ProblemDetails>),
}

/// A streamed run's events as they arrive; ends after `Exit` or `Error`.
pub type RunStream = Frames<RunEvent>;

impl RunStream {
    pub(crate) fn new(resp: reqwest::Response) -> Self {
        Frames::parsed(resp, |ev| match ev.event.as_str() {
            "stdout" => decode(&ev.data, RunEvent::Stdout),
            "stderr" => decode(&ev.data, RunEvent::Stderr),
            "exit" => decode(&ev.data, |r| RunEvent::Exit(Box::new(r))),
            "error" => decode(&ev.data, |p| RunEvent::Error(Box::new(p))),
            _ => None,
        })
    }
}
