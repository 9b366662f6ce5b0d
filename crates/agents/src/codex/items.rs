//! Codex thread items (`item/started`, `item/completed`) → universal items, and the item
//! builders `exec.rs` shares. Tools become a complete `tool_call` item when they start and a
//! `tool_result` when they end; a subagent's items hang under the collab call that named its
//! thread.

use sandbox_agent_agent_types::codex::{
    CommandExecutionStatus, DynamicToolCallStatus, McpToolCallStatus, PatchApplyStatus, ThreadItem as Item,
};
use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::Converter;
use crate::universal::{completed, item, started};

/// `turnId:itemId`, see the module docs of `convert.rs`.
pub(super) fn native_id(turn: &str, item: &str) -> String {
    if turn.is_empty() {
        item.to_string()
    } else {
        format!("{turn}:{item}")
    }
}

/// A tool call item, complete: `started` then `completed` (the call is fully known).
pub(in crate::codex) fn call_events(
    native: &str,
    name: &str,
    arguments: &Value,
    call_id: &str,
    parent: Option<String>,
) -> [EventData; 2] {
    let content =
        vec![ContentPart::ToolCall { name: name.into(), arguments: arguments.to_string(), call_id: call_id.into() }];
    let mut call = item(ItemKind::ToolCall, ItemRole::Assistant, native, content, ItemStatus::InProgress);
    call.parent_id = parent;
    let mut done = call.clone();
    done.status = ItemStatus::Completed;
    [started(call), completed(done)]
}

/// The native id of a call's result item.
pub(in crate::codex) fn result_id(call_native: &str) -> String {
    format!("{call_native}:result")
}

/// A tool result item, child of its call.
pub(in crate::codex) fn result_item(
    call_native: &str,
    call_id: &str,
    output: String,
    extra: Vec<ContentPart>,
    status: ItemStatus,
) -> UniversalItem {
    let mut content = vec![ContentPart::ToolResult { call_id: call_id.into(), output }];
    content.extend(extra);
    let mut result = item(ItemKind::ToolResult, ItemRole::Tool, &result_id(call_native), content, status);
    result.parent_id = Some(call_native.to_string());
    result
}

/// `add` → write, everything else (update, delete, moves) → patch; the kind is `{"type": …}`
/// in app-server items and a plain string in `codex exec --json`.
pub(in crate::codex) fn file_refs(changes: &Value) -> Vec<ContentPart> {
    let Some(changes) = changes.as_array() else { return Vec::new() };
    changes
        .iter()
        .filter_map(|c| {
            let path = c.get("path").and_then(Value::as_str)?;
            let kind = c.get("kind").map(|k| k.get("type").unwrap_or(k)).and_then(Value::as_str).unwrap_or("");
            let action = if kind == "add" { FileAction::Write } else { FileAction::Patch };
            let diff = c.get("diff").and_then(Value::as_str).filter(|d| !d.is_empty()).map(str::to_string);
            Some(ContentPart::FileRef { path: path.into(), action, diff })
        })
        .collect()
}

