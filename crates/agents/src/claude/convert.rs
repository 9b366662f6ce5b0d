//! Claude Code stream-json → universal events. Pure: it sees native lines (and the daemon's
//! replies) and returns what to emit and what to write back to the CLI; the process loop in
//! `mod.rs` does the I/O. Every transcript in `resources/transcripts/claude-*` is replayed
//! through it in the tests.
//!
//! Each line is first deserialized into the Claude Agent SDK's own type of a stdout line
//! (`sandbox_agent_agent_types::claude::StdoutLine`); a line that does not match it becomes
//! `agent.unparsed`. The typed message drives the conversion; what is passed on verbatim (tool
//! input, permission suggestions, the `session.started` metadata) is taken from the line's JSON.

use std::collections::HashMap;

use sandbox_agent_agent_types::claude::{
    self as native, BetaContentBlock as Block, BetaRawContentBlockDelta as Delta, BetaRawMessageStreamEvent as Stream,
    BetaRawMessageStreamEventContentBlockStartContentBlock as StartBlock, ContentBlockParam as UserBlock,
    ContentBlockParamToolResultContent as ResultContent, StdoutLine,
};
use sandbox_agent_schema::*;
use serde_json::{json, Value};

use crate::universal::{arguments, attach_raw, completed, emitted, event, item, raw_line, raw_text, started, unparsed};
use crate::AgentOutput;

pub use crate::Action;

const LOCATION: &str = "claude stdout";

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

fn emit(data: EventData) -> Action {
    Action::Emit(event(data))
}

