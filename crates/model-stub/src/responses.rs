//! OpenAI Responses API (`POST /v1/responses`), as used by Codex through a
//! custom `model_providers` entry with `wire_api = "responses"`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::script::{Answer, Content};
use crate::server::{json_response, new_id, unix_now};
use crate::sse::{split_text, SseWriter};
use crate::tools::{CallInput, OfferedTool, ToolKind};
use crate::turn::{json_schema, text_of, Last, Turn};

pub(crate) fn parse(body: &Value) -> Result<Turn, String> {
    let items: Vec<Value> = match body.get("input") {
        Some(Value::String(s)) => vec![json!({"type": "message", "role": "user", "content": s})],
        Some(Value::Array(items)) => items.clone(),
        _ => return Err("Responses request needs an `input` string or array".into()),
    };
    // What `tool_search` found earlier in the conversation is offered too, like `tools`.
    let found = items.iter().filter(|i| i["type"] == "tool_search_output").filter_map(|i| i["tools"].as_array());
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .chain(found)
        .flatten()
        .flat_map(offered_tools)
        .collect();

    let last = items.iter().rev().find_map(last_turn).unwrap_or_default();
    let instructions = body.get("instructions").map(text_of).unwrap_or_default();
    let texts: Vec<String> = std::iter::once(instructions).chain(items.iter().map(item_text)).collect();
    let schema = json_schema(body.pointer("/text/format"), "/schema");

    Ok(Turn::new(body, tools, last, &texts, schema))
}

/// A `namespace` holds tools a call names by namespace and name; anything else is one tool.
fn offered_tools(t: &Value) -> Vec<OfferedTool> {
    let Some(namespace) = t.get("type").filter(|ty| *ty == "namespace").and(t["name"].as_str()) else {
        return offered_tool(t).into_iter().collect();
    };
    let inner = t["tools"].as_array().into_iter().flatten().filter_map(offered_tool);
    inner
        .map(|tool| OfferedTool {
            name: format!("{namespace}__{}", tool.name),
            namespace: Some((namespace.to_string(), tool.name.clone())),
            ..tool
        })
        .collect()
}

fn offered_tool(t: &Value) -> Option<OfferedTool> {
    let ty = t.get("type").and_then(Value::as_str).unwrap_or("function");
    let name = t.get("name").and_then(Value::as_str);
    let (name, kind, schema) = match ty {
        "function" => (name?, ToolKind::Function, t.get("parameters")),
        "custom" => (name?, ToolKind::Custom, t.get("format")),
        "local_shell" => ("local_shell", ToolKind::LocalShell, None),
        "tool_search" => ("tool_search", ToolKind::ToolSearch, t.get("parameters")),
        // Hosted tools (web_search, …) have no name: list them by type so
        // error messages show them, and `Tool::Named` can still target them.
        other => (name.unwrap_or(other), ToolKind::Function, t.get("parameters")),
    };
    Some(OfferedTool { name: name.to_string(), kind, schema: schema.cloned().unwrap_or(Value::Null), namespace: None })
}

