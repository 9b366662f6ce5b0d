//! `codex exec --json` (one process per prompt, JSONL on stdout) → universal events. The
//! session adapter drives `codex app-server`; this covers the one-shot format (fixtures
//! `codex-exec-json-*`) with the same item mapping. Pure, like [`super::Converter`].
//!
//! Each line is first deserialized into the Codex SDK's `ThreadEvent`
//! (`sandbox_agent_agent_types::codex_exec`); a line that does not match becomes
//! `agent.unparsed`. The pinned SDK (0.163) lags codex 0.169: `plan` and `collab_tool_call` items
//! and `item.plan.delta` and `request_user_input` lines are not in it, so they are unparsed too.
//!
//! exec numbers its items `item_0`, `item_1`, … afresh in every process, so native ids are
//! `<nonce>:<id>`, the nonce being unique per process.

use std::collections::HashSet;

use sandbox_agent_agent_types::codex_exec::{
    CommandExecutionStatus, McpToolCallStatus, PatchApplyStatus, ThreadEvent, ThreadItem as Item,
};
use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::convert::items::{call_events, file_refs, mcp_output, result_item};
use super::convert::{emit, Action};
use crate::universal::{attach_raw, completed, emitted, item, raw_line, raw_text, started, unparsed};
use crate::AgentOutput;

const LOCATION: &str = "codex exec stdout";

#[derive(Debug, Default)]
pub struct ExecConverter {
    announce: bool,
    nonce: String,
    /// Tool calls already emitted (at `item.started`), by native id.
    calls: HashSet<String>,
    /// An `error` event already told clients why the running turn failed.
    error_reported: bool,
}

impl ExecConverter {
    pub fn new(announce_session: bool, nonce: &str) -> Self {
        ExecConverter { announce: announce_session, nonce: nonce.to_string(), ..Default::default() }
    }

