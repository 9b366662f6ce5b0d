//! A coder session's preparation: clones at a branch and into paths, setup steps that fail, run
//! out of time or talk a lot, a restart in the middle, and the fields refused at create.

use std::path::Path;
use std::time::Duration;

use sandbox_agent_schema::*;
use sandbox_agent_test_support::git::{file_url, Repo};
use sandbox_agent_test_support::procs::all_exit;

use crate::common::*;

fn ends(ev: &UniversalEvent) -> bool {
    matches!(ev.data, EventData::TaskCompleted(_) | EventData::SessionEnded(_))
}

fn failure(events: &[UniversalEvent]) -> TaskFailedData {
    events
        .iter()
        .find_map(|e| match &e.data {
            EventData::TaskFailed(f) => Some(f.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no task.failed in {:?}", types(events)))
}

fn with_setup(setup: &[&str], timeout_ms: Option<u64>) -> CreateSessionRequest {
    CreateSessionRequest {
        task: Some("prepare".into()),
        setup: setup.iter().map(|s| s.to_string()).collect(),
        setup_timeout_ms: timeout_ms,
        ..mock()
    }
}

#[tokio::test]
async fn two_repos_one_at_a_branch_land_in_their_paths_and_the_agent_works_in_the_root() {
    let d = Daemon::start().await;
    let c = d.client();
    let src = tempfile::tempdir().unwrap();
    let app = Repo::init(src.path().join("app"), "main");
    app.commit(&[("app.txt", "main\n")], "first");
    app.branch("feature");
    app.checkout("feature");
    let feature = app.commit(&[("app.txt", "feature\n")], "on the branch");
    app.checkout("main");
    let lib = Repo::init(src.path().join("lib"), "main");
    lib.commit(&[("lib.txt", "lib\n")], "first");
    let req = CreateSessionRequest {
        task: Some("look around".into()),
        repos: vec![
            RepoRequest {
                url: file_url(&app.bare_clone(src.path().join("app.git"))),
                branch: Some("feature".into()),
                ..Default::default()
            },
            // A plain path works as well as a URL.
            RepoRequest {
                url: lib.bare_clone(src.path().join("lib.git")).display().to_string(),
                path: Some("vendor/lib".into()),
                ..Default::default()
            },
        ],
        ..mock()
    };
    let created = c.create_session(&req).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, ends).await;
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", types(&events));
    let clones: Vec<(SetupStep, u32)> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::SetupStarted(s) => Some((s.step, s.index)),
            _ => None,
        })
        .collect();
    assert_eq!(clones, [(SetupStep::Clone, 0), (SetupStep::Clone, 1)]);
    let info = c.get_session(&created.session_id).await.unwrap();
    let workspace = info.workspace.clone().expect("a workspace");
    assert_eq!(info.directory, workspace, "several repos: the agent works in the workspace root");
    let root = Path::new(&workspace);
    assert_eq!(std::fs::read_to_string(root.join("app/app.txt")).unwrap(), "feature\n");
    assert_eq!(std::fs::read_to_string(root.join("vendor/lib/lib.txt")).unwrap(), "lib\n");
    let repos: Vec<(&str, Option<&str>, Option<&str>)> =
        info.repos.iter().map(|r| (r.path.as_str(), r.branch.as_deref(), r.commit.as_deref())).collect();
    assert_eq!(repos[0], ("app", Some("feature"), Some(feature.as_str())));
    assert_eq!((repos[1].0, repos[1].2.map(str::len)), ("vendor/lib", Some(40)));
}

#[tokio::test]
async fn a_failing_setup_step_ends_the_session_with_its_output() {
    let d = Daemon::start().await;
    let c = d.client();
    let mut req = with_setup(&["echo \"fine $GREETING\"", "echo doomed >&2; exit 3", "touch never"], None);
    req.env.insert("GREETING".into(), "from-the-env".into());
    let created = c.create_session(&req).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, |e| matches!(e.data, EventData::SessionEnded(_))).await;
    let said: Vec<(u32, OutputStream, &str)> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::SetupOutput(o) => Some((o.index, o.stream, o.text.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(said, [(0, OutputStream::Stdout, "fine from-the-env\n"), (1, OutputStream::Stderr, "doomed\n")]);
    let failed = failure(&events);
    assert_eq!(failed.reason, TaskFailReason::SetupFailed);
    assert!(failed.output.as_deref().unwrap_or_default().contains("doomed"), "{failed:?}");
    let completed: Vec<(u32, Option<i32>)> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::SetupCompleted(s) => Some((s.index, s.exit_code)),
            _ => None,
        })
        .collect();
    assert_eq!(completed, [(0, Some(0)), (1, Some(3))], "the third step never ran");
    assert_eq!(count(&events, "task.started"), 0);
    let info = c.get_session(&created.session_id).await.unwrap();
    assert!(info.ended, "{:?}", info.status);
    assert!(!Path::new(info.workspace.as_deref().unwrap()).join("never").exists());
}

#[tokio::test]
async fn a_setup_step_past_the_deadline_is_killed_with_its_group() {
    let d = Daemon::start().await;
    let c = d.client();
    // The step leaves a grandchild: the whole group must go, not just `sh`.
    let created = c.create_session(&with_setup(&[SLEEPER], Some(1000))).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, |e| matches!(e.data, EventData::SessionEnded(_))).await;
    let failed = failure(&events);
    assert_eq!(failed.reason, TaskFailReason::SetupFailed);
    assert!(failed.message.contains("time"), "{failed:?}");
    gone(sleeper(&c, &created.session_id).await).await;
}