/// The text of MCP content blocks (`[{type: "text", text}, …]`); other blocks as JSON.
pub(in crate::codex) fn mcp_output(blocks: &[Value]) -> String {
    blocks
        .iter()
        .map(|b| match b.get("text").and_then(Value::as_str) {
            Some(text) => text.to_string(),
            None => b.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(in crate::codex) fn mime_of(path: &str) -> Option<String> {
    let ext = path.rsplit('.').next()?.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    Some(mime.into())
}

fn declined() -> Vec<ContentPart> {
    vec![ContentPart::Status { label: "codex.declined".into(), detail: None }]
}

impl Converter {
    /// One `item/started` or `item/completed` ThreadItem (`raw`: the item as Codex sent it).
    pub(super) fn thread_item(
        &mut self,
        it: Item,
        raw: &Value,
        turn: &str,
        thread: &str,
        done: bool,
    ) -> Result<Vec<EventData>, String> {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        let native = native_id(turn, &id);
        // A subagent's items hang under the collab tool call that spawned it.
        let parent = if self.ours(thread) { None } else { self.children.get(thread).cloned() };
        let status = if done { ItemStatus::Completed } else { ItemStatus::InProgress };
        let simple = |kind: ItemKind, role: ItemRole, content: Vec<ContentPart>| {
            let mut one = item(kind, role, &native, content, status);
            one.parent_id = parent.clone();
            vec![if done { completed(one) } else { started(one) }]
        };
        let status_part = |label: &str, detail: Option<String>| {
            simple(ItemKind::Status, ItemRole::System, vec![ContentPart::Status { label: label.into(), detail }])
        };
        let text = |s: &str| if s.is_empty() { vec![] } else { vec![ContentPart::text(s)] };
        Ok(match it {
            // The daemon records the user's message itself (and a subagent's prompt is in the
            // collab call's arguments).
            Item::UserMessage(_) => Vec::new(),
            Item::AgentMessage(m) => simple(ItemKind::Message, ItemRole::Assistant, text(&m.text)),
            Item::Plan(m) => simple(ItemKind::Message, ItemRole::Assistant, text(&m.text)),
            Item::HookPrompt(m) => {
                let joined = m.fragments.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join("\n");
                simple(ItemKind::Message, ItemRole::System, text(&joined))
            }
            Item::Reasoning(m) => {
                let parts = |texts: Vec<String>, visibility| {
                    texts
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .map(move |text| ContentPart::Reasoning { text, visibility })
                };
                let mut content: Vec<ContentPart> = parts(m.summary, ReasoningVisibility::Public).collect();
                content.extend(parts(m.content, ReasoningVisibility::Private));
                simple(ItemKind::Message, ItemRole::Assistant, content)
            }
            Item::WebSearch(_) => {
                // One call spanning the search: the query is only known once it completes.
                let args = json!({"query": raw.get("query"), "action": raw.get("action")});
                let call = ContentPart::ToolCall { name: "webSearch".into(), arguments: args.to_string(), call_id: id };
                simple(ItemKind::ToolCall, ItemRole::Assistant, vec![call])
            }
            Item::ImageView(m) => {
                let path = m.path.0;
                let arguments = json!({"path": path}).to_string();
                let call = ContentPart::ToolCall { name: "imageView".into(), arguments, call_id: id };
                let mime = mime_of(&path);
                simple(ItemKind::ToolCall, ItemRole::Assistant, vec![call, ContentPart::Image { path, mime }])
            }
            Item::ImageGeneration(_) => {
                // A file id or inline data, both with the saved path and the revised prompt.
                let mut content = Vec::new();
                if let Some(path) = raw.get("savedPath").and_then(Value::as_str) {
                    content.push(ContentPart::Image { path: path.into(), mime: mime_of(path) });
                }
                let detail = raw.get("revisedPrompt").and_then(Value::as_str).map(str::to_string);
                content.push(ContentPart::Status { label: "codex.image_generation".into(), detail });
                simple(ItemKind::Message, ItemRole::Assistant, content)
            }
            Item::Sleep(m) => status_part("codex.sleep", Some(format!("{} ms", m.duration_ms))),
            Item::EnteredReviewMode(m) => status_part("codex.review_started", Some(m.review)),
            Item::ExitedReviewMode(m) => status_part("codex.review_finished", Some(m.review)),
            Item::ContextCompaction(_) => status_part("codex.context_compaction", None),
            Item::SubAgentActivity(m) => {
                let label = format!("codex.subagent_{}", m.kind);
                status_part(&label, Some(format!("{} ({})", m.agent_path, m.agent_thread_id)))
            }
            Item::FunctionCallOutput(_) => return Err("thread item functionCallOutput is not converted".into()),
            tool @ (Item::CommandExecution(_)
            | Item::FileChange(_)
            | Item::McpToolCall(_)
            | Item::DynamicToolCall(_)
            | Item::CollabAgentToolCall(_)) => self.tool_item(tool, raw, &native, parent, done),
        })
    }

    /// Tools: a complete `tool_call` item when the call starts, a `tool_result` when it ends.
    /// Arguments and changes are passed on as Codex sent them (`raw`).
    fn tool_item(&mut self, it: Item, raw: &Value, native: &str, parent: Option<String>, done: bool) -> Vec<EventData> {
        let call_id = raw.get("id").and_then(Value::as_str).unwrap_or("");
        let arguments = || raw.get("arguments").cloned().unwrap_or(json!({}));
        let (name, args) = match &it {
            Item::CommandExecution(_) => {
                ("commandExecution".to_string(), json!({"command": raw.get("command"), "cwd": raw.get("cwd")}))
            }
            Item::FileChange(m) => {
                if !m.changes.is_empty() {
                    self.changes.insert(native.to_string(), raw["changes"].clone());
                }
                ("fileChange".to_string(), json!({"changes": self.changes.get(native)}))
            }
            Item::McpToolCall(m) => (format!("{}.{}", m.server, m.tool), arguments()),
            Item::DynamicToolCall(m) => {
                let name = match &m.namespace {
                    Some(ns) => format!("{ns}.{}", m.tool),
                    None => m.tool.clone(),
                };
                (name, arguments())
            }
            // Subagents: spawnAgent, sendInput, resumeAgent, wait, closeAgent, …
            Item::CollabAgentToolCall(m) => {
                for child in &m.receiver_thread_ids {
                    self.children.entry(child.clone()).or_insert_with(|| native.to_string());
                }
                let args = json!({"prompt": raw.get("prompt"), "receiverThreadIds": raw.get("receiverThreadIds"), "model": raw.get("model")});
                (m.tool.to_string(), args)
            }
            _ => unreachable!("thread_item passes tools only"),
        };
        let mut out = Vec::new();
        if !self.calls.contains(native) {
            // Normally at item/started; a tool only ever seen completed gets its call here.
            out.extend(call_events(native, &name, &args, call_id, parent));
            self.calls.insert(native.to_string());
        }
        if !done {
            return out;
        }
        self.calls.remove(native);
        self.results.remove(native);
        let (ok, output, extra) = match it {
            Item::CommandExecution(m) => {
                let ok = m.status == CommandExecutionStatus::Completed && m.exit_code.is_none_or(|c| c == 0);
                let extra = if m.status == CommandExecutionStatus::Declined { declined() } else { Vec::new() };
                (ok, m.aggregated_output.unwrap_or_default(), extra)
            }
            Item::FileChange(m) => {
                let changes = self.changes.remove(native).unwrap_or(Value::Null);
                let extra = match m.status {
                    PatchApplyStatus::Completed => file_refs(&changes),
                    PatchApplyStatus::Declined => declined(),
                    _ => Vec::new(),
                };
                (m.status == PatchApplyStatus::Completed, String::new(), extra)
            }
            Item::McpToolCall(m) => {
                let ok = m.status == McpToolCallStatus::Completed;
                match (m.result, m.error) {
                    (_, Some(e)) => (ok, e.message, Vec::new()),
                    (Some(r), None) => {
                        let structured =
                            r.structured_content.filter(|s| !s.is_null()).map(|json| ContentPart::Json { json });
                        (ok, mcp_output(&r.content), structured.into_iter().collect())
                    }
                    (None, None) => (ok, String::new(), Vec::new()),
                }
            }
            Item::DynamicToolCall(m) => {
                let ok = m.status == DynamicToolCallStatus::Completed && m.success.unwrap_or(true);
                let items = raw.get("contentItems").and_then(Value::as_array).cloned().unwrap_or_default();
                let text =
                    items.iter().filter_map(|c| c.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join("\n");
                (ok, text, Vec::new())
            }
            Item::CollabAgentToolCall(m) => {
                let lines: Vec<String> = m
                    .agents_states
                    .iter()
                    .map(|(thread, s)| match &s.message {
                        Some(message) => format!("{thread}: {} — {message}", s.status),
                        None => format!("{thread}: {}", s.status),
                    })
                    .collect();
                (m.status.to_string() == "completed", lines.join("\n"), Vec::new())
            }
            _ => unreachable!("thread_item passes tools only"),
        };
        let status = if ok { ItemStatus::Completed } else { ItemStatus::Failed };
        out.push(completed(result_item(native, call_id, output, extra, status)));
        out
    }
}
