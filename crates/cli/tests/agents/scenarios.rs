//! The scenarios every real agent goes through, parametrized by agent. Claude has its own
//! file for what only it has (questions, its resume-file semantics).

/// One `#[tokio::test]` per `name => scenario(permission_mode)`, for one agent.
macro_rules! scenario_tests {
    ($agent:literal, $kind:expr, [$($name:ident => $scenario:ident($mode:literal)),* $(,)?]) => {
        $(
            #[tokio::test]
            async fn $name() {
                $crate::scenarios::$scenario($crate::scenarios::setup($agent, $kind, $mode).await).await;
            }
        )*
    };
}

use std::path::PathBuf;

use sandbox_agent_client::Client;
use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use sandbox_agent_schema::*;
use sandbox_agent_test_support::procs::{all_exit, processes_mentioning};

use crate::common::*;
use crate::support::*;

pub struct Setup {
    pub agent: &'static str,
    pub stub: ModelStub,
    pub d: Daemon,
    pub c: Client,
    pub workdir: PathBuf,
}

pub async fn setup(
    agent: &'static str,
    package: impl Into<sandbox_agent_agents::install::PackageDescriptor>,
    permission_mode: &str,
) -> Setup {
    ensure_installed(package).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    session(&c, &stub, agent, "s", permission_mode).await;
    let workdir = PathBuf::from(c.get_session("s").await.unwrap().directory);
    Setup { agent, stub, d, c, workdir }
}

pub async fn text_turn(s: Setup) {
    s.stub.push(Reply::text("Hello from the stub."));
    let events = turn_of(&s.c, "s", "say hello").await;
    check_contract(&events, false);
    assert_eq!(assistant_text(&events), "Hello from the stub.", "{}", s.agent);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
    for ty in ["item.started", "item.delta"] {
        assert!(events.iter().any(|e| e.data.event_type() == ty && !e.synthetic), "{}: a native {ty}", s.agent);
    }
    assert!(s.stub.turns().iter().any(|t| t.contains("say hello")));
    assert!(s.c.get_session("s").await.unwrap().native_session_id.is_some());
}

/// A shell command that needs approval; `reply` decides. Returns the turn's events.
pub async fn shell_with_permission(s: &Setup, command: &str, reply: PermissionReply) -> Vec<UniversalEvent> {
    s.stub.push(Reply::tool(Tool::shell(command)));
    s.stub.push(Reply::text("finished"));
    s.c.send_message("s", "run the command").await.unwrap();
    let asked = wait_for(&s.c, "s", 0, "permission.requested").await;
    let EventData::PermissionRequested(p) = asked.data else { unreachable!() };
    s.c.reply_permission("s", &p.permission_id, reply).await.unwrap();
    let events = until_turn_end(&s.c, "s", 0).await;
    check_contract(&events, false);
    assert_eq!(count(&events, "permission.resolved"), 1, "{}", s.agent);
    events
}

pub async fn permission_approved(s: Setup) {
    let events =
        shell_with_permission(&s, "echo approved-42 > approved.txt && echo ran-42", PermissionReply::Once).await;
    assert!(s.workdir.join("approved.txt").exists(), "{}: the command ran", s.agent);
    let results = tool_results(&events);
    assert!(results.iter().any(|r| tool_output(r).contains("ran-42")), "{}: {results:?}", s.agent);
}

pub async fn permission_denied(s: Setup) {
    let events = shell_with_permission(&s, "echo denied > denied.txt", PermissionReply::Reject).await;
    assert!(!s.workdir.join("denied.txt").exists(), "{}: the command did not run", s.agent);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed);
}

pub async fn file_write(s: Setup) {
    let path = s.workdir.join("hello.txt");
    s.stub.push(Reply::tool(Tool::patch(path.display().to_string(), "hello from the stub")));
    s.stub.push(Reply::text("written"));
    let events = turn_of(&s.c, "s", "write a file").await;
    check_contract(&events, false);
    let written = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}: {events:#?}", s.agent));
    assert!(written.contains("hello from the stub"));
    let refs = tool_results(&events)
        .into_iter()
        .flat_map(|i| i.content.clone())
        .filter(|p| matches!(p, ContentPart::FileRef { path, .. } if path.ends_with("hello.txt")))
        .count();
    assert!(refs >= 1, "{}: a file_ref for the file", s.agent);
}

