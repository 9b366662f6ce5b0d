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

type Inner = Pin<Box<dyn Stream<Item = Result<UniversalEvent>> + Send>>;

/// Events as they arrive; ends when the server closes the stream.
pub struct EventStream {
    inner: Inner,
}

impl EventStream {
    pub(crate) fn new(resp: reqwest::Response) -> Self {
        let inner = resp.bytes_stream().eventsource().filter_map(|frame| async move {
            match frame {
                Ok(ev) if ev.data.is_empty() => None,
                Ok(ev) => Some(serde_json::from_str(&ev.data).map_err(|e| ClientError::Decode(e.to_string()))),
                Err(err) => Some(Err(ClientError::Decode(err.to_string()))),
            }
        });
        EventStream { inner: Box::pin(inner) }
    }
}

impl Stream for EventStream {
    type Item = Result<UniversalEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
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

type RunInner = Pin<Box<dyn Stream<Item = Result<RunEvent>> + Send>>;

/// A streamed run's events as they arrive; ends after `Exit` or `Error`.
pub struct RunStream {
    inner: RunInner,
}

impl RunStream {
    pub(crate) fn new(resp: reqwest::Response) -> Self {
        let decode = |e: serde_json::Error| ClientError::Decode(e.to_string());
        let inner = resp.bytes_stream().eventsource().filter_map(move |frame| async move {
            let ev = match frame {
                Ok(ev) => ev,
                Err(err) => return Some(Err(ClientError::Decode(err.to_string()))),
            };
            let parsed = match ev.event.as_str() {
                "stdout" => serde_json::from_str(&ev.data).map(RunEvent::Stdout),
                "stderr" => serde_json::from_str(&ev.data).map(RunEvent::Stderr),
                "exit" => serde_json::from_str(&ev.data).map(|r| RunEvent::Exit(Box::new(r))),
                "error" => serde_json::from_str(&ev.data).map(|p| RunEvent::Error(Box::new(p))),
                _ => return None,
            };
            Some(parsed.map_err(decode))
        });
        RunStream { inner: Box::pin(inner) }
    }
}

impl Stream for RunStream {
    type Item = Result<RunEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
