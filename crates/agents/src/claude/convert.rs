//! Claude Code stream-json → universal events. Pure: it sees native lines (and the daemon's
//! replies) and returns what to emit and what to write back to the CLI; the process loop in
//! `mod.rs` does the I/O. Every transcript in `resources/transcripts/claude-*` is replayed
//! through it in the tests below.

use std::collections::HashMap;

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use crate::{AgentEvent, AgentOutput};

pub use crate::Action;

/// A `can_use_tool` request waiting for the daemon's answer.
#[derive(Debug, Clone)]
struct Pending {
    tool_name: String,
    input: Value,
    suggestions: Value,
}

#[derive(Debug, Default)]
pub struct Converter {
    /// Emit `session.started` on the first `system/init` (not when resuming).
    announce: bool,
    session_id: Option<String>,
    /// message id → how many content blocks its `assistant` lines carried so far.
    blocks_seen: HashMap<String, usize>,
    /// The message being streamed (`stream_event`s carry no message id after `message_start`).
    streaming: Option<String>,
    /// tool_use id → (tool name, input), for tool results and file references.
    tools: HashMap<String, (String, Value)>,
    pending: HashMap<String, Pending>,
    interrupting: bool,
    next_request: u64,
}

fn event(data: EventData) -> AgentOutput {
    AgentOutput::Event(AgentEvent::native(data))
}