/// The model calls the agent's own question tool; returns the pending question.
async fn ask(s: &Setup) -> QuestionEventData {
    s.stub.push(Reply::tool(Tool::ask_user("Which color do you want?", ["Red", "Blue"])));
    s.stub.push(Reply::text("noted"));
    s.c.send_message("s", "ask me something").await.unwrap();
    let asked = wait_for(&s.c, "s", 0, "question.requested").await;
    let EventData::QuestionRequested(q) = asked.data else { unreachable!() };
    assert_eq!(
        (q.prompt.as_str(), q.options.as_slice()),
        ("Which color do you want?", &["Red".to_string(), "Blue".to_string()][..]),
        "{}",
        s.agent
    );
    let pending: Vec<String> =
        s.c.get_session("s").await.unwrap().pending_questions.into_iter().map(|p| p.question_id).collect();
    assert_eq!(pending, std::slice::from_ref(&q.question_id), "{}", s.agent);
    q
}

/// The question's end: resolved with `status`, the turn completed, nothing pending.
/// Returns the turn's events.
async fn after_question(s: &Setup, q: &QuestionEventData, status: QuestionStatus) -> Vec<UniversalEvent> {
    let events = until_turn_end(&s.c, "s", 0).await;
    check_contract(&events, false);
    let resolved: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::QuestionResolved(r) if r.question_id == q.question_id => Some(r.status),
            _ => None,
        })
        .collect();
    assert_eq!(resolved, [status], "{}", s.agent);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{}", s.agent);
    assert!(s.c.get_session("s").await.unwrap().pending_questions.is_empty());
    events
}

pub async fn question_answered(s: Setup) {
    let q = ask(&s).await;
    s.c.reply_question("s", &q.question_id, vec![vec!["Blue".into()]]).await.unwrap();
    let events = after_question(&s, &q, QuestionStatus::Answered).await;
    assert!(assistant_text(&events).ends_with("noted"), "{}: {events:#?}", s.agent);
    // The model got the answer as the tool's result (not just the options it offered).
    let outputs = tool_outputs(&s.stub.turns().pop().unwrap());
    assert!(outputs.iter().any(|o| o.contains("Blue") && !o.contains("Red")), "{}: {outputs:?}", s.agent);
}

pub async fn question_rejected(s: Setup) {
    let q = ask(&s).await;
    s.c.reject_question("s", &q.question_id).await.unwrap();
    let events = after_question(&s, &q, QuestionStatus::Rejected).await;
    let results = tool_results(&events);
    assert_eq!(
        results.iter().map(|r| r.status).collect::<Vec<_>>(),
        [ItemStatus::Failed],
        "{}: the question tool failed",
        s.agent
    );
    // Claude hands the refusal to the model, which goes on; OpenCode ends the turn there.
    let model_asked_again = s.agent != "opencode";
    assert_eq!(s.stub.pending(), usize::from(!model_asked_again), "{}", s.agent);
    let next_reply = if model_asked_again {
        assert!(assistant_text(&events).ends_with("noted"), "{}: {events:#?}", s.agent);
        s.stub.push(Reply::text("still here"));
        "still here"
    } else {
        "noted"
    };
    // The session goes on, and the model sees the question went unanswered.
    assert_eq!(assistant_text(&turn_of(&s.c, "s", "are you there?").await), next_reply, "{}", s.agent);
    let outputs = tool_outputs(&s.stub.turns().pop().unwrap());
    assert!(!outputs.is_empty() && outputs.iter().all(|o| !o.contains("Blue")), "{}: {outputs:?}", s.agent);
}

