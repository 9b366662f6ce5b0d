//! `POST /v1/run` and `sandbox-agent run` through the daemon: real bwrap, real processes.

use sandbox_agent_schema::*;

use futures_util::StreamExt;
use sandbox_agent_client::RunEvent;
use sandbox_agent_test_support::procs::{all_exit, with_arg};

use crate::common::*;

fn sh(script: &str) -> RunRequest {
    RunRequest { command: vec!["sh".into(), "-c".into(), script.into()], ..Default::default() }
}

#[tokio::test]
async fn a_run_answers_with_its_exit_and_output_and_a_session_run_is_recorded() {
    let d = Daemon::start().await;
    let c = d.client();
    let r = c.run(&sh("echo out; echo err >&2; exit 4")).await.unwrap();
    assert_eq!((r.exit_code, r.stdout.as_str(), r.stderr.as_str()), (Some(4), "out\n", "err\n"));
    assert_eq!((r.isolation.as_str(), r.timed_out), ("bwrap", false));
    // In a session: its workspace, writable, and kept; the session records the run.
    let created = c.create_session(&CreateSessionRequest { task: Some("echo ready".into()), ..mock() }).await.unwrap();
    let id = created.session_id;
    sse_until(&c, &id, 0, |e| matches!(e.data, EventData::TaskCompleted(_))).await;
    let req = RunRequest { session_id: Some(id.clone()), ..sh("echo made > made.txt; pwd") };
    let r = c.run(&req).await.unwrap();
    let workspace = c.get_session(&id).await.unwrap().workspace.unwrap();
    assert_eq!(r.stdout.trim(), workspace);
    assert_eq!(std::fs::read_to_string(std::path::Path::new(&workspace).join("made.txt")).unwrap(), "made\n");
    let query = EventsQuery { type_: Some("run.completed".into()), ..Default::default() };
    let events = c.events(&id, &query).await.unwrap().events;
    let EventData::RunCompleted(done) = &events[0].data else { panic!("{events:?}") };
    assert_eq!((done.exit_code, done.run_by.as_str(), done.command[0].as_str()), (Some(0), "daemon", "sh"));
    // Not in an ended session, nor an unknown one.
    c.terminate(&id).await.unwrap();
    let ended = c.run(&req).await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((ended.status, ended.code()), (409, "session_ended"));
    let unknown = RunRequest { session_id: Some("nope".into()), ..sh("true") };
    assert_eq!(c.run(&unknown).await.unwrap_err().problem().unwrap().status, 404);
}

#[tokio::test]
async fn isolation_is_never_silently_dropped() {
    let no_bwrap = tempfile::tempdir().unwrap();
    let d = Daemon::start_env(&[], &[("PATH", no_bwrap.path().to_str().unwrap())]).await;
    let c = d.client();
    let problem = c.run(&RunRequest { command: vec!["/bin/true".into()], ..Default::default() }).await.unwrap_err();
    let problem = problem.problem().cloned().unwrap();
    assert_eq!((problem.status, problem.code()), (501, "not_implemented"));
    assert!(problem.detail.as_deref().unwrap().contains("bwrap"), "{problem:?}");
    let plain =
        RunRequest { command: vec!["/bin/echo".into(), "plain".into()], isolate: Some(false), ..Default::default() };
    let problem = c.run(&plain).await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((problem.status, problem.code()), (403, "forbidden"));
    assert!(problem.detail.as_deref().unwrap().contains("--allow-unisolated-run"), "{problem:?}");
    let d = Daemon::start_with(&["--allow-unisolated-run"]).await;
    let r = d.client().run(&plain).await.unwrap();
    assert_eq!((r.stdout.as_str(), r.isolation.as_str()), ("plain\n", "none"));
}

