//! OpenCode message parts → universal items: text and reasoning stream into message items, a
//! tool part becomes a `tool_call` and then a `tool_result`, and the other parts become status
//! items (or nothing). Parts are typed (`sandbox_agent_agent_types::opencode::Part`); tool input
//! and metadata are passed on as OpenCode sent them.

use sandbox_agent_agent_types::opencode::{Part as P, PartStepFinishTokens, ToolState};
use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::{completed, delta, started, Converter, Seen};
use crate::universal::item;
use crate::AgentOutput;

/// A message item of a session's part (`parent`: the `task` part for a subagent's).
pub(super) fn part_item(
    kind: ItemKind,
    role: ItemRole,
    native: &str,
    parent: Option<String>,
    content: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut one = item(kind, role, native, content, status);
    one.parent_id = parent;
    one
}

pub(super) fn text_item(
    id: &str,
    reasoning: bool,
    text: &str,
    parent: Option<String>,
    status: ItemStatus,
) -> UniversalItem {
    let part = if reasoning {
        ContentPart::Reasoning { text: text.to_string(), visibility: ReasoningVisibility::Public }
    } else {
        ContentPart::text(text)
    };
    part_item(ItemKind::Message, ItemRole::Assistant, id, parent, vec![part], status)
}

fn status_item(id: &str, parent: Option<String>, content: Vec<ContentPart>) -> AgentOutput {
    completed(part_item(ItemKind::Status, ItemRole::System, id, parent, content, ItemStatus::Completed))
}

impl Converter {
    /// One part (`raw`: the part as OpenCode sent it).
    pub(super) fn part(&mut self, part: P, raw: &Value) -> Result<Vec<AgentOutput>, String> {
        let field = |k: &str| raw.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (id, message) = (field("id"), field("messageID"));
        if id.is_empty() {
            return Err("part without id".into());
        }
        if self.user_messages.contains(&message) {
            return Ok(Vec::new()); // the user's own message: recorded by the daemon
        }
        let parent = self.parent_for(&field("sessionID"));
        Ok(match part {
            P::Text { text, time, .. } => {
                let ended = time.and_then(|t| t.end).is_some();
                self.text_part(&id, message, false, &text, ended, parent)
            }
            P::Reasoning { text, time, .. } => self.text_part(&id, message, true, &text, time.end.is_some(), parent),
            P::Tool { call_id, tool, state, .. } => self.tool_part(&id, call_id, tool, state, &raw["state"], parent)?,
            // Step boundaries and the snapshot hash OpenCode keeps for undo: no content.
            P::StepStart { .. } | P::Snapshot { .. } => Vec::new(),
            P::StepFinish { tokens, .. } => {
                self.count_step(&id, &tokens);
                Vec::new()
            }
            P::File { mime, filename, url, .. } => {
                let path = raw.pointer("/source/path").and_then(Value::as_str).map(str::to_string);
                let path = path.or(filename).unwrap_or(url);
                let content = if mime.starts_with("image/") {
                    ContentPart::Image { path, mime: Some(mime) }
                } else {
                    ContentPart::FileRef { path, action: FileAction::Read, diff: None }
                };
                vec![completed(part_item(
                    ItemKind::Message,
                    ItemRole::Assistant,
                    &id,
                    parent,
                    vec![content],
                    ItemStatus::Completed,
                ))]
            }
            P::Patch { files, hash, .. } => {
                // The files a step changed.
                let mut content = vec![ContentPart::Status { label: "opencode.patch".into(), detail: Some(hash) }];
                content.extend(files.into_iter().map(|path| ContentPart::FileRef {
                    path,
                    action: FileAction::Patch,
                    diff: None,
                }));
                vec![status_item(&id, parent, content)]
            }
            P::Retry { .. } => {
                let detail = raw.pointer("/error/data/message").or_else(|| raw.pointer("/error/name"));
                let detail = detail.and_then(Value::as_str).map(str::to_string);
                vec![status_item(&id, parent, vec![ContentPart::Status { label: "opencode.retry".into(), detail }])]
            }
            P::Compaction { .. } => {
                vec![status_item(
                    &id,
                    parent,
                    vec![ContentPart::Status { label: "opencode.compaction".into(), detail: None }],
                )]
            }
            P::Agent { name, .. } => {
                vec![status_item(
                    &id,
                    parent,
                    vec![ContentPart::Status { label: "opencode.agent".into(), detail: Some(name) }],
                )]
            }
            P::Subtask { description, .. } => {
                let part = ContentPart::Status { label: "opencode.subtask".into(), detail: Some(description) };
                vec![status_item(&id, parent, vec![part])]
            }
        })
    }

