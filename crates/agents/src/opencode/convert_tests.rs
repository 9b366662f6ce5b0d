//! Tests of `convert.rs`: replays of the recorded transcripts and edge cases.

use super::*;
use crate::transcripts::{first_event, native_lines, Line};
use crate::AgentEvent;

fn events(actions: &[Action]) -> Vec<&EventData> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(AgentOutput::Event(ev)) => Some(&ev.data),
            _ => None,
        })
        .collect()
}

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
        .filter_map(|e| match e {
            EventData::TurnEnded(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

fn no_unparsed(name: &str, actions: &[Action]) {
    for a in actions {
        if let Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::AgentUnparsed(u), raw, .. })) = a {
            panic!("{name}: unparsed {u:?} from {raw:?}");
        }
    }
}

fn serve_opts() -> Options {
    Options { agent: None, model: Some(("mock".into(), "mock-model".into())), variant: None, auto_approve: false }
}

/// Replay a serve transcript: the driver's requests become the converter's inputs (and are
/// checked against the requests the converter makes), SSE events its output.
fn replay_serve(name: &str) -> (Converter, Vec<Action>) {
    let lines = crate::transcripts::load(name);
    let root = lines
        .iter()
        .find(|l| l["_dir"] == "http-resp" && l["msg"]["path"] == "/session")
        .and_then(|l| l["msg"]["body"]["id"].as_str())
        .expect("session created")
        .to_string();
    let mut conv = Converter::new(Some(root), serve_opts());
    let mut out = Vec::new();
    for line in native_lines(&lines) {
        match line {
            Line::In(req) => {
                let path = req["path"].as_str().unwrap_or("");
                let made = if path.ends_with("/prompt_async") {
                    Some(conv.message(req["body"]["parts"][0]["text"].as_str().unwrap(), &[]))
                } else if path.starts_with("/permission/") {
                    let id = path.split('/').nth(2).unwrap();
                    let reply = match req["body"]["reply"].as_str() {
                        Some("always") => PermissionReply::Always,
                        Some("reject") => PermissionReply::Reject,
                        _ => PermissionReply::Once,
                    };
                    Some(conv.permission_reply(id, reply))
                } else {
                    None // POST /session (done by the adapter), GET …/message (the driver's check)
                };
                if let Some(made) = made {
                    assert_eq!(made.path, path, "{name}: request path");
                    assert_eq!(made.body.as_ref(), Some(&req["body"]), "{name}: request body");
                }
            }
            Line::Out(text) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                if v.get("path").is_some() && v.get("status").is_some() {
                    continue; // an HTTP response to the driver
                }
                out.extend(conv.sse(&v));
            }
        }
    }
    (conv, out)
}

fn replay_run(name: &str) -> Vec<Action> {
    let lines = crate::transcripts::load(name);
    let mut conv = Converter::new(None, Options::default());
    let mut out = Vec::new();
    for line in native_lines(&lines) {
        if let Line::Out(text) = line {
            out.extend(conv.run_line(&text));
        }
    }
    out
}

/// Every OpenCode serve and run transcript converts with no `agent.unparsed`.
#[test]
fn every_opencode_transcript_converts_cleanly() {
    let mut files = 0;
    for (name, _) in crate::transcripts::all_of(crate::transcripts::OPENCODE) {
        let out = if name.starts_with("opencode-serve-") {
            replay_serve(&name).1
        } else if name.starts_with("opencode-run-json-") {
            replay_run(&name)
        } else {
            panic!("{name}: claimed by the opencode converter but neither serve nor run JSON");
        };
        files += 1;
        no_unparsed(&name, &out);
        assert!(!out.is_empty(), "{name}");
    }
    assert!(files >= 4, "found {files} transcripts");
}

