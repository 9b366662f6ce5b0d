//! `POST /v1/messages` and `/v1/messages/count_tokens` (Claude Code).

use sandbox_agent_model_stub::{Api, ModelStub, Reply, Tool};
use serde_json::{json, Value};

use crate::support::*;

const PATH: &str = "/v1/messages?beta=true";

fn request(messages: Value, stream: bool) -> Value {
    json!({"model": "claude-opus-4-8", "max_tokens": 32000, "stream": stream, "tools": claude_tools(),
           "system": [{"type": "text", "text": "You are Claude Code.\n<env>\nWorking directory: /tmp/work/c1\n</env>"}],
           "thinking": {"type": "adaptive"}, "messages": messages})
}

fn user(text: &str) -> Value {
    json!([{"role": "user", "content": [{"type": "text", "text": text}]}])
}

/// Concatenated deltas of one kind (`text` / `partial_json`).
fn joined(events: &[Event], field: &str) -> String {
    events.iter().filter_map(|e| e.json()["delta"][field].as_str().map(str::to_string)).collect()
}

#[tokio::test]
async fn streams_text_with_named_events_in_order() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("Hello from the stub"));
    let events = post_sse(&stub, PATH, request(user("hi"), true)).await;
    let names = names_checked(&events);
    let deltas = names.iter().filter(|n| *n == "content_block_delta").count();
    assert!(deltas >= 2, "text should arrive in several chunks: {names:?}");
    let mut expected = vec!["message_start", "ping", "content_block_start"];
    expected.extend(std::iter::repeat_n("content_block_delta", deltas));
    expected.extend(["content_block_stop", "message_delta", "message_stop"]);
    assert_eq!(names, expected);
    assert_eq!(events[0].json()["message"]["model"], "claude-opus-4-8");
    assert_eq!(joined(&events, "text"), "Hello from the stub");
    let delta = events.iter().find(|e| e.name.as_deref() == Some("message_delta")).unwrap().json();
    assert_eq!(delta["delta"]["stop_reason"], "end_turn");
    assert!(delta["usage"]["output_tokens"].as_u64().unwrap() > 0);

    let recorded = stub.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (recorded[0].api, recorded[0].query.as_deref(), recorded[0].scripted),
        (Api::Anthropic, Some("beta=true"), true)
    );
}

#[tokio::test]
async fn streams_a_bash_tool_call_picked_from_the_offered_tools() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("echo hi > hello.txt")));
    let events = post_sse(&stub, PATH, request(user("go"), true)).await;
    let start = events.iter().find(|e| e.name.as_deref() == Some("content_block_start")).unwrap().json();
    assert_eq!(start["content_block"]["type"], "tool_use");
    assert_eq!(start["content_block"]["name"], "Bash");
    assert!(start["content_block"]["id"].as_str().unwrap().starts_with("toolu_"));
    let input: Value = serde_json::from_str(&joined(&events, "partial_json")).unwrap();
    assert_eq!(input["command"], "echo hi > hello.txt");
    assert!(input["description"].is_string());
    let delta = events.iter().find(|e| e.name.as_deref() == Some("message_delta")).unwrap().json();
    assert_eq!(delta["delta"]["stop_reason"], "tool_use");
}

#[tokio::test]
async fn write_gets_an_absolute_path_from_the_system_prompt_cwd() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::write_file("hello.txt", "hi\n")));
    let body = post_json(&stub, "/v1/messages", request(user("write"), false)).await;
    assert_eq!(body["stop_reason"], "tool_use");
    assert_eq!(body["content"][0]["name"], "Write");
    assert_eq!(body["content"][0]["input"], json!({"file_path": "/tmp/work/c1/hello.txt", "content": "hi\n"}));
}

