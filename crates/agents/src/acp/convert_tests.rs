//! Tests of `convert.rs`: replays of the recorded transcripts and edge cases.

use super::rpc::METHOD_NOT_FOUND;
use super::*;
use crate::transcripts::{events, native_lines, writes, Line};
use crate::{AgentEvent, AgentOutput};
use serde_json::json;

fn completed_items(actions: &[Action]) -> Vec<UniversalItem> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            EventData::ItemCompleted(d) => Some(d.item.clone()),
            _ => None,
        })
        .collect()
}

fn turn_ends(actions: &[Action]) -> Vec<TurnEndedData> {
    events(actions)
        .into_iter()
        .filter_map(|e| if let EventData::TurnEnded(t) = e { Some(t.clone()) } else { None })
        .collect()
}

fn no_unparsed(name: &str, out: &[Action]) {
    for ev in events(out) {
        assert!(!matches!(ev, EventData::AgentUnparsed(_)), "{name}: unparsed {ev:?}");
    }
}

fn settings(cwd: &str) -> Settings {
    Settings { announce: true, nonce: "n".into(), client_version: "0.1.0".into(), cwd: cwd.into(), resume: None }
}

/// The reply a client gave, from the kind of the option the driver picked.
fn reply_of(options: &Value, option_id: &Value) -> PermissionReply {
    let option = options.as_array().unwrap().iter().find(|o| &o["optionId"] == option_id).expect("a listed option");
    match option["kind"].as_str().unwrap() {
        "allow_once" => PermissionReply::Once,
        "allow_always" => PermissionReply::Always,
        _ => PermissionReply::Reject,
    }
}

/// Replay an ACP transcript: what the lab driver sent is produced by the converter (and
/// must match), what the agent sent goes through `line`.
fn replay(name: &str) -> (Converter, Vec<Action>) {
    let lines = crate::transcripts::load(name);
    let cwd = lines
        .iter()
        .find(|l| l["msg"]["method"] == "session/new")
        .map(|l| l["msg"]["params"]["cwd"].as_str().unwrap().to_string())
        .unwrap();
    let mut conv = Converter::new(settings(&cwd));
    let mut out: Vec<Action> = Vec::new();
    let mut written = 0; // writes of `out` already matched with the transcript
    for line in native_lines(&lines) {
        match line {
            Line::In(msg) => match msg.get("method").and_then(Value::as_str) {
                Some("initialize") => {
                    let ours = conv.initialize();
                    for key in ["/jsonrpc", "/id", "/method", "/params/protocolVersion", "/params/clientCapabilities"] {
                        assert_eq!(ours.pointer(key), msg.pointer(key), "{name}: {key}");
                    }
                }
                // Sent by the converter when initialize is answered.
                Some("session/new") => {
                    let ours = writes(&out);
                    let ours = ours.get(written).unwrap_or_else(|| panic!("{name}: converter did not send {msg}"));
                    written += 1;
                    assert_eq!(*ours, &msg, "{name}");
                }
                Some("session/prompt") => {
                    let ours = conv.prompt(msg["params"]["prompt"][0]["text"].as_str().unwrap());
                    assert_eq!(ours, msg, "{name}");
                }
                Some(other) => panic!("{name}: driver sent {other}"),
                None => {
                    // A permission answer: the converter builds the same one.
                    let perm = events(&out)
                        .into_iter()
                        .rev()
                        .find_map(|e| if let EventData::PermissionRequested(p) = e { Some(p.clone()) } else { None })
                        .unwrap();
                    assert_eq!(perm.permission_id, id_string(&msg["id"]), "{name}");
                    let reply =
                        reply_of(&perm.metadata.as_ref().unwrap()["options"], &msg["result"]["outcome"]["optionId"]);
                    let ours = conv.permission_reply(&perm.permission_id, reply).expect("pending permission");
                    assert_eq!(ours, msg, "{name}");
                    assert!(conv.permission_reply(&perm.permission_id, reply).is_none(), "{name}: answered once");
                }
            },
            Line::Out(line) => out.extend(conv.line(&line)),
        }
    }
    assert_eq!(writes(&out).len(), written, "{name}: the converter wrote more than the driver");
    (conv, out)
}