#[test]
fn serve_permission_two_turns() {
    let (conv, out) = replay_serve("opencode-serve-sse-permission-2turns.jsonl");
    let evs = events(&out);
    // The permission, with its id, action and patterns.
    let perm = first_event!(evs, EventData::PermissionRequested);
    assert_eq!(perm.permission_id, "per_20b89e33b001zv13RFtXH0r7QL");
    assert_eq!(perm.action, "bash");
    let meta = perm.metadata.unwrap();
    assert_eq!(meta["patterns"][0], "echo hi > hello.txt");
    assert_eq!(meta["tool"]["callID"], "call_24a169dd3d3f4b598ac0");
    assert!(!evs.iter().any(|e| matches!(e, EventData::PermissionResolved(_))), "the daemon resolves");
    // The tool part: tool_call started (pending) and completed (running), then the result.
    let call_started = evs.iter().any(|e| matches!(e, EventData::ItemStarted(d) if d.item.kind == ItemKind::ToolCall));
    assert!(call_started);
    let items = completed_items(&out);
    let call = items.iter().find(|i| i.kind == ItemKind::ToolCall).unwrap();
    let ContentPart::ToolCall { name, arguments, call_id } = &call.content[0] else { panic!() };
    assert_eq!((name.as_str(), call_id.as_str()), ("bash", "call_24a169dd3d3f4b598ac0"));
    assert_eq!(serde_json::from_str::<Value>(arguments).unwrap()["command"], "echo hi > hello.txt && echo wrote");
    let result = items.iter().find(|i| i.kind == ItemKind::ToolResult).unwrap();
    assert_eq!(result.status, ItemStatus::Completed);
    assert_eq!(result.parent_id, call.native_item_id);
    assert_eq!(
        result.content,
        vec![ContentPart::ToolResult { call_id: "call_24a169dd3d3f4b598ac0".into(), output: "wrote\n".into() }]
    );
    // Assistant text streams as deltas into items keyed by part id; no user text at all.
    let texts: Vec<&UniversalItem> = items.iter().filter(|i| i.kind == ItemKind::Message).collect();
    assert_eq!(
        texts.iter().map(|i| i.content.clone()).collect::<Vec<_>>(),
        [vec![ContentPart::text("DONE: wrote")], vec![ContentPart::text("plain reply")]]
    );
    assert_eq!(texts[0].native_item_id.as_deref(), Some("prt_20b89e386001fganmn3kVOofBa"));
    let deltas: Vec<&str> = evs
        .iter()
        .filter_map(|e| match e {
            EventData::ItemDelta(d) => Some(d.delta.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deltas, ["DONE: wrote", "plain reply"]);
    assert!(!items
        .iter()
        .any(|i| i.content.iter().any(|p| matches!(p, ContentPart::Text { text } if text.contains("SHELLWRITE")))));
    // Two turns, two turn.ended, with the steps' usage.
    let ends = turn_ends(&out);
    assert_eq!(ends.len(), 2);
    assert!(ends.iter().all(|e| e.reason == TurnEndReason::Completed));
    assert_eq!(ends[0].usage.as_ref().unwrap().input_tokens, Some(200), "two steps in turn 1");
    assert_eq!(ends[1].usage.as_ref().unwrap().output_tokens, Some(20));
    assert!(!conv.turn_active());
    // Each native payload rides on the first event it produced.
    let raw = out.iter().find_map(|a| match a {
        Action::Emit(AgentOutput::Event(AgentEvent { data: EventData::PermissionRequested(_), raw, .. })) => {
            raw.clone()
        }
        _ => None,
    });
    let raw: Value = serde_json::from_str(raw.unwrap().get()).unwrap();
    assert_eq!(raw["type"], "permission.asked");
}

#[test]
fn run_json_bash() {
    let out = replay_run("opencode-run-json-bash.jsonl");
    assert!(
        matches!(&out[0], Action::Emit(AgentOutput::NativeSessionId(id)) if id == "ses_df476b1d2ffehoTS0LvPq9FZJ3")
    );
    let items = completed_items(&out);
    let kinds: Vec<ItemKind> = items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [ItemKind::ToolCall, ItemKind::ToolResult, ItemKind::Message]);
    assert!(matches!(&items[1].content[0], ContentPart::ToolResult { output, .. } if output == "wrote\n"));
    assert_eq!(items[2].content, vec![ContentPart::text("DONE: wrote")]);
    let ends = turn_ends(&out);
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].reason, TurnEndReason::Completed);
    assert_eq!(ends[0].usage.as_ref().unwrap().input_tokens, Some(200));
}