/// The model thinks before it answers: the thinking arrives as `reasoning` parts, apart from
/// the answer's text.
pub async fn reasoning(s: Setup) {
    s.stub.push(Reply::reasoning("weighing red against blue", Reply::text("blue it is")));
    let events = turn_of(&s.c, "s", "think first").await;
    check_contract(&events, false);
    assert_eq!(assistant_text(&events), "blue it is", "{}", s.agent);
    let reasoning: Vec<&str> = completed_items(&events)
        .into_iter()
        .flat_map(|i| i.content.iter())
        .filter_map(|p| match p {
            ContentPart::Reasoning { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(reasoning.concat(), "weighing red against blue", "{}: {events:#?}", s.agent);
}

pub async fn multi_turn(s: Setup) {
    s.stub.push(Reply::text("first answer"));
    s.stub.push(Reply::text("second answer"));
    turn_of(&s.c, "s", "first question").await;
    let second = turn_of(&s.c, "s", "second question").await;
    assert_eq!(assistant_text(&second), "second answer");
    let last = s.stub.turns().pop().unwrap();
    assert!(last.contains("first question") && last.contains("first answer"), "{}: history sent again", s.agent);
    check_contract(&all_events(&s.c, "s").await, false);
}

pub async fn restart_resumes(s: Setup) {
    s.stub.push(Reply::text("remember the word PELICAN"));
    turn_of(&s.c, "s", "before the restart").await;
    let native = s.c.get_session("s").await.unwrap().native_session_id.unwrap();
    let Setup { stub, mut d, agent, .. } = s;
    assert!(d.stop().await.success());
    let d = d.restart().await;
    let c = d.client();
    assert_eq!(c.get_session("s").await.unwrap().status, SessionStatus::Paused);
    stub.push(Reply::text("resumed"));
    let events = turn_of(&c, "s", "after the restart").await;
    assert_eq!(assistant_text(&events), "resumed", "{agent}");
    let last = stub.turns().pop().unwrap();
    assert!(last.contains("PELICAN") && last.contains("before the restart"), "{agent}: the conversation was resumed");
    assert_eq!(c.get_session("s").await.unwrap().native_session_id.unwrap(), native);
}

pub async fn interrupt(s: Setup) {
    s.stub.push(Reply::delay(60_000, Reply::text("this reply stalls after its first words")));
    s.stub.push(Reply::text("after the interrupt"));
    s.c.send_message("s", "take your time").await.unwrap();
    agent_events(&s.c, "s", 0, |e| e.data.event_type() == "item.delta" && !e.synthetic).await;
    tokio::time::timeout(AGENT_WAIT, s.c.interrupt("s")).await.unwrap().unwrap();
    let events = all_events(&s.c, "s").await;
    assert_eq!(turn_end(&events).reason, TurnEndReason::Interrupted, "{}", s.agent);
    check_contract(&events, false);
    let next = turn_of(&s.c, "s", "are you there?").await;
    assert_eq!(assistant_text(&next), "after the interrupt", "{}", s.agent);
}

pub async fn api_error(s: Setup) {
    s.stub.push(Reply::http(400, "stub says no"));
    s.stub.push(Reply::text("fine again"));
    let events = turn_of(&s.c, "s", "fail please").await;
    check_contract(&events, false);
    assert!(count(&events, "error") >= 1, "{}: an error event", s.agent);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Error, "{}", s.agent);
    assert_eq!(assistant_text(&turn_of(&s.c, "s", "again").await), "fine again", "{}", s.agent);
}

/// Direct children of a process (the daemon's agent processes).
fn children_of(pid: i32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                // The field after the parenthesized command name is the state, then the ppid.
                .and_then(|stat| {
                    stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().nth(1).map(str::to_string))
                })
                .flatten()
                .is_some_and(|ppid| ppid == pid.to_string())
        })
        .collect()
}

/// The agent's process dies (SIGTERM) between turns: the session pauses with an
/// `agent_exited` error event, and the next message resumes it with its history.
pub async fn agent_killed(s: Setup) {
    s.stub.push(Reply::text("remember the word OSPREY"));
    turn_of(&s.c, "s", "before the kill").await;
    let agents = children_of(s.d.pid());
    assert!(!agents.is_empty(), "{}: the agent runs as a child of the daemon", s.agent);
    for pid in agents {
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let exited = wait_for(&s.c, "s", 0, "error").await;
    let EventData::Error(err) = exited.data else { unreachable!() };
    assert_eq!(err.code.as_deref(), Some("agent_exited"), "{}", s.agent);
    assert_eq!(s.c.get_session("s").await.unwrap().status, SessionStatus::Paused);
    s.stub.push(Reply::text("back again"));
    let events = turn_of(&s.c, "s", "are you back?").await;
    assert_eq!(assistant_text(&events), "back again", "{}", s.agent);
    assert!(s.stub.turns().pop().unwrap().contains("OSPREY"), "{}: resumed with history", s.agent);
}

/// A daemon killed with SIGKILL (no chance to stop anything) still leaves no agent behind:
/// its agents get SIGTERM from the kernel (parent-death signal) and exit.
pub async fn daemon_crash(s: Setup) {
    s.stub.push(Reply::text("hello"));
    turn_of(&s.c, "s", "hi").await;
    let Setup { mut d, agent, .. } = s;
    let agents = processes_mentioning(&d.data_path());
    assert!(!agents.is_empty(), "{agent}: its process is found while the daemon runs");
    d.kill9().await;
    if let Err(left) = all_exit(agents, AGENT_WAIT).await {
        panic!("{agent}: agent processes outlived a killed daemon: {left:?}");
    }
}

/// A graceful daemon stop leaves no agent process behind.
pub async fn no_orphans(s: Setup) {
    s.stub.push(Reply::text("hello"));
    turn_of(&s.c, "s", "hi").await;
    let Setup { mut d, agent, .. } = s;
    let data = d.data_path();
    assert!(!processes_mentioning(&data).is_empty(), "{agent}: its process is found while the daemon runs");
    assert!(d.stop().await.success());
    let left = processes_mentioning(&data);
    assert!(left.is_empty(), "{agent}: agent processes outlived the daemon: {left:?}");
}