/// What the agent streamed as `agent_message_chunk` text, per turn.
fn streamed_text(name: &str) -> Vec<String> {
    let mut turns = vec![String::new()];
    for l in crate::transcripts::load(name) {
        let msg = &l["msg"];
        if l["_dir"] != "stdout" {
            continue;
        }
        if msg["params"]["update"]["sessionUpdate"] == "agent_message_chunk" {
            turns.last_mut().unwrap().push_str(msg["params"]["update"]["content"]["text"].as_str().unwrap());
        }
        if msg["result"].get("stopReason").is_some() {
            turns.push(String::new());
        }
    }
    turns.pop();
    turns
}

/// Every ACP transcript converts with no `agent.unparsed`, into two turns with a tool call,
/// its permission and its result.
#[test]
fn every_acp_transcript_converts_cleanly() {
    let all = crate::transcripts::all_of(crate::transcripts::ACP);
    assert!(all.len() >= 4, "found {} transcripts", all.len());
    for (name, _) in all {
        let (conv, out) = replay(&name);
        no_unparsed(&name, &out);
        assert!(matches!(conv.handshake(), Handshake::Ready(_)), "{name}");
        assert!(!conv.turn_active(), "{name}");
        let evs = events(&out);
        assert_eq!(evs.iter().filter(|e| matches!(e, EventData::SessionStarted(_))).count(), 1, "{name}");
        let ends = turn_ends(&out);
        assert_eq!(ends.len(), 2, "{name}");
        assert!(ends.iter().all(|e| e.reason == TurnEndReason::Completed && e.message.is_none()), "{name}");
        assert_eq!(evs.iter().filter(|e| matches!(e, EventData::PermissionRequested(_))).count(), 1, "{name}");
        // Every started item is completed, and completed once.
        let items = completed_items(&out);
        let mut ids: Vec<&str> = items.iter().map(|i| i.native_item_id.as_deref().unwrap()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "{name}: an item completed twice");
        for e in &evs {
            if let EventData::ItemStarted(d) = e {
                assert!(ids.contains(&d.item.native_item_id.as_deref().unwrap()), "{name}: {d:?} never completed");
            }
        }
        // Assistant text: what the agent streamed, one message per turn, as deltas.
        let texts: Vec<String> = items
            .iter()
            .filter(|i| i.kind == ItemKind::Message)
            .map(|i| i.content.iter().filter_map(ContentPart::delta_text).collect::<String>())
            .collect();
        assert_eq!(texts, streamed_text(&name), "{name}");
        let deltas: String = evs
            .iter()
            .filter_map(|e| if let EventData::ItemDelta(d) = e { Some(d.delta.as_str()) } else { None })
            .collect();
        assert_eq!(deltas, texts.concat(), "{name}");
        assert!(items.iter().all(|i| i.role != Some(ItemRole::User)), "{name}: the daemon records user messages");
    }
}

struct Expect {
    name: &'static str,
    session: &'static str,
    permission_id: &'static str,
    action: &'static str,
    call_id: &'static str,
    output: &'static str,
    first_text: &'static str,
    usage: Option<(u64, u64)>,
}

const EXPECT: &[Expect] = &[
    Expect {
        name: "claude-agent-acp-permission-2turns.jsonl",
        session: "95417b70-7cb8-4322-a446-b700e9149fb3",
        permission_id: "0",
        action: "echo hi > hello.txt && echo wrote",
        call_id: "toolu_264775030d5d49f1bccb",
        output: "```console\nwrote\n```",
        first_text: "DONE: wrote",
        usage: Some((200, 40)),
    },
    Expect {
        name: "claude-code-acp-permission-2turns.jsonl",
        session: "6c25d7b2-c1da-46dc-919c-acc79ff4dedf",
        permission_id: "0",
        action: "`echo hi > hello.txt && echo wrote`",
        call_id: "toolu_08b4fd54e53046c598e5",
        output: "wrote",
        first_text: "DONE: wrote",
        usage: None,
    },
    Expect {
        name: "codex-acp-permission-2turns.jsonl",
        session: "01a20b8c-ab8c-7c83-af5f-39a5bc3291bb",
        permission_id: "9889d73e-a7cf-45bb-b797-64731c9c8c8b",
        action: "echo hi > hello.txt && echo wrote",
        call_id: "call_ec5134a160154504ab19",
        output: "wrote\n",
        first_text: "DONE: Chunk ID: 271ffd\nWall time: 0.0000 seconds\nProcess exited wi",
        usage: None,
    },
    Expect {
        name: "opencode-acp-permission-2turns.jsonl",
        session: "ses_df4731ef3ffeIE4cI5MPGqRVJY",
        permission_id: "0",
        action: "echo hi > hello.txt && echo wrote",
        call_id: "call_f60d0924fa934f60a098",
        output: "wrote\n",
        first_text: "DONE: wrote",
        usage: Some((100, 20)),
    },
];