#[test]
fn run_json_autorejected_permission_is_a_failed_result() {
    let out = replay_run("opencode-run-json-ask-autoreject.jsonl");
    let result = completed_items(&out).into_iter().find(|i| i.kind == ItemKind::ToolResult).unwrap();
    assert_eq!(result.status, ItemStatus::Failed);
    assert!(
        matches!(&result.content[..], [ContentPart::ToolResult { output, .. }] if output.contains("rejected permission"))
    );
    assert!(turn_ends(&out).is_empty(), "the model continues after tool-calls");
}

#[test]
fn run_json_api_error() {
    let out = replay_run("opencode-run-json-api-error-400.jsonl");
    let evs = events(&out);
    let EventData::Error(err) = evs[0] else { panic!("{evs:?}") };
    assert_eq!(err.message, "mock scripted failure");
    assert_eq!(err.code.as_deref(), Some("APIError"));
    assert_eq!(err.details.as_ref().unwrap()["data"]["statusCode"], 400);
    let ends = turn_ends(&out);
    assert_eq!(ends.len(), 1);
    assert_eq!(ends[0].reason, TurnEndReason::Error);
    assert_eq!(ends[0].message.as_deref(), Some("mock scripted failure"));
}

const ROOT: &str = "ses_root";

/// An SSE event (crafted ones get a made-up event id, which the schema requires).
fn ev(ty: &str, props: Value) -> Value {
    json!({"id": "evt_test", "type": ty, "properties": props})
}

/// The first recorded SSE event that `pick` accepts: crafted events start from these, so they
/// keep the server's shape.
fn recorded(pick: impl Fn(&Value) -> bool) -> Value {
    let all = crate::transcripts::all_of(&["opencode-serve-"]);
    let found = all
        .iter()
        .flat_map(|(_, lines)| lines)
        .find_map(|l| (l["_dir"] == "sse" && pick(&l["msg"])).then(|| l["msg"].clone()));
    found.expect("a recorded event")
}

/// `message.updated` of an assistant message (a recorded one, renamed).
fn assistant(id: &str, session: &str, completed: Option<u64>, error: Option<Value>) -> Value {
    let recorded = recorded(|m| m["type"] == "message.updated" && m["properties"]["info"]["role"] == "assistant");
    let mut info = recorded["properties"]["info"].clone();
    info["id"] = json!(id);
    info["sessionID"] = json!(session);
    if let Some(completed) = completed {
        info["time"]["completed"] = json!(completed);
    }
    if let Some(error) = error {
        info["error"] = error;
    }
    ev("message.updated", json!({"sessionID": session, "info": info}))
}

fn status(kind: &str) -> Value {
    ev("session.status", json!({"sessionID": ROOT, "status": {"type": kind}}))
}

fn feed(conv: &mut Converter, evs: &[Value]) -> Vec<Action> {
    let out: Vec<Action> = evs.iter().flat_map(|e| conv.sse(e)).collect();
    no_unparsed("feed", &out);
    out
}

#[test]
fn only_an_idle_after_this_turns_busy_ends_it() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    let req = conv.message("hi", &[]);
    assert_eq!(req.path, "/session/ses_root/prompt_async");
    // The previous turn's idle, late: ignored.
    let idle = ev("session.idle", json!({"sessionID": ROOT}));
    assert!(turn_ends(&feed(&mut conv, &[status("idle"), idle.clone()])).is_empty());
    let out = feed(&mut conv, &[status("busy"), status("idle"), idle]);
    assert_eq!(turn_ends(&out).len(), 1, "status idle and session.idle end it once");
    // Events outside a turn never end one.
    assert!(turn_ends(&feed(&mut conv, &[status("busy"), status("idle")])).is_empty());
}

