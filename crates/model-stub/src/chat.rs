//! OpenAI Chat Completions (`POST /v1/chat/completions`), as used by
//! OpenCode through `@ai-sdk/openai-compatible`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::script::{Answer, Content};
use crate::server::{json_response, new_id, unix_now};
use crate::sse::{split_text, SseWriter};
use crate::tools::{OfferedTool, ToolKind};
use crate::turn::{json_schema, text_of, Last, Turn};

pub(crate) fn parse(body: &Value) -> Result<Turn, String> {
    let messages =
        body.get("messages").and_then(Value::as_array).ok_or("Chat Completions request needs a `messages` array")?;
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .map(|tools| {
            tools
                .iter()
                .filter_map(|t| {
                    let f = t.get("function")?;
                    Some(OfferedTool {
                        name: f.get("name")?.as_str()?.to_string(),
                        kind: ToolKind::Function,
                        schema: f.get("parameters").cloned().unwrap_or(Value::Null),
                        namespace: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    let role = |m: &Value| m.get("role").and_then(Value::as_str).map(str::to_string);
    let content = |m: &Value| m.get("content").map(text_of).unwrap_or_default();
    let last = messages
        .iter()
        .rev()
        .find_map(|m| match role(m).as_deref() {
            Some("tool") => Some(Last::ToolResult(content(m))),
            Some("user") => Some(Last::User(content(m))),
            Some("assistant") => Some(Last::Nothing),
            _ => None,
        })
        .unwrap_or_default();
    // System prompts first: that is where OpenCode states the working directory.
    let mut texts: Vec<String> =
        messages.iter().filter(|m| role(m).as_deref() == Some("system")).map(content).collect();
    texts.extend(messages.iter().filter(|m| role(m).as_deref() != Some("system")).map(content));
    let schema = json_schema(body.get("response_format"), "/json_schema/schema");

    let mut turn = Turn::new(body, tools, last, &texts, schema);
    turn.include_usage = body.pointer("/stream_options/include_usage").and_then(Value::as_bool).unwrap_or(false);
    Ok(turn)
}

fn usage() -> Value {
    json!({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120})
}

pub(crate) fn respond(turn: &Turn, answer: &Answer) -> Response {
    let id = new_id("chatcmpl-");
    let call = match &answer.content {
        Content::Call(call) => Some(json!({"id": new_id("call_"), "type": "function",
            "function": {"name": call.name, "arguments": call.input.to_json().to_string()}})),
        Content::Text(_) => None,
    };
    let finish = if call.is_some() { "tool_calls" } else { "stop" };

    if !turn.stream {
        let mut message = json!({"role": "assistant", "content": null});
        match (&answer.content, &call) {
            (Content::Text(text), _) => message["content"] = json!(text),
            (_, Some(call)) => message["tool_calls"] = json!([call]),
            _ => {}
        }
        if let Some(reasoning) = &answer.reasoning {
            message["reasoning_content"] = json!(reasoning);
        }
        return json_response(
            StatusCode::OK,
            json!({"id": id, "object": "chat.completion", "created": unix_now(), "model": turn.model,
                   "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage()}),
        );
    }

    let mut w = SseWriter::new(answer.pause);
    let chunk = |choices: Value| json!({"id": id, "object": "chat.completion.chunk", "created": unix_now(), "model": turn.model, "choices": choices});
    let delta = |delta: Value| chunk(json!([{"index": 0, "delta": delta, "finish_reason": null}]));
    w.data(&delta(json!({"role": "assistant", "content": ""})));
    if let Some(reasoning) = &answer.reasoning {
        // The ai-sdk openai-compatible provider reads `reasoning_content`.
        for part in split_text(reasoning, 2) {
            w.data(&delta(json!({"reasoning_content": part})));
        }
    }
    match (&answer.content, &call) {
        (Content::Text(text), _) => {
            for part in split_text(text, 3) {
                w.data(&delta(json!({"content": part})));
                w.stall_point();
            }
        }
        (_, Some(call)) => {
            // First fragment carries id/name with empty arguments, then the
            // arguments arrive in pieces keyed by `index`, like the real API.
            w.data(&delta(json!({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                "function": {"name": call["function"]["name"], "arguments": ""}}]})));
            for part in split_text(call["function"]["arguments"].as_str().unwrap_or_default(), 2) {
                w.data(&delta(json!({"tool_calls": [{"index": 0, "function": {"arguments": part}}]})));
                w.stall_point();
            }
        }
        _ => {}
    }
    w.data(&chunk(json!([{"index": 0, "delta": {}, "finish_reason": finish}])));
    if turn.include_usage {
        let mut last = chunk(json!([]));
        last["usage"] = usage();
        w.data(&last);
    }
    w.done();
    w.into_response()
}

/// Same envelope as the Responses API.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    crate::responses::error(status, message)
}
