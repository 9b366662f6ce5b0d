//! `POST /v1/responses` (Codex).

use sandbox_agent_model_stub::{Api, ModelStub, Reply, Tool};
use serde_json::{json, Value};

use crate::support::*;

const PATH: &str = "/v1/responses";

/// Codex-like input: developer prompt, environment context, user message,
/// then whatever `extra` items follow.
fn request(user_text: &str, extra: Value) -> Value {
    let mut input = vec![
        json!({"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "You are Codex."}]}),
        json!({"type": "message", "role": "user", "content": [{"type": "input_text",
            "text": "<environment_context>\n  <cwd>/tmp/work/x1</cwd>\n</environment_context>"}]}),
        json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": user_text}]}),
    ];
    input.extend(extra.as_array().cloned().unwrap_or_default());
    json!({"model": "gpt-5.5", "instructions": "base", "input": input, "tools": codex_tools(), "tool_choice": "auto",
           "parallel_tool_calls": false, "stream": true, "store": false, "include": []})
}

fn by_type(events: &[Event], ty: &str) -> Vec<Value> {
    events.iter().filter(|e| e.name.as_deref() == Some(ty)).map(Event::json).collect()
}

fn done_item(events: &[Event]) -> Value {
    by_type(events, "response.output_item.done").last().unwrap()["item"].clone()
}

#[tokio::test]
async fn streams_text_with_named_events_in_order() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("Hello from the stub"));
    let events = post_sse(&stub, PATH, request("hi", json!([]))).await;
    let names = names_checked(&events);
    let deltas = names.iter().filter(|n| *n == "response.output_text.delta").count();
    assert!(deltas >= 2, "{names:?}");
    let mut expected = vec!["response.created", "response.output_item.added", "response.content_part.added"];
    expected.extend(std::iter::repeat_n("response.output_text.delta", deltas));
    expected.extend([
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]);
    assert_eq!(names, expected);

    let text: String = by_type(&events, "response.output_text.delta")
        .iter()
        .map(|e| e["delta"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(text, "Hello from the stub");
    let seq: Vec<u64> = events.iter().map(|e| e.json()["sequence_number"].as_u64().unwrap()).collect();
    assert_eq!(seq, (0..events.len() as u64).collect::<Vec<_>>());
    let item = done_item(&events);
    assert_eq!((item["type"].as_str(), item["role"].as_str()), (Some("message"), Some("assistant")));
    assert_eq!(item["content"][0]["text"], "Hello from the stub");

    let completed = &by_type(&events, "response.completed")[0]["response"];
    assert_eq!(completed["id"], events[0].json()["response"]["id"]);
    assert!(completed["id"].as_str().unwrap().starts_with("resp_"));
    assert_eq!(completed["status"], "completed");
    assert_eq!(completed["usage"]["total_tokens"], 120);
    assert_eq!(completed["output"][0], item);
}

#[tokio::test]
async fn shell_becomes_an_exec_command_function_call() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("echo hi")));
    let events = post_sse(&stub, PATH, request("go", json!([]))).await;
    let added = &by_type(&events, "response.output_item.added")[0]["item"];
    assert_eq!((added["type"].as_str(), added["arguments"].as_str()), (Some("function_call"), Some("")));
    let item = done_item(&events);
    assert_eq!(item["type"], "function_call");
    assert_eq!(item["name"], "exec_command");
    assert!(item["call_id"].as_str().unwrap().starts_with("call_"));
    let args: Value = serde_json::from_str(item["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args, json!({"cmd": "echo hi"}));
    let streamed: String = by_type(&events, "response.function_call_arguments.delta")
        .iter()
        .map(|e| e["delta"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(streamed, item["arguments"].as_str().unwrap());
}

#[tokio::test]
async fn patch_and_write_file_use_the_freeform_apply_patch_tool() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::patch("hello.txt", "hello\n")));
    stub.push(Reply::tool(Tool::write_file("b.txt", "b")));
    for path in ["hello.txt", "b.txt"] {
        let events = post_sse(&stub, PATH, request("patch", json!([]))).await;
        let item = done_item(&events);
        assert_eq!(item["type"], "custom_tool_call");
        assert_eq!(item["name"], "apply_patch");
        assert!(item["call_id"].is_string());
        let input = item["input"].as_str().unwrap();
        assert!(input.starts_with(&format!("*** Begin Patch\n*** Add File: {path}\n+")), "{input}");
        assert!(input.ends_with("*** End Patch\n"));
    }
}

#[tokio::test]
async fn local_shell_tool_gets_a_local_shell_call() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::shell("ls")));
    let mut body = request("go", json!([]));
    body["tools"] = json!([{"type": "local_shell"}]);
    let events = post_sse(&stub, PATH, body).await;
    let item = done_item(&events);
    assert_eq!(item["type"], "local_shell_call");
    assert_eq!(item["action"]["command"], json!(["bash", "-lc", "ls"]));
}