#[test]
fn each_acp_transcript_content() {
    for x in EXPECT {
        let name = x.name;
        let (conv, out) = replay(name);
        assert_eq!(conv.session_id(), Some(x.session), "{name}");
        let native = out.iter().find_map(|a| {
            if let Action::Emit(AgentOutput::NativeSessionId(id)) = a {
                Some(id.as_str())
            } else {
                None
            }
        });
        assert_eq!(native, Some(x.session), "{name}");
        let evs = events(&out);
        let EventData::SessionStarted(started) = evs[0] else { panic!("{name}: {:?}", evs[0]) };
        assert_eq!(started.metadata.as_ref().unwrap()["sessionId"], x.session, "{name}");
        // The permission: id, action, the tool call and the options.
        let perm = evs
            .iter()
            .find_map(|e| if let EventData::PermissionRequested(p) = e { Some(p.clone()) } else { None })
            .unwrap();
        assert_eq!((perm.permission_id.as_str(), perm.action.as_str()), (x.permission_id, x.action), "{name}");
        let meta = perm.metadata.unwrap();
        assert_eq!(meta["toolCallId"], x.call_id, "{name}");
        assert_eq!(meta["options"].as_array().unwrap().len(), 3, "{name}");
        // The tool call (started, then completed with the final arguments) and its result.
        assert!(evs.iter().any(|e| matches!(e, EventData::ItemStarted(d) if d.item.kind == ItemKind::ToolCall && d.item.native_item_id.as_deref() == Some(x.call_id))), "{name}");
        let items = completed_items(&out);
        let call = items.iter().find(|i| i.kind == ItemKind::ToolCall).unwrap();
        let ContentPart::ToolCall { name: tool, arguments, call_id } = &call.content[0] else { panic!() };
        assert_eq!((tool.as_str(), call_id.as_str()), (x.action, x.call_id), "{name}");
        assert!(
            serde_json::from_str::<Value>(arguments).unwrap().to_string().contains("echo hi > hello.txt && echo wrote"),
            "{name}: {arguments}"
        );
        let result = items.iter().find(|i| i.kind == ItemKind::ToolResult).unwrap();
        assert_eq!(result.status, ItemStatus::Completed, "{name}");
        assert_eq!(result.parent_id.as_deref(), Some(x.call_id), "{name}");
        assert_eq!(
            result.content,
            vec![ContentPart::ToolResult { call_id: x.call_id.into(), output: x.output.into() }],
            "{name}"
        );
        // Order: call, result, then the final message of the turn.
        let kinds: Vec<ItemKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [ItemKind::ToolCall, ItemKind::ToolResult, ItemKind::Message, ItemKind::Message], "{name}");
        assert_eq!(items[2].content, vec![ContentPart::text(x.first_text)], "{name}");
        assert_eq!(items[3].content, vec![ContentPart::text("plain reply")], "{name}");
        let usage = turn_ends(&out)[0].usage.as_ref().map(|u| (u.input_tokens.unwrap(), u.output_tokens.unwrap()));
        assert_eq!(usage, x.usage, "{name}");
    }
}