    /// Convert one stdout line. Malformed input, and lines that do not match the SDK's
    /// `ThreadEvent`, become `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![Action::Emit(unparsed(LOCATION, format!("not JSON: {err}"), raw_text(line)))],
        };
        let converted = ThreadEvent::from_value(&value)
            .map_err(|e| format!("not a codex exec event: {e}"))
            .and_then(|ev| self.convert(ev, &value));
        let mut out = match converted {
            Ok(actions) => actions,
            Err(why) => vec![Action::Emit(unparsed(LOCATION, why, raw_line(line)))],
        };
        attach_raw(emitted(&mut out), raw_line(line));
        out
    }

    fn convert(&mut self, ev: ThreadEvent, v: &Value) -> Result<Vec<Action>, String> {
        Ok(match ev {
            ThreadEvent::ThreadStartedEvent(e) => {
                let mut out = vec![Action::Emit(AgentOutput::NativeSessionId(e.thread_id.clone()))];
                if std::mem::take(&mut self.announce) {
                    let metadata = Some(json!({"threadId": e.thread_id}));
                    out.push(emit(EventData::SessionStarted(SessionStartedData { metadata })));
                }
                out
            }
            // The daemon records turn.started itself.
            ThreadEvent::TurnStartedEvent(_) => {
                self.error_reported = false;
                Vec::new()
            }
            ThreadEvent::ItemStartedEvent(e) => self.item(e.item, &v["item"], false)?.into_iter().map(emit).collect(),
            ThreadEvent::ItemCompletedEvent(e) => self.item(e.item, &v["item"], true)?.into_iter().map(emit).collect(),
            // Only to-do lists are updated in place; the universal item keeps its first and last state.
            ThreadEvent::ItemUpdatedEvent(_) => Vec::new(),
            ThreadEvent::ThreadErrorEvent(e) => {
                self.error_reported = true;
                vec![emit(EventData::Error(ErrorData {
                    message: e.message,
                    code: Some("codex_error".into()),
                    details: None,
                }))]
            }
            ThreadEvent::TurnCompletedEvent(e) => {
                let u = e.usage;
                let usage = Some(TokenUsage {
                    input_tokens: Some(u.input_tokens as u64),
                    output_tokens: Some(u.output_tokens as u64),
                    cached_input_tokens: Some(u.cached_input_tokens as u64),
                    reasoning_tokens: Some(u.reasoning_output_tokens as u64),
                });
                let ended =
                    TurnEndedData { turn_id: String::new(), reason: TurnEndReason::Completed, usage, message: None };
                vec![emit(EventData::TurnEnded(ended))]
            }
            ThreadEvent::TurnFailedEvent(e) => {
                let message = e.error.message;
                let mut out = Vec::new();
                if !std::mem::take(&mut self.error_reported) {
                    let error = ErrorData { message: message.clone(), code: Some("codex_error".into()), details: None };
                    out.push(emit(EventData::Error(error)));
                }
                out.push(emit(crate::universal::turn_failed(message)));
                out
            }
        })
    }

    fn native(&self, id: &str) -> String {
        format!("{}:{id}", self.nonce)
    }

    /// One item (`raw`: the item as exec wrote it).
    fn item(&mut self, it: Item, raw: &Value, done: bool) -> Result<Vec<EventData>, String> {
        let id = raw.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        let native = self.native(&id);
        let status = if done { ItemStatus::Completed } else { ItemStatus::InProgress };
        let simple = |kind: ItemKind, role: ItemRole, content: Vec<ContentPart>| {
            let one = item(kind, role, &native, content, status);
            vec![if done { completed(one) } else { started(one) }]
        };
        Ok(match it {
            Item::AgentMessage { text, .. } => {
                let parts = if text.is_empty() { vec![] } else { vec![ContentPart::text(text)] };
                simple(ItemKind::Message, ItemRole::Assistant, parts)
            }
            Item::Reasoning { text, .. } => {
                let parts = if text.is_empty() {
                    vec![]
                } else {
                    vec![ContentPart::Reasoning { text, visibility: ReasoningVisibility::Public }]
                };
                simple(ItemKind::Message, ItemRole::Assistant, parts)
            }
            Item::WebSearch { .. } => {
                let args = json!({"query": raw.get("query"), "action": raw.get("action")});
                let call = ContentPart::ToolCall { name: "webSearch".into(), arguments: args.to_string(), call_id: id };
                simple(ItemKind::ToolCall, ItemRole::Assistant, vec![call])
            }
            Item::TodoList { items, .. } => {
                let lines: Vec<String> = items
                    .iter()
                    .map(|t| format!("[{}] {}", if t.completed { "completed" } else { "pending" }, t.text))
                    .collect();
                let part = ContentPart::Status { label: "codex.plan".into(), detail: Some(lines.join("\n")) };
                simple(ItemKind::Status, ItemRole::System, vec![part])
            }
            // A non-fatal error reported as an item (e.g. unknown model metadata).
            Item::Error { message, .. } => {
                let part = ContentPart::Status { label: "codex.error".into(), detail: Some(message) };
                simple(ItemKind::Status, ItemRole::System, vec![part])
            }
            tool @ (Item::CommandExecution { .. } | Item::FileChange { .. } | Item::McpToolCall { .. }) => {
                self.tool(tool, raw, &native, &id, done)
            }
        })
    }

    fn tool(&mut self, it: Item, raw: &Value, native: &str, call_id: &str, done: bool) -> Vec<EventData> {
        let (name, args) = match &it {
            Item::CommandExecution { .. } => ("commandExecution".to_string(), json!({"command": raw.get("command")})),
            Item::FileChange { .. } => ("fileChange".to_string(), json!({"changes": raw.get("changes")})),
            Item::McpToolCall { server, tool, .. } => {
                (format!("{server}.{tool}"), raw.get("arguments").cloned().unwrap_or(json!({})))
            }
            _ => unreachable!("item passes tools only"),
        };
        let mut out = Vec::new();
        if self.calls.insert(native.to_string()) {
            out.extend(call_events(native, &name, &args, call_id, None));
        }
        if !done {
            return out;
        }
        self.calls.remove(native);
        let (ok, output, extra) = match it {
            Item::CommandExecution { status, exit_code, aggregated_output, .. } => {
                let ok = status == CommandExecutionStatus::Completed && exit_code.is_none_or(|c| c == 0.0);
                (ok, aggregated_output, Vec::new())
            }
            Item::FileChange { status, .. } => {
                let ok = status == PatchApplyStatus::Completed;
                let refs = if ok { file_refs(raw.get("changes").unwrap_or(&Value::Null)) } else { Vec::new() };
                (ok, String::new(), refs)
            }
            Item::McpToolCall { status, result, error, .. } => {
                let ok = status == McpToolCallStatus::Completed;
                match (result, error) {
                    (_, Some(e)) => (ok, e.message, Vec::new()),
                    (Some(r), None) => (ok, mcp_output(&r.content), Vec::new()),
                    (None, None) => (ok, String::new(), Vec::new()),
                }
            }
            _ => unreachable!("item passes tools only"),
        };
        let status = if ok { ItemStatus::Completed } else { ItemStatus::Failed };
        out.push(completed(result_item(native, call_id, output, extra, status)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcripts::{completed_item, events, native_lines, Line};

    fn convert(name: &str) -> Vec<Action> {
        let mut conv = ExecConverter::new(true, "p1");
        let mut out = Vec::new();
        for line in native_lines(&crate::transcripts::load(name)) {
            if let Line::Out(line) = line {
                out.extend(conv.line(&line));
            }
        }
        out
    }

    fn result(evs: &[&EventData]) -> UniversalItem {
        completed_item(evs, ItemKind::ToolResult).unwrap()
    }

    #[test]
    fn every_exec_transcript_converts_cleanly() {
        let all = crate::transcripts::all_of(crate::transcripts::CODEX_EXEC);
        assert!(all.len() >= 3);
        for (name, _) in all {
            let out = convert(&name);
            for ev in events(&out) {
                assert!(!matches!(ev, EventData::AgentUnparsed(_)), "{name}: unparsed {ev:?}");
            }
            assert!(matches!(events(&out).last(), Some(EventData::TurnEnded(_))), "{name}");
            assert!(out.iter().any(|a| matches!(a, Action::Emit(AgentOutput::NativeSessionId(_)))), "{name}");
        }
    }

    #[test]
    fn shell_becomes_call_and_result() {
        let out = convert("codex-exec-json-shell.jsonl");
        let evs = events(&out);
        let types: Vec<&str> = evs.iter().map(|e| e.event_type()).collect();
        assert_eq!(types[0], "session.started");
        let res = result(&evs);
        assert_eq!(res.status, ItemStatus::Completed);
        assert!(
            matches!(&res.content[0], ContentPart::ToolResult { output, call_id } if output.ends_with("wrote\n") && call_id == "item_1")
        );
        assert_eq!(res.native_item_id.as_deref(), Some("p1:item_1:result"));
        // The metadata warning item is a status item.
        assert!(evs.iter().any(|e| matches!(e, EventData::ItemCompleted(d) if d.item.kind == ItemKind::Status)));
        let EventData::TurnEnded(end) = evs.last().unwrap() else { panic!() };
        assert_eq!((end.reason, end.usage.as_ref().unwrap().input_tokens), (TurnEndReason::Completed, Some(200)));
    }

    #[test]
    fn apply_patch_has_a_file_ref() {
        let out = convert("codex-exec-json-apply-patch.jsonl");
        let res = result(&events(&out));
        assert!(res.content.iter().any(|p| matches!(p, ContentPart::FileRef { path, action: FileAction::Write, .. } if path == "/tmp/lab/work/x5/hello.txt")));
    }

    #[test]
    fn api_error_is_one_error_event_and_a_failed_turn() {
        let out = convert("codex-exec-json-api-error-400.jsonl");
        let evs = events(&out);
        let errors: Vec<&ErrorData> =
            evs.iter().filter_map(|e| if let EventData::Error(d) = e { Some(d) } else { None }).collect();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("mock scripted failure"));
        let EventData::TurnEnded(end) = evs.last().unwrap() else { panic!() };
        assert_eq!(end.reason, TurnEndReason::Error);
        assert!(end.message.as_deref().unwrap().contains("mock scripted failure"));
    }

    #[test]
    fn garbage_is_unparsed() {
        let mut conv = ExecConverter::new(false, "p");
        for line in [
            "nope",
            r#"{"type":"brand.new"}"#,
            r#"{"type":"item.completed","item":{"id":"i","type":"hologram"}}"#,
            // Sent by codex 0.169 but not in the pinned SDK's types (see the module docs).
            r#"{"type":"item.plan.delta","item_id":"item_1","delta":"step"}"#,
        ] {
            let out = conv.line(line);
            assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{line}");
        }
    }
}
