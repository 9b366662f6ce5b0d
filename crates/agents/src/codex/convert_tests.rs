//! Tests of `convert.rs`: replays of the recorded transcripts and edge cases.

use super::rpc::id_string;
use super::*;
use crate::transcripts::{completed_item, events, first_event, native_lines, writes, Line};
use crate::AgentOutput;

/// The first message Codex sent in the recorded transcripts that `pick` accepts: crafted
/// messages start from these, so they keep the app-server's shape.
fn recorded(pick: impl Fn(&Value) -> bool) -> Value {
    let all = crate::transcripts::all_of(crate::transcripts::CODEX_APPSERVER);
    let found = all
        .iter()
        .flat_map(|(_, lines)| lines)
        .find_map(|l| (l["_dir"] == "stdout" && pick(&l["msg"])).then(|| l["msg"].clone()));
    found.expect("a recorded message")
}

fn init_response(id: u64) -> String {
    let mut r = recorded(|m| m["result"]["userAgent"].is_string());
    r["id"] = json!(id);
    r.to_string()
}

fn thread_response(id: u64, thread: &str) -> String {
    let mut r = recorded(|m| m["result"]["thread"]["id"].is_string() && m["result"]["approvalPolicy"].is_string());
    r["id"] = json!(id);
    r["result"]["thread"]["id"] = json!(thread);
    r.to_string()
}

fn turn_response(id: u64, turn: &str) -> String {
    json!({"id": id, "result": {"turn": {"id": turn, "items": [], "status": "inProgress"}}}).to_string()
}

/// `item/started` or `item/completed` of `item`.
fn item_msg(method: &str, thread: &str, turn: &str, item: Value) -> String {
    json!({"method": method, "params": {"threadId": thread, "turnId": turn, "startedAtMs": 1, "completedAtMs": 2, "item": item}})
        .to_string()
}

fn turn_completed(thread: &str, turn: &str, status: &str, error: Value) -> String {
    json!({"method": "turn/completed", "params": {"threadId": thread, "turn": {"id": turn, "items": [], "status": status, "error": error}}})
        .to_string()
}

fn settings(announce: bool) -> Settings {
    let mut thread_params = Map::new();
    thread_params.insert("cwd".into(), json!("/work"));
    thread_params.insert("approvalPolicy".into(), json!("untrusted"));
    thread_params.insert("sandbox".into(), json!("danger-full-access"));
    Settings {
        announce,
        nonce: "n".into(),
        client_version: "0.1.0".into(),
        thread_params,
        resume: None,
        plan: false,
        mcp_servers: vec![],
    }
}

fn reply_of(decision: &str) -> PermissionReply {
    match decision {
        "accept" => PermissionReply::Once,
        "acceptForSession" => PermissionReply::Always,
        "decline" => PermissionReply::Reject,
        other => panic!("decision {other}"),
    }
}

/// Replay an app-server transcript: what the lab driver sent is produced by the converter
/// (and must match), what Codex sent goes through `line`.
fn replay(name: &str) -> (Converter, Vec<Action>) {
    let lines = crate::transcripts::load(name);
    let mut conv = Converter::new(settings(true));
    let mut out: Vec<Action> = Vec::new();
    let mut written = 0; // writes of `out` already matched with the transcript
    for line in native_lines(&lines) {
        match line {
            Line::In(msg) => match msg.get("method").and_then(Value::as_str) {
                Some("initialize") => {
                    let ours = conv.initialize();
                    assert_eq!((&ours["id"], &ours["method"]), (&msg["id"], &msg["method"]), "{name}");
                }
                // Sent by the converter when initialize is answered.
                Some("initialized" | "thread/start" | "thread/resume") => {
                    let ours = writes(&out);
                    let ours = ours.get(written).unwrap_or_else(|| panic!("{name}: converter did not send {msg}"));
                    written += 1;
                    assert_eq!((&ours["id"], &ours["method"]), (&msg["id"], &msg["method"]), "{name}");
                }
                Some("turn/start") => {
                    let ours = conv.user_message(msg["params"]["input"][0]["text"].as_str().unwrap(), &[]);
                    assert_eq!(ours, Some(msg.clone()), "{name}");
                }
                Some(other) => panic!("{name}: driver sent {other}"),
                None => {
                    let reply = reply_of(msg["result"]["decision"].as_str().unwrap());
                    let ours = conv.permission_reply(&id_string(&msg["id"]), reply).expect("pending approval");
                    assert_eq!(ours, msg, "{name}");
                }
            },
            Line::Out(line) => out.extend(conv.line(&line)),
        }
    }
    (conv, out)
}

