//! Shared helpers: an HTTP client with timeouts, an SSE parser, and tool
//! lists shaped like the ones the real agents send.

use std::time::Duration;

use reqwest::Response;
use sandbox_agent_model_stub::ModelStub;
use serde_json::{json, Value};

/// Upper bound for every network wait in these tests.
pub const T: Duration = Duration::from_secs(10);

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(T).build().unwrap()
}

pub async fn post(stub: &ModelStub, path: &str, body: Value) -> Response {
    client().post(format!("{}{path}", stub.url())).json(&body).send().await.unwrap()
}

/// POST expecting a 200 JSON body.
pub async fn post_json(stub: &ModelStub, path: &str, body: Value) -> Value {
    let response = post(stub, path, body).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[derive(Debug, Clone)]
pub struct Event {
    pub name: Option<String>,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("bad SSE data {:?}: {e}", self.data))
    }
}

/// Minimal SSE parser: frames separated by a blank line, `event:` and
/// `data:` fields (multi-line data joined with `\n`).
pub fn parse_sse(text: &str) -> Vec<Event> {
    text.split("\n\n")
        .filter(|frame| !frame.trim().is_empty())
        .map(|frame| {
            let mut name = None;
            let mut data = Vec::new();
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = Some(v.trim().to_string());
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.trim_start().to_string());
                } else {
                    panic!("unexpected SSE line {line:?}");
                }
            }
            Event { name, data: data.join("\n") }
        })
        .collect()
}

/// POST expecting a complete SSE stream.
pub async fn post_sse(stub: &ModelStub, path: &str, body: Value) -> Vec<Event> {
    let response = post(stub, path, body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    parse_sse(&response.text().await.unwrap())
}

/// For named-event streams: every `event:` line must match its `data.type`.
pub fn names_checked(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let name = e.name.clone().expect("every frame has an event: line");
            assert_eq!(e.json()["type"], name, "event line and data.type differ");
            name
        })
        .collect()
}

/// Scripted stall for the delay tests; generous so a loaded CI machine
/// cannot make the rest of the stream look early.
pub const STALL_MS: u64 = 1500;

/// Sends a streaming request whose scripted reply is a `STALL_MS` `Delay` over
/// the text "abcdefghi" (streamed as "abc", "def", "ghi"), and checks that
/// the stream stalls right after the first delta and then completes.
pub async fn assert_stalls_after_first_delta(stub: &ModelStub, path: &str, body: Value) {
    let mut response = post(stub, path, body).await;
    assert_eq!(response.status(), 200);
    let mut seen = String::new();
    tokio::time::timeout(T, async {
        // Quoted: a random hex id in an earlier chunk may contain the bare letters.
        while !seen.contains("\"abc\"") {
            let chunk = response.chunk().await.unwrap().expect("stream ended before the first delta");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("first delta never arrived");
    assert!(!seen.contains("\"def\""), "the stall must come after the first delta only: {seen}");
    let stalled = tokio::time::timeout(Duration::from_millis(STALL_MS / 3), response.chunk()).await;
    assert!(stalled.is_err(), "expected a stall after the first delta, got {stalled:?}");
    let rest = tokio::time::timeout(T, async {
        let mut rest = String::new();
        while let Some(chunk) = response.chunk().await.unwrap() {
            rest.push_str(&String::from_utf8_lossy(&chunk));
        }
        rest
    })
    .await
    .expect("stream never resumed");
    assert!(rest.contains("def") && rest.contains("ghi"), "{rest}");
}

/// Claude Code style tools (Anthropic `input_schema`).
pub fn claude_tools() -> Value {
    json!([
        {"name": "Task", "input_schema": {"type": "object", "properties": {"prompt": {"type": "string"}}}},
        {"name": "Bash", "input_schema": {"type": "object", "properties": {"command": {"type": "string"},
            "description": {"type": "string"}, "timeout": {"type": "number"}}, "required": ["command"]}},
        {"name": "Write", "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"},
            "content": {"type": "string"}}, "required": ["file_path", "content"]}},
        {"name": "AskUserQuestion", "input_schema": {"type": "object", "properties": {"questions": {"type": "array",
            "items": {"type": "object", "properties": {"question": {"type": "string"}, "header": {"type": "string"},
            "options": {"type": "array"}, "multiSelect": {"type": "boolean"}}}}}}}
    ])
}

/// Codex (gpt-5.5) style tools: a function tool and the freeform `apply_patch`.
pub fn codex_tools() -> Value {
    json!([
        {"type": "function", "name": "exec_command", "strict": false, "parameters": {"type": "object",
            "properties": {"cmd": {"type": "string"}, "workdir": {"type": "string"}}, "required": ["cmd"]}},
        {"type": "function", "name": "write_stdin", "parameters": {"type": "object", "properties": {}}},
        {"type": "custom", "name": "apply_patch", "description": "Apply a patch",
            "format": {"type": "grammar", "syntax": "lark", "definition": "start: begin_patch hunk+ end_patch"}},
        {"type": "web_search"}
    ])
}

/// OpenCode style tools (Chat Completions `function` wrappers).
pub fn opencode_tools() -> Value {
    let f = |name: &str, props: Value| {
        json!({"type": "function", "function": {"name": name,
        "parameters": {"type": "object", "properties": props}}})
    };
    json!([
        f(
            "bash",
            json!({"command": {"type": "string"}, "description": {"type": "string"}, "timeout": {"type": "number"}})
        ),
        f("read", json!({"filePath": {"type": "string"}})),
        f("write", json!({"filePath": {"type": "string"}, "content": {"type": "string"}}))
    ])
}
