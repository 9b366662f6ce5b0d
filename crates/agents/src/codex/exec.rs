//! `codex exec --json` (one process per prompt, JSONL on stdout) → universal events. The
//! session adapter drives `codex app-server`; this covers the one-shot format (fixtures
//! `codex-exec-json-*`) with the same item mapping. Pure, like [`super::Converter`].
//!
//! exec numbers its items `item_0`, `item_1`, … afresh in every process, so native ids are
//! `<nonce>:<id>`, the nonce being unique per process.

use std::collections::HashSet;

use sandbox_agent_schema::*;
use serde_json::{json, Value};

use super::convert::{
    attach_raw, call_events, completed, delta, event, file_refs, item, mcp_output, result_item, started, str_of,
    unparsed, Action,
};
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

    /// Convert one stdout line. Unknown or malformed input becomes `agent.unparsed`.
    pub fn line(&mut self, line: &str) -> Vec<Action> {
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(err) => return vec![unparsed(LOCATION, format!("not JSON: {err}"), Value::String(line.to_string()))],
        };
        let mut out = match self.convert(&value) {
            Ok(actions) => actions,
            Err(why) => vec![unparsed(LOCATION, why, value.clone())],
        };
        attach_raw(&mut out, value);
        out
    }

    fn convert(&mut self, v: &Value) -> Result<Vec<Action>, String> {
        Ok(match str_of(v, "type") {
            "thread.started" => {
                let id = v.get("thread_id").and_then(Value::as_str).ok_or("thread.started without thread_id")?;
                let mut out = vec![Action::Emit(AgentOutput::NativeSessionId(id.to_string()))];
                if std::mem::take(&mut self.announce) {
                    out.push(event(EventData::SessionStarted(SessionStartedData {
                        metadata: Some(json!({"threadId": id})),
                    })));
                }
                out
            }
            // The daemon records turn.started itself.
            "turn.started" => {
                self.error_reported = false;
                Vec::new()
            }
            "item.started" | "item.completed" => {
                let it = v.get("item").ok_or("item event without item")?;
                self.item(it, str_of(v, "type") == "item.completed")?.into_iter().map(event).collect()
            }
            // Only to-do lists are updated in place; the universal item keeps its first and last state.
            "item.updated" => Vec::new(),
            "item.plan.delta" => vec![event(delta(self.native(str_of(v, "item_id")), str_of(v, "delta")))],
            // exec has no way to answer (stdin is closed): show the questions.
            "request_user_input" => {
                let questions = v.get("questions").and_then(Value::as_array).into_iter().flatten();
                let detail = questions.map(|q| str_of(q, "question")).collect::<Vec<_>>().join("\n");
                let part = ContentPart::Status { label: "codex.request_user_input".into(), detail: Some(detail) };
                let native = self.native(&format!("input:{}", str_of(v, "call_id")));
                vec![event(completed(item(
                    ItemKind::Status,
                    ItemRole::System,
                    &native,
                    vec![part],
                    ItemStatus::Completed,
                )))]
            }
            "error" => {
                self.error_reported = true;
                let message = str_of(v, "message").to_string();
                vec![event(EventData::Error(ErrorData { message, code: Some("codex_error".into()), details: None }))]
            }
            "turn.completed" => {
                let u = v.get("usage").unwrap_or(&Value::Null);
                let n = |k: &str| u.get(k).and_then(Value::as_u64);
                let usage = u.is_object().then(|| TokenUsage {
                    input_tokens: n("input_tokens"),
                    output_tokens: n("output_tokens"),
                    cached_input_tokens: n("cached_input_tokens"),
                    reasoning_tokens: n("reasoning_output_tokens"),
                });
                vec![event(EventData::TurnEnded(TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Completed,
                    usage,
                    message: None,
                }))]
            }
            "turn.failed" => {
                let message =
                    v.pointer("/error/message").and_then(Value::as_str).unwrap_or("the turn failed").to_string();
                let mut out = Vec::new();
                if !std::mem::take(&mut self.error_reported) {
                    out.push(event(EventData::Error(ErrorData {
                        message: message.clone(),
                        code: Some("codex_error".into()),
                        details: None,
                    })));
                }
                out.push(event(EventData::TurnEnded(TurnEndedData {
                    turn_id: String::new(),
                    reason: TurnEndReason::Error,
                    usage: None,
                    message: Some(message),
                })));
                out
            }
            other => return Err(format!("unknown exec event type {other:?}")),
        })
    }

    fn native(&self, id: &str) -> String {
        format!("{}:{id}", self.nonce)
    }

    fn item(&mut self, it: &Value, done: bool) -> Result<Vec<EventData>, String> {
        let id = str_of(it, "id");
        let native = self.native(id);
        let status = if done { ItemStatus::Completed } else { ItemStatus::InProgress };
        let simple = |kind: ItemKind, role: ItemRole, content: Vec<ContentPart>| {
            let one = item(kind, role, &native, content, status);
            vec![if done { completed(one) } else { started(one) }]
        };
        let text = str_of(it, "text");
        let text_parts = if text.is_empty() { vec![] } else { vec![ContentPart::text(text)] };
        Ok(match str_of(it, "type") {
            "agent_message" | "plan" => simple(ItemKind::Message, ItemRole::Assistant, text_parts),
            "reasoning" => {
                let parts = if text.is_empty() {
                    vec![]
                } else {
                    vec![ContentPart::Reasoning { text: text.into(), visibility: ReasoningVisibility::Public }]
                };
                simple(ItemKind::Message, ItemRole::Assistant, parts)
            }
            "web_search" => {
                let args = json!({"query": it.get("query"), "action": it.get("action")});
                let call =
                    ContentPart::ToolCall { name: "webSearch".into(), arguments: args.to_string(), call_id: id.into() };
                simple(ItemKind::ToolCall, ItemRole::Assistant, vec![call])
            }
            "todo_list" => {
                let items = it.get("items").and_then(Value::as_array).into_iter().flatten();
                let lines: Vec<String> = items
                    .map(|t| {
                        format!(
                            "[{}] {}",
                            if t.get("completed").and_then(Value::as_bool).unwrap_or(false) {
                                "completed"
                            } else {
                                "pending"
                            },
                            str_of(t, "text")
                        )
                    })
                    .collect();
                simple(
                    ItemKind::Status,
                    ItemRole::System,
                    vec![ContentPart::Status { label: "codex.plan".into(), detail: Some(lines.join("\n")) }],
                )
            }
            // A non-fatal error reported as an item (e.g. unknown model metadata).
            "error" => {
                let part = ContentPart::Status {
                    label: "codex.error".into(),
                    detail: Some(str_of(it, "message").to_string()),
                };
                simple(ItemKind::Status, ItemRole::System, vec![part])
            }
            kind @ ("command_execution" | "file_change" | "mcp_tool_call" | "collab_tool_call") => {
                self.tool(kind, it, &native, done)
            }
            other => return Err(format!("unknown exec item type {other:?}")),
        })
    }

    fn tool(&mut self, kind: &str, it: &Value, native: &str, done: bool) -> Vec<EventData> {
        let call_id = str_of(it, "id");
        let (name, args) = match kind {
            "command_execution" => ("commandExecution".to_string(), json!({"command": it.get("command")})),
            "file_change" => ("fileChange".to_string(), json!({"changes": it.get("changes")})),
            "mcp_tool_call" => (
                format!("{}.{}", str_of(it, "server"), str_of(it, "tool")),
                it.get("arguments").cloned().unwrap_or(json!({})),
            ),
            _ => (
                str_of(it, "tool").to_string(),
                json!({"prompt": it.get("prompt"), "receiverThreadIds": it.get("receiver_thread_ids")}),
            ),
        };
        let mut out = Vec::new();
        if self.calls.insert(native.to_string()) {
            out.extend(call_events(native, &name, &args, call_id, None, Vec::new()));
        }
        if !done {
            return out;
        }
        self.calls.remove(native);
        let status = str_of(it, "status");
        let mut ok = status == "completed";
        let (output, extra) = match kind {
            "command_execution" => {
                ok &= it.get("exit_code").and_then(Value::as_i64).is_none_or(|c| c == 0);
                (str_of(it, "aggregated_output").to_string(), Vec::new())
            }
            "file_change" => {
                (String::new(), if ok { file_refs(it.get("changes").unwrap_or(&Value::Null)) } else { Vec::new() })
            }
            "mcp_tool_call" => {
                match (it.get("result").filter(|r| !r.is_null()), it.get("error").filter(|e| !e.is_null())) {
                    (_, Some(e)) => (str_of(e, "message").to_string(), Vec::new()),
                    (Some(r), None) => (mcp_output(r), Vec::new()),
                    (None, None) => (String::new(), Vec::new()),
                }
            }
            _ => {
                let states = it.get("agents_states").and_then(Value::as_object).cloned().unwrap_or_default();
                let lines: Vec<String> = states.iter().map(|(t, s)| format!("{t}: {}", str_of(s, "status"))).collect();
                (lines.join("\n"), Vec::new())
            }
        };
        let status = if ok { ItemStatus::Completed } else { ItemStatus::Failed };
        out.push(completed(result_item(native, call_id, output, extra, status)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcripts::{native_lines, Line};

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

    fn events(actions: &[Action]) -> Vec<&EventData> {
        actions
            .iter()
            .filter_map(|a| if let Action::Emit(AgentOutput::Event(ev)) = a { Some(&ev.data) } else { None })
            .collect()
    }

    fn result(evs: &[&EventData]) -> UniversalItem {
        evs.iter()
            .find_map(|e| match e {
                EventData::ItemCompleted(d) if d.item.kind == ItemKind::ToolResult => Some(d.item.clone()),
                _ => None,
            })
            .unwrap()
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
        for line in
            ["nope", r#"{"type":"brand.new"}"#, r#"{"type":"item.completed","item":{"id":"i","type":"hologram"}}"#]
        {
            let out = conv.line(line);
            assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{line}");
        }
    }
}