#[test]
fn named_messages_keep_their_id() {
    let (_, out) = replay("claude-agent-acp-permission-2turns.jsonl");
    let ids: Vec<Option<String>> =
        completed_items(&out).into_iter().filter(|i| i.kind == ItemKind::Message).map(|i| i.native_item_id).collect();
    assert_eq!(
        ids,
        [Some("msg:msg_cdc8ec6fecea45a1a014".to_string()), Some("msg:msg_06394ebd88f74675921b".to_string())]
    );
    let (_, out) = replay("codex-acp-permission-2turns.jsonl");
    let ids: Vec<Option<String>> =
        completed_items(&out).into_iter().filter(|i| i.kind == ItemKind::Message).map(|i| i.native_item_id).collect();
    assert_eq!(ids, [Some("n:msg:1".to_string()), Some("n:msg:2".to_string())]);
}

/// A converter past the handshake, in session `s`, with a prompt running.
fn ready() -> Converter {
    let mut conv = Converter::new(settings("/w"));
    let init = conv.initialize();
    let out = conv.line(
        &json!({"jsonrpc": "2.0", "id": init["id"], "result": {"protocolVersion": 1, "agentCapabilities": {}}})
            .to_string(),
    );
    let new = writes(&out)[0].clone();
    assert_eq!(new["method"], "session/new");
    conv.line(&json!({"jsonrpc": "2.0", "id": new["id"], "result": {"sessionId": "s"}}).to_string());
    assert_eq!(conv.handshake(), &Handshake::Ready("s".into()));
    conv.prompt("go");
    conv
}

fn update(u: Value) -> String {
    json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": "s", "update": u}}).to_string()
}

fn prompt_result(conv: &Converter, result: Value) -> String {
    let id = conv.requests.iter().find(|(_, r)| **r == Request::Prompt).map(|(id, _)| id.clone()).unwrap();
    json!({"jsonrpc": "2.0", "id": id.parse::<u64>().unwrap(), "result": result}).to_string()
}

#[test]
fn garbage_is_unparsed_not_dropped() {
    let mut conv = ready();
    for line in [
        "not json".to_string(),
        r#"{"foo":1}"#.to_string(),
        r#"{"id":1,"result":{}}"#.to_string(),
        r#"{"jsonrpc":"2.0","id":99,"result":{}}"#.to_string(),
        r#"{"jsonrpc":"2.0","method":"session/brand_new","params":{}}"#.to_string(),
        update(json!({"sessionUpdate": "hologram"})),
        update(json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "smell"}})),
        update(json!({"sessionUpdate": "tool_call", "toolCallId": "t", "status": "done"})),
        json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": "other", "update": {"sessionUpdate": "plan", "entries": []}}}).to_string(),
    ] {
        let out = conv.line(&line);
        assert!(matches!(events(&out).last(), Some(EventData::AgentUnparsed(_))), "{line}: {out:?}");
    }
    // An unknown request is answered (the agent must not wait) and reported.
    let out = conv.line(r#"{"jsonrpc":"2.0","id":"q1","method":"session/elicit","params":{}}"#);
    assert_eq!(writes(&out)[0]["error"]["code"], METHOD_NOT_FOUND);
    assert_eq!(writes(&out)[0]["id"], "q1");
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
}

#[test]
fn fs_and_terminal_requests_get_an_error_reply() {
    let mut conv = ready();
    for (id, method) in
        [(json!(7), "fs/read_text_file"), (json!("a-uuid"), "fs/write_text_file"), (json!(8), "terminal/create")]
    {
        let out = conv.line(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {"sessionId": "s", "path": "/x"}})
                .to_string(),
        );
        no_unparsed(method, &out);
        let reply = writes(&out)[0];
        assert_eq!((&reply["id"], &reply["error"]["code"]), (&id, &json!(METHOD_NOT_FOUND)), "{method}");
        assert_eq!(reply["jsonrpc"], "2.0");
        let EventData::Error(e) = events(&out)[0] else { panic!() };
        assert_eq!(e.code.as_deref(), Some("unsupported_request"));
    }
}

fn permission(conv: &mut Converter, id: Value, options: Value) -> PermissionEventData {
    let req = json!({"jsonrpc": "2.0", "id": id, "method": "session/request_permission",
        "params": {"sessionId": "s", "toolCall": {"toolCallId": "t1", "kind": "edit"}, "options": options}});
    let out = conv.line(&req.to_string());
    let EventData::PermissionRequested(p) = events(&out)[0] else { panic!() };
    p.clone()
}

