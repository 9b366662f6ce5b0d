//! The event contract of every mock command.

use sandbox_agent_schema::*;

use crate::common::*;

#[tokio::test]
async fn create_emits_started_events_and_a_greeting() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "greet").await;
    let events = sse_until(&c, "greet", 0, |e| matches!(e.data, EventData::ItemCompleted(_))).await;
    assert_eq!(types(&events)[..3], ["session.started", "session.started", "item.started"]);
    assert!(events[0].synthetic && !events[1].synthetic);
    let EventData::SessionStarted(meta) = &events[0].data else { panic!() };
    assert_eq!(meta.metadata.as_ref().unwrap()["agent"], "mock");
    assert!(assistant_text(&events).contains("Mock agent ready"));
    assert_eq!(events[1].native_session_id.as_deref(), Some("mock-greet"));
    check_contract(&events, false);
}

/// Run one command in a fresh session; check the contract and return the turn's events.
async fn run(command: &str) -> Vec<UniversalEvent> {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let events = turn(&c, "s", command).await;
    assert_eq!(events[0].data.event_type(), "turn.started");
    assert_eq!(types(&events)[1..4], ["item.started", "item.delta", "item.completed"], "user message first");
    let user = completed_items(&events)[0];
    assert_eq!((user.role, &user.content), (Some(ItemRole::User), &vec![ContentPart::text(command)]));
    check_contract(&events, matches!(command, "error" | "unparsed"));
    // The stream matches what was stored.
    let stored = all_events(&c, "s").await;
    let tail: Vec<_> = stored.iter().filter(|e| e.sequence >= events[0].sequence).cloned().collect();
    assert_eq!(tail, events);
    check_contract(&stored, matches!(command, "error" | "unparsed"));
    events
}

fn parts(events: &[UniversalEvent]) -> Vec<ContentPart> {
    completed_items(events).into_iter().flat_map(|i| i.content.clone()).collect()
}

#[tokio::test]
async fn help_lists_the_commands() {
    let events = run("help").await;
    let text = assistant_text(&events);
    for cmd in ["demo", "markdown", "permission", "question", "flood N", "slow MS", "echo TEXT"] {
        assert!(text.contains(cmd), "help lacks {cmd}: {text}");
    }
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let ended = events.last().unwrap();
    assert!(!ended.synthetic, "the agent ended this turn, not the daemon");
}

#[tokio::test]
async fn echo_say_and_fallback() {
    assert_eq!(assistant_text(&run("echo hello there").await), "hello there");
    assert_eq!(assistant_text(&run("say hi").await), "hi");
    assert_eq!(assistant_text(&run("what is this").await), "You said: what is this");
}

#[tokio::test]
async fn markdown_streams_in_several_deltas() {
    let events = run("markdown").await;
    assert!(assistant_text(&events).starts_with("# Mock markdown"));
    let assistant_deltas = events.iter().filter(|e| matches!(&e.data, EventData::ItemDelta(_)) && !e.synthetic).count();
    assert!(assistant_deltas >= 4, "{assistant_deltas}");
}

#[tokio::test]
async fn tool_calls_results_and_file_refs() {
    let events = run("tool").await;
    let items = completed_items(&events);
    let calls: Vec<_> = items.iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert_eq!(calls.len(), 2);
    let results: Vec<_> = items.iter().filter(|i| i.kind == ItemKind::ToolResult).collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1].status, ItemStatus::Failed);
    let actions: Vec<FileAction> = parts(&events)
        .iter()
        .filter_map(|p| match p {
            ContentPart::FileRef { action, .. } => Some(*action),
            _ => None,
        })
        .collect();
    assert_eq!(actions, [FileAction::Read, FileAction::Write, FileAction::Patch]);
    assert!(parts(&events)
        .iter()
        .any(|p| matches!(p, ContentPart::FileRef { diff: Some(d), .. } if d.contains("+new"))));
    assert!(parts(&events).iter().any(|p| matches!(p, ContentPart::ToolCall { name, .. } if name == "mock.shell")));
}

#[tokio::test]
async fn status_image_reasoning_unknown() {
    assert!(parts(&run("status").await)
        .iter()
        .any(|p| matches!(p, ContentPart::Status { label, .. } if label == "mock.status")));
    assert!(parts(&run("image").await)
        .iter()
        .any(|p| matches!(p, ContentPart::Image { mime: Some(m), .. } if m == "image/png")));
    assert!(parts(&run("reasoning").await).iter().any(|p| matches!(p, ContentPart::Reasoning { .. })));
    assert!(completed_items(&run("unknown").await).iter().any(|i| i.kind == ItemKind::Unknown));
}