/// `Some` for the item that decides the default reply; `None` to skip it
/// (developer/system messages, reasoning, the calls themselves).
fn last_turn(item: &Value) -> Option<Last> {
    let ty = item.get("type").and_then(Value::as_str).unwrap_or("message");
    if ty == "tool_search_output" {
        return Some(Last::ToolResult(item["tools"].to_string()));
    }
    if ty.ends_with("_call_output") {
        // function_call_output / custom_tool_call_output / local_shell_call_output
        let output = match item.get("output") {
            Some(Value::String(s)) => s.clone(),
            Some(v @ Value::Array(_)) => text_of(v),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        return Some(Last::ToolResult(output));
    }
    if ty != "message" {
        return None;
    }
    match item.get("role").and_then(Value::as_str) {
        Some("user") => Some(Last::User(item.get("content").map(text_of).unwrap_or_default())),
        Some("assistant") => Some(Last::Nothing),
        _ => None,
    }
}

fn item_text(item: &Value) -> String {
    item.get("content").map(text_of).unwrap_or_default()
}

/// Output items in final form (as in `response.output_item.done` and
/// `response.completed`).
fn output_items(answer: &Answer, offered: &[OfferedTool]) -> Vec<Value> {
    let mut items = Vec::new();
    if let Some(text) = &answer.reasoning {
        items.push(json!({"type": "reasoning", "id": new_id("rs_"),
                          "summary": [{"type": "summary_text", "text": text}]}));
    }
    items.push(match &answer.content {
        Content::Text(text) => {
            json!({"type": "message", "id": new_id("msg_"), "role": "assistant", "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}]})
        }
        Content::Call(call) => match &call.input {
            CallInput::Freeform(input) => {
                json!({"type": "custom_tool_call", "id": new_id("ctc_"), "call_id": new_id("call_"),
                "name": call.name, "input": input, "status": "completed"})
            }
            CallInput::LocalShell(argv) => {
                json!({"type": "local_shell_call", "id": new_id("lsh_"), "call_id": new_id("call_"),
                "status": "completed", "action": {"type": "exec", "command": argv, "env": {}, "timeout_ms": null,
                "user": null, "working_directory": null}})
            }
            CallInput::ToolSearch(args) => json!({"type": "tool_search_call", "id": new_id("tsc_"),
                "call_id": new_id("call_"), "execution": "client", "arguments": args, "status": "completed"}),
            CallInput::Json(args) => {
                let mut item = json!({"type": "function_call", "id": new_id("fc_"), "call_id": new_id("call_"),
                    "name": call.name, "arguments": args.to_string(), "status": "completed"});
                let tool = offered.iter().find(|t| t.name == call.name);
                if let Some((namespace, name)) = tool.and_then(|t| t.namespace.as_ref()) {
                    item["namespace"] = json!(namespace);
                    item["name"] = json!(name);
                }
                item
            }
        },
    });
    items
}

fn response_object(id: &str, model: &str, status: &str, output: &[Value], usage: Option<Value>) -> Value {
    let mut r = json!({"id": id, "object": "response", "created_at": unix_now(), "model": model,
                       "status": status, "output": output});
    if let Some(usage) = usage {
        r["usage"] = usage;
    }
    r
}

fn usage() -> Value {
    json!({"input_tokens": 100, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 20,
           "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 120})
}

pub(crate) fn respond(turn: &Turn, answer: &Answer) -> Response {
    let id = new_id("resp_");
    let items = output_items(answer, &turn.tools);
    if !turn.stream {
        return json_response(StatusCode::OK, response_object(&id, &turn.model, "completed", &items, Some(usage())));
    }

    let mut s = Stream { w: SseWriter::new(answer.pause), seq: 0 };
    s.send(
        json!({"type": "response.created", "response": response_object(&id, &turn.model, "in_progress", &[], None)}),
    );
    for (index, item) in items.iter().enumerate() {
        s.item(index, item);
    }
    s.send(json!({"type": "response.completed",
                  "response": response_object(&id, &turn.model, "completed", &items, Some(usage()))}));
    s.w.into_response()
}

/// Adds `sequence_number` and the matching `event:` line to every frame.
struct Stream {
    w: SseWriter,
    seq: u64,
}

impl Stream {
    fn send(&mut self, mut event: Value) {
        event["sequence_number"] = json!(self.seq);
        self.seq += 1;
        let name = event["type"].as_str().unwrap_or_default().to_string();
        self.w.event(&name, &event);
    }

    /// Streams one output item: `output_item.added` (in progress, empty),
    /// its deltas, then `output_item.done` with the final item. Codex only
    /// needs `added`/`done` plus `output_text.delta`; the other delta events
    /// are what the real API sends and give a delay somewhere to stall.
    fn item(&mut self, output_index: usize, item: &Value) {
        let item_id = item["id"].clone();
        let at = |extra: Value| {
            let mut v = json!({"item_id": item_id, "output_index": output_index});
            v.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
            v
        };
        let mut added = item.clone();
        match item["type"].as_str().unwrap_or_default() {
            "reasoning" => {
                let text = item["summary"][0]["text"].as_str().unwrap_or_default().to_string();
                added["summary"] = json!([]);
                self.send(json!({"type": "response.output_item.added", "output_index": output_index, "item": added}));
                let part = |text: &str| json!({"type": "summary_text", "text": text});
                self.send(at(
                    json!({"type": "response.reasoning_summary_part.added", "summary_index": 0, "part": part("")}),
                ));
                for d in split_text(&text, 2) {
                    self.send(at(
                        json!({"type": "response.reasoning_summary_text.delta", "summary_index": 0, "delta": d}),
                    ));
                }
                self.send(at(
                    json!({"type": "response.reasoning_summary_text.done", "summary_index": 0, "text": text}),
                ));
                self.send(at(
                    json!({"type": "response.reasoning_summary_part.done", "summary_index": 0, "part": part(&text)}),
                ));
            }
            "message" => {
                let text = item["content"][0]["text"].as_str().unwrap_or_default().to_string();
                added["status"] = json!("in_progress");
                added["content"] = json!([]);
                self.send(json!({"type": "response.output_item.added", "output_index": output_index, "item": added}));
                let part = |text: &str| json!({"type": "output_text", "text": text, "annotations": []});
                self.send(at(json!({"type": "response.content_part.added", "content_index": 0, "part": part("")})));
                for d in split_text(&text, 3) {
                    self.send(at(json!({"type": "response.output_text.delta", "content_index": 0, "delta": d})));
                    self.w.stall_point();
                }
                self.send(at(json!({"type": "response.output_text.done", "content_index": 0, "text": text})));
                self.send(at(json!({"type": "response.content_part.done", "content_index": 0, "part": part(&text)})));
            }
            "function_call" | "custom_tool_call" => {
                let (field, prefix) = if item["type"] == "function_call" {
                    ("arguments", "response.function_call_arguments")
                } else {
                    ("input", "response.custom_tool_call_input")
                };
                let full = item[field].as_str().unwrap_or_default().to_string();
                added[field] = json!("");
                added["status"] = json!("in_progress");
                self.send(json!({"type": "response.output_item.added", "output_index": output_index, "item": added}));
                for d in split_text(&full, 2) {
                    self.send(at(json!({"type": format!("{prefix}.delta"), "delta": d})));
                    self.w.stall_point();
                }
                self.send(at(json!({"type": format!("{prefix}.done"), field: full})));
            }
            _ => {
                added["status"] = json!("in_progress");
                self.send(json!({"type": "response.output_item.added", "output_index": output_index, "item": added}));
                self.w.stall_point();
            }
        }
        self.send(json!({"type": "response.output_item.done", "output_index": output_index, "item": item}));
    }
}

/// OpenAI error envelope (shared with Chat Completions).
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let (kind, code) = match status.as_u16() {
        401 => ("invalid_request_error", json!("invalid_api_key")),
        404 | 405 => ("invalid_request_error", json!("not_found")),
        429 => ("rate_limit_error", json!("rate_limit_exceeded")),
        s if s >= 500 => ("server_error", Value::Null),
        _ => ("invalid_request_error", Value::Null),
    };
    json_response(status, json!({"error": {"message": message, "type": kind, "param": null, "code": code}}))
}