#[test]
fn permission_replies_pick_the_option_by_kind() {
    let all = json!([{"optionId": "a1", "kind": "allow_once"}, {"optionId": "aa", "kind": "allow_always"}, {"optionId": "r1", "kind": "reject_once"}, {"optionId": "ra", "kind": "reject_always"}]);
    let only_once = json!([{"optionId": "a1", "kind": "allow_once"}, {"optionId": "ra", "kind": "reject_always"}]);
    let allow_only = json!([{"optionId": "aa", "kind": "allow_always"}]);
    for (options, reply, want) in [
        (&all, PermissionReply::Once, Some("a1")),
        (&all, PermissionReply::Always, Some("aa")),
        (&all, PermissionReply::Reject, Some("r1")),
        (&only_once, PermissionReply::Always, Some("a1")),
        (&only_once, PermissionReply::Reject, Some("ra")),
        (&allow_only, PermissionReply::Once, Some("aa")),
        (&allow_only, PermissionReply::Reject, None),
    ] {
        let mut conv = ready();
        let p = permission(&mut conv, json!("uuid-1"), options.clone());
        assert_eq!(
            (p.permission_id.as_str(), p.action.as_str()),
            ("uuid-1", "edit"),
            "the kind when there is no title"
        );
        let answer = conv.permission_reply("uuid-1", reply).unwrap();
        assert_eq!(answer["id"], "uuid-1");
        let outcome = &answer["result"]["outcome"];
        match want {
            Some(option) => {
                assert_eq!(outcome, &json!({"outcome": "selected", "optionId": option}), "{reply:?} of {options}")
            }
            None => assert_eq!(outcome, &json!({"outcome": "cancelled"})),
        }
        assert!(conv.permission_reply("uuid-1", reply).is_none());
    }
}

#[test]
fn cancel_answers_pending_permissions_and_ends_interrupted() {
    let mut conv = ready();
    permission(&mut conv, json!(0), json!([{"optionId": "a", "kind": "allow_once"}]));
    let sent = conv.cancel();
    assert_eq!(sent[0], json!({"jsonrpc": "2.0", "method": "session/cancel", "params": {"sessionId": "s"}}));
    assert_eq!(sent[1], json!({"jsonrpc": "2.0", "id": 0, "result": {"outcome": {"outcome": "cancelled"}}}));
    assert!(conv.permission_reply("0", PermissionReply::Once).is_none(), "already answered");
    let out = conv.line(&prompt_result(&conv, json!({"stopReason": "cancelled"})));
    assert_eq!(turn_ends(&out)[0].reason, TurnEndReason::Interrupted);
    assert!(conv.cancel().is_empty(), "no turn to cancel");
    // Some agents answer a cancelled prompt with an error instead.
    conv.prompt("again");
    conv.cancel();
    let id = conv.requests.iter().find(|(_, r)| **r == Request::Prompt).map(|(id, _)| id.clone()).unwrap();
    let out = conv.line(
        &json!({"jsonrpc": "2.0", "id": id.parse::<u64>().unwrap(), "error": {"code": -32800, "message": "cancelled"}})
            .to_string(),
    );
    assert!(matches!(
        events(&out)[..],
        [EventData::TurnEnded(TurnEndedData { reason: TurnEndReason::Interrupted, .. })]
    ));
}