    fn text_part(
        &mut self,
        id: &str,
        message: String,
        reasoning: bool,
        text: &str,
        ended: bool,
        parent: Option<String>,
    ) -> Vec<AgentOutput> {
        let state = self.parts.entry(id.to_string()).or_insert_with(|| Seen::Text {
            message,
            reasoning,
            started: false,
            streamed: String::new(),
            parent: parent.clone(),
            done: false,
        });
        let Seen::Text { started: was_started, streamed, done, reasoning: is_reasoning, parent: p, .. } = state else {
            return Vec::new();
        };
        *is_reasoning = reasoning;
        if *done {
            return Vec::new();
        }
        let mut out = Vec::new();
        if !*was_started && !ended {
            *was_started = true;
            out.push(started(part_item(
                ItemKind::Message,
                ItemRole::Assistant,
                id,
                p.clone(),
                Vec::new(),
                ItemStatus::InProgress,
            )));
        }
        // Servers that send no `message.part.delta` grow the text in place.
        if *was_started && text.len() > streamed.len() && text.starts_with(streamed.as_str()) {
            out.push(delta(id, &text[streamed.len()..]));
            *streamed = text.to_string();
        }
        if ended {
            *done = true;
            // Done parts keep no text (a long session would otherwise hold all of it).
            let streamed = std::mem::take(streamed);
            let text = if text.is_empty() { streamed } else { text.to_string() };
            out.push(completed(text_item(id, reasoning, &text, p.clone(), ItemStatus::Completed)));
        }
        out
    }

    /// `message.part.delta {sessionID, messageID, partID, field, delta}`.
    pub(super) fn part_delta(
        &mut self,
        id: String,
        message: String,
        session: &str,
        field: &str,
        text: &str,
    ) -> Result<Vec<AgentOutput>, String> {
        if self.user_messages.contains(&message) {
            return Ok(Vec::new());
        }
        if field != "text" {
            return Err(format!("delta of unknown field {field:?}"));
        }
        let parent = self.parent_for(session);
        let state = self.parts.entry(id.clone()).or_insert_with(|| Seen::Text {
            message,
            reasoning: false,
            // The daemon synthesizes the item.started for a delta it has no item for.
            started: true,
            streamed: String::new(),
            parent,
            done: false,
        });
        match state {
            Seen::Text { streamed, done: false, .. } => {
                streamed.push_str(text);
                Ok(vec![delta(&id, text)])
            }
            Seen::Text { done: true, .. } => Ok(Vec::new()),
            Seen::Tool { .. } => Err("text delta for a tool part".into()),
        }
    }