fn item(kind: ItemKind, role: ItemRole, native: &str, content: Vec<ContentPart>, status: ItemStatus) -> UniversalItem {
    let mut item = UniversalItem::new(kind, Some(role), content);
    item.native_item_id = Some(native.to_string());
    item.status = status;
    item
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A tool_result's `content`: a string, or text blocks.
fn result_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => {
            parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join("\n")
        }
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Converter {
    pub fn new(announce_session: bool) -> Self {
        Converter { announce: announce_session, ..Default::default() }
    }

    /// The daemon asked for an interrupt: the next error result is that interruption.
    pub fn interrupt(&mut self) -> Value {
        self.interrupting = true;
        self.next_request += 1;
        json!({"type": "control_request", "request_id": format!("interrupt_{}", self.next_request), "request": {"subtype": "interrupt"}})
    }

    /// A user message line.
    pub fn user_message(text: &str) -> Value {
        json!({"type": "user", "session_id": "", "message": {"role": "user", "content": [{"type": "text", "text": text}]}, "parent_tool_use_id": null})
    }

    /// Convert one stdout line. Unknown or malformed input becomes `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![unparsed(format!("not JSON: {err}"), Value::String(line.to_string()))],
        };
        let mut out = self.session(&value);
        match self.convert(&value) {
            Ok(actions) => out.extend(actions),
            Err(why) => out.push(unparsed(why, value.clone())),
        }
        // The native payload goes with the first event it produced.
        if let Some(Action::Emit(AgentOutput::Event(ev))) =
            out.iter_mut().find(|a| matches!(a, Action::Emit(AgentOutput::Event(_))))
        {
            if ev.raw.is_none() {
                ev.raw = Some(value);
            }
        }
        out
    }

    fn session(&mut self, v: &Value) -> Vec<Action> {
        match v.get("session_id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() && self.session_id.as_deref() != Some(id) => {
                self.session_id = Some(id.to_string());
                vec![Action::Emit(AgentOutput::NativeSessionId(id.to_string()))]
            }
            _ => Vec::new(),
        }
    }

    fn convert(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        match str_of(v, "type") {
            "system" => Ok(self.system(v)),
            "stream_event" => self.stream_event(v.get("event").ok_or("stream_event without event")?),
            "assistant" => self.assistant(v),
            "user" => self.user(v),
            "result" => Ok(self.result(v)),
            "control_request" => self.control_request(v),
            // Answers to our own control requests (interrupt); nothing for clients.
            "control_response" => Ok(Vec::new()),
            // The CLI withdrew a permission prompt (e.g. after an interrupt); the daemon voids
            // pending requests when the turn ends.
            "control_cancel_request" | "keep_alive" => Ok(Vec::new()),
            other => Err(format!("unknown message type {other:?}")),
        }
    }

    fn system(&mut self, v: &Value) -> Vec<Action> {
        match str_of(v, "subtype") {
            "init" => {
                if !std::mem::take(&mut self.announce) {
                    return Vec::new(); // sent again on every turn
                }
                let metadata = json!({
                    "model": v.get("model"), "cwd": v.get("cwd"), "permissionMode": v.get("permissionMode"),
                    "claudeCodeVersion": v.get("claude_code_version"), "tools": v.get("tools"),
                });
                vec![Action::Emit(event(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) })))]
            }
            // "requesting" heartbeats: no information for clients.
            "status" => Vec::new(),
            subtype => {
                let detail = match subtype {
                    "api_retry" => Some(format!(
                        "attempt {} of {}, next in {} ms",
                        v.get("attempt").unwrap_or(&Value::Null),
                        v.get("max_retries").unwrap_or(&Value::Null),
                        v.get("retry_delay_ms").unwrap_or(&Value::Null)
                    )),
                    _ => None,
                };
                let label = format!("claude.{subtype}");
                let native = format!("system:{}", str_of(v, "uuid"));
                let part = ContentPart::Status { label, detail };
                let done = item(ItemKind::Status, ItemRole::System, &native, vec![part], ItemStatus::Completed);
                vec![Action::Emit(event(EventData::ItemCompleted(ItemEventData { item: done })))]
            }
        }
    }

    fn block_key(&self, index: u64) -> String {
        format!("{}#{index}", self.streaming.as_deref().unwrap_or("message"))
    }

    fn stream_event(&mut self, e: &Value) -> Result<Vec<Action>, String> {
        let index = e.get("index").and_then(Value::as_u64).unwrap_or(0);
        Ok(match str_of(e, "type") {
            "message_start" => {
                self.streaming = e.pointer("/message/id").and_then(Value::as_str).map(str::to_string);
                Vec::new()
            }
            "content_block_start" => {
                let block = e.get("content_block").ok_or("content_block_start without content_block")?;
                let started = match str_of(block, "type") {
                    "text" => item(
                        ItemKind::Message,
                        ItemRole::Assistant,
                        &self.block_key(index),
                        vec![],
                        ItemStatus::InProgress,
                    ),
                    "thinking" | "redacted_thinking" => item(
                        ItemKind::Message,
                        ItemRole::Assistant,
                        &self.block_key(index),
                        vec![],
                        ItemStatus::InProgress,
                    ),
                    "tool_use" | "server_tool_use" | "mcp_tool_use" => {
                        let call = tool_call_part(block);
                        item(
                            ItemKind::ToolCall,
                            ItemRole::Assistant,
                            str_of(block, "id"),
                            vec![call],
                            ItemStatus::InProgress,
                        )
                    }
                    _ => return Ok(Vec::new()), // other blocks arrive whole in the assistant line
                };
                vec![Action::Emit(event(EventData::ItemStarted(ItemEventData { item: started })))]
            }
            "content_block_delta" => {
                let delta = e.get("delta").ok_or("content_block_delta without delta")?;
                let text = match str_of(delta, "type") {
                    "text_delta" => str_of(delta, "text"),
                    "thinking_delta" => str_of(delta, "thinking"),
                    // Tool input arrives whole in the assistant line; signatures mean nothing to clients.
                    _ => return Ok(Vec::new()),
                };
                let data = ItemDeltaData {
                    item_id: String::new(),
                    native_item_id: Some(self.block_key(index)),
                    delta: text.to_string(),
                };
                vec![Action::Emit(event(EventData::ItemDelta(data)))]
            }
            "content_block_stop" | "message_delta" | "message_stop" | "ping" => Vec::new(),
            other => return Err(format!("unknown stream event {other:?}")),
        })
    }

    fn assistant(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        let message = v.get("message").ok_or("assistant without message")?;
        // The CLI renders API errors as a made-up assistant message; the result line carries
        // the error itself, which becomes an `error` event.
        if str_of(message, "model") == "<synthetic>" {
            return Ok(Vec::new());
        }
        let id = str_of(message, "id").to_string();
        let parent = v.get("parent_tool_use_id").and_then(Value::as_str).map(str::to_string);
        let blocks = message.get("content").and_then(Value::as_array).ok_or("assistant message without content")?;
        let mut out = Vec::new();
        for block in blocks {
            let index = {
                let seen = self.blocks_seen.entry(id.clone()).or_default();
                *seen += 1;
                *seen as u64 - 1
            };
            let key = format!("{id}#{index}");
            let mut done = match str_of(block, "type") {
                "text" => {
                    let text = ContentPart::text(str_of(block, "text"));
                    item(ItemKind::Message, ItemRole::Assistant, &key, vec![text], ItemStatus::Completed)
                }
                "thinking" => {
                    let part = ContentPart::Reasoning {
                        text: str_of(block, "thinking").into(),
                        visibility: ReasoningVisibility::Public,
                    };
                    item(ItemKind::Message, ItemRole::Assistant, &key, vec![part], ItemStatus::Completed)
                }
                "redacted_thinking" => {
                    let part = ContentPart::Reasoning { text: String::new(), visibility: ReasoningVisibility::Private };
                    item(ItemKind::Message, ItemRole::Assistant, &key, vec![part], ItemStatus::Completed)
                }
                "tool_use" | "server_tool_use" | "mcp_tool_use" => {
                    let tool_id = str_of(block, "id").to_string();
                    let input = block.get("input").cloned().unwrap_or(Value::Null);
                    self.tools.insert(tool_id.clone(), (str_of(block, "name").to_string(), input));
                    item(
                        ItemKind::ToolCall,
                        ItemRole::Assistant,
                        &tool_id,
                        vec![tool_call_part(block)],
                        ItemStatus::Completed,
                    )
                }
                other => return Err(format!("unknown assistant content block {other:?}")),
            };
            done.parent_id = parent.clone();
            out.push(Action::Emit(event(EventData::ItemCompleted(ItemEventData { item: done }))));
        }
        Ok(out)
    }

    fn user(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        let content = v.pointer("/message/content").ok_or("user line without message content")?;
        let Some(blocks) = content.as_array() else {
            return Ok(Vec::new()); // a plain-text echo of the prompt: the daemon already recorded it
        };
        let mut out = Vec::new();
        for block in blocks {
            match str_of(block, "type") {
                "tool_result" => out.push(Action::Emit(self.tool_result(block, v.get("tool_use_result")))),
                // "[Request interrupted by user]" markers and prompt echoes: the daemon records
                // the user's messages and the interruption itself.
                "text" | "image" => {}
                other => return Err(format!("unknown user content block {other:?}")),
            }
        }
        Ok(out)
    }

    fn tool_result(&self, block: &Value, extra: Option<&Value>) -> AgentOutput {
        let call_id = str_of(block, "tool_use_id");
        let failed = block.get("is_error").and_then(Value::as_bool).unwrap_or(false);
        let mut content = vec![ContentPart::ToolResult {
            call_id: call_id.into(),
            output: result_text(block.get("content").unwrap_or(&Value::Null)),
        }];
        if let (false, Some((name, input))) = (failed, self.tools.get(call_id)) {
            content.extend(file_ref(name, input, extra));
        }
        let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
        let mut done = item(ItemKind::ToolResult, ItemRole::Tool, &format!("{call_id}:result"), content, status);
        done.parent_id = Some(call_id.to_string());
        event(EventData::ItemCompleted(ItemEventData { item: done }))
    }

    fn result(&mut self, v: &Value) -> Vec<Action> {
        let is_error = v.get("is_error").and_then(Value::as_bool).unwrap_or(false);
        let subtype = str_of(v, "subtype");
        let usage = v.get("usage").map(|u| TokenUsage {
            input_tokens: u.get("input_tokens").and_then(Value::as_u64),
            output_tokens: u.get("output_tokens").and_then(Value::as_u64),
            cached_input_tokens: u.get("cache_read_input_tokens").and_then(Value::as_u64),
            reasoning_tokens: None,
        });
        let interrupted = std::mem::take(&mut self.interrupting) && subtype == "error_during_execution";
        let mut out = Vec::new();
        let (reason, message) = if interrupted {
            (TurnEndReason::Interrupted, None)
        } else if is_error || subtype != "success" {
            let message = match v.get("result").and_then(Value::as_str) {
                Some(text) => text.to_string(),
                None => v.get("errors").map(Value::to_string).unwrap_or_else(|| format!("turn failed: {subtype}")),
            };
            let code = if v.get("api_error_status").is_some_and(|s| !s.is_null()) { "api_error" } else { subtype };
            let details = json!({"subtype": subtype, "apiErrorStatus": v.get("api_error_status")});
            out.push(Action::Emit(event(EventData::Error(ErrorData {
                message: message.clone(),
                code: Some(code.into()),
                details: Some(details),
            }))));
            (TurnEndReason::Error, Some(message))
        } else {
            (TurnEndReason::Completed, None)
        };
        let ended = TurnEndedData { turn_id: String::new(), reason, usage, message };
        out.push(Action::Emit(event(EventData::TurnEnded(ended))));
        out
    }

    fn control_request(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        let request_id = str_of(v, "request_id").to_string();
        let request = v.get("request").ok_or("control_request without request")?;
        if str_of(request, "subtype") != "can_use_tool" {
            // We register no hooks or SDK MCP servers, so nothing else should be asked; say so
            // rather than leave the CLI waiting.
            let error = json!({"type": "control_response", "response": {"subtype": "error", "request_id": request_id,
                "error": format!("unsupported control request {}", str_of(request, "subtype"))}});
            return Ok(vec![Action::Write(error)]);
        }
        let tool_name = str_of(request, "tool_name").to_string();
        let input = request.get("input").cloned().unwrap_or(Value::Null);
        let pending = Pending {
            tool_name: tool_name.clone(),
            input: input.clone(),
            suggestions: request.get("permission_suggestions").cloned().unwrap_or(Value::Null),
        };
        self.pending.insert(request_id.clone(), pending);
        let data = match tool_name.as_str() {
            "AskUserQuestion" => {
                let first = input.pointer("/questions/0").cloned().unwrap_or(Value::Null);
                let options = first
                    .get("options")
                    .and_then(Value::as_array)
                    .map(|o| o.iter().map(|o| str_of(o, "label").to_string()).collect())
                    .unwrap_or_default();
                EventData::QuestionRequested(QuestionEventData {
                    question_id: request_id,
                    prompt: str_of(&first, "question").to_string(),
                    options,
                    response: None,
                    status: QuestionStatus::Requested,
                })
            }
            "ExitPlanMode" => EventData::QuestionRequested(QuestionEventData {
                question_id: request_id,
                prompt: format!("Approve this plan?\n\n{}", str_of(&input, "plan")),
                options: vec![PLAN_APPROVE.into(), PLAN_REJECT.into()],
                response: None,
                status: QuestionStatus::Requested,
            }),
            _ => EventData::PermissionRequested(PermissionEventData {
                permission_id: request_id,
                action: tool_name,
                status: PermissionStatus::Requested,
                metadata: Some(json!({
                    "toolName": str_of(request, "tool_name"), "input": input,
                    "description": request.get("description"), "toolUseId": request.get("tool_use_id"),
                    "permissionSuggestions": request.get("permission_suggestions"), "blockedPath": request.get("blocked_path"),
                })),
            }),
        };
        Ok(vec![Action::Emit(event(data))])
    }

    /// The control response answering a permission request; None if it is not pending.
    pub fn permission_reply(&mut self, id: &str, reply: PermissionReply) -> Option<Value> {
        let pending = self.pending.remove(id)?;
        let response = match reply {
            PermissionReply::Once => json!({"behavior": "allow", "updatedInput": pending.input}),
            PermissionReply::Always => {
                json!({"behavior": "allow", "updatedInput": pending.input, "updatedPermissions": pending.suggestions})
            }
            PermissionReply::Reject => json!({"behavior": "deny", "message": "The user denied this action."}),
        };
        Some(control_response(id, response))
    }

    /// The control response answering a question (`answers: None` rejects it).
    pub fn question_reply(&mut self, id: &str, answers: Option<&[Vec<String>]>) -> Option<Value> {
        let pending = self.pending.remove(id)?;
        let response = match (pending.tool_name.as_str(), answers) {
            (_, None) => json!({"behavior": "deny", "message": "The user declined to answer."}),
            ("ExitPlanMode", Some(answers)) => {
                let approved = answers.first().and_then(|a| a.first()).is_some_and(|a| a == PLAN_APPROVE);
                if approved {
                    json!({"behavior": "allow", "updatedInput": pending.input})
                } else {
                    json!({"behavior": "deny", "message": "The user rejected the plan."})
                }
            }
            (_, Some(answers)) => {
                // AskUserQuestion takes the answers keyed by question text.
                let questions = pending.input.get("questions").and_then(Value::as_array).cloned().unwrap_or_default();
                let keyed: serde_json::Map<String, Value> = questions
                    .iter()
                    .zip(answers)
                    .map(|(q, a)| (str_of(q, "question").to_string(), Value::String(a.join(", "))))
                    .collect();
                let mut input = pending.input.clone();
                if let Some(obj) = input.as_object_mut() {
                    obj.insert("answers".into(), Value::Object(keyed));
                }
                json!({"behavior": "allow", "updatedInput": input})
            }
        };
        Some(control_response(id, response))
    }
}