#[test]
fn stop_reasons() {
    for (stop, reason, error) in [
        ("end_turn", TurnEndReason::Completed, None),
        ("cancelled", TurnEndReason::Interrupted, None),
        ("max_tokens", TurnEndReason::Error, Some("max_tokens")),
        ("max_turn_requests", TurnEndReason::Error, Some("max_turn_requests")),
        ("refusal", TurnEndReason::Error, Some("refusal")),
    ] {
        let mut conv = ready();
        let out = conv.line(&prompt_result(&conv, json!({"stopReason": stop, "usage": {"inputTokens": 5, "outputTokens": 2, "thoughtTokens": 1, "cachedReadTokens": 3}})));
        no_unparsed(stop, &out);
        let end = turn_ends(&out).remove(0);
        assert_eq!(end.reason, reason, "{stop}");
        assert_eq!(
            end.usage,
            Some(TokenUsage {
                input_tokens: Some(5),
                output_tokens: Some(2),
                cached_input_tokens: Some(3),
                reasoning_tokens: Some(1)
            })
        );
        let code =
            events(&out).into_iter().find_map(|e| if let EventData::Error(e) = e { e.code.clone() } else { None });
        assert_eq!(code.as_deref(), error, "{stop}");
        assert_eq!(end.message.is_some(), error.is_some(), "{stop}");
    }
    // An unknown stop reason still ends the turn, and is shown.
    let mut conv = ready();
    let out = conv.line(&prompt_result(&conv, json!({"stopReason": "bored"})));
    assert!(matches!(
        events(&out)[..],
        [EventData::AgentUnparsed(_), EventData::TurnEnded(TurnEndedData { reason: TurnEndReason::Error, .. })]
    ));
    // A failed prompt.
    let mut conv = ready();
    let id = conv.requests.iter().find(|(_, r)| **r == Request::Prompt).map(|(id, _)| id.clone()).unwrap();
    let out = conv.line(&json!({"jsonrpc": "2.0", "id": id.parse::<u64>().unwrap(), "error": {"code": -32603, "message": "Internal error"}}).to_string());
    let evs = events(&out);
    assert!(matches!(evs[0], EventData::Error(e) if e.code.as_deref() == Some("prompt_failed")));
    assert!(
        matches!(evs[1], EventData::TurnEnded(t) if t.reason == TurnEndReason::Error && t.message.as_deref() == Some("session/prompt failed: Internal error"))
    );
    assert!(!conv.turn_active());
}

#[test]
fn thoughts_messages_plans_and_modes() {
    let mut conv = ready();
    let mut out = Vec::new();
    for u in [
        json!({"sessionUpdate": "agent_thought_chunk", "content": {"type": "text", "text": "Let me "}}),
        json!({"sessionUpdate": "agent_thought_chunk", "content": {"type": "text", "text": "think."}}),
        json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "text", "text": "Hi"}}),
        json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "image", "mimeType": "image/png", "data": "AA==", "uri": "file:///a.png"}}),
        json!({"sessionUpdate": "user_message_chunk", "content": {"type": "text", "text": "ignored"}}),
        json!({"sessionUpdate": "usage_update", "used": 1, "size": 2}),
        json!({"sessionUpdate": "plan", "entries": [{"content": "read", "priority": "high", "status": "completed"}, {"content": "write", "priority": "low", "status": "pending"}]}),
        json!({"sessionUpdate": "agent_message_chunk", "content": {"type": "text", "text": "Bye"}}),
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "plan"}),
        json!({"sessionUpdate": "available_commands_update", "availableCommands": []}),
        json!({"sessionUpdate": "config_option_update", "configOptions": []}),
        json!({"sessionUpdate": "session_info_update", "title": "t"}),
    ] {
        out.extend(conv.line(&update(u)));
    }
    no_unparsed("updates", &out);
    let items = completed_items(&out);
    assert_eq!(
        items[0].content,
        vec![ContentPart::Reasoning { text: "Let me think.".into(), visibility: ReasoningVisibility::Public }]
    );
    assert_eq!(
        items[1].content,
        vec![
            ContentPart::text("Hi"),
            ContentPart::Image { path: "file:///a.png".into(), mime: Some("image/png".into()) }
        ]
    );
    assert_eq!(
        items[2].content,
        vec![ContentPart::Status {
            label: "acp.plan".into(),
            detail: Some("[completed] read\n[pending] write".into())
        }]
    );
    assert_eq!(items[3].content, vec![ContentPart::text("Bye")]);
    assert_eq!(items[4].content, vec![ContentPart::Status { label: "acp.mode".into(), detail: Some("plan".into()) }]);
    assert_eq!(items.len(), 5);
    let natives: HashSet<_> = items.iter().map(|i| i.native_item_id.clone().unwrap()).collect();
    assert_eq!(natives.len(), 5, "distinct native ids");
    let deltas: Vec<&str> = events(&out)
        .into_iter()
        .filter_map(|e| if let EventData::ItemDelta(d) = e { Some(d.delta.as_str()) } else { None })
        .collect();
    assert_eq!(deltas, ["Let me ", "think.", "Hi", "Bye"]);
}