#[tokio::test]
async fn demo_covers_every_part_type() {
    let events = run("demo").await;
    let mut kinds: Vec<&str> = parts(&events)
        .iter()
        .map(|p| match p {
            ContentPart::Text { .. } => "text",
            ContentPart::Json { .. } => "json",
            ContentPart::ToolCall { .. } => "tool_call",
            ContentPart::ToolResult { .. } => "tool_result",
            ContentPart::FileRef { .. } => "file_ref",
            ContentPart::Reasoning { .. } => "reasoning",
            ContentPart::Image { .. } => "image",
            ContentPart::Status { .. } => "status",
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
}

#[tokio::test]
async fn error_ends_the_turn_with_an_error() {
    let events = run("error").await;
    let err = events.iter().find_map(|e| match &e.data {
        EventData::Error(d) => Some(d.clone()),
        _ => None,
    });
    assert_eq!(err.unwrap().code.as_deref(), Some("mock_error"));
    assert_eq!(count(&events, "agent.unparsed"), 1);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Error);
}

#[tokio::test]
async fn unparsed_is_synthetic() {
    let events = run("unparsed").await;
    let ev = events.iter().find(|e| e.data.event_type() == "agent.unparsed").unwrap();
    assert!(ev.synthetic && ev.source == EventSource::Daemon);
}

#[tokio::test]
async fn flood_delivers_every_delta_in_order() {
    let events = run("flood 2000").await;
    let text: String = events
        .iter()
        .filter(|e| !e.synthetic)
        .filter_map(|e| match &e.data {
            EventData::ItemDelta(d) => Some(d.delta.as_str()),
            _ => None,
        })
        .collect();
    let expected: String = (0..2000).map(|i| format!("{i} ")).collect();
    assert_eq!(text, expected);
}

#[tokio::test]
async fn end_ends_the_session_for_good() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    let events = turn(&c, "s", "end").await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    let all = sse_until(&c, "s", 0, |e| e.data.event_type() == "session.ended").await;
    let EventData::SessionEnded(end) = &all.last().unwrap().data else { panic!() };
    assert_eq!((end.reason, end.terminated_by), (SessionEndReason::Completed, TerminatedBy::Agent));
    let info = c.get_session("s").await.unwrap();
    assert!(info.ended && info.status == SessionStatus::Ended);
    let err = c.send_message("s", "hello").await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "session_ended");
}

#[tokio::test]
async fn permissions_wait_for_replies() {
    let d = Daemon::start().await;
    let c = d.client();
    let asked = ask(&c, "permissions").await;
    let ids = permission_ids(&asked);
    assert_eq!(ids.len(), 2);
    let info = c.get_session("s").await.unwrap();
    assert_eq!(info.status, SessionStatus::Running);
    assert_eq!(info.pending_permissions.len(), 2);
    c.reply_permission("s", &ids[0], PermissionReply::Once).await.unwrap();
    c.reply_permission("s", &ids[1], PermissionReply::Reject).await.unwrap();
    let rest = sse_until(&c, "s", asked.last().unwrap().sequence, |e| e.data.event_type() == "turn.ended").await;
    let resolved: Vec<PermissionStatus> = rest
        .iter()
        .filter_map(|e| match &e.data {
            EventData::PermissionResolved(p) => Some(p.status),
            _ => None,
        })
        .collect();
    assert_eq!(resolved, [PermissionStatus::Approved, PermissionStatus::Denied]);
    let text = assistant_text(&rest);
    assert!(text.contains("mock.write_file was approved") && text.contains("mock.run_command was denied"), "{text}");
    assert!(c.get_session("s").await.unwrap().pending_permissions.is_empty());
    let all: Vec<_> = asked.into_iter().chain(rest).collect();
    check_contract(&all, false);
}

/// In a new session "s", send `command` and wait for the first event `until` accepts.
async fn begin(
    c: &sandbox_agent_client::Client,
    command: &str,
    until: impl Fn(&UniversalEvent) -> bool,
) -> Vec<UniversalEvent> {
    new_session(c, "s").await;
    let start = c.get_session("s").await.unwrap().event_count;
    c.send_message("s", command).await.unwrap();
    sse_until(c, "s", start, until).await
}

/// A mock HITL command, once both of its requests are out.
async fn ask(c: &sandbox_agent_client::Client, command: &str) -> Vec<UniversalEvent> {
    begin(c, command, |e| count_is(e, 2)).await
}

/// `slow 60000`, once its reply is streaming.
async fn slow_turn(c: &sandbox_agent_client::Client) {
    begin(c, "slow 60000", |e| matches!(&e.data, EventData::ItemDelta(d) if d.delta == ".")).await;
}

/// True for the second `permission.requested` / `question.requested` of the mock.
fn count_is(e: &UniversalEvent, n: u32) -> bool {
    match &e.data {
        EventData::PermissionRequested(p) => p.permission_id.ends_with(&format!("_{n}")),
        EventData::QuestionRequested(q) => q.question_id.ends_with(&format!("_{n}")),
        _ => false,
    }
}

