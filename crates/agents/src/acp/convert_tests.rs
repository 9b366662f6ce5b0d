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

// The converter driven line by line, one flow per test.
#[path = "convert_flow_tests.rs"]
mod flows;