#[test]
fn diffs_become_file_refs() {
    let mut conv = ready();
    let mut out = conv.line(&update(json!({"sessionUpdate": "tool_call", "toolCallId": "e1", "title": "Edit a.txt", "kind": "edit", "status": "pending",
        "rawInput": {"path": "/w/a.txt"}})));
    out.extend(conv.line(&update(
        json!({"sessionUpdate": "tool_call_update", "toolCallId": "e1", "status": "completed", "content": [
            {"type": "diff", "path": "/w/a.txt", "oldText": "one\ntwo\nthree\n", "newText": "one\n2\nthree\n"},
            {"type": "diff", "path": "/w/new.txt", "oldText": null, "newText": "hello\n"},
        ]}),
    )));
    out.extend(conv.line(&update(json!({"sessionUpdate": "tool_call", "toolCallId": "r1", "title": "Read b.txt", "kind": "read", "status": "completed",
        "locations": [{"path": "/w/b.txt", "line": 1}], "content": [{"type": "content", "content": {"type": "text", "text": "B"}}]}))));
    out.extend(
        conv.line(&update(json!({"sessionUpdate": "tool_call_update", "toolCallId": "r1", "status": "completed"}))),
    );
    no_unparsed("diffs", &out);
    let results: Vec<UniversalItem> =
        completed_items(&out).into_iter().filter(|i| i.kind == ItemKind::ToolResult).collect();
    assert_eq!(results.len(), 2, "a late update of a finished call adds nothing");
    assert_eq!(
        results[0].content,
        vec![
            ContentPart::ToolResult { call_id: "e1".into(), output: String::new() },
            ContentPart::FileRef {
                path: "/w/a.txt".into(),
                action: FileAction::Patch,
                diff: Some("--- a//w/a.txt\n+++ b//w/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n".into())
            },
            ContentPart::FileRef {
                path: "/w/new.txt".into(),
                action: FileAction::Write,
                diff: Some("--- /dev/null\n+++ b//w/new.txt\n@@ -0,0 +1,1 @@\n+hello\n".into())
            },
        ]
    );
    assert_eq!(
        results[1].content,
        vec![
            ContentPart::ToolResult { call_id: "r1".into(), output: "B".into() },
            ContentPart::FileRef { path: "/w/b.txt".into(), action: FileAction::Read, diff: None }
        ]
    );
}