#[tokio::test]
async fn questions_wait_for_answers() {
    let d = Daemon::start().await;
    let c = d.client();
    let asked = ask(&c, "questions").await;
    let questions: Vec<QuestionEventData> = asked
        .iter()
        .filter_map(|e| match &e.data {
            EventData::QuestionRequested(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(questions[0].prompt, "Choose a color");
    assert_eq!(questions[0].options, ["Red", "Blue"]);
    c.reply_question("s", &questions[0].question_id, vec![vec!["Red".into()]]).await.unwrap();
    c.reject_question("s", &questions[1].question_id).await.unwrap();
    let rest = sse_until(&c, "s", asked.last().unwrap().sequence, |e| e.data.event_type() == "turn.ended").await;
    let resolved: Vec<(QuestionStatus, Option<String>)> = rest
        .iter()
        .filter_map(|e| match &e.data {
            EventData::QuestionResolved(q) => Some((q.status, q.response.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(resolved, [(QuestionStatus::Answered, Some("Red".into())), (QuestionStatus::Rejected, None)]);
    assert!(assistant_text(&rest).contains("Choose a color: Red"));
}

#[tokio::test]
async fn interrupt_stops_a_slow_turn_and_the_next_turn_works() {
    let d = Daemon::start().await;
    let c = d.client();
    slow_turn(&c).await;
    c.interrupt("s").await.unwrap();
    // interrupt returns once the turn has ended.
    let info = c.get_session("s").await.unwrap();
    assert_eq!(info.status, SessionStatus::Idle);
    let events = all_events(&c, "s").await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted);
    check_contract(&events, false);
    let next = turn(&c, "s", "echo still here").await;
    assert_eq!(assistant_text(&next), "still here");
    // Interrupting an idle session is a no-op.
    c.interrupt("s").await.unwrap();
}

#[tokio::test]
async fn interrupt_while_waiting_for_a_permission_voids_it() {
    let d = Daemon::start().await;
    let c = d.client();
    ask(&c, "permission").await;
    c.interrupt("s").await.unwrap();
    let events = all_events(&c, "s").await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted);
    assert_eq!(count(&events, "permission.resolved"), 2);
    assert!(c.get_session("s").await.unwrap().pending_permissions.is_empty());
    check_contract(&events, false);
}

#[tokio::test]
async fn terminate_mid_turn_closes_items_and_ends_the_session() {
    let d = Daemon::start().await;
    let c = d.client();
    slow_turn(&c).await;
    c.terminate("s").await.unwrap();
    c.terminate("s").await.unwrap(); // idempotent
    let events = sse_until(&c, "s", 0, |e| e.data.event_type() == "session.ended").await;
    check_contract(&events, false);
    let EventData::SessionEnded(end) = &events.last().unwrap().data else { panic!() };
    assert_eq!((end.reason, end.terminated_by), (SessionEndReason::Terminated, TerminatedBy::Daemon));
    assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted);
    let failed = completed_items(&events).into_iter().filter(|i| i.status == ItemStatus::Failed).count();
    assert_eq!(failed, 1, "the slow message is closed as failed");
    assert_eq!(count(&events, "session.ended"), 1);
}

#[tokio::test]
async fn many_turns_in_one_session() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    for i in 0..5 {
        let events = turn(&c, "s", &format!("echo turn {i}")).await;
        assert_eq!(assistant_text(&events), format!("turn {i}"));
    }
    check_contract(&all_events(&c, "s").await, false);
}

fn error_codes(events: &[UniversalEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::Error(d) => d.code.clone(),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_turn_over_its_time_limit_is_interrupted() {
    let d = Daemon::start_with(&["--turn-timeout-ms", "300"]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let events = turn(&c, "s", "slow 60000").await;
    assert_eq!(error_codes(&events), ["turn_timeout"]);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted, "the agent honoured the interrupt");
    check_contract(&events, false);
    assert_eq!(assistant_text(&turn(&c, "s", "echo next").await), "next");
}

#[tokio::test]
async fn a_silent_agent_that_ignores_the_interrupt_is_stopped_and_resumed() {
    let d = Daemon::start_with(&["--stall-timeout-ms", "200", "--interrupt-timeout-ms", "200"]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let events = turn(&c, "s", "hang").await;
    assert_eq!(error_codes(&events), ["turn_stalled"]);
    let end = turn_end(&events);
    assert_eq!(end.reason, TurnEndReason::Error);
    assert!(end.message.as_deref().unwrap().contains("did not stop"));
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Paused);
    check_contract(&events, false);
    assert_eq!(assistant_text(&turn(&c, "s", "echo resumed").await), "resumed");
}

#[tokio::test]
async fn waiting_for_a_human_is_not_a_stall() {
    let d = Daemon::start_with(&["--stall-timeout-ms", "100"]).await;
    let c = d.client();
    let asked = ask(&c, "permissions").await;
    // A measurement window, not synchronization: three stall periods pass with requests pending.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let events = all_events(&c, "s").await;
    assert!(error_codes(&events).is_empty(), "{:?}", error_codes(&events));
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Running);
    let ids = permission_ids(&asked);
    for id in ids {
        c.reply_permission("s", &id, PermissionReply::Once).await.unwrap();
    }
    let rest = sse_until(&c, "s", 0, |e| e.data.event_type() == "turn.ended").await;
    assert_eq!(turn_end(&rest).reason, TurnEndReason::Completed);
}
