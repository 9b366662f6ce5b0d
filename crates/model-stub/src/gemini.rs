//! The Gemini API (`POST …/models/{model}:streamGenerateContent?alt=sse` and
//! `…:generateContent`), as Gemini CLI calls it through `@google/genai` when
//! `GOOGLE_GEMINI_BASE_URL` points here.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::script::{Answer, Content};
use crate::server::json_response;
use crate::sse::{split_text, SseWriter};
use crate::tools::{OfferedTool, ToolKind};
use crate::turn::{Last, Turn};

/// The model named in the path (`…/models/gemini-2.5-pro:streamGenerateContent`).
fn model_of(path: &str) -> String {
    let tail = path.rsplit('/').next().unwrap_or_default();
    tail.split(':').next().unwrap_or("model-stub").to_string()
}

fn part_text(part: &Value) -> String {
    if let Some(text) = part.get("text").and_then(Value::as_str) {
        return text.to_string();
    }
    match part.pointer("/functionResponse/response") {
        Some(Value::Object(r)) => match r.get("output").or_else(|| r.get("error")).or_else(|| r.get("content")) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => Value::Object(r.clone()).to_string(),
        },
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn parts_text(content: &Value) -> String {
    let parts = content.get("parts").and_then(Value::as_array).cloned().unwrap_or_default();
    parts.iter().map(part_text).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n")
}

pub(crate) fn parse(body: &Value, path: &str) -> Result<Turn, String> {
    let contents = body.get("contents").and_then(Value::as_array).ok_or("Gemini request needs a `contents` array")?;
    let tools = body
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|t| t.get("functionDeclarations").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|f| {
            Some(OfferedTool {
                name: f.get("name")?.as_str()?.to_string(),
                kind: ToolKind::Function,
                schema: f.get("parametersJsonSchema").or_else(|| f.get("parameters")).cloned().unwrap_or(Value::Null),
                namespace: None,
            })
        })
        .collect();
    let last = match contents.last() {
        Some(c) if c.get("role").and_then(Value::as_str) == Some("model") => Last::Nothing,
        Some(c) => {
            let parts = c.get("parts").and_then(Value::as_array).cloned().unwrap_or_default();
            if parts.iter().any(|p| p.get("functionResponse").is_some()) {
                Last::ToolResult(parts_text(c))
            } else {
                Last::User(parts_text(c))
            }
        }
        None => Last::Nothing,
    };
    let mut texts: Vec<String> = body.get("systemInstruction").map(parts_text).into_iter().collect();
    texts.extend(contents.iter().map(parts_text));
    let config = body.get("generationConfig");
    let schema = config
        .filter(|c| c.get("responseMimeType").and_then(Value::as_str) == Some("application/json"))
        .map(|c| c.get("responseJsonSchema").or_else(|| c.get("responseSchema")).cloned().unwrap_or(json!({})));
    let mut turn = Turn::new(body, tools, last, &texts, schema);
    turn.model = model_of(path);
    turn.stream = path.contains(":streamGenerateContent");
    Ok(turn)
}

fn usage() -> Value {
    json!({"promptTokenCount": 100, "candidatesTokenCount": 20, "totalTokenCount": 120})
}

pub(crate) fn respond(turn: &Turn, answer: &Answer) -> Response {
    let chunk = |parts: Value, last: bool| {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        let mut chunk = json!({"modelVersion": turn.model, "responseId": crate::server::new_id("resp_")});
        if last {
            candidate["finishReason"] = json!("STOP");
            chunk["usageMetadata"] = usage();
        }
        chunk["candidates"] = json!([candidate]);
        chunk
    };
    let call = match &answer.content {
        Content::Call(call) => Some(json!({"functionCall": {"name": call.name, "args": call.input.to_json()}})),
        Content::Text(_) => None,
    };
    if !turn.stream {
        let mut parts = Vec::new();
        if let Some(reasoning) = &answer.reasoning {
            parts.push(json!({"text": reasoning, "thought": true}));
        }
        match (&answer.content, &call) {
            (Content::Text(text), _) => parts.push(json!({"text": text})),
            (_, Some(call)) => parts.push(call.clone()),
            _ => {}
        }
        return json_response(StatusCode::OK, chunk(json!(parts), true));
    }
    let mut w = SseWriter::new(answer.pause);
    if let Some(reasoning) = &answer.reasoning {
        for part in split_text(reasoning, 2) {
            w.data(&chunk(json!([{"text": part, "thought": true}]), false));
        }
    }
    match (&answer.content, &call) {
        (Content::Text(text), _) => {
            let pieces = split_text(text, 3);
            let n = pieces.len();
            for (i, part) in pieces.into_iter().enumerate() {
                w.data(&chunk(json!([{"text": part}]), i + 1 == n));
                w.stall_point();
            }
        }
        // Gemini sends a function call whole, in one chunk.
        (_, Some(call)) => {
            w.stall_point();
            w.data(&chunk(json!([call]), true));
        }
        _ => {}
    }
    w.into_response()
}

/// Gemini's error envelope: `{error: {code, message, status}}`.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let name = match status.as_u16() {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    };
    json_response(status, json!({"error": {"code": status.as_u16(), "message": message, "status": name}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_becomes_a_turn() {
        let body = json!({
            "contents": [
                {"role": "user", "parts": [{"text": "run it"}]},
                {"role": "model", "parts": [{"functionCall": {"name": "run_shell_command", "args": {"command": "ls"}}}]},
                {"role": "user", "parts": [{"functionResponse": {"name": "run_shell_command", "response": {"output": "a.txt"}}}]}
            ],
            "tools": [{"functionDeclarations": [{"name": "run_shell_command", "parametersJsonSchema": {"properties": {"command": {}}}}]}]
        });
        let turn = parse(&body, "/v1beta/models/gemini-2.5-pro:streamGenerateContent").unwrap();
        assert_eq!((turn.model.as_str(), turn.stream), ("gemini-2.5-pro", true));
        assert_eq!(turn.last, Last::ToolResult("a.txt".into()));
        assert_eq!(turn.tools[0].name, "run_shell_command");
        let plain = parse(&json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}), "/m/x:generateContent");
        assert_eq!((plain.as_ref().unwrap().stream, plain.unwrap().last), (false, Last::User("hi".into())));
        assert!(parse(&json!({}), "/m/x:generateContent").is_err());
    }
}
