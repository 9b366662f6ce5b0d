//! The ACP converter, one flow per test (the transcript replays are in convert_tests.rs).

use super::*;

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

/// A permission request as the schema has it (each option with its `name`).
fn permission(conv: &mut Converter, id: Value, options: Value) -> PermissionEventData {
    let req = json!({"jsonrpc": "2.0", "id": id, "method": "session/request_permission",
        "params": {"sessionId": "s", "toolCall": {"toolCallId": "t1", "kind": "edit"}, "options": options}});
    let out = conv.line(&req.to_string());
    let EventData::PermissionRequested(p) = events(&out)[0] else { panic!() };
    p.clone()
}

#[test]
fn permission_replies_pick_the_option_by_kind() {
    let all = json!([{"optionId": "a1", "name": "a1", "kind": "allow_once"}, {"optionId": "aa", "name": "aa", "kind": "allow_always"}, {"optionId": "r1", "name": "r1", "kind": "reject_once"}, {"optionId": "ra", "name": "ra", "kind": "reject_always"}]);
    let only_once = json!([{"optionId": "a1", "name": "a1", "kind": "allow_once"}, {"optionId": "ra", "name": "ra", "kind": "reject_always"}]);
    let allow_only = json!([{"optionId": "aa", "name": "aa", "kind": "allow_always"}]);
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
    permission(&mut conv, json!(0), json!([{"optionId": "a", "name": "a", "kind": "allow_once"}]));
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

/// A message the ACP schema refuses is `agent.unparsed` naming the field, and a request among
/// them is still answered.
#[test]
fn messages_the_schema_refuses_are_unparsed_and_requests_still_answered() {
    let mut conv = ready();
    let chunk = json!({"jsonrpc": "2.0", "method": "session/update",
        "params": {"sessionId": "s", "update": {"sessionUpdate": "agent_message_chunk", "content": {"type": "text"}}}});
    let out = conv.line(&chunk.to_string());
    let [Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::AgentUnparsed(u), .. }))] = out.as_slice()
    else {
        panic!("{out:?}")
    };
    assert!(u.error.contains("text"), "names the missing field: {}", u.error);
    let req = json!({"jsonrpc": "2.0", "id": 9, "method": "session/request_permission",
        "params": {"sessionId": "s", "toolCall": {"toolCallId": "t1"}, "options": [{"optionId": "a"}]}});
    let out = conv.line(&req.to_string());
    assert_eq!(writes(&out)[0]["error"]["code"], -32602, "{out:?}");
    assert!(matches!(events(&out)[0], EventData::AgentUnparsed(_)), "{out:?}");
}