/// Every app-server transcript converts with no `agent.unparsed`.
#[test]
fn every_appserver_transcript_converts_cleanly() {
    let all = crate::transcripts::all_of(crate::transcripts::CODEX_APPSERVER);
    assert!(all.len() >= 3, "found {} transcripts", all.len());
    for (name, _) in all {
        let (conv, out) = replay(&name);
        for ev in events(&out) {
            assert!(!matches!(ev, EventData::AgentUnparsed(_)), "{name}: unparsed {ev:?}");
        }
        assert!(matches!(conv.handshake(), Handshake::Ready(_)), "{name}");
        // The user's messages are the daemon's to record.
        assert!(!events(&out).iter().any(|e| matches!(e, EventData::ItemStarted(d) | EventData::ItemCompleted(d) if d.item.role == Some(ItemRole::User))));
    }
}

fn tool_result(evs: &[&EventData]) -> UniversalItem {
    completed_item(evs, ItemKind::ToolResult).expect("a tool result")
}

#[test]
fn command_approval_accept_two_turns() {
    let (mut conv, out) = replay("codex-appserver-approval-accept-2turns.jsonl");
    let evs = events(&out);
    let types: Vec<&str> = evs.iter().map(|e| e.event_type()).collect();
    assert_eq!(types.iter().filter(|t| **t == "session.started").count(), 1);
    assert_eq!(types.iter().filter(|t| **t == "turn.ended").count(), 2, "{types:?}");
    let native = out.iter().find_map(|a| match a {
        Action::Emit(AgentOutput::NativeSessionId(id)) => Some(id.clone()),
        _ => None,
    });
    assert_eq!(native.as_deref(), Some("01a20b88-9a22-7ce2-ba22-ca3dc0b18974"));
    assert_eq!(conv.thread_id(), native.as_deref());

    let perm = first_event!(evs, EventData::PermissionRequested);
    assert_eq!((perm.permission_id.as_str(), perm.action.as_str()), ("0", "commandExecution"));
    let meta = perm.metadata.unwrap();
    assert_eq!(meta["command"], "/bin/bash -lc 'echo hi > hello.txt && echo wrote'");
    assert_eq!(meta["itemId"], "call_d20f0e2c44224c5a8570");
    assert_eq!(meta["cwd"], "/tmp/lab/work/x2");
    assert!(meta["availableDecisions"].is_array());
    assert!(conv.permission_reply("0", PermissionReply::Once).is_none(), "answered once (by the replay)");

    // The command: a complete tool call, then its result with the output.
    let call = completed_item(&evs, ItemKind::ToolCall);
    let call = call.unwrap();
    let ContentPart::ToolCall { name, arguments, call_id } = &call.content[0] else { panic!() };
    assert_eq!((name.as_str(), call_id.as_str()), ("commandExecution", "call_d20f0e2c44224c5a8570"));
    assert_eq!(serde_json::from_str::<Value>(arguments).unwrap()["command"], meta["command"]);
    let result = tool_result(&evs);
    assert_eq!(result.status, ItemStatus::Completed);
    assert_eq!(result.parent_id, call.native_item_id);
    assert!(
        matches!(&result.content[0], ContentPart::ToolResult { output, call_id } if output.ends_with("wrote\n") && call_id == "call_d20f0e2c44224c5a8570")
    );
    let pos = |t: &str| types.iter().position(|x| *x == t).unwrap();
    assert!(pos("permission.requested") < types.iter().rposition(|t| *t == "item.completed").unwrap());

    // Assistant text streams with the item's native id.
    let deltas: Vec<&ItemDeltaData> = evs
        .iter()
        .filter_map(|e| match e {
            EventData::ItemDelta(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(deltas.len(), 2);
    assert_eq!(deltas[1].delta, "plain reply");
    assert_eq!(
        deltas[1].native_item_id.as_deref(),
        Some("01a20b88-9b42-7d92-bdbf-32989c7cdb11:msg_c3584fb91332454fa9d9")
    );

    // Usage per turn: two model calls in the first (2 × 100/20), one in the second.
    let ends: Vec<&TurnEndedData> = evs
        .iter()
        .filter_map(|e| match e {
            EventData::TurnEnded(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(ends.iter().all(|t| t.reason == TurnEndReason::Completed));
    assert_eq!(ends[0].usage.as_ref().unwrap().input_tokens, Some(200));
    assert_eq!(ends[0].usage.as_ref().unwrap().output_tokens, Some(40));
    assert_eq!(ends[1].usage.as_ref().unwrap().input_tokens, Some(100));
    // Warnings are status items.
    let labels: Vec<String> = evs
        .iter()
        .filter_map(|e| match e {
            EventData::ItemCompleted(d) if d.item.kind == ItemKind::Status => match &d.item.content[0] {
                ContentPart::Status { label, .. } => Some(label.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert!(
        labels.contains(&"codex.config_warning".to_string()) && labels.contains(&"codex.warning".to_string()),
        "{labels:?}"
    );
}

#[test]
fn declined_command_is_a_failed_result() {
    let (_, out) = replay("codex-appserver-approval-decline.jsonl");
    let evs = events(&out);
    let result = tool_result(&evs);
    assert_eq!(result.status, ItemStatus::Failed);
    assert!(result.content.iter().any(|p| matches!(p, ContentPart::Status { label, .. } if label == "codex.declined")));
    let EventData::TurnEnded(end) = evs.last().unwrap() else { panic!() };
    assert_eq!(end.reason, TurnEndReason::Completed, "a decline lets the turn go on");
}

#[test]
fn file_change_approval_has_the_file_and_diff() {
    let (_, out) = replay("codex-appserver-filechange-approval.jsonl");
    let evs = events(&out);
    let perm = first_event!(evs, EventData::PermissionRequested);
    assert_eq!((perm.permission_id.as_str(), perm.action.as_str()), ("0", "fileChange"));
    assert_eq!(
        perm.metadata.as_ref().unwrap()["changes"][0]["path"],
        "/tmp/lab/work/x4/hello.txt",
        "the diff from item/started"
    );
    let result = tool_result(&evs);
    assert_eq!(result.status, ItemStatus::Completed);
    let file = result.content.iter().find_map(|p| match p {
        ContentPart::FileRef { path, action, diff } => Some((path, action, diff)),
        _ => None,
    });
    let (path, action, diff) = file.unwrap();
    assert_eq!((path.as_str(), *action), ("/tmp/lab/work/x4/hello.txt", FileAction::Write));
    assert_eq!(diff.as_deref(), Some("hello from apply_patch\n"));
    // The turn diff came three times, unchanged: shown once.
    let diffs = evs.iter().filter(|e| matches!(e, EventData::ItemCompleted(d) if matches!(&d.item.content[0], ContentPart::Status { label, .. } if label == "codex.turn_diff"))).count();
    assert_eq!(diffs, 1);
}

fn started_converter() -> Converter {
    let mut conv = Converter::new(settings(true));
    conv.initialize();
    let out = conv.line(&init_response(1));
    let sent = writes(&out);
    assert_eq!(sent[0], &json!({"method": "initialized"}));
    assert_eq!(sent[1]["method"], "thread/start");
    assert_eq!(sent[1]["params"]["approvalPolicy"], "untrusted");
    conv.line(&thread_response(2, "thr"));
    assert_eq!(conv.handshake(), &Handshake::Ready("thr".into()));
    conv
}

#[test]
fn resume_sends_thread_resume_and_announces_nothing() {
    let mut s = settings(false);
    s.resume = Some("thr".into());
    let mut conv = Converter::new(s);
    conv.initialize();
    let out = conv.line(&init_response(1));
    let sent = writes(&out);
    assert_eq!(
        (sent[1]["method"].as_str(), sent[1]["params"]["threadId"].as_str()),
        (Some("thread/resume"), Some("thr"))
    );
    let out = conv.line(&thread_response(2, "thr"));
    assert!(matches!(&out[..], [Action::Emit(AgentOutput::NativeSessionId(id))] if id == "thr"));
    let mut started = recorded(|m| m["method"] == "thread/started");
    started["params"]["thread"]["id"] = json!("thr");
    assert!(conv.line(&started.to_string()).is_empty());
}

#[test]
fn handshake_errors_fail_the_start() {
    let mut conv = Converter::new(settings(true));
    conv.initialize();
    conv.line(r#"{"id":1,"error":{"code":-1,"message":"bad client"}}"#);
    assert_eq!(conv.handshake(), &Handshake::Failed("initialize failed: bad client".into()));
    let mut conv = Converter::new(settings(true));
    conv.initialize();
    conv.line(&init_response(1));
    conv.line(r#"{"id":2,"error":{"code":-1,"message":"no model"}}"#);
    assert_eq!(conv.handshake(), &Handshake::Failed("thread/start failed: no model".into()));
    // A response that does not match the schema fails the handshake too.
    let mut conv = Converter::new(settings(true));
    conv.initialize();
    let out = conv.line(r#"{"id":1,"result":{}}"#);
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
    assert!(matches!(conv.handshake(), Handshake::Failed(why) if why.starts_with("not a initialize response")));
}

#[test]
fn failed_turn_reports_one_error_and_ends_with_error() {
    let mut conv = started_converter();
    conv.user_message("hi", &[]);
    let mut out = conv.line(&turn_response(3, "t1"));
    out.extend(conv.line(r#"{"method":"error","params":{"threadId":"thr","turnId":"t1","willRetry":true,"error":{"message":"Reconnecting... 1/5","codexErrorInfo":null}}}"#));
    out.extend(conv.line(r#"{"method":"error","params":{"threadId":"thr","turnId":"t1","willRetry":false,"error":{"message":"unexpected status 400 Bad Request","codexErrorInfo":{"responseStreamDisconnected":{"httpStatusCode":400}},"additionalDetails":null}}}"#));
    out.extend(conv.line(&turn_completed(
        "thr",
        "t1",
        "failed",
        json!({"message": "unexpected status 400 Bad Request", "codexErrorInfo": null}),
    )));
    let evs = events(&out);
    let types: Vec<&str> = evs.iter().map(|e| e.event_type()).collect();
    assert_eq!(types, ["item.completed", "error", "turn.ended"], "the retry is a status item");
    let EventData::Error(err) = evs[1] else { panic!() };
    assert_eq!(err.code.as_deref(), Some("responseStreamDisconnected"));
    let EventData::TurnEnded(end) = evs[2] else { panic!() };
    assert_eq!((end.reason, end.message.as_deref()), (TurnEndReason::Error, Some("unexpected status 400 Bad Request")));

    // Without an error notification, turn/completed reports the error itself.
    conv.user_message("again", &[]);
    let out = conv.line(&turn_completed("thr", "t2", "failed", json!({"message": "boom"})));
    assert_eq!(events(&out).iter().map(|e| e.event_type()).collect::<Vec<_>>(), ["error", "turn.ended"]);
    // A turn/start refused by Codex ends the turn at once.
    conv.user_message("third", &[]);
    let out = conv.line(r#"{"id":5,"error":{"code":-32600,"message":"thread busy"}}"#);
    assert_eq!(events(&out).iter().map(|e| e.event_type()).collect::<Vec<_>>(), ["error", "turn.ended"]);
}

#[test]
fn interrupt_waits_for_the_turn_id_and_ends_interrupted() {
    let mut conv = started_converter();
    assert!(conv.interrupt().is_none(), "no turn");
    let start = conv.user_message("slow", &[]).unwrap();
    assert_eq!(start["params"]["input"][0]["text"], "slow");
    assert!(conv.interrupt().is_none(), "deferred: the turn id is not known yet");
    let out = conv.line(&turn_response(3, "t1"));
    let sent = writes(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0]["method"].as_str(), sent[0]["params"]["turnId"].as_str()),
        (Some("turn/interrupt"), Some("t1"))
    );
    assert!(conv.line(r#"{"id":4,"result":{}}"#).is_empty());
    let out = conv.line(&turn_completed("thr", "t1", "interrupted", Value::Null));
    let EventData::TurnEnded(end) = events(&out)[0] else { panic!() };
    assert_eq!(end.reason, TurnEndReason::Interrupted);
    assert!(conv.interrupt().is_none(), "the turn is over");
}

#[test]
fn approvals_withdrawn_by_codex_are_denied_and_replies_map_to_decisions() {
    let mut conv = started_converter();
    conv.user_message("x", &[]);
    let req = r#"{"method":"item/fileChange/requestApproval","id":"r7","params":{"threadId":"thr","turnId":"t1","itemId":"call_1","startedAtMs":1,"reason":"write outside","grantRoot":"/"}}"#;
    let EventData::PermissionRequested(p) = events(&conv.line(req))[0].clone() else { panic!() };
    assert_eq!(p.permission_id, "r7");
    assert_eq!(
        conv.permission_reply("r7", PermissionReply::Always).unwrap(),
        json!({"id": "r7", "result": {"decision": "acceptForSession"}})
    );
    assert!(conv
        .line(r#"{"method":"serverRequest/resolved","params":{"threadId":"thr","requestId":"r7"}}"#)
        .is_empty());

    conv.line(&req.replace("r7", "r8"));
    let out = conv.line(r#"{"method":"serverRequest/resolved","params":{"threadId":"thr","requestId":"r8"}}"#);
    let EventData::PermissionResolved(p) = events(&out)[0] else { panic!() };
    assert_eq!((p.permission_id.as_str(), p.status), ("r8", PermissionStatus::Denied));
    assert!(conv.permission_reply("r8", PermissionReply::Once).is_none());
}

#[test]
fn an_mcp_tool_approval_is_a_permission_answered_with_an_elicitation_action() {
    let mut conv = started_converter();
    conv.user_message("x", &[]);
    let req = json!({"method": "mcpServer/elicitation/request", "id": 21, "params": {
        "serverName": "echo", "threadId": "thr", "turnId": "t1", "mode": "form",
        "message": "Allow the echo MCP server to run tool \"echo\"?", "requestedSchema": {"type": "object", "properties": {}},
        "_meta": {"codex_approval_kind": "mcp_tool_call", "persist": ["session", "always"], "tool_name": "echo",
                  "tool_params": {"text": "ping"}, "tool_description": "Echo the text back."}}});
    let EventData::PermissionRequested(p) = events(&conv.line(&req.to_string()))[0].clone() else { panic!() };
    let meta = p.metadata.unwrap();
    assert_eq!((p.permission_id.as_str(), p.action.as_str()), ("21", "mcpToolCall"));
    assert_eq!(
        (&meta["server"], &meta["tool"], &meta["arguments"]),
        (&json!("echo"), &json!("echo"), &json!({"text": "ping"}))
    );
    assert_eq!(
        conv.permission_reply("21", PermissionReply::Once).unwrap(),
        json!({"id": 21, "result": {"action": "accept", "content": {}}})
    );
    let again = |conv: &mut Converter, id: u64| {
        let mut r = req.clone();
        r["id"] = json!(id);
        conv.line(&r.to_string());
    };
    again(&mut conv, 22);
    assert_eq!(
        conv.permission_reply("22", PermissionReply::Always).unwrap(),
        json!({"id": 22, "result": {"action": "accept", "content": {}, "_meta": {"persist": "session"}}})
    );
    again(&mut conv, 23);
    assert_eq!(
        conv.permission_reply("23", PermissionReply::Reject).unwrap(),
        json!({"id": 23, "result": {"action": "decline"}})
    );
}

#[test]
fn subagent_items_hang_under_the_collab_call() {
    let mut conv = started_converter();
    conv.user_message("delegate", &[]);
    let spawn = json!({"type": "collabAgentToolCall", "id": "call_s", "tool": "spawnAgent", "status": "inProgress",
        "senderThreadId": "thr", "receiverThreadIds": ["child"], "prompt": "look around", "agentsStates": {}});
    let out = conv.line(&item_msg("item/started", "thr", "t1", spawn));
    let evs = events(&out);
    let EventData::ItemCompleted(call) = evs[1] else { panic!() };
    assert!(matches!(&call.item.content[0], ContentPart::ToolCall { name, .. } if name == "spawnAgent"));
    let child = json!({"type": "agentMessage", "id": "m1", "text": "found it"});
    let out = conv.line(&item_msg("item/completed", "child", "ct", child));
    let EventData::ItemCompleted(msg) = events(&out)[0] else { panic!() };
    assert_eq!(msg.item.parent_id.as_deref(), Some("t1:call_s"));
    // The child's turns are not the session's.
    assert!(conv.line(&turn_completed("child", "ct", "completed", Value::Null)).is_empty());
    let done = json!({"type": "collabAgentToolCall", "id": "call_s", "tool": "spawnAgent", "status": "completed",
        "senderThreadId": "thr", "receiverThreadIds": ["child"], "agentsStates": {"child": {"status": "completed", "message": "done"}}});
    let out = conv.line(&item_msg("item/completed", "thr", "t1", done));
    let EventData::ItemCompleted(result) = events(&out)[0] else { panic!() };
    assert!(
        matches!(&result.item.content[0], ContentPart::ToolResult { output, .. } if output == "child: completed — done")
    );
}

#[test]
fn reasoning_and_mcp_items() {
    let mut conv = started_converter();
    conv.user_message("think", &[]);
    let reasoning = json!({"type": "reasoning", "id": "rs", "summary": ["short"], "content": ["long"]});
    let EventData::ItemCompleted(r) =
        events(&conv.line(&item_msg("item/completed", "thr", "t1", reasoning)))[0].clone()
    else {
        panic!()
    };
    assert_eq!(
        r.item.content,
        [
            ContentPart::Reasoning { text: "short".into(), visibility: ReasoningVisibility::Public },
            ContentPart::Reasoning { text: "long".into(), visibility: ReasoningVisibility::Private }
        ]
    );
    let mcp = json!({"type": "mcpToolCall", "id": "c9", "server": "docs", "tool": "search",
        "status": "failed", "arguments": {"q": 1}, "result": null, "error": {"message": "server down"}});
    let out = conv.line(&item_msg("item/completed", "thr", "t1", mcp));
    let evs = events(&out);
    assert!(
        matches!(&evs[1], EventData::ItemCompleted(d) if matches!(&d.item.content[0], ContentPart::ToolCall { name, arguments, .. } if name == "docs.search" && arguments == r#"{"q":1}"#))
    );
    let EventData::ItemCompleted(res) = evs[2] else { panic!() };
    assert_eq!(res.item.status, ItemStatus::Failed);
    assert!(matches!(&res.item.content[0], ContentPart::ToolResult { output, .. } if output == "server down"));
    // Command output streams into the result item.
    let out = conv.line(r#"{"method":"item/commandExecution/outputDelta","params":{"threadId":"thr","turnId":"t1","itemId":"c1","delta":"hi\n"}}"#);
    let evs = events(&out);
    assert!(
        matches!(evs[0], EventData::ItemStarted(d) if d.item.kind == ItemKind::ToolResult && d.item.native_item_id.as_deref() == Some("t1:c1:result"))
    );
    assert!(matches!(evs[1], EventData::ItemDelta(d) if d.native_item_id.as_deref() == Some("t1:c1:result")));
    assert_eq!(events(&conv.line(r#"{"method":"item/commandExecution/outputDelta","params":{"threadId":"thr","turnId":"t1","itemId":"c1","delta":"x"}}"#)).len(), 1);
}

#[test]
fn garbage_and_unknown_requests_are_unparsed_and_answered() {
    let mut conv = started_converter();
    for line in [
        "not json",
        "[1,2]",
        r#"{"method":"brand/new","params":{}}"#,
        r#"{"id":99,"result":{}}"#,
        r#"{"method":"item/started","params":{"threadId":"thr","turnId":"t","item":{"type":"hologram","id":"h"}}}"#,
    ] {
        let out = conv.line(line);
        assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{line}");
    }
    let out = conv.line(r#"{"method":"brand/newRequest","id":12,"params":{}}"#);
    assert_eq!(writes(&out)[0]["id"], 12);
    assert!(writes(&out)[0]["error"]["message"].is_string());
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
    // Known but unsupported: refused, and said so.
    let out = conv.line(r#"{"method":"mcpServer/elicitation/request","id":13,"params":{"serverName":"docs","threadId":"thr","turnId":"t","mode":"url","message":"m","url":"https://x","elicitationId":"e"}}"#);
    assert_eq!(writes(&out)[0]["id"], 13);
    assert!(
        matches!(events(&out)[..], [EventData::Error(e)] if e.code.as_deref() == Some("unsupported_request")),
        "{out:?}"
    );
}

#[test]
fn request_user_input_is_a_question_answered_by_question_id() {
    let mut conv = started_converter();
    let ask = r#"{"method":"item/tool/requestUserInput","id":13,"params":{"threadId":"thr","turnId":"t","itemId":"i","isBlocking":true,"questions":[
        {"id":"color","header":"Color","question":"Which color?","options":[{"label":"red","description":""},{"label":"blue","description":""}]},
        {"id":"size","header":"Size","question":"Which size?"}]}}"#;
    let out = conv.line(&ask.replace('\n', ""));
    let [EventData::QuestionRequested(q)] = &events(&out)[..] else { panic!("{out:?}") };
    assert_eq!((q.question_id.as_str(), q.prompt.as_str()), ("13", "Which color?\nWhich size?"));
    assert_eq!(q.options, ["red", "blue"]);
    let reply = conv.question_reply("13", Some(&[vec!["blue".into()], vec!["L".into()]])).unwrap();
    assert_eq!(
        reply,
        json!({"id": 13, "result": {"answers": {"color": {"answers": ["blue"]}, "size": {"answers": ["L"]}}}})
    );
    assert!(conv.question_reply("13", None).is_none(), "answered once");
    // Rejected: no answers; withdrawn by Codex: resolved as rejected.
    conv.line(&ask.replace('\n', "").replace("\"id\":13", "\"id\":14"));
    assert_eq!(conv.question_reply("14", None).unwrap(), json!({"id": 14, "result": {"answers": {}}}));
    conv.line(&ask.replace('\n', "").replace("\"id\":13", "\"id\":15"));
    let out = conv.line(r#"{"method":"serverRequest/resolved","params":{"threadId":"thr","requestId":15}}"#);
    assert!(
        matches!(&events(&out)[..], [EventData::QuestionResolved(q)] if q.status == QuestionStatus::Rejected),
        "{out:?}"
    );
}

#[test]
fn ignored_notifications_emit_nothing() {
    let mut conv = started_converter();
    for method in ["thread/status/changed", "account/rateLimits/updated", "remoteControl/status/changed"] {
        let message = recorded(|m| m["method"] == method);
        assert!(conv.line(&message.to_string()).is_empty(), "{method}");
    }
    let mcp = r#"{"method":"mcpServer/startupStatus/updated","params":{"name":"docs","status":"ready"}}"#;
    assert!(conv.line(mcp).is_empty());
    // The same notification not matching the schema is not ignored: it is unparsed.
    let out = conv.line(r#"{"method":"thread/status/changed","params":{"threadId":"thr"}}"#);
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
}

/// Every shape of `codexErrorInfo` the schema allows: a known name (codex 0.169 sends `"other"`
/// for a model API 400), a one-key object with the HTTP status, and any other string or object.
#[test]
fn codex_error_info_of_every_shape_is_an_error_event() {
    let mut conv = started_converter();
    conv.user_message("x", &[]);
    for (info, code) in [
        (json!("other"), "other"),
        (json!({"httpConnectionFailed": {"httpStatusCode": 502}}), "httpConnectionFailed"),
        (json!("somethingNewer"), "somethingNewer"),
    ] {
        let error = json!({"method": "error", "params": {"threadId": "thr", "turnId": "t1", "willRetry": false,
            "error": {"message": "stub says no", "codexErrorInfo": info, "additionalDetails": null}}});
        let out = conv.line(&error.to_string());
        assert!(matches!(events(&out)[..], [EventData::Error(e)] if e.code.as_deref() == Some(code)), "{info}");
    }
    let out = conv.line(&turn_completed(
        "thr",
        "t1",
        "failed",
        json!({"message": "stub says no", "codexErrorInfo": "other"}),
    ));
    let EventData::TurnEnded(end) = events(&out)[0] else { panic!() };
    assert_eq!((end.reason, end.message.as_deref()), (TurnEndReason::Error, Some("stub says no")));
}

#[test]
fn the_first_turn_waits_for_the_mcp_servers_to_start() {
    let mut conv = Converter::new(Settings { mcp_servers: vec!["a".into(), "b".into()], ..settings(true) });
    conv.initialize();
    assert!(conv.user_message("use the tools", &[]).is_none(), "held while a and b start");
    let status = |name: &str, status: &str| {
        json!({"method": "mcpServer/startupStatus/updated", "params": {"name": name, "status": status, "error": "boom"}})
            .to_string()
    };
    assert!(conv.line(&status("a", "starting")).is_empty());
    assert!(conv.line(&status("a", "ready")).is_empty(), "b is still starting");
    let out = conv.line(&status("b", "failed"));
    assert!(
        matches!(events(&out)[..], [EventData::Error(e)] if e.code.as_deref() == Some("mcp_server_failed") && e.message.contains("boom"))
    );
    assert_eq!(writes(&out)[0]["method"], "turn/start");
    assert_eq!(writes(&out)[0]["params"]["input"][0]["text"], "use the tools");
    // Later turns go at once; a late report changes nothing.
    assert!(conv.line(&status("a", "ready")).is_empty());
}