#[tokio::test]
async fn ask_user_question_matches_its_schema() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::ask_user("Which color?", ["Red", "Blue"])));
    let body = post_json(&stub, "/v1/messages", request(user("ask"), false)).await;
    let q = &body["content"][0]["input"]["questions"][0];
    assert_eq!(body["content"][0]["name"], "AskUserQuestion");
    assert_eq!(q["question"], "Which color?");
    assert_eq!(q["options"][1]["label"], "Blue");
    assert_eq!(q["multiSelect"], false);
}

#[tokio::test]
async fn non_streaming_text_message() {
    let stub = ModelStub::start().await;
    stub.push(Reply::reasoning("thinking hard", Reply::text("plain")));
    let body = post_json(&stub, "/v1/messages", request(user("hi"), false)).await;
    assert_eq!(body["type"], "message");
    assert_eq!(body["content"][0]["type"], "thinking");
    assert_eq!(body["content"][1], json!({"type": "text", "text": "plain"}));
    assert_eq!(body["stop_reason"], "end_turn");
}

#[tokio::test]
async fn default_reply_finds_the_tool_result_behind_a_mid_conversation_system_message() {
    let stub = ModelStub::start().await;
    let messages = json!([
        {"role": "user", "content": [{"type": "text", "text": "go"}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": "echo wrote"}}]},
        {"role": "user", "content": [{"tool_use_id": "toolu_1", "type": "tool_result", "content": "wrote\n", "is_error": false}]},
        {"role": "system", "content": "mid-conversation reminder"}
    ]);
    let events = post_sse(&stub, PATH, request(messages, true)).await;
    assert_eq!(joined(&events, "text"), "DONE: wrote");
    assert!(!stub.requests()[0].scripted);

    let events = post_sse(&stub, PATH, request(user("hello"), true)).await;
    assert_eq!(joined(&events, "text"), "OK");
}

#[tokio::test]
async fn title_generation_is_a_side_request_and_keeps_the_script() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("for the agent"));
    let title = json!({"model": "claude-haiku", "max_tokens": 512, "stream": true, "messages": user("title please"),
        "thinking": {"type": "disabled"}, "output_config": {"format": {"type": "json_schema",
        "schema": {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}}}});
    let events = post_sse(&stub, PATH, title).await;
    let text = joined(&events, "text");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json!({"title": "Stub session"}));
    assert_eq!(stub.pending(), 1);
    assert!(stub.requests()[0].side);

    let events = post_sse(&stub, PATH, request(user("hi"), true)).await;
    assert_eq!(joined(&events, "text"), "for the agent");
    assert_eq!(stub.turns().len(), 1);
    assert_eq!(stub.wait_for_turns(1, T).await.unwrap().len(), 2);
}

#[tokio::test]
async fn scripted_http_error_uses_the_anthropic_envelope() {
    let stub = ModelStub::start().await;
    stub.push(Reply::http(429, "slow down"));
    let response = post(&stub, PATH, request(user("hi"), true)).await;
    assert_eq!(response.status(), 429);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}));
}

#[tokio::test]
async fn a_tool_the_request_does_not_offer_is_a_loud_400() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::named("Nope", json!({}))));
    let response = post(&stub, PATH, request(user("hi"), true)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("Nope") && message.contains("Bash"), "{message}");
    assert_eq!(stub.requests()[0].status, 400);
}

#[tokio::test]
async fn delay_stalls_mid_stream() {
    let stub = ModelStub::start().await;
    stub.push(Reply::delay(STALL_MS, Reply::text("abcdefghi")));
    assert_stalls_after_first_delta(&stub, PATH, request(user("slow"), true)).await;
}

#[tokio::test]
async fn count_tokens() {
    let stub = ModelStub::start().await;
    let body = post_json(&stub, "/v1/messages/count_tokens", json!({"model": "m", "messages": user("hello")})).await;
    assert!(body["input_tokens"].as_u64().unwrap() > 0);
    assert_eq!(stub.requests()[0].api, Api::AnthropicCountTokens);
}