#[test]
fn session_error_is_reported_once_and_fails_the_turn() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    conv.message("hi", &[]);
    let error = json!({"name": "ProviderAuthError", "data": {"providerID": "x", "message": "bad key"}});
    let out = feed(
        &mut conv,
        &[
            status("busy"),
            ev("session.error", json!({"sessionID": ROOT, "error": error})),
            assistant("msg_1", ROOT, Some(2), Some(error.clone())),
            status("idle"),
        ],
    );
    let errors: Vec<&EventData> = events(&out).into_iter().filter(|e| matches!(e, EventData::Error(_))).collect();
    assert!(
        matches!(errors[..], [EventData::Error(e)] if e.message == "bad key" && e.code.as_deref() == Some("ProviderAuthError"))
    );
    let ends = turn_ends(&out);
    assert_eq!((ends[0].reason, ends[0].message.as_deref()), (TurnEndReason::Error, Some("bad key")));
}

#[test]
fn abort_ends_the_turn_interrupted() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    conv.message("hi", &[]);
    let abort = conv.interrupt();
    assert_eq!((abort.path.as_str(), abort.kind), ("/session/ses_root/abort", RequestKind::Abort));
    let error = json!({"name": "MessageAbortedError", "data": {"message": "aborted"}});
    let out = feed(
        &mut conv,
        &[status("busy"), ev("session.error", json!({"sessionID": ROOT, "error": error})), status("idle")],
    );
    assert!(!events(&out).iter().any(|e| matches!(e, EventData::Error(_))));
    assert_eq!(turn_ends(&out)[0].reason, TurnEndReason::Interrupted);
    // And when OpenCode never answers, the timeout ends it.
    conv.message("again", &[]);
    conv.interrupt();
    let out = conv.interrupt_timed_out();
    assert_eq!(turn_ends(&out)[0].reason, TurnEndReason::Interrupted);
    assert!(conv.interrupt_timed_out().is_empty());
}

#[test]
fn a_late_abort_of_the_previous_turn_does_not_end_the_next_one_interrupted() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    conv.message("next", &[]);
    let aborted = json!({"name": "MessageAbortedError", "data": {"message": "aborted"}});
    let failed = json!({"name": "ProviderAuthError", "data": {"providerID": "x", "message": "scripted failure"}});
    let out = feed(
        &mut conv,
        &[
            status("busy"),
            // The interrupted turn's abort, reported once more after this turn began.
            ev("session.error", json!({"sessionID": ROOT, "error": aborted})),
            ev("session.error", json!({"sessionID": ROOT, "error": failed})),
            status("idle"),
        ],
    );
    let ends = turn_ends(&out);
    assert_eq!((ends[0].reason, ends[0].message.as_deref()), (TurnEndReason::Error, Some("scripted failure")));
}

#[test]
fn failed_prompt_request_fails_the_turn() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    let req = conv.message("hi", &[]);
    let out = conv.request_failed(&req, Some(400), "{\"name\":\"BadRequest\"}");
    let evs = events(&out);
    assert!(matches!(evs[0], EventData::Error(e) if e.message.contains("HTTP 400")));
    assert_eq!(turn_ends(&out)[0].reason, TurnEndReason::Error);
    let abort = conv.interrupt();
    assert!(conv.request_failed(&abort, None, "x").is_empty());
}

#[test]
fn questions_map_to_question_requested_and_replies() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    let q = ev(
        "question.asked",
        json!({"id": "que_1", "sessionID": ROOT, "questions": [
        {"question": "Which color?", "header": "Color", "options": [{"label": "Red", "description": ""}, {"label": "Blue", "description": ""}]},
        {"question": "Why?", "header": "Why", "options": []}]}),
    );
    let out = feed(
        &mut conv,
        &[q, ev("question.replied", json!({"sessionID": ROOT, "requestID": "que_1", "answers": [["Red"]]}))],
    );
    let EventData::QuestionRequested(asked) = events(&out)[0] else { panic!() };
    assert_eq!((asked.question_id.as_str(), asked.prompt.as_str()), ("que_1", "Which color?"));
    assert_eq!(asked.options, ["Red", "Blue"]);
    assert_eq!(events(&out).len(), 1, "replied: the daemon resolves");
    let reply = conv.question_reply("que_1", Some(&[vec!["Red".into()]]));
    assert_eq!(reply.path, "/question/que_1/reply");
    assert_eq!(reply.body, Some(json!({"answers": [["Red"], []]})), "one answer per question");
    let reject = conv.question_reply("que_2", None);
    assert_eq!((reject.path.as_str(), reject.body), ("/question/que_2/reject", None));
}

