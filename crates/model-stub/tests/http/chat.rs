//! `POST /v1/chat/completions` (OpenCode).

use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use serde_json::{json, Value};

use crate::support::*;

const PATH: &str = "/v1/chat/completions";

fn request(messages: Value, stream: bool) -> Value {
    let mut all = vec![
        json!({"role": "system", "content": "You are opencode.\n<env>\n  Working directory: /tmp/work/o1\n</env>"}),
    ];
    all.extend(messages.as_array().cloned().unwrap_or_default());
    json!({"model": "mock-model", "max_tokens": 8192, "messages": all, "stream": stream,
           "stream_options": {"include_usage": true}, "tool_choice": "auto", "tools": opencode_tools()})
}

fn user(text: &str) -> Value {
    json!([{"role": "user", "content": text}])
}

/// Chunk JSONs, checking the bare-`data:` framing and the `[DONE]` terminator.
fn chunks(events: &[Event]) -> Vec<Value> {
    assert!(events.iter().all(|e| e.name.is_none()), "chat SSE frames carry no event: line");
    assert_eq!(events.last().unwrap().data, "[DONE]");
    events[..events.len() - 1].iter().map(Event::json).collect()
}

fn content(chunks: &[Value]) -> String {
    chunks.iter().filter_map(|c| c["choices"][0]["delta"]["content"].as_str().map(str::to_string)).collect()
}

#[tokio::test]
async fn streams_text_then_usage_then_done() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("Hello from the stub"));
    let chunks = chunks(&post_sse(&stub, PATH, request(user("hi"), true)).await);
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert!(chunks.iter().all(|c| c["object"] == "chat.completion.chunk"));
    assert!(
        chunks.iter().filter(|c| c["choices"][0]["delta"]["content"].as_str().is_some_and(|s| !s.is_empty())).count()
            >= 2
    );
    assert_eq!(content(&chunks), "Hello from the stub");
    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "stop");
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["total_tokens"], 120);
}

#[tokio::test]
async fn no_usage_chunk_unless_asked() {
    let stub = ModelStub::start().await;
    let mut body = request(user("hi"), true);
    body.as_object_mut().unwrap().remove("stream_options");
    let chunks = chunks(&post_sse(&stub, PATH, body).await);
    assert!(chunks.iter().all(|c| c.get("usage").is_none()));
    assert_eq!(chunks.last().unwrap()["choices"][0]["finish_reason"], "stop");
}

#[tokio::test]
async fn streams_a_bash_tool_call() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("echo hi > hello.txt")));
    let chunks = chunks(&post_sse(&stub, PATH, request(user("go"), true)).await);
    let calls: Vec<&Value> = chunks.iter().filter_map(|c| c["choices"][0]["delta"].get("tool_calls")).collect();
    assert_eq!(calls[0][0]["function"]["name"], "bash");
    assert!(calls[0][0]["id"].as_str().unwrap().starts_with("call_"));
    assert!(calls.len() >= 3, "id/name first, then argument fragments");
    let args: String = calls.iter().map(|c| c[0]["function"]["arguments"].as_str().unwrap().to_string()).collect();
    let args: Value = serde_json::from_str(&args).unwrap();
    assert_eq!(args, json!({"command": "echo hi > hello.txt", "description": "Run a shell command"}));
    let finish = chunks.iter().find_map(|c| c["choices"][0]["finish_reason"].as_str()).unwrap();
    assert_eq!(finish, "tool_calls");
}

#[tokio::test]
async fn non_streaming_text_and_tool_call() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::write_file("notes.txt", "x")));
    stub.push(Reply::text("plain"));
    let body = post_json(&stub, PATH, request(user("go"), false)).await;
    assert_eq!(body["object"], "chat.completion");
    let choice = &body["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    let call = &choice["message"]["tool_calls"][0]["function"];
    assert_eq!(call["name"], "write");
    // OpenCode resolves relative paths itself, so they stay relative.
    let args: Value = serde_json::from_str(call["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args, json!({"filePath": "notes.txt", "content": "x"}));

    let body = post_json(&stub, PATH, request(user("again"), false)).await;
    assert_eq!(body["choices"][0]["message"]["content"], "plain");
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
}

#[tokio::test]
async fn default_reply_after_a_tool_message() {
    let stub = ModelStub::start().await;
    let messages = json!([
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
            "function": {"name": "bash", "arguments": "{\"command\":\"echo wrote\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "wrote\n"}
    ]);
    let chunks = chunks(&post_sse(&stub, PATH, request(messages, true)).await);
    assert_eq!(content(&chunks), "DONE: wrote");
}

#[tokio::test]
async fn title_generation_without_tools_does_not_consume_the_script() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("ls")));
    let title = json!({"model": "mock-model", "stream": true, "stream_options": {"include_usage": true},
        "messages": [{"role": "system", "content": "You are a title generator."}, {"role": "user", "content": "hi"}]});
    let chunks = chunks(&post_sse(&stub, PATH, title).await);
    assert_eq!(content(&chunks), "Stub session");
    assert_eq!(stub.pending(), 1);

    let mut schema = request(user("x"), false);
    schema["response_format"] = json!({"type": "json_schema", "json_schema": {"name": "t",
        "schema": {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}}});
    let body = post_json(&stub, PATH, schema).await;
    let text = body["choices"][0]["message"]["content"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), json!({"title": "Stub session"}));
    assert_eq!(stub.pending(), 1);
    assert!(stub.requests().iter().all(|r| r.side));
}

#[tokio::test]
async fn scripted_http_error_uses_the_openai_envelope() {
    let stub = ModelStub::start().await;
    stub.push(Reply::delay(50, Reply::http(503, "overloaded")));
    let response = post(&stub, PATH, request(user("hi"), true)).await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["message"], "overloaded");
    assert_eq!(body["error"]["type"], "server_error");
}

#[tokio::test]
async fn delay_stalls_mid_stream() {
    let stub = ModelStub::start().await;
    stub.push(Reply::delay(STALL_MS, Reply::text("abcdefghi")));
    assert_stalls_after_first_delta(&stub, PATH, request(user("slow"), true)).await;
}

#[tokio::test]
async fn reasoning_content_is_streamed_before_text() {
    let stub = ModelStub::start().await;
    stub.push(Reply::reasoning("hmm", Reply::text("ok")));
    let chunks = chunks(&post_sse(&stub, PATH, request(user("hi"), true)).await);
    let reasoning: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["reasoning_content"].as_str().map(str::to_string))
        .collect();
    assert_eq!(reasoning, "hmm");
    assert_eq!(content(&chunks), "ok");
}