const PLAN_APPROVE: &str = "Approve";
const PLAN_REJECT: &str = "Reject";

fn control_response(request_id: &str, response: Value) -> Value {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id, "response": response}})
}

fn unparsed(error: String, raw: Value) -> Action {
    let data = AgentUnparsedData { error, location: "claude stdout".into(), raw_hash: None };
    Action::Emit(AgentOutput::Event(AgentEvent {
        data: EventData::AgentUnparsed(data),
        synthetic: true,
        raw: Some(raw),
    }))
}

fn tool_call_part(block: &Value) -> ContentPart {
    let arguments = match block.get("input") {
        Some(Value::Object(map)) if map.is_empty() => "{}".to_string(),
        Some(input) => input.to_string(),
        None => "{}".to_string(),
    };
    ContentPart::ToolCall { name: str_of(block, "name").into(), arguments, call_id: str_of(block, "id").into() }
}

/// File references for the file tools, with the diff when the CLI reported one.
fn file_ref(tool: &str, input: &Value, extra: Option<&Value>) -> Option<ContentPart> {
    let action = match tool {
        "Read" => FileAction::Read,
        "Write" => FileAction::Write,
        "Edit" | "MultiEdit" | "NotebookEdit" => FileAction::Patch,
        _ => return None,
    };
    let path = input.get("file_path").or_else(|| input.get("notebook_path")).and_then(Value::as_str)?;
    let diff = extra.and_then(|e| e.get("structuredPatch")).and_then(Value::as_array).map(|hunks| {
        hunks
            .iter()
            .flat_map(|h| h.get("lines").and_then(Value::as_array).cloned().unwrap_or_default())
            .filter_map(|l| l.as_str().map(str::to_string))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Some(ContentPart::FileRef { path: path.into(), action, diff: diff.filter(|d| !d.is_empty()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcripts::{events, native_lines, Line};

    /// Every Claude stream-json transcript converts with no `agent.unparsed`.
    #[test]
    fn every_claude_transcript_converts_cleanly() {
        let mut files = 0;
        for (name, lines) in crate::transcripts::all_of(crate::transcripts::CLAUDE) {
            files += 1;
            let mut conv = Converter::new(true);
            for line in native_lines(&lines) {
                let Line::Out(line) = line else { continue };
                for ev in events(&conv.line(&line)) {
                    assert!(!matches!(ev, EventData::AgentUnparsed(_)), "{name}: unparsed {ev:?} from {line}");
                }
            }
        }
        assert!(files >= 7, "found {files} transcripts");
    }

    fn convert(name: &str) -> (Converter, Vec<Action>) {
        let lines = crate::transcripts::load(name);
        let mut conv = Converter::new(true);
        let mut out = Vec::new();
        for line in native_lines(&lines) {
            if let Line::Out(line) = line {
                out.extend(conv.line(&line));
            }
        }
        (conv, out)
    }

    #[test]
    fn permission_flow_becomes_tool_call_permission_and_result() {
        let (mut conv, out) = convert("claude-streamjson-stdio-permission-2turns.jsonl");
        let evs = events(&out);
        let types: Vec<&str> = evs.iter().map(|e| e.event_type()).collect();
        assert_eq!(types[0], "session.started");
        assert_eq!(
            types.iter().filter(|t| **t == "session.started").count(),
            1,
            "init repeats each turn, started once"
        );
        assert_eq!(types.iter().filter(|t| **t == "turn.ended").count(), 2);
        let perm = evs
            .iter()
            .find_map(|e| match e {
                EventData::PermissionRequested(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(perm.action, "Write");
        let result = evs.iter().find_map(|e| match e {
            EventData::ItemCompleted(d) if d.item.kind == ItemKind::ToolResult => Some(d.item.clone()),
            _ => None,
        });
        let result = result.unwrap();
        assert!(result.content.iter().any(
            |p| matches!(p, ContentPart::FileRef { action: FileAction::Write, path, .. } if path.ends_with("hello.txt"))
        ));
        let native = out.iter().find_map(|a| match a {
            Action::Emit(AgentOutput::NativeSessionId(id)) => Some(id.clone()),
            _ => None,
        });
        assert_eq!(native.as_deref(), Some("1ed41b8a-dfde-4892-bef9-9c548b26f053"));
        // Replies become control responses for that request.
        let allow = conv.permission_reply(&perm.permission_id, PermissionReply::Once).unwrap();
        assert_eq!(allow["response"]["response"]["behavior"], "allow");
        assert_eq!(allow["response"]["response"]["updatedInput"]["content"], "hello from mock\n");
        assert!(conv.permission_reply(&perm.permission_id, PermissionReply::Once).is_none(), "answered once");
    }

    #[test]
    fn denied_tool_result_is_failed_without_file_ref() {
        let (_, out) = convert("claude-streamjson-stdio-permission-deny.jsonl");
        let result = events(&out).into_iter().find_map(|e| match e {
            EventData::ItemCompleted(d) if d.item.kind == ItemKind::ToolResult => Some(d.item.clone()),
            _ => None,
        });
        let result = result.unwrap();
        assert_eq!(result.status, ItemStatus::Failed);
        assert_eq!(result.content.len(), 1);
    }

    #[test]
    fn partial_messages_stream_into_one_item() {
        let (_, out) = convert("claude-resume-include-partial.jsonl");
        let evs = events(&out);
        let deltas: Vec<&str> = evs
            .iter()
            .filter_map(|e| match e {
                EventData::ItemDelta(d) => Some(d.delta.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(deltas, ["plain", " reply"]);
        let ids: Vec<Option<&str>> = evs
            .iter()
            .filter_map(|e| match e {
                EventData::ItemStarted(d) | EventData::ItemCompleted(d) => Some(d.item.native_item_id.as_deref()),
                EventData::ItemDelta(d) => Some(d.native_item_id.as_deref()),
                _ => None,
            })
            .collect();
        assert!(ids.iter().all(|id| *id == Some("msg_af4f240f0943447da0d4#0")), "{ids:?}");
    }

    #[test]
    fn api_error_becomes_error_event_and_failed_turn() {
        let (_, out) = convert("claude-print-api-error-400.jsonl");
        let evs = events(&out);
        let err = evs
            .iter()
            .find_map(|e| match e {
                EventData::Error(d) => Some(d.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(err.code.as_deref(), Some("api_error"));
        assert!(err.message.contains("400"));
        assert!(
            !evs.iter().any(|e| matches!(e, EventData::ItemCompleted(d) if d.item.kind == ItemKind::Message)),
            "no fake assistant text"
        );
        let EventData::TurnEnded(end) = evs.last().unwrap() else { panic!() };
        assert_eq!(end.reason, TurnEndReason::Error);
    }

    #[test]
    fn interrupt_ends_the_turn_as_interrupted() {
        let lines = crate::transcripts::load("claude-streamjson-interrupt.jsonl");
        let mut conv = Converter::new(true);
        let mut last = None;
        for line in native_lines(&lines) {
            match line {
                Line::In(v) if v["request"]["subtype"] == "interrupt" => {
                    conv.interrupt();
                }
                Line::Out(line) => {
                    for a in conv.line(&line) {
                        if let Action::Emit(AgentOutput::Event(ev)) = a {
                            last = Some(ev.data);
                        }
                    }
                }
                _ => {}
            }
        }
        let Some(EventData::TurnEnded(end)) = last else { panic!("{last:?}") };
        assert_eq!(end.reason, TurnEndReason::Interrupted);
    }

    #[test]
    fn ask_user_question_round_trip() {
        let mut conv = Converter::new(false);
        let req = json!({"type": "control_request", "request_id": "r1", "request": {"subtype": "can_use_tool", "tool_name": "AskUserQuestion",
            "input": {"questions": [{"question": "Which color?", "header": "Color", "multiSelect": false,
                "options": [{"label": "Red", "description": ""}, {"label": "Blue", "description": ""}]}]}}});
        let out = conv.line(&req.to_string());
        let EventData::QuestionRequested(q) = events(&out)[0] else { panic!() };
        assert_eq!(
            (q.prompt.as_str(), q.options.clone()),
            ("Which color?", vec!["Red".to_string(), "Blue".to_string()])
        );
        let reply = conv.question_reply("r1", Some(&[vec!["Blue".into()]])).unwrap();
        assert_eq!(reply["response"]["response"]["updatedInput"]["answers"]["Which color?"], "Blue");
    }

    #[test]
    fn garbage_is_unparsed_not_dropped() {
        let mut conv = Converter::new(false);
        for line in [
            "not json",
            r#"{"type":"brand_new"}"#,
            r#"{"type":"assistant","message":{"id":"m","content":[{"type":"hologram"}]}}"#,
        ] {
            let out = conv.line(line);
            assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{line}");
        }
    }
}
