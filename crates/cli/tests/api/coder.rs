//! Coder sessions end to end: real git repos made here, served over file:// and smart HTTP.

use sandbox_agent_schema::*;
use sandbox_agent_test_support::git::{file_url, GitHttpServer, Repo};

use crate::common::*;

fn task(task: &str, repo: RepoRequest) -> CreateSessionRequest {
    CreateSessionRequest { task: Some(task.into()), repo: Some(repo), tags: vec!["ci".into()], ..mock() }
}

fn ends_task(ev: &UniversalEvent) -> bool {
    matches!(ev.data, EventData::TaskCompleted(_) | EventData::TaskFailed(_) | EventData::SessionEnded(_))
}

#[tokio::test]
async fn a_task_with_a_repo_at_a_pinned_commit_runs_end_to_end() {
    let d = Daemon::start().await;
    let c = d.client();
    let src = tempfile::tempdir().unwrap();
    let repo = Repo::init(src.path().join("app"), "main");
    let pinned = repo.commit(&[("README.md", "pinned\n")], "first");
    repo.commit(&[("README.md", "later\n")], "second");
    let bare = repo.bare_clone(src.path().join("app.git"));
    let req = task(
        "Say hello\nand more",
        RepoRequest { url: file_url(&bare), commit: Some(pinned.clone()), ..Default::default() },
    );
    let created = c.create_session(&req).await.unwrap();
    assert_eq!(created.status, SessionStatus::Starting, "answered before the preparation");
    let events = sse_until(&c, &created.session_id, 0, ends_task).await;
    let kinds = types(&events);
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{kinds:?}");
    let i = |t: &str| kinds.iter().position(|k| *k == t).unwrap_or_else(|| panic!("no {t} in {kinds:?}"));
    assert!(i("setup.started") < i("setup.completed") && i("setup.completed") < i("task.started"));
    assert!(i("task.started") < i("turn.started") && i("turn.ended") < i("task.completed"));
    let started = events
        .iter()
        .find_map(|e| match &e.data {
            EventData::TaskStarted(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(started.label, "Say hello");
    let info = c.get_session(&created.session_id).await.unwrap();
    assert_eq!(info.repos[0].commit.as_deref(), Some(pinned.as_str()));
    assert_eq!(info.tags, ["ci"]);
    let readme = std::fs::read_to_string(std::path::Path::new(&info.directory).join("README.md")).unwrap();
    assert_eq!(readme, "pinned\n", "the agent's cwd holds the pinned commit's files");
    let transcript = c.transcript(&created.session_id, &Default::default()).await.unwrap();
    // The mock's greeting, then the task as the first prompt.
    let kinds: Vec<TranscriptEntryType> = transcript.entries.iter().map(|e| e.type_).collect();
    assert_eq!(&kinds[..2], [TranscriptEntryType::Message, TranscriptEntryType::UserPrompt], "{kinds:?}");
    assert_eq!(transcript.entries[1].text.as_deref(), Some("Say hello\nand more"));
    assert!(transcript.entries.iter().any(|e| e.type_ == TranscriptEntryType::Turn));
    let participants = c.participants(&created.session_id).await.unwrap().participants;
    assert!(participants.iter().any(|p| p.transport == ParticipantTransport::Sse), "{participants:?}");
    let listed = c
        .list_sessions(&SessionListQuery {
            tag: Some(vec!["ci".into()]),
            search: Some("hello".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((listed.total, listed.sessions[0].session_id.as_str()), (1, created.session_id.as_str()));
}

#[tokio::test]
async fn a_private_repo_is_cloned_with_a_token_that_leaves_no_trace() {
    let d = Daemon::start_logged(&[]).await;
    let c = d.client();
    let src = tempfile::tempdir().unwrap();
    let repo = Repo::init(src.path().join("private"), "main");
    repo.commit(&[("secret.txt", "ok\n")], "first");
    repo.bare_clone(src.path().join("served").join("private.git"));
    let token = "tok_7f3a9c1e5b2d4f6a8c0e";
    let server = GitHttpServer::start(src.path().join("served"), Some(token.into())).await;
    let repo_req =
        RepoRequest { url: server.url("private"), auth: Some(RepoAuth { token: token.into() }), ..Default::default() };
    let created = c.create_session(&task("Read it", repo_req)).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, ends_task).await;
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", types(&events));
    assert!(server.requests().iter().any(|r| r.authorization.is_some()), "the token was presented");
    let info = serde_json::to_string(&c.get_session(&created.session_id).await.unwrap()).unwrap();
    assert!(!info.contains(token));
    let all = serde_json::to_string(&all_events(&c, &created.session_id).await).unwrap();
    assert!(!all.contains(token));
    d.client().terminate(&created.session_id).await.unwrap();
    let log = std::fs::read_to_string(d.data_path().join("daemon.log")).unwrap();
    assert!(log.contains("DEBUG"), "the daemon logged at debug level: {log}");
    let found = std::process::Command::new("grep").args(["-r", "-l", token]).arg(d.data_path()).output().unwrap();
    assert!(found.stdout.is_empty(), "token found in {}", String::from_utf8_lossy(&found.stdout));
}

#[tokio::test]
async fn a_failing_clone_ends_the_session_with_clone_failed() {
    let d = Daemon::start().await;
    let c = d.client();
    let missing = RepoRequest { url: "file:///nonexistent/repo.git".into(), ..Default::default() };
    let created = c.create_session(&task("never", missing)).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, |e| matches!(e.data, EventData::SessionEnded(_))).await;
    let failed = events.iter().find_map(|e| match &e.data {
        EventData::TaskFailed(f) => Some(f.clone()),
        _ => None,
    });
    assert_eq!(failed.expect("task.failed").reason, TaskFailReason::CloneFailed);
}

#[tokio::test]
async fn an_observer_reads_but_cannot_write_and_a_revoked_token_is_refused() {
    let d = Daemon::start_logged(&["--token", "daemon-secret"]).await;
    let c = d.client();
    new_session(&c, "s").await;
    let issued = c
        .create_token("s", &TokenRequest { name: "viewer".into(), role: ParticipantRole::Observer, ttl_seconds: None })
        .await
        .unwrap();
    let observer = c.with_token(Some(issued.token.clone()));
    assert_eq!(observer.get_session("s").await.unwrap().session_id, "s");
    let refused = observer.send_message("s", "hi").await.unwrap_err();
    assert_eq!(refused.problem().unwrap().status, 403);
    assert_eq!(refused.problem().unwrap().detail.as_deref(), Some("an observer token may only read this session"));
    let refused = observer.list_sessions(&Default::default()).await.unwrap_err();
    assert_eq!(refused.problem().unwrap().status, 403);
    c.revoke_token("s", &issued.participant_id).await.unwrap();
    let gone = observer.get_session("s").await.unwrap_err();
    assert_eq!(gone.problem().unwrap().status, 401);
    // Only its hash was ever kept, and no log line carries it.
    let found = std::process::Command::new("grep").args(["-r", "-l", &issued.token]).arg(d.data_path()).output();
    assert!(found.unwrap().stdout.is_empty(), "the session token is in the data dir or the log");
}

#[tokio::test]
async fn a_repo_without_git_on_the_path_is_a_clear_problem_at_create() {
    let no_git = tempfile::tempdir().unwrap();
    let d = Daemon::start_env(&[], &[("PATH", no_git.path().to_str().unwrap())]).await;
    let c = d.client();
    let repo = RepoRequest { url: "file:///x.git".into(), ..Default::default() };
    let problem = c.create_session(&task("clone", repo)).await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((problem.status, problem.code()), (500, "git_not_found"));
    assert!(problem.detail.as_deref().unwrap().contains("git"), "{problem:?}");
    assert!(c.list_sessions(&Default::default()).await.unwrap().sessions.is_empty(), "nothing was created");
    // A task without a repo needs no git.
    let plain = CreateSessionRequest { task: Some("echo ok".into()), ..mock() };
    let created = c.create_session(&plain).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, ends_task).await;
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", types(&events));
}