/// A tool_result's `content`: a string, or text blocks.
fn result_text(content: Option<&ResultContent>) -> String {
    use native::ContentBlockParamToolResultContentVariant0Item as Part;
    match content {
        Some(ResultContent::String(s)) => s.clone(),
        Some(ResultContent::Array(parts)) => parts
            .iter()
            .filter_map(|p| match p {
                Part::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => String::new(),
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
    /// A user message line; `content` is its Anthropic content blocks (text first).
    pub fn user_message(content: Vec<Value>) -> Value {
        json!({"type": "user", "session_id": "", "message": {"role": "user", "content": content}, "parent_tool_use_id": null})
    }

    /// Convert one stdout line. Malformed input, and lines that do not match the SDK's type or
    /// that the converter does not handle, become `agent.unparsed`. The line itself is the raw.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        // The hot path: a stream event (each delta is one) goes from the text straight to its
        // type; building a `Value` of it first cost ~16% of the daemon's CPU.
        // Its `type` can only be `stream_event`, so this picks what `StdoutLine` would; any other
        // line fails at its `type` (or a missing field) and takes the general path.
        if let Ok(m) = serde_json::from_str::<native::SdkPartialAssistantMessage>(line) {
            let mut out = self.session(Some(&m.session_id));
            out.extend(self.stream_event(m.event));
            attach_raw(emitted(&mut out), raw_line(line));
            return out;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![Action::Emit(unparsed(LOCATION, format!("not JSON: {err}"), raw_text(line)))],
        };
        let mut out = self.session(value.get("session_id").and_then(Value::as_str));
        let converted = StdoutLine::from_value(&value)
            .map_err(|e| format!("not a Claude Code stdout line: {e}"))
            .and_then(|msg| self.convert(msg, &value));
        match converted {
            Ok(actions) => out.extend(actions),
            Err(why) => {
                out.push(Action::Emit(unparsed(LOCATION, why, raw_line(line))));
                // A control request of a kind the SDK types do not know still gets an answer,
                // so the CLI does not wait for one.
                if value.get("type").and_then(Value::as_str) == Some("control_request") {
                    out.extend(refuse(&value));
                }
            }
        }
        attach_raw(emitted(&mut out), raw_line(line));
        out
    }

    fn session(&mut self, id: Option<&str>) -> Vec<Action> {
        match id {
            Some(id) if !id.is_empty() && self.session_id.as_deref() != Some(id) => {
                self.session_id = Some(id.to_string());
                vec![Action::Emit(AgentOutput::NativeSessionId(id.to_string()))]
            }
            _ => Vec::new(),
        }
    }

    fn convert(&mut self, msg: StdoutLine, v: &Value) -> Result<Vec<Action>, String> {
        use StdoutLine as L;
        Ok(match msg {
            L::SdkSystemMessage(_) => self.init(v),
            // "requesting" heartbeats: no information for clients.
            L::SdkStatusMessage(_) => Vec::new(),
            L::SdkapiRetryMessage(m) => {
                let detail = format!("attempt {} of {}, next in {} ms", m.attempt, m.max_retries, m.retry_delay_ms);
                vec![system_status("api_retry", &m.uuid.0, Some(detail))]
            }
            // The other system messages become status items named after their subtype.
            L::SdkCompactBoundaryMessage(_)
            | L::SdkModelRefusalFallbackMessage(_)
            | L::SdkModelRefusalNoFallbackMessage(_)
            | L::SdkLocalCommandOutputMessage(_)
            | L::SdkHookStartedMessage(_)
            | L::SdkHookProgressMessage(_)
            | L::SdkHookResponseMessage(_)
            | L::SdkPluginInstallMessage(_)
            | L::SdkTaskNotificationMessage(_)
            | L::SdkTaskStartedMessage(_)
            | L::SdkTaskUpdatedMessage(_)
            | L::SdkTaskProgressMessage(_)
            | L::SdkThinkingTokensMessage(_)
            | L::SdkSessionStateChangedMessage(_)
            | L::SdkWorkerShuttingDownMessage(_)
            | L::SdkCommandsChangedMessage(_)
            | L::SdkNotificationMessage(_)
            | L::SdkFilesPersistedEvent(_)
            | L::SdkMemoryRecallMessage(_)
            | L::SdkElicitationCompleteMessage(_)
            | L::SdkPermissionDeniedMessage(_)
            | L::SdkMirrorErrorMessage(_)
            | L::SdkInformationalMessage(_) => {
                let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
                vec![system_status(field("subtype"), field("uuid"), None)]
            }
            L::SdkPartialAssistantMessage(m) => self.stream_event(m.event),
            L::SdkAssistantMessage(m) => self.assistant(*m, v)?,
            L::SdkUserMessage(m) => self.user(m.message, v)?,
            // Replays of the user's own messages (`--replay-user-messages`, not used).
            L::SdkUserMessageReplay(_) => Vec::new(),
            L::SdkResultSuccess(m) => {
                self.result(m.is_error, "success", Some(m.result), None, m.usage, m.api_error_status)
            }
            L::SdkResultError(m) => {
                let subtype = m.subtype.to_string();
                self.result(m.is_error, &subtype, None, Some(&m.errors), m.usage, None)
            }
            L::SdkControlRequest(m) => self.control_request(*m, v),
            // Answers to our own control requests (interrupt); nothing for clients.
            L::SdkControlResponse(_) => Vec::new(),
            // The CLI withdrew a permission prompt (e.g. after an interrupt); the daemon voids
            // pending requests when the turn ends.
            L::SdkControlCancelRequest(_) | L::SdkKeepAliveMessage(_) => Vec::new(),
            // Tool progress heartbeats, authentication progress, summaries of tool use, rate
            // limit states and suggested next prompts: nothing a session's clients act on.
            L::SdkToolProgressMessage(_)
            | L::SdkAuthStatusMessage(_)
            | L::SdkToolUseSummaryMessage(_)
            | L::SdkRateLimitEvent(_)
            | L::SdkPromptSuggestionMessage(_) => Vec::new(),
        })
    }

    /// `system/init`: the session's start, the first time (the CLI repeats it every turn).
    fn init(&mut self, v: &Value) -> Vec<Action> {
        if !std::mem::take(&mut self.announce) {
            return Vec::new();
        }
        let metadata = json!({
            "model": v.get("model"), "cwd": v.get("cwd"), "permissionMode": v.get("permissionMode"),
            "claudeCodeVersion": v.get("claude_code_version"), "tools": v.get("tools"),
        });
        vec![emit(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) }))]
    }

    fn block_key(&self, index: f64) -> String {
        format!("{}#{}", self.streaming.as_deref().unwrap_or("message"), index as u64)
    }

    fn stream_event(&mut self, e: Stream) -> Vec<Action> {
        match e {
            Stream::MessageStart { message } => {
                self.streaming = Some(message.id);
                Vec::new()
            }
            Stream::ContentBlockStart { content_block, index } => {
                let started_item = match content_block {
                    StartBlock::Text { .. } | StartBlock::Thinking { .. } | StartBlock::RedactedThinking { .. } => {
                        item(
                            ItemKind::Message,
                            ItemRole::Assistant,
                            &self.block_key(index),
                            vec![],
                            ItemStatus::InProgress,
                        )
                    }
                    StartBlock::ToolUse { id, input, name, .. } | StartBlock::McpToolUse { id, input, name, .. } => {
                        tool_call(&id, name, Some(&input), ItemStatus::InProgress)
                    }
                    StartBlock::ServerToolUse { id, input, name, .. } => {
                        tool_call(&id, name.to_string(), Some(&Value::Object(input)), ItemStatus::InProgress)
                    }
                    // Other blocks (server tool results, uploads, compaction) arrive whole in
                    // the assistant line.
                    _ => return Vec::new(),
                };
                vec![emit(started(started_item))]
            }
            Stream::ContentBlockDelta { delta, index } => {
                let text = match delta {
                    Delta::TextDelta { text } => text,
                    Delta::ThinkingDelta { thinking } => thinking,
                    // Tool input arrives whole in the assistant line; signatures, citations
                    // and compaction deltas mean nothing to clients.
                    _ => return Vec::new(),
                };
                let data =
                    ItemDeltaData { item_id: String::new(), native_item_id: Some(self.block_key(index)), delta: text };
                vec![emit(EventData::ItemDelta(data))]
            }
            Stream::ContentBlockStop { .. } | Stream::MessageDelta { .. } | Stream::MessageStop => Vec::new(),
        }
    }

    fn assistant(&mut self, m: native::SdkAssistantMessage, v: &Value) -> Result<Vec<Action>, String> {
        let message = m.message;
        // The CLI renders API errors as a made-up assistant message; the result line carries
        // the error itself, which becomes an `error` event.
        if message.model.0 == "<synthetic>" {
            return Ok(Vec::new());
        }
        let id = message.id;
        let mut out = Vec::new();
        for (i, block) in message.content.into_iter().enumerate() {
            let index = {
                let seen = self.blocks_seen.entry(id.clone()).or_default();
                *seen += 1;
                *seen - 1
            };
            let key = format!("{id}#{index}");
            let mut done = match block {
                Block::Text { text, .. } => item(
                    ItemKind::Message,
                    ItemRole::Assistant,
                    &key,
                    vec![ContentPart::text(text)],
                    ItemStatus::Completed,
                ),
                Block::Thinking { thinking, .. } => {
                    let part = ContentPart::Reasoning { text: thinking, visibility: ReasoningVisibility::Public };
                    item(ItemKind::Message, ItemRole::Assistant, &key, vec![part], ItemStatus::Completed)
                }
                Block::RedactedThinking { .. } => {
                    let part = ContentPart::Reasoning { text: String::new(), visibility: ReasoningVisibility::Private };
                    item(ItemKind::Message, ItemRole::Assistant, &key, vec![part], ItemStatus::Completed)
                }
                Block::ToolUse { id: tool_id, name, .. } | Block::McpToolUse { id: tool_id, name, .. } => {
                    self.tool_use(tool_id, name, v, i)
                }
                Block::ServerToolUse { id: tool_id, name, .. } => self.tool_use(tool_id, name.to_string(), v, i),
                other => {
                    let kind = serde_json::to_value(&other).ok().and_then(|b| b["type"].as_str().map(str::to_string));
                    return Err(format!("assistant content block {} is not converted", kind.unwrap_or_default()));
                }
            };
            // A subagent's message (the Task tool) hangs under the tool call that started it.
            done.parent_id = m.parent_tool_use_id.clone();
            out.push(emit(completed(done)));
        }
        Ok(out)
    }

    /// A tool call block (its input as the line has it, block `i` of the message).
    fn tool_use(&mut self, tool_id: String, name: String, v: &Value, i: usize) -> UniversalItem {
        let input = v.pointer(&format!("/message/content/{i}/input")).cloned().unwrap_or(Value::Null);
        let call = tool_call(&tool_id, name.clone(), Some(&input), ItemStatus::Completed);
        self.tools.insert(tool_id, (name, input));
        call
    }

    fn user(&mut self, message: native::MessageParam, v: &Value) -> Result<Vec<Action>, String> {
        let native::MessageParamContent::Array(blocks) = message.content else {
            return Ok(Vec::new()); // a plain-text echo of the prompt: the daemon already recorded it
        };
        let mut out = Vec::new();
        for block in blocks {
            match block {
                UserBlock::ToolResult { content, is_error, tool_use_id, .. } => {
                    let failed = is_error.unwrap_or(false);
                    out.push(emit(self.tool_result(&tool_use_id, result_text(content.as_ref()), failed, v)));
                }
                // "[Request interrupted by user]" markers and prompt echoes: the daemon records
                // the user's messages and the interruption itself.
                UserBlock::Text { .. } | UserBlock::Image { .. } => {}
                other => {
                    let kind = serde_json::to_value(&other).ok().and_then(|b| b["type"].as_str().map(str::to_string));
                    return Err(format!("user content block {} is not converted", kind.unwrap_or_default()));
                }
            }
        }
        Ok(out)
    }

    fn tool_result(&self, call_id: &str, output: String, failed: bool, v: &Value) -> EventData {
        let mut content = vec![ContentPart::ToolResult { call_id: call_id.into(), output }];
        if let (false, Some((name, input))) = (failed, self.tools.get(call_id)) {
            // `tool_use_result` is `unknown` in the SDK: the tool's own result record.
            content.extend(file_ref(name, input, v.get("tool_use_result")));
        }
        let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
        let mut done = item(ItemKind::ToolResult, ItemRole::Tool, &format!("{call_id}:result"), content, status);
        done.parent_id = Some(call_id.to_string());
        completed(done)
    }

    fn result(
        &mut self,
        is_error: bool,
        subtype: &str,
        result: Option<String>,
        errors: Option<&[String]>,
        usage: native::NonNullableUsage,
        api_error_status: Option<f64>,
    ) -> Vec<Action> {
        let usage = Some(TokenUsage {
            input_tokens: Some(usage.input_tokens as u64),
            output_tokens: Some(usage.output_tokens as u64),
            cached_input_tokens: Some(usage.cache_read_input_tokens as u64),
            reasoning_tokens: None,
        });
        let interrupted = std::mem::take(&mut self.interrupting) && subtype == "error_during_execution";
        let mut out = Vec::new();
        let (reason, message) = if interrupted {
            (TurnEndReason::Interrupted, None)
        } else if is_error || subtype != "success" {
            let message = match (result, errors) {
                (Some(text), _) => text,
                (None, Some(errors)) => json!(errors).to_string(),
                (None, None) => format!("turn failed: {subtype}"),
            };
            let code = if api_error_status.is_some() { "api_error" } else { subtype };
            let details = json!({"subtype": subtype, "apiErrorStatus": api_error_status.map(|s| s as u64)});
            let error = ErrorData { message: message.clone(), code: Some(code.into()), details: Some(details) };
            out.push(emit(EventData::Error(error)));
            (TurnEndReason::Error, Some(message))
        } else {
            (TurnEndReason::Completed, None)
        };
        out.push(emit(EventData::TurnEnded(TurnEndedData { turn_id: String::new(), reason, usage, message })));
        out
    }

    fn control_request(&mut self, m: native::SdkControlRequest, v: &Value) -> Vec<Action> {
        let native::SdkControlRequestInner::CanUseTool { tool_name, .. } = m.request else {
            // We register no hooks or SDK MCP servers, so nothing else should be asked; say so
            // rather than leave the CLI waiting.
            return refuse(v);
        };
        let request_id = m.request_id;
        // Passed on as the CLI sent them (and sent back in the reply).
        let request = &v["request"];
        let input = request.get("input").cloned().unwrap_or(Value::Null);
        let suggestions = request.get("permission_suggestions").cloned().unwrap_or(Value::Null);
        let pending = Pending { tool_name: tool_name.clone(), input: input.clone(), suggestions };
        self.pending.insert(request_id.clone(), pending);
        let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let data = match tool_name.as_str() {
            "AskUserQuestion" => {
                let first = input.pointer("/questions/0").cloned().unwrap_or(Value::Null);
                let options = first
                    .get("options")
                    .and_then(Value::as_array)
                    .map(|o| o.iter().map(|o| str_of(o, "label")).collect())
                    .unwrap_or_default();
                EventData::QuestionRequested(QuestionEventData {
                    question_id: request_id,
                    prompt: str_of(&first, "question"),
                    options,
                    response: None,
                    status: QuestionStatus::Requested,
                    answered_by: None,
                })
            }
            "ExitPlanMode" => EventData::QuestionRequested(QuestionEventData {
                question_id: request_id,
                prompt: format!("Approve this plan?\n\n{}", str_of(&input, "plan")),
                options: vec![PLAN_APPROVE.into(), PLAN_REJECT.into()],
                response: None,
                status: QuestionStatus::Requested,
                answered_by: None,
            }),
            _ => EventData::PermissionRequested(PermissionEventData {
                permission_id: request_id,
                action: tool_name.clone(),
                status: PermissionStatus::Requested,
                metadata: Some(json!({
                    "toolName": tool_name, "input": input,
                    "description": request.get("description"), "toolUseId": request.get("tool_use_id"),
                    "permissionSuggestions": request.get("permission_suggestions"), "blockedPath": request.get("blocked_path"),
                })),
                answered_by: None,
            }),
        };
        vec![emit(data)]
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
                    .map(|(q, a)| {
                        let question = q.get("question").and_then(Value::as_str).unwrap_or("").to_string();
                        (question, Value::String(a.join(", ")))
                    })
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

/// The error answer to a control request the adapter does not serve.
fn refuse(v: &Value) -> Vec<Action> {
    let field = |p: &str| v.pointer(p).and_then(Value::as_str).unwrap_or("");
    let error = json!({"type": "control_response", "response": {"subtype": "error", "request_id": field("/request_id"),
        "error": format!("unsupported control request {}", field("/request/subtype"))}});
    vec![Action::Write(error)]
}

/// A status item for a `system` line (`claude.<subtype>`).
fn system_status(subtype: &str, uuid: &str, detail: Option<String>) -> Action {
    let part = ContentPart::Status { label: format!("claude.{subtype}"), detail };
    emit(completed(item(
        ItemKind::Status,
        ItemRole::System,
        &format!("system:{uuid}"),
        vec![part],
        ItemStatus::Completed,
    )))
}

fn tool_call(id: &str, name: String, input: Option<&Value>, status: ItemStatus) -> UniversalItem {
    let call = ContentPart::ToolCall { name, arguments: arguments(input), call_id: id.into() };
    item(ItemKind::ToolCall, ItemRole::Assistant, id, vec![call], status)
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
#[path = "convert_tests.rs"]
mod tests;