#[tokio::test]
async fn default_reply_after_function_and_custom_tool_outputs() {
    let stub = ModelStub::start().await;
    let calls = [
        json!([{"type": "function_call", "name": "exec_command", "arguments": "{}", "call_id": "call_1"},
               {"type": "function_call_output", "call_id": "call_1", "output": "Exit code: 0\nOutput:\nhi\n"}]),
        json!([{"type": "custom_tool_call", "name": "apply_patch", "input": "...", "call_id": "call_2"},
               {"type": "custom_tool_call_output", "call_id": "call_2", "output": "Success. Updated the following files"}]),
        json!([]),
    ];
    let expected = ["DONE: Exit code: 0\nOutput:\nhi", "DONE: Success. Updated the following files", "OK"];
    for (extra, want) in calls.into_iter().zip(expected) {
        let events = post_sse(&stub, PATH, request("go", extra)).await;
        assert_eq!(done_item(&events)["content"][0]["text"], want);
    }
    assert_eq!(stub.turns().len(), 3);
}

#[tokio::test]
async fn reasoning_item_precedes_the_message() {
    let stub = ModelStub::start().await;
    stub.push(Reply::reasoning("pondering", Reply::text("answer")));
    let events = post_sse(&stub, PATH, request("hi", json!([]))).await;
    let done = by_type(&events, "response.output_item.done");
    assert_eq!(done[0]["item"]["type"], "reasoning");
    assert_eq!(done[0]["item"]["summary"][0]["text"], "pondering");
    assert_eq!((done[0]["output_index"].as_u64(), done[1]["output_index"].as_u64()), (Some(0), Some(1)));
    assert_eq!(done[1]["item"]["content"][0]["text"], "answer");
    assert!(!by_type(&events, "response.reasoning_summary_text.delta").is_empty());
}

#[tokio::test]
async fn string_input_non_streaming_and_json_schema_side_request() {
    let stub = ModelStub::start().await;
    stub.push(Reply::text("scripted"));
    let side = json!({"model": "m", "input": "name this", "stream": false, "tools": codex_tools(),
        "text": {"format": {"type": "json_schema", "name": "t", "schema": {"type": "object",
        "properties": {"title": {"type": "string"}}, "required": ["title"]}}}});
    let body = post_json(&stub, PATH, side).await;
    assert_eq!(body["object"], "response");
    let text = body["output"][0]["content"][0]["text"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), json!({"title": "Stub session"}));
    assert_eq!(stub.pending(), 1);

    let mut main = request("hi", json!([]));
    main["stream"] = json!(false);
    let body = post_json(&stub, PATH, main).await;
    assert_eq!(body["output"][0]["content"][0]["text"], "scripted");
    assert_eq!(body["usage"]["output_tokens"], 20);
    let recorded = stub.requests();
    assert_eq!(
        recorded.iter().map(|r| (r.api, r.side)).collect::<Vec<_>>(),
        [(Api::Responses, true), (Api::Responses, false)]
    );
}

#[tokio::test]
async fn scripted_http_error_uses_the_openai_envelope() {
    let stub = ModelStub::start().await;
    stub.push(Reply::http(400, "mock scripted failure"));
    let response = post(&stub, PATH, request("hi", json!([]))).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["message"], "mock scripted failure");
    assert_eq!(body["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn delay_stalls_mid_stream() {
    let stub = ModelStub::start().await;
    stub.push(Reply::delay(STALL_MS, Reply::text("abcdefghi")));
    assert_stalls_after_first_delta(&stub, PATH, request("slow", json!([]))).await;
}

#[tokio::test]
async fn recorded_request_exposes_tool_names_and_history() {
    let stub = ModelStub::start().await;
    post_sse(&stub, PATH, request("first \"quoted\" turn", json!([]))).await;
    let recorded = &stub.requests()[0];
    assert_eq!(recorded.tool_names(), ["exec_command", "write_stdin", "apply_patch", "web_search"]);
    assert!(recorded.contains("first \"quoted\" turn"));
    assert!(!recorded.contains("absent"));
}

#[tokio::test]
async fn tool_search_is_called_by_the_client_and_what_it_found_is_offered_by_namespace() {
    let stub = ModelStub::start().await;
    stub.push(Reply::tool(Tool::named("tool_search", json!({"query": "echo"}))));
    stub.push(Reply::tool(Tool::named("mcp__echo__echo", json!({"text": "ping"}))));
    let mut first = request("go", json!([]));
    first["tools"].as_array_mut().unwrap().push(json!({"type": "tool_search", "execution": "client",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}));
    let events = post_sse(&stub, PATH, first).await;
    let call = done_item(&events);
    assert_eq!((call["type"].as_str(), call["execution"].as_str()), (Some("tool_search_call"), Some("client")));
    assert_eq!(call["arguments"], json!({"query": "echo"}), "arguments are an object, not a string");

    // The next request carries what the search found: a namespace of tools.
    let found = json!([call, {"type": "tool_search_output", "call_id": call["call_id"], "execution": "client",
        "status": "completed", "tools": [{"type": "namespace", "name": "mcp__echo", "description": "Tools in mcp__echo.",
        "tools": [{"type": "function", "name": "echo", "defer_loading": true,
                   "parameters": {"type": "object", "properties": {"text": {"type": "string"}}}}]}]}]);
    let events = post_sse(&stub, PATH, request("go", found)).await;
    let call = done_item(&events);
    assert_eq!(
        (call["type"].as_str(), call["namespace"].as_str(), call["name"].as_str()),
        (Some("function_call"), Some("mcp__echo"), Some("echo"))
    );
    assert!(stub.turns()[1].tool_names().contains(&"mcp__echo__echo".to_string()));
}
