//! Server-sent-event framing shared by the three APIs, and the one place
//! that knows how a scripted stall is injected into a stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::Value;

enum Step {
    Frame(Bytes),
    Pause(Duration),
}

/// Collects SSE frames up front (every reply is known before streaming
/// starts) and turns them into a streamed body. Each frame is its own body
/// chunk, so hyper flushes it before a pause.
pub(crate) struct SseWriter {
    steps: Vec<Step>,
    pending_pause: Option<Duration>,
}

impl SseWriter {
    /// `pause` is spent at the first `stall_point`.
    pub fn new(pause: Option<Duration>) -> Self {
        Self { steps: Vec::new(), pending_pause: pause }
    }

    /// `event: NAME` + `data: JSON` frame (Anthropic, Responses).
    pub fn event(&mut self, name: &str, data: &Value) {
        self.frame(format!("event: {name}\ndata: {data}\n\n"));
    }

    /// Bare `data: JSON` frame (Chat Completions).
    pub fn data(&mut self, data: &Value) {
        self.frame(format!("data: {data}\n\n"));
    }

    /// Chat Completions terminator.
    pub fn done(&mut self) {
        self.frame("data: [DONE]\n\n".to_string());
    }

    /// Marks "the client has now seen the first content delta": a scripted
    /// delay happens here, so interrupt tests see a reply that started
    /// streaming and then stalls.
    pub fn stall_point(&mut self) {
        if let Some(pause) = self.pending_pause.take() {
            self.steps.push(Step::Pause(pause));
        }
    }

    fn frame(&mut self, text: String) {
        self.steps.push(Step::Frame(Bytes::from(text)));
    }

    pub fn into_response(mut self) -> Response {
        // A renderer without a delta (should not happen) still honours the
        // delay: stall before the final frame rather than dropping it.
        if let Some(pause) = self.pending_pause.take() {
            let at = self.steps.len().saturating_sub(1);
            self.steps.insert(at, Step::Pause(pause));
        }
        let stream = futures_util::stream::iter(self.steps).filter_map(|step| async move {
            match step {
                Step::Frame(bytes) => Some(Ok::<_, Infallible>(bytes)),
                Step::Pause(d) => {
                    tokio::time::sleep(d).await;
                    None
                }
            }
        });
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/event-stream")
            .header(header::CACHE_CONTROL, "no-cache")
            .header("x-request-id", crate::server::new_id("req_"))
            .body(Body::from_stream(stream))
            .expect("static SSE response parts are valid")
    }
}

/// Split `text` into up to `parts` non-empty pieces on char boundaries, so
/// clients exercise their delta accumulation. Empty text yields one empty
/// piece (one delta is still sent).
pub(crate) fn split_text(text: &str, parts: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    let size = chars.len().div_ceil(parts.max(1));
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::split_text;

    #[test]
    fn split_is_lossless_and_char_safe() {
        for text in ["", "a", "hello world", "héllo ✓ ünïcode"] {
            let parts = split_text(text, 3);
            assert!(parts.len() <= 3 && !parts.is_empty());
            assert_eq!(parts.concat(), text);
        }
        assert_eq!(split_text("abcdef", 3), ["ab", "cd", "ef"]);
    }
}