#[tokio::test]
async fn runs_past_the_slots_get_429_and_bad_bodies_422() {
    let d = Daemon::start_with(&["--max-runs", "1", "--run-queue-timeout-ms", "200"]).await;
    let c = d.client();
    // A streamed run answers once its command started: it holds the one slot from then on.
    let mut slow = c.run_stream(&sh("echo holding; sleep 2; echo slow")).await.unwrap();
    let first = tokio::time::timeout(WAIT, slow.next()).await.unwrap().unwrap().unwrap();
    assert!(matches!(&first, RunEvent::Stdout(o) if o.data == "holding\n"), "{first:?}");
    let refused = c.run(&sh("echo quick")).await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((refused.status, refused.code()), (429, "too_many_runs"));
    let mut said = String::new();
    while let Some(ev) = tokio::time::timeout(WAIT, slow.next()).await.unwrap() {
        match ev.unwrap() {
            RunEvent::Stdout(o) => said.push_str(&o.data),
            RunEvent::Exit(end) => assert_eq!(end.exit_code, Some(0)),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(said, "slow\n", "the slow run finished all the same");
    let http = reqwest::Client::new();
    for body in [r#"{"command": []}"#, r#"{"command": ["x"], "cwd": "../up"}"#, r#"{"command": ["x"], "bogus": 1}"#] {
        let resp = http.post(format!("{}/v1/run", d.url)).header("content-type", "application/json").body(body).send();
        let resp = resp.await.unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn the_cli_prints_the_output_and_exits_with_the_commands_code() {
    let d = Daemon::start().await;
    let run = |args: &[&str]| {
        let out = tokio::process::Command::new(bin())
            .arg("run")
            .args(args)
            .env("SANDBOX_AGENT_ENDPOINT", &d.url)
            .env_remove("SANDBOX_AGENT_TOKEN")
            .output();
        async move {
            let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            (out.status.code(), text(&out.stdout), text(&out.stderr))
        }
    };
    let (code, out, err) = run(&["--", "sh", "-c", "echo hi; echo oops >&2; exit 3"]).await;
    assert_eq!((code, out.as_str(), err.as_str()), (Some(3), "hi\n", "oops\n"));
    let (code, _, _) = run(&["--", "sh", "-c", "kill -KILL $$"]).await;
    assert_eq!(code, Some(137));
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let args = ["--collect", "*.txt", "--out", out_dir, "--stdin", "piped", "--", "sh", "-c", "cat > got.txt"];
    let (code, _, err) = run(&args).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("got.txt")).unwrap(), "piped");
    let (code, _, err) = run(&["--no-isolate", "--", "true"]).await;
    assert_eq!(code, Some(125), "a refused run is the CLI's own failure");
    assert!(err.contains("forbidden"), "{err}");
}

#[tokio::test]
async fn a_streamed_run_sends_output_then_its_exit_and_a_client_that_leaves_kills_it() {
    let d = Daemon::start().await;
    let c = d.client();
    let mut events = c.run_stream(&sh("echo one; echo two >&2; printf 'caf\\303\\251'; exit 5")).await.unwrap();
    let mut got = Vec::new();
    while let Some(ev) = tokio::time::timeout(WAIT, events.next()).await.unwrap() {
        got.push(ev.unwrap());
    }
    let text = |pick: fn(&RunEvent) -> Option<&RunOutputChunk>| -> String {
        got.iter().filter_map(pick).map(|c| c.data.clone()).collect()
    };
    let stdout = text(|e| if let RunEvent::Stdout(c) = e { Some(c) } else { None });
    let stderr = text(|e| if let RunEvent::Stderr(c) = e { Some(c) } else { None });
    assert_eq!((stdout.as_str(), stderr.as_str()), ("one\ncafé", "two\n"));
    let Some(RunEvent::Exit(end)) = got.last() else { panic!("{got:?}") };
    assert_eq!((end.exit_code, end.stdout.as_str()), (Some(5), ""));

    // The script is an argument of the command's shell (and of the bwrap around it): what runs.
    let script = "echo started; sleep 600.404";
    let mut events = c.run_stream(&sh(script)).await.unwrap();
    let first = tokio::time::timeout(WAIT, events.next()).await.unwrap().unwrap().unwrap();
    assert!(matches!(&first, RunEvent::Stdout(c) if c.data == "started\n"), "{first:?}");
    let running = with_arg(script);
    assert!(!running.is_empty(), "the command runs while it streams");
    drop(events);
    assert_eq!(all_exit(running, WAIT).await, Ok(()), "the run outlived its client");
    // Refused before it starts: a problem, not a stream.
    let refused = c.run_stream(&RunRequest { command: vec![], ..Default::default() }).await.err().unwrap();
    assert_eq!(refused.problem().unwrap().status, 422);
}
