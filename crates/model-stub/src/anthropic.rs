//! Anthropic Messages API (`POST /v1/messages`, `/v1/messages/count_tokens`),
//! as used by Claude Code via `ANTHROPIC_BASE_URL`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::script::{Answer, Content};
use crate::server::{json_response, new_id};
use crate::sse::{split_text, SseWriter};
use crate::tools::{OfferedTool, ToolKind};
use crate::turn::{json_schema, text_of, Last, Turn};

const INPUT_TOKENS: u64 = 100;
const OUTPUT_TOKENS: u64 = 20;
/// Claude resends thinking blocks with their signature; any string will do
/// for a stub, but it must be present.
const SIGNATURE: &str = "model-stub-signature";

pub(crate) fn parse(body: &Value) -> Result<Turn, String> {
    let messages =
        body.get("messages").and_then(Value::as_array).ok_or("Anthropic request needs a `messages` array")?;
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .map(|tools| {
            tools
                .iter()
                .filter_map(|t| {
                    Some(OfferedTool {
                        name: t.get("name")?.as_str()?.to_string(),
                        kind: ToolKind::Function,
                        schema: t.get("input_schema").cloned().unwrap_or(Value::Null),
                        namespace: None,
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    // Claude can put `role: "system"` entries mid-conversation, so the last
    // message is not necessarily the last user/assistant turn.
    let last_turn =
        messages.iter().rev().find(|m| matches!(m.get("role").and_then(Value::as_str), Some("user" | "assistant")));
    let last = match last_turn {
        Some(m) if m.get("role").and_then(Value::as_str) == Some("user") => {
            let content = m.get("content").cloned().unwrap_or(Value::Null);
            let results: Vec<Value> = content
                .as_array()
                .map(|parts| {
                    parts
                        .iter()
                        .filter(|p| p.get("type").and_then(Value::as_str) == Some("tool_result"))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            if results.is_empty() {
                Last::User(text_of(&content))
            } else {
                Last::ToolResult(text_of(&Value::Array(results)))
            }
        }
        _ => Last::Nothing,
    };

    let system = body.get("system").map(text_of).unwrap_or_default();
    let texts: Vec<String> =
        std::iter::once(system).chain(messages.iter().filter_map(|m| m.get("content")).map(text_of)).collect();
    // Title generation asks for `output_config.format` json_schema; older
    // betas used a top-level `output_format`.
    let format = body.pointer("/output_config/format").or_else(|| body.get("output_format"));
    let schema = json_schema(format, "/schema");

    Ok(Turn::new(body, tools, last, &texts, schema))
}

/// Content blocks of the assistant message, shared by both response modes.
fn blocks(answer: &Answer) -> (Vec<Value>, &'static str) {
    let mut blocks = Vec::new();
    if let Some(thinking) = &answer.reasoning {
        blocks.push(json!({"type": "thinking", "thinking": thinking, "signature": SIGNATURE}));
    }
    let stop = match &answer.content {
        Content::Text(text) => {
            blocks.push(json!({"type": "text", "text": text}));
            "end_turn"
        }
        Content::Call(call) => {
            blocks.push(
                json!({"type": "tool_use", "id": new_id("toolu_"), "name": call.name, "input": call.input.to_json()}),
            );
            "tool_use"
        }
    };
    (blocks, stop)
}

fn usage(output_tokens: u64) -> Value {
    json!({"input_tokens": INPUT_TOKENS, "output_tokens": output_tokens,
           "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
}

pub(crate) fn respond(turn: &Turn, answer: &Answer) -> Response {
    let id = new_id("msg_");
    let (blocks, stop) = blocks(answer);
    if !turn.stream {
        return json_response(
            StatusCode::OK,
            json!({"id": id, "type": "message", "role": "assistant", "model": turn.model, "content": blocks,
                   "stop_reason": stop, "stop_sequence": null, "usage": usage(OUTPUT_TOKENS)}),
        );
    }

    let mut w = SseWriter::new(answer.pause);
    w.event(
        "message_start",
        &json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant",
            "model": turn.model, "content": [], "stop_reason": null, "stop_sequence": null, "usage": usage(1)}}),
    );
    w.event("ping", &json!({"type": "ping"}));
    for (index, block) in blocks.iter().enumerate() {
        let delta = |delta: Value| json!({"type": "content_block_delta", "index": index, "delta": delta});
        match block["type"].as_str() {
            Some("thinking") => {
                w.event(
                    "content_block_start",
                    &json!({"type": "content_block_start", "index": index,
                    "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
                );
                for part in split_text(block["thinking"].as_str().unwrap_or_default(), 2) {
                    w.event("content_block_delta", &delta(json!({"type": "thinking_delta", "thinking": part})));
                }
                w.event("content_block_delta", &delta(json!({"type": "signature_delta", "signature": SIGNATURE})));
            }
            Some("text") => {
                w.event(
                    "content_block_start",
                    &json!({"type": "content_block_start", "index": index,
                    "content_block": {"type": "text", "text": ""}}),
                );
                for part in split_text(block["text"].as_str().unwrap_or_default(), 3) {
                    w.event("content_block_delta", &delta(json!({"type": "text_delta", "text": part})));
                    w.stall_point();
                }
            }
            _ => {
                w.event(
                    "content_block_start",
                    &json!({"type": "content_block_start", "index": index,
                    "content_block": {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}),
                );
                for part in split_text(&block["input"].to_string(), 2) {
                    w.event("content_block_delta", &delta(json!({"type": "input_json_delta", "partial_json": part})));
                    w.stall_point();
                }
            }
        }
        w.event("content_block_stop", &json!({"type": "content_block_stop", "index": index}));
    }
    w.event(
        "message_delta",
        &json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
                "usage": {"output_tokens": OUTPUT_TOKENS}}),
    );
    w.event("message_stop", &json!({"type": "message_stop"}));
    w.into_response()
}

/// `POST /v1/messages/count_tokens`: a rough, deterministic estimate.
pub(crate) fn count_tokens(body: &Value) -> Response {
    let chars = body.to_string().len() as u64;
    json_response(StatusCode::OK, json!({"input_tokens": (chars / 4).max(1)}))
}

/// Anthropic error envelope; the `error.type` follows the status the way
/// the real API does, since clients branch on it (retry vs. fail).
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let kind = match status.as_u16() {
        400 | 415 | 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 | 405 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
    json_response(status, json!({"type": "error", "error": {"type": kind, "message": message}}))
}