#[test]
fn permission_replies_and_bypass() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    let asked = ev(
        "permission.asked",
        json!({"id": "per_1", "sessionID": "ses_child", "permission": "edit", "patterns": ["a.txt"], "always": [], "metadata": {}}),
    );
    feed(&mut conv, std::slice::from_ref(&asked));
    let reply = conv.permission_reply("per_1", PermissionReply::Always);
    assert_eq!(
        (reply.path.as_str(), reply.body.clone()),
        ("/permission/per_1/reply", Some(json!({"reply": "always"})))
    );
    assert_eq!(reply.fallback, Some(("/session/ses_child/permissions/per_1".into(), json!({"response": "always"}))));
    let mut bypass = Converter::new(Some(ROOT.into()), Options { auto_approve: true, ..Default::default() });
    let out = bypass.sse(&asked);
    assert!(events(&out).is_empty(), "nothing asked of the client");
    assert!(
        matches!(&out[..], [Action::Request(r)] if r.path == "/permission/per_1/reply" && r.body == Some(json!({"reply": "once"})))
    );
}

#[test]
fn reasoning_file_tools_and_subagents() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    conv.message("go", &[]);
    let part = |p: Value| ev("message.part.updated", json!({"sessionID": p["sessionID"], "part": p, "time": 1}));
    let task_running = json!({"id": "prt_task", "messageID": "msg_a", "sessionID": ROOT, "type": "tool", "tool": "task", "callID": "call_task",
        "state": {"status": "running", "input": {"description": "look", "prompt": "look around", "subagent_type": "general"}, "metadata": {"sessionId": "ses_child"}, "time": {"start": 1}}});
    let mut child_created = recorded(|m| m["type"] == "session.created");
    child_created["properties"]["sessionID"] = json!("ses_child");
    child_created["properties"]["info"]["id"] = json!("ses_child");
    child_created["properties"]["info"]["parentID"] = json!(ROOT);
    let out = feed(
        &mut conv,
        &[
            assistant("msg_a", ROOT, None, None),
            part(
                json!({"id": "prt_r", "messageID": "msg_a", "sessionID": ROOT, "type": "reasoning", "text": "", "time": {"start": 1}}),
            ),
            ev(
                "message.part.delta",
                json!({"sessionID": ROOT, "messageID": "msg_a", "partID": "prt_r", "field": "text", "delta": "hmm"}),
            ),
            part(
                json!({"id": "prt_r", "messageID": "msg_a", "sessionID": ROOT, "type": "reasoning", "text": "hmm", "time": {"start": 1, "end": 2}}),
            ),
            part(
                json!({"id": "prt_edit", "messageID": "msg_a", "sessionID": ROOT, "type": "tool", "tool": "edit", "callID": "call_e",
            "state": {"status": "completed", "input": {"filePath": "/w/a.rs", "oldString": "a", "newString": "b"}, "output": "Edit applied.",
                "metadata": {"diff": "--- a/a.rs\n+++ b/a.rs\n-a\n+b\n"}, "title": "a.rs", "time": {"start": 1, "end": 2}}}),
            ),
            part(task_running),
            // The subagent's session and its text, nested under the task tool part.
            child_created,
            assistant("msg_c", "ses_child", None, None),
            part(
                json!({"id": "prt_c", "messageID": "msg_c", "sessionID": "ses_child", "type": "text", "text": "found it", "time": {"start": 1, "end": 2}}),
            ),
            ev("session.status", json!({"sessionID": "ses_child", "status": {"type": "idle"}})),
            ev("session.idle", json!({"sessionID": "ses_child"})),
            part(
                json!({"id": "prt_patch", "messageID": "msg_a", "sessionID": ROOT, "type": "patch", "hash": "abc", "files": ["/w/a.rs"]}),
            ),
            ev(
                "session.status",
                json!({"sessionID": ROOT, "status": {"type": "retry", "attempt": 2, "message": "rate limited", "next": 5}}),
            ),
        ],
    );
    assert!(turn_ends(&out).is_empty(), "a subagent's idle is not ours");
    let items = completed_items(&out);
    let reasoning = items.iter().find(|i| i.native_item_id.as_deref() == Some("prt_r")).unwrap();
    assert_eq!(
        reasoning.content,
        vec![ContentPart::Reasoning { text: "hmm".into(), visibility: ReasoningVisibility::Public }]
    );
    let edit = items.iter().find(|i| i.native_item_id.as_deref() == Some("prt_edit:result")).unwrap();
    assert!(
        matches!(&edit.content[1], ContentPart::FileRef { path, action: FileAction::Patch, diff: Some(d) } if path == "/w/a.rs" && d.contains("+b"))
    );
    let child = items.iter().find(|i| i.native_item_id.as_deref() == Some("prt_c")).unwrap();
    assert_eq!(child.parent_id.as_deref(), Some("prt_task"));
    let patch = items.iter().find(|i| i.native_item_id.as_deref() == Some("prt_patch")).unwrap();
    assert_eq!(patch.kind, ItemKind::Status);
    assert!(patch.content.contains(&ContentPart::FileRef {
        path: "/w/a.rs".into(),
        action: FileAction::Patch,
        diff: None
    }));
    let retry = items.iter().find(|i| {
        i.kind == ItemKind::Status
            && i.content.iter().any(|p| matches!(p, ContentPart::Status { label, .. } if label == "opencode.retry"))
    });
    assert!(retry.is_some());
    // A text part the message's completion closes.
    let out = feed(
        &mut conv,
        &[
            part(
                json!({"id": "prt_open", "messageID": "msg_a", "sessionID": ROOT, "type": "text", "text": "", "time": {"start": 3}}),
            ),
            ev(
                "message.part.delta",
                json!({"sessionID": ROOT, "messageID": "msg_a", "partID": "prt_open", "field": "text", "delta": "half"}),
            ),
            assistant("msg_a", ROOT, Some(4), None),
        ],
    );
    assert_eq!(completed_items(&out)[0].content, vec![ContentPart::text("half")]);
}