    /// A tool part (`raw_state`: its state as OpenCode sent it).
    fn tool_part(
        &mut self,
        id: &str,
        call_id: String,
        tool: String,
        state: ToolState,
        raw_state: &Value,
        parent: Option<String>,
    ) -> Result<Vec<AgentOutput>, String> {
        let input = raw_state.get("input").cloned().unwrap_or(json!({}));
        if tool == "task" {
            // The subagent's session: its items hang under this part.
            if let Some(child) = raw_state.pointer("/metadata/sessionId").and_then(Value::as_str) {
                self.subagents.insert(child.to_string(), id.to_string());
            }
        }
        let entry = self.parts.entry(id.to_string()).or_insert(Seen::Tool { call_done: false, result_done: false });
        let Seen::Tool { call_done, result_done } = entry else {
            return Err("tool update for a text part".into());
        };
        let arguments = match &input {
            Value::Object(map) if map.is_empty() => "{}".to_string(),
            other => other.to_string(),
        };
        let call = ContentPart::ToolCall { name: tool.clone(), arguments, call_id: call_id.clone() };
        let mut out = Vec::new();
        let (output, failed) = match state {
            ToolState::Pending { .. } => {
                if !*call_done {
                    let pending = part_item(
                        ItemKind::ToolCall,
                        ItemRole::Assistant,
                        id,
                        parent,
                        vec![call],
                        ItemStatus::InProgress,
                    );
                    out.push(started(pending));
                }
                return Ok(out);
            }
            ToolState::Running { .. } => (None, false),
            ToolState::Completed { output, .. } => (Some(output), false),
            ToolState::Error { error, .. } => (Some(error), true),
        };
        if !*call_done {
            *call_done = true;
            out.push(completed(part_item(
                ItemKind::ToolCall,
                ItemRole::Assistant,
                id,
                parent,
                vec![call],
                ItemStatus::Completed,
            )));
        }
        if let (Some(output), false) = (output, *result_done) {
            *result_done = true;
            let mut content = vec![ContentPart::ToolResult { call_id, output }];
            if !failed {
                content.extend(file_refs(&tool, &input, raw_state.get("metadata").unwrap_or(&Value::Null)));
            }
            let status = if failed { ItemStatus::Failed } else { ItemStatus::Completed };
            let result = part_item(
                ItemKind::ToolResult,
                ItemRole::Tool,
                &format!("{id}:result"),
                Some(id.to_string()),
                content,
                status,
            );
            out.push(completed(result));
        }
        Ok(out)
    }

    /// A finished step's tokens go into the turn's usage (once per step).
    pub(super) fn count_step(&mut self, id: &str, tokens: &PartStepFinishTokens) {
        let Some(turn) = self.turn.as_mut() else { return };
        if !turn.steps.insert(id.to_string()) {
            return;
        }
        let add = |slot: &mut Option<u64>, v: f64| *slot = Some(slot.unwrap_or(0) + v as u64);
        add(&mut turn.usage.input_tokens, tokens.input);
        add(&mut turn.usage.output_tokens, tokens.output);
        add(&mut turn.usage.cached_input_tokens, tokens.cache.read);
        add(&mut turn.usage.reasoning_tokens, tokens.reasoning);
    }
}

/// File references for OpenCode's file tools, with the diff when the tool reported one.
fn file_refs(tool: &str, input: &Value, metadata: &Value) -> Vec<ContentPart> {
    let diff = metadata.get("diff").and_then(Value::as_str).filter(|d| !d.is_empty()).map(str::to_string);
    let path = input
        .get("filePath")
        .or_else(|| input.get("file_path"))
        .or_else(|| metadata.get("filepath"))
        .and_then(Value::as_str);
    match (tool, path) {
        ("read", Some(path)) => vec![ContentPart::FileRef { path: path.into(), action: FileAction::Read, diff: None }],
        ("write", Some(path)) => vec![ContentPart::FileRef { path: path.into(), action: FileAction::Write, diff }],
        ("edit" | "multiedit", Some(path)) => {
            vec![ContentPart::FileRef { path: path.into(), action: FileAction::Patch, diff }]
        }
        ("patch" | "apply_patch", _) => {
            // One reference per file the patch touched, when the tool lists them.
            let files = metadata.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
            let refs: Vec<ContentPart> = files
                .iter()
                .filter_map(|f| {
                    let path =
                        f.as_str().or_else(|| f.get("filePath").or_else(|| f.get("path")).and_then(Value::as_str))?;
                    let diff = f.get("diff").and_then(Value::as_str).map(str::to_string);
                    Some(ContentPart::FileRef { path: path.into(), action: FileAction::Patch, diff })
                })
                .collect();
            if refs.is_empty() && diff.is_some() {
                vec![ContentPart::FileRef { path: String::new(), action: FileAction::Patch, diff }]
            } else {
                refs
            }
        }
        _ => Vec::new(),
    }
}
