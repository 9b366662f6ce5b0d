//! The CLI mirrors the API: a walkthrough with the mock agent.

use crate::common::*;

async fn cli(d: &Daemon, args: &[&str]) -> (i32, String, String) {
    d.cli(args).await
}

#[tokio::test]
async fn walkthrough() {
    let d = Daemon::start().await;
    let (code, out, _) = cli(&d, &["health"]).await;
    assert_eq!((code, out.trim()), (0, "ok"));
    let (_, out, _) = cli(&d, &["agents", "list"]).await;
    assert!(out.contains("mock") && out.contains("builtin"), "{out}");
    let (_, out, _) = cli(&d, &["agents", "modes", "mock"]).await;
    assert!(out.contains("plan"));
    let (code, out, _) = cli(&d, &["agents", "models", "mock"]).await;
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("* mock ")) && out.contains("[low, high]"), "{out}");
    let (_, out, _) = cli(&d, &["--json", "agents", "models", "mock"]).await;
    let list: sandbox_agent_schema::AgentModelsResponse = serde_json::from_str(&out).unwrap();
    assert_eq!(list.default_model.as_deref(), Some("mock"));
    let (code, out, _) = cli(&d, &["agents", "install", "mock"]).await;
    assert_eq!((code, out.trim()), (0, "mock installed"));
    let (code, out, _) = cli(&d, &["sessions", "create", "demo", "--agent", "mock"]).await;
    assert_eq!((code, out.trim()), (0, "demo"));
    let (code, out, _) = cli(&d, &["sessions", "send-message-stream", "demo", "-m", "echo from the cli"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("turn.ended") && out.contains("from the cli"), "{out}");
    let (_, out, _) = cli(&d, &["--json", "sessions", "get", "demo"]).await;
    let info: sandbox_agent_schema::SessionInfo = serde_json::from_str(&out).unwrap();
    assert_eq!(info.status, sandbox_agent_schema::SessionStatus::Idle);
    let (_, out, _) = cli(&d, &["sessions", "list"]).await;
    assert!(out.contains("demo") && out.contains("idle"));
    let (code, _, _) = cli(&d, &["sessions", "send-message", "demo", "-m", "question"]).await;
    assert_eq!(code, 0);
    sse_until(&d.client(), "demo", 0, |e| e.data.event_type() == "question.requested").await;
    let qid = d.client().get_session("demo").await.unwrap().pending_questions[0].question_id.clone();
    let (code, _, _) = cli(&d, &["sessions", "reply-question", "demo", &qid, "--answers", r#"[["Blue"]]"#]).await;
    assert_eq!(code, 0);
    // The reply returns once its question.resolved is stored, so the rest is pending now.
    let pending = d.client().get_session("demo").await.unwrap().pending_questions;
    assert_eq!(pending.len(), 1);
    let q2 = pending[0].question_id.clone();
    let (code, _, _) = cli(&d, &["sessions", "reject-question", "demo", &q2]).await;
    assert_eq!(code, 0);
    sse_until(&d.client(), "demo", 0, |e| e.data.event_type() == "turn.ended" && e.sequence > 12).await;
    let (code, _, _) = cli(&d, &["sessions", "send-message", "demo", "-m", "permission"]).await;
    assert_eq!(code, 0);
    let asked = sse_until(&d.client(), "demo", 0, |e| e.data.event_type() == "permission.requested").await;
    let sandbox_agent_schema::EventData::PermissionRequested(p) = &asked.last().unwrap().data else { panic!() };
    let (code, _, _) = cli(&d, &["sessions", "reply-permission", "demo", &p.permission_id, "--reply", "once"]).await;
    assert_eq!(code, 0);
    let (code, out, _) = cli(&d, &["sessions", "interrupt", "demo"]).await;
    assert_eq!((code, out.trim()), (0, "interrupted"));
    let (_, out, _) = cli(&d, &["sessions", "events", "demo", "--limit", "3"]).await;
    assert!(out.contains("#1") && out.contains("more after sequence 3"), "{out}");
    let (_, out, _) = cli(&d, &["--json", "sessions", "events", "demo", "-o", "1", "-l", "1"]).await;
    let page: sandbox_agent_schema::EventsResponse = serde_json::from_str(&out).unwrap();
    assert_eq!(page.events[0].sequence, 2);
    let (code, _, _) = cli(&d, &["sessions", "terminate", "demo"]).await;
    assert_eq!(code, 0);
    let (code, out, _) = cli(&d, &["sessions", "events-sse", "demo", "--subscribe", "session.ended"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("session.ended") && !out.contains("item.delta"), "{out}");
    let (code, _, _) = cli(&d, &["sessions", "delete", "demo"]).await;
    assert_eq!(code, 0);
    let (_, out, _) = cli(&d, &["openapi"]).await;
    assert!(out.contains("\"openapi\""));
}

#[tokio::test]
async fn errors_exit_non_zero_with_the_problem() {
    let d = Daemon::start().await;
    let (code, out, err) = cli(&d, &["sessions", "get", "missing"]).await;
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let problem: sandbox_agent_schema::ProblemDetails = serde_json::from_str(&err).unwrap();
    assert_eq!(problem.code(), "session_not_found");
    let (code, _, err) = cli(&d, &["sessions", "reply-question", "x", "q", "--answers", "nope"]).await;
    assert_eq!(code, 1);
    assert!(err.contains("--answers"));
}

/// `sandbox-agent openapi | head` and the like: the reader is gone before anything is written,
/// so every write fails with EPIPE; the command must end without a panic or a message.
#[tokio::test]
async fn printing_commands_end_quietly_when_the_reader_is_gone() {
    use std::os::unix::process::ExitStatusExt;
    let d = Daemon::start().await;
    for args in [&["openapi"][..], &["api", "--json", "agents", "list"], &["api", "openapi"]] {
        let mut child = tokio::process::Command::new(bin())
            .args(args)
            .env("SANDBOX_AGENT_ENDPOINT", &d.url)
            .env_remove("SANDBOX_AGENT_TOKEN")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = tokio::time::timeout(WAIT, child.wait_with_output()).await.unwrap().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?} ended with {:?}",
            out.status
        );
    }
}

/// The coder subcommands, on a task with a repo, as docs/coder.md walks through them.
#[tokio::test]
async fn coder_walkthrough() {
    use sandbox_agent_test_support::git::{file_url, Repo};
    let d = Daemon::start().await;
    let src = tempfile::tempdir().unwrap();
    let repo = Repo::init(src.path().join("app"), "main");
    let head = repo.commit(&[("README.md", "hello\n")], "first");
    let url = format!("{}#main", file_url(&repo.bare_clone(src.path().join("app.git"))));
    let args = ["sessions", "create", "t", "--agent", "mock", "--task", "end\nFix it", "--label", "Fix it"];
    let (code, out, err) = cli(
        &d,
        &[&args[..], &["--repo", &url, "--setup", "echo prepared", "--tag", "demo", "--meta", "ticket=42"]].concat(),
    )
    .await;
    assert_eq!((code, out.trim()), (0, "t"), "{err}");
    // The mock's `end` ends the session after the task, so the stream ends too.
    let (code, out, _) = cli(&d, &["sessions", "events-sse", "t", "--subscribe", "setup.*,task.*"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("setup.completed      #1 exit 0") && out.contains("task.completed"), "{out}");
    assert!(out.contains("#1 stdout \"prepared\\n\""), "{out}");
    let (_, out, _) = cli(&d, &["sessions", "get", "t"]).await;
    assert!(out.contains("label     Fix it") && out.contains("tags      demo"), "{out}");
    assert!(out.contains(&format!("@ {head} in app")) && out.contains(r#"metadata  {"ticket":"42"}"#), "{out}");
    let (_, out, _) = cli(&d, &["sessions", "list", "--tag", "demo", "--search", "fix"]).await;
    assert!(out.starts_with("t ") && out.contains("Fix it") && out.contains("(1-1 of 1)"), "{out}");
    let (code, _, _) = cli(&d, &["sessions", "update", "t", "--label", "Fixed", "--tag", "done", "--clear-meta"]).await;
    assert_eq!(code, 0);
    let (_, out, _) = cli(&d, &["--json", "sessions", "get", "t"]).await;
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&info["label"], &info["tags"], info.get("metadata")),
        (&"Fixed".into(), &serde_json::json!(["done"]), None)
    );
    let (_, out, _) = cli(&d, &["sessions", "transcript", "t"]).await;
    assert!(out.lines().nth(1).unwrap().contains("user_prompt  end Fix it"), "{out}");
    let (code, out, _) = cli(&d, &["sessions", "archive", "t"]).await;
    assert_eq!(code, 0, "{out}");
    let (_, out, _) = cli(&d, &["sessions", "list"]).await;
    assert_eq!(out.trim(), "no sessions");
    let (_, out, _) = cli(&d, &["sessions", "list", "--include-archived"]).await;
    assert!(out.contains("archived"), "{out}");
}

#[tokio::test]
async fn tokens_and_participants_from_the_cli() {
    let d = Daemon::start().await;
    let (code, _, _) = cli(&d, &["sessions", "create", "s", "--agent", "mock"]).await;
    assert_eq!(code, 0);
    let (code, out, _) =
        cli(&d, &["sessions", "tokens", "create", "s", "--name", "viewer", "--role", "observer"]).await;
    assert_eq!(code, 0);
    let mut lines = out.lines();
    let token = lines.next().unwrap().to_string();
    assert!(token.starts_with("sat_") && token.len() == 68, "{out}");
    let participant = lines.next().unwrap().split_whitespace().nth(1).unwrap().to_string();
    let (_, out, _) = cli(&d, &["sessions", "participants", "s"]).await;
    assert!(out.contains(&participant) && out.contains("viewer") && out.contains("token"), "{out}");
    assert!(!out.contains(&token), "the token is shown once only");
    let (code, _, _) = cli(&d, &["sessions", "tokens", "revoke", "s", &participant]).await;
    assert_eq!(code, 0);
    let (code, _, err) = cli(&d, &["sessions", "tokens", "revoke", "s", "par_nope"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("404") || err.contains("not found"), "{err}");
}
