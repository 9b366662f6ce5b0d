use super::*;
use crate::transcripts::{completed_item, events, first_event, native_lines, writes, Line};

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
    assert_eq!(types.iter().filter(|t| **t == "session.started").count(), 1, "init repeats each turn, started once");
    assert_eq!(types.iter().filter(|t| **t == "turn.ended").count(), 2);
    let perm = first_event!(evs, EventData::PermissionRequested);
    assert_eq!(perm.action, "Write");
    let result = completed_item(&evs, ItemKind::ToolResult);
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
    let result = completed_item(&events(&out), ItemKind::ToolResult);
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
    let err = first_event!(evs, EventData::Error);
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
        "tool_use_id": "toolu_q", "input": {"questions": [{"question": "Which color?", "header": "Color", "multiSelect": false,
            "options": [{"label": "Red", "description": ""}, {"label": "Blue", "description": ""}]}]}}});
    let out = conv.line(&req.to_string());
    let EventData::QuestionRequested(q) = events(&out)[0] else { panic!() };
    assert_eq!((q.prompt.as_str(), q.options.clone()), ("Which color?", vec!["Red".to_string(), "Blue".to_string()]));
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

#[test]
fn control_requests_the_adapter_does_not_serve_are_refused() {
    let mut conv = Converter::new(false);
    // A subtype the SDK defines: refused, nothing for clients.
    let out = conv.line(r#"{"type":"control_request","request_id":"r2","request":{"subtype":"interrupt"}}"#);
    assert!(events(&out).is_empty());
    let refused = writes(&out);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["response"]["subtype"], "error");
    assert_eq!(refused[0]["response"]["request_id"], "r2");
    // One the SDK names but does not ship (claude/dropped.txt): refused too, and unparsed.
    let out = conv.line(r#"{"type":"control_request","request_id":"r3","request":{"subtype":"end_session"}}"#);
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
    assert_eq!(writes(&out)[0]["response"]["request_id"], "r3");
}

/// A recorded stdout line of `name` that `pick` accepts.
fn recorded(name: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let lines = crate::transcripts::load(name);
    let found = native_lines(&lines).into_iter().find_map(|l| match l {
        Line::Out(text) => serde_json::from_str::<Value>(&text).ok().filter(|v| pick(v)),
        Line::In(_) => None,
    });
    found.unwrap_or_else(|| panic!("no such line in {name}"))
}

/// A subagent (the Task tool) is ordinary message and tool flow: the lines of its messages carry
/// the Task call's id as `parent_tool_use_id`, which becomes their items' `parent_id`. The lines
/// are recorded ones given a Task call and a parent, so they keep the SDK's shape.
#[test]
fn subagent_task_messages_hang_under_the_task_call() {
    let name = "claude-print-bash-bypass.jsonl";
    let tool_use = |v: &Value| v["type"] == "assistant" && v["message"]["content"][0]["type"] == "tool_use";
    let mut task_call = recorded(name, tool_use);
    task_call["message"]["id"] = json!("msg_parent");
    task_call["message"]["content"][0] = json!({"type": "tool_use", "id": "toolu_task", "name": "Task",
        "input": {"description": "look around", "prompt": "List the files", "subagent_type": "general-purpose"}});
    let mut sub_text = recorded(name, |v| v["type"] == "assistant" && v["message"]["content"][0]["type"] == "text");
    sub_text["parent_tool_use_id"] = json!("toolu_task");
    sub_text["message"]["id"] = json!("msg_sub_1");
    let mut sub_call = recorded(name, tool_use);
    sub_call["parent_tool_use_id"] = json!("toolu_task");
    sub_call["message"]["id"] = json!("msg_sub_2");
    let tool_result = |v: &Value| v["type"] == "user" && v["message"]["content"][0]["type"] == "tool_result";
    let mut sub_result = recorded(name, tool_result);
    sub_result["parent_tool_use_id"] = json!("toolu_task");
    let sub_call_id = sub_call["message"]["content"][0]["id"].as_str().unwrap().to_string();
    let mut task_result = recorded(name, tool_result);
    task_result["message"]["content"][0]["tool_use_id"] = json!("toolu_task");
    task_result["message"]["content"][0]["content"] = json!([{"type": "text", "text": "hello.txt"}]);

    let mut conv = Converter::new(false);
    let mut items = Vec::new();
    for line in [&task_call, &sub_text, &sub_call, &sub_result, &task_result] {
        for ev in events(&conv.line(&line.to_string())) {
            match ev {
                EventData::ItemCompleted(d) => items.push(d.item.clone()),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    let parents: Vec<(ItemKind, Option<&str>, Option<&str>)> =
        items.iter().map(|i| (i.kind, i.native_item_id.as_deref(), i.parent_id.as_deref())).collect();
    let sub_result_id = format!("{sub_call_id}:result");
    assert_eq!(
        parents,
        [
            (ItemKind::ToolCall, Some("toolu_task"), None),
            (ItemKind::Message, Some("msg_sub_1#0"), Some("toolu_task")),
            (ItemKind::ToolCall, Some(sub_call_id.as_str()), Some("toolu_task")),
            (ItemKind::ToolResult, Some(sub_result_id.as_str()), Some(sub_call_id.as_str())),
            (ItemKind::ToolResult, Some("toolu_task:result"), Some("toolu_task")),
        ]
    );
    let ContentPart::ToolResult { output, .. } = &items[4].content[0] else { panic!() };
    assert_eq!(output, "hello.txt");
}

/// The raw of a line is the line as the CLI wrote it (not a re-serialization), on the first
/// event it produced; a line that is not JSON is kept as a JSON string.
#[test]
fn raw_is_the_native_line_byte_for_byte() {
    let raws = |out: &[Action]| -> Vec<Option<String>> {
        out.iter()
            .filter_map(|a| match a {
                Action::Emit(AgentOutput::Event(ev)) => Some(ev.raw.as_ref().map(|r| r.get().to_string())),
                _ => None,
            })
            .collect()
    };
    let delta = recorded("claude-resume-include-partial.jsonl", |v| {
        v["type"] == "stream_event" && v["event"]["delta"]["type"] == "text_delta"
    });
    // Pretty-printed: spacing and key order a re-serialized `Value` would not reproduce.
    let mut fields: Vec<(&String, &Value)> = delta.as_object().unwrap().iter().collect();
    fields.reverse();
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k:?} :  {v}")).collect();
    let line = format!("{{ {} }}", body.join(" ,  "));
    let mut conv = Converter::new(false);
    let out = conv.line(&line);
    assert!(matches!(events(&out)[..], [EventData::ItemDelta(_)]), "{out:?}");
    assert_eq!(raws(&out), [Some(line.clone())]);
    // The same on the `Value` path (a message other than a stream event) and for unparsed lines.
    let line = r#"{ "subtype" : "brand_new", "type":"system" }"#;
    assert_eq!(raws(&conv.line(line)), [Some(line.to_string())]);
    assert_eq!(raws(&conv.line("not json")), [Some(r#""not json""#.to_string())]);
}