#[test]
fn garbage_is_unparsed_not_dropped() {
    let mut conv = Converter::new(Some(ROOT.into()), Options::default());
    for v in [
        Value::String("not json".into()),
        json!({"type": "brand.new", "properties": {"sessionID": ROOT}}),
        json!({"no": "type"}),
        ev(
            "message.part.updated",
            json!({"sessionID": ROOT, "part": {"id": "p", "messageID": "m", "type": "hologram"}}),
        ),
        ev(
            "message.part.updated",
            json!({"sessionID": ROOT, "part": {"id": "p2", "messageID": "m", "type": "tool", "tool": "x", "state": {"status": "dreaming"}}}),
        ),
        ev("message.updated", json!({"sessionID": ROOT, "info": {"id": "m", "role": "narrator"}})),
        ev("message.part.delta", json!({"sessionID": ROOT, "partID": "p3", "field": "colour", "delta": "x"})),
        status("sleeping"),
    ] {
        let out = conv.sse(&v);
        assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{v}");
        assert!(matches!(&out[0], Action::Emit(AgentOutput::Event(AgentEvent { synthetic: true, raw: Some(_), .. }))));
    }
    for line in ["not json", r#"{"type":"brand_new"}"#] {
        let out = conv.run_line(line);
        assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]), "{line}");
    }
    // Known noise is ignored on purpose (recorded events of each type).
    for ty in [
        "server.connected",
        "plugin.added",
        "catalog.updated",
        "integration.updated",
        "session.diff",
        "session.updated",
    ] {
        assert!(conv.sse(&recorded(|m| m["type"] == ty)).is_empty(), "{ty}");
    }
    // The same type not matching the schema is not ignored: it is unparsed.
    let out = conv.sse(&ev("session.diff", json!({"sessionID": ROOT})));
    assert!(matches!(events(&out)[..], [EventData::AgentUnparsed(_)]));
}