#[tokio::test]
async fn a_chatty_setup_step_writes_a_bounded_number_of_events_and_keeps_its_tail() {
    let d = Daemon::start().await;
    let c = d.client();
    let created = c.create_session(&with_setup(&["seq 1 200000"], None)).await.unwrap();
    let events = sse_until(&c, &created.session_id, 0, ends).await;
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", types(&events));
    let output: Vec<&SetupOutputData> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::SetupOutput(o) => Some(o),
            _ => None,
        })
        .collect();
    // 1.3 MB of output: at most 64 chunks of 8 KiB and the tail.
    assert!((2..=66).contains(&output.len()), "{} setup.output events", output.len());
    assert!(output.iter().all(|o| o.text.len() <= 8 * 1024 && o.stream == OutputStream::Stdout));
    assert!(output[0].text.starts_with("1\n2\n3\n"), "{:?}", &output[0].text[..20]);
    let last = output.last().unwrap();
    assert!(last.truncated && last.text.ends_with("199999\n200000\n"), "{last:?}");
    assert!(events.len() < 100, "{} events for the whole task", events.len());
}

/// The pid a setup step wrote to `sleeper.pid` in the workspace.
async fn sleeper(c: &sandbox_agent_client::Client, id: &str) -> i32 {
    let info = c.get_session(id).await.unwrap();
    let pid_file = Path::new(info.workspace.as_deref().unwrap()).join("sleeper.pid");
    std::fs::read_to_string(pid_file).unwrap().trim().parse().unwrap()
}

/// Wait (bounded, woken by the exit) for a process to be gone: a kill's delivery is the
/// kernel's.
async fn gone(pid: i32) {
    let left = all_exit(vec![pid], Duration::from_secs(10)).await;
    assert!(left.is_ok(), "process {pid} is still running");
}

const SLEEPER: &str = "sleep 600 & echo $! > sleeper.pid; echo waiting; wait";

fn waiting(e: &UniversalEvent) -> bool {
    matches!(&e.data, EventData::SetupOutput(o) if o.text.contains("waiting"))
}

/// Killed or stopped while a setup step runs: the step's processes go with the daemon, and the
/// next daemon ends the session saying why; it never stays in `starting`.
#[tokio::test]
async fn a_restart_during_preparation_ends_the_session_with_a_reason() {
    let mut d = Daemon::start().await;
    let c = d.client();
    let killed = c.create_session(&with_setup(&[SLEEPER], None)).await.unwrap().session_id;
    sse_until(&c, &killed, 0, waiting).await;
    let killed_pid = sleeper(&c, &killed).await;
    d.kill9().await;
    gone(killed_pid).await;
    let mut d = d.restart().await;
    let c = d.client();
    let stopped = c.create_session(&with_setup(&[SLEEPER], None)).await.unwrap().session_id;
    sse_until(&c, &stopped, 0, waiting).await;
    let stopped_pid = sleeper(&c, &stopped).await;
    assert!(d.stop().await.success());
    gone(stopped_pid).await;
    let d = d.restart().await;
    let c = d.client();
    for id in [killed, stopped] {
        let events = sse_until(&c, &id, 0, |e| matches!(e.data, EventData::SessionEnded(_))).await;
        let failed = failure(&events);
        assert_eq!(failed.reason, TaskFailReason::Interrupted, "{id}");
        assert!(failed.message.contains("daemon stopped"), "{failed:?}");
        let info = c.get_session(&id).await.unwrap();
        assert!(info.ended && info.status == SessionStatus::Ended, "{id}: {:?}", info.status);
    }
}

#[tokio::test]
async fn bad_coder_fields_are_problems() {
    let d = Daemon::start().await;
    let http = reqwest::Client::new();
    let repo = serde_json::json!({"url": "file:///x"});
    let huge = "x".repeat(65 * 1024);
    let cases = [
        (serde_json::json!({"tags": ["has space"]}), "tag \"has space\""),
        (serde_json::json!({"tags": vec!["t"; 33]}), "at most 32 tags"),
        (serde_json::json!({"tags": ["x".repeat(65)]}), "1-64 characters"),
        (serde_json::json!({"metadata": {"big": huge}}), "at most 65536"),
        (serde_json::json!({"metadata": ["not", "an", "object"]}), "metadata"),
        (serde_json::json!({"repo": {"url": "file:///x", "path": "../x"}}), "must be relative"),
        (serde_json::json!({"repo": {"url": "file:///x", "path": "/etc"}}), "path"),
        (serde_json::json!({"repo": repo, "repos": [repo]}), "give each its own path"),
        (serde_json::json!({"repo": {"url": ""}}), "url"),
        (serde_json::json!({"setupTimeoutMs": "soon"}), "setupTimeoutMs"),
        (serde_json::json!({"workflowMode": "sideways"}), "workflowMode"),
        (serde_json::json!({"task": 42}), "task"),
    ];
    for (extra, field) in cases {
        let mut body = serde_json::json!({"agent": "mock"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let resp = http.post(format!("{}/v1/sessions", d.url)).json(&body).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        let problem: serde_json::Value = resp.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().contains(field), "{field}: {problem}");
    }
    assert!(d.client().list_sessions(&Default::default()).await.unwrap().sessions.is_empty(), "nothing was created");
}