#[test]
fn failed_tool_is_a_failed_result() {
    let mut conv = ready();
    let out = conv.line(&update(json!({"sessionUpdate": "tool_call", "toolCallId": "x", "title": "Run", "kind": "execute", "status": "failed", "rawOutput": {"error": "boom"}})));
    let items = completed_items(&out);
    assert_eq!(items[0].status, ItemStatus::Completed);
    assert_eq!(items[1].status, ItemStatus::Failed);
    assert_eq!(
        items[1].content,
        vec![ContentPart::ToolResult { call_id: "x".into(), output: r#"{"error":"boom"}"#.into() }]
    );
}

#[test]
fn unified_diff_hunks() {
    let old: String = (1..=20).map(|n| format!("{n}\n")).collect();
    let new: String =
        (1..=20).filter(|n| *n != 18).map(|n| if n == 2 { "two\n".to_string() } else { format!("{n}\n") }).collect();
    let diff = unified_diff("f", Some(&old), &new).unwrap();
    assert_eq!(diff, "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n@@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n");
    assert_eq!(unified_diff("f", Some("same\n"), "same\n"), None);
    assert_eq!(unified_diff("f", Some("a\n"), ""), Some("--- a/f\n+++ b/f\n@@ -1,1 +0,0 @@\n-a\n".into()));
}

fn handshake(resume: Option<&str>, caps: Value) -> (Converter, Vec<Action>) {
    let mut conv = Converter::new(Settings { announce: false, resume: resume.map(str::to_string), ..settings("/w") });
    let init = conv.initialize();
    assert_eq!(
        init["params"]["clientCapabilities"],
        json!({"fs": {"readTextFile": false, "writeTextFile": false}, "terminal": false})
    );
    assert_eq!(init["params"]["protocolVersion"], 1);
    let out = conv.line(
        &json!({"jsonrpc": "2.0", "id": init["id"], "result": {"protocolVersion": 1, "agentCapabilities": caps}})
            .to_string(),
    );
    (conv, out)
}

#[test]
fn resume_prefers_session_resume_then_load() {
    let (mut conv, out) = handshake(Some("old"), json!({"loadSession": true, "sessionCapabilities": {"resume": {}}}));
    let req = writes(&out)[0].clone();
    assert_eq!(
        (&req["method"], &req["params"]),
        (&json!("session/resume"), &json!({"sessionId": "old", "cwd": "/w", "mcpServers": []}))
    );
    let out = conv.line(&json!({"jsonrpc": "2.0", "id": req["id"], "result": {}}).to_string());
    assert!(
        matches!(&out[..], [Action::Emit(AgentOutput::NativeSessionId(id))] if id == "old"),
        "no session.started when resuming"
    );
    assert_eq!(conv.handshake(), &Handshake::Ready("old".into()));

    // session/load replays the history, which the daemon already has.
    let (mut conv, out) = handshake(Some("old"), json!({"loadSession": true}));
    let req = writes(&out)[0].clone();
    assert_eq!(req["method"], "session/load");
    let replay = json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": "old", "update": {"sessionUpdate": "agent_message_chunk", "content": {"type": "text", "text": "old"}}}});
    assert!(conv.line(&replay.to_string()).is_empty());
    conv.line(&json!({"jsonrpc": "2.0", "id": req["id"], "result": null}).to_string());
    assert_eq!(conv.handshake(), &Handshake::Ready("old".into()));
    assert_eq!(conv.prompt("next")["params"]["sessionId"], "old");
    assert_eq!(events(&conv.line(&replay.to_string())).len(), 2, "live updates count again");

    // Neither: a new session, and the history is lost.
    let (_, out) = handshake(Some("old"), json!({}));
    assert!(
        matches!(&out[0], Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::Error(e), synthetic: true, .. })) if e.code.as_deref() == Some("agent_history_lost"))
    );
    assert_eq!(writes(&out)[0]["method"], "session/new");

    // A load the agent refuses: the same.
    let (mut conv, out) = handshake(Some("old"), json!({"loadSession": true}));
    let req = writes(&out)[0].clone();
    let out = conv.line(
        &json!({"jsonrpc": "2.0", "id": req["id"], "error": {"code": -32002, "message": "Resource not found"}})
            .to_string(),
    );
    assert!(matches!(events(&out)[..], [EventData::Error(e)] if e.code.as_deref() == Some("agent_history_lost")));
    assert_eq!(writes(&out)[0]["method"], "session/new");
    assert_eq!(conv.handshake(), &Handshake::StartingSession);
}

#[test]
fn handshake_failures() {
    let mut conv = Converter::new(settings("/w"));
    let init = conv.initialize();
    let out = conv.line(&json!({"jsonrpc": "2.0", "id": init["id"], "result": {"protocolVersion": 2}}).to_string());
    assert!(writes(&out).is_empty());
    assert!(matches!(conv.handshake(), Handshake::Failed(m) if m.contains("version 2")));
    let (mut conv, out) = handshake(None, json!({}));
    let new = writes(&out)[0].clone();
    conv.line(
        &json!({"jsonrpc": "2.0", "id": new["id"], "error": {"code": -32000, "message": "Authentication required"}})
            .to_string(),
    );
    assert_eq!(conv.handshake(), &Handshake::Failed("session/new failed: Authentication required".into()));
    // set_mode: only a failure is reported.
    let mut conv = ready();
    let req = conv.set_mode("plan");
    assert_eq!(req["params"], json!({"sessionId": "s", "modeId": "plan"}));
    let out = conv.line(
        &json!({"jsonrpc": "2.0", "id": req["id"], "error": {"code": -32602, "message": "no such mode"}}).to_string(),
    );
    assert!(matches!(events(&out)[..], [EventData::Error(e)] if e.message == "session/set_mode failed: no such mode"));
}
