//! Terminals over HTTP and WebSocket: echo, a resize the shell sees, Ctrl-C of a running
//! `sleep`, exit codes, a late watcher, observers who may only watch, a browser's way of sending
//! its token, limits, and no process left after kill or after the session is deleted.

use std::time::Duration;

use sandbox_agent_client::{Client, TerminalConnection, TerminalEvent};
use sandbox_agent_schema::*;

use crate::common::*;

/// Output until `needle` appears in all of it; fails on exit or after [`WAIT`].
async fn until(conn: &mut TerminalConnection, seen: &mut String, needle: &str) {
    let found = tokio::time::timeout(WAIT, async {
        while !seen.contains(needle) {
            match conn.next().await {
                Some(Ok(TerminalEvent::Output(b))) => seen.push_str(&String::from_utf8_lossy(&b)),
                other => panic!("{other:?} before {needle:?}: {seen}"),
            }
        }
    })
    .await;
    assert!(found.is_ok(), "no {needle:?} in {seen:?}");
}

/// Everything to the exit, and the exit.
async fn exit(conn: &mut TerminalConnection) -> (String, Option<i32>, Option<i32>) {
    let mut out = String::new();
    let (code, signal) = tokio::time::timeout(WAIT, async {
        loop {
            match conn.next().await {
                Some(Ok(TerminalEvent::Output(b))) => out.push_str(&String::from_utf8_lossy(&b)),
                Some(Ok(TerminalEvent::Exit { exit_code, signal })) => return (exit_code, signal),
                other => panic!("{other:?} before the exit: {out}"),
            }
        }
    })
    .await
    .expect("no exit");
    (out, code, signal)
}

fn shell() -> CreateTerminalRequest {
    CreateTerminalRequest { command: vec!["sh".into(), "-i".into()], ..Default::default() }
}

/// Pids of processes whose session is `sid` (the terminal's leader).
fn members(sid: u32) -> Vec<u32> {
    sandbox_agent_terminals::session_members(sid)
}

#[tokio::test]
async fn a_shell_over_websocket_echo_resize_ctrl_c_and_exit() {
    let d = Daemon::start().await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let dir = c.get_session(&id).await.unwrap().directory;
    let t = c.create_terminal(&id, &CreateTerminalRequest { cols: Some(80), rows: Some(24), ..shell() }).await.unwrap();
    assert_eq!((t.status, t.cwd.clone(), t.session_id.clone()), (TerminalStatus::Running, dir.clone(), id.clone()));
    let mut conn = c.attach_terminal(&id, &t.terminal_id).await.unwrap();
    let mut seen = String::new();
    conn.send(&b"echo hello-$((6*7)) && pwd\n"[..]).await.unwrap();
    until(&mut conn, &mut seen, "hello-42").await;
    until(&mut conn, &mut seen, &dir).await;
    conn.send(&b"stty size\n"[..]).await.unwrap();
    until(&mut conn, &mut seen, "24 80").await;
    conn.resize(120, 50).await.unwrap();
    conn.send(&b"stty size\n"[..]).await.unwrap();
    until(&mut conn, &mut seen, "50 120").await;
    assert_eq!((c.get_terminal(&id, &t.terminal_id).await.unwrap().cols), 120);

    conn.send(&b"sleep 30; echo slept=$?\n"[..]).await.unwrap();
    let sleeping = || {
        members(t.pid)
            .into_iter()
            .any(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep"))
    };
    let started = tokio::time::timeout(WAIT, async {
        while !sleeping() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    started.await.expect("sleep did not start");
    conn.send(&b"\x03"[..]).await.unwrap();
    conn.send(&b"echo interrupted=$?\n"[..]).await.unwrap();
    until(&mut conn, &mut seen, "interrupted=130").await;
    assert!(!seen.contains("slept=0"), "{seen}");

    // A watcher that comes late gets what was printed before it came.
    let mut late = c.attach_terminal(&id, &t.terminal_id).await.unwrap();
    let mut replay = String::new();
    until(&mut late, &mut replay, "hello-42").await;

    conn.send(&b"exit 5\n"[..]).await.unwrap();
    let (_, code, signal) = exit(&mut conn).await;
    assert_eq!((code, signal), (Some(5), None));
    let (_, late_code, _) = exit(&mut late).await;
    assert_eq!(late_code, Some(5));
    let listed = c.list_terminals(&id).await.unwrap().terminals;
    assert_eq!((listed.len(), listed[0].status, listed[0].exit_code), (1, TerminalStatus::Exited, Some(5)));
}

#[tokio::test]
async fn observers_watch_but_cannot_type_and_browsers_send_the_token_as_a_subprotocol() {
    let d = Daemon::start_with(&["--token", "daemon-secret"]).await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let dir = c.get_session(&id).await.unwrap().directory;
    let t = c.create_terminal(&id, &shell()).await.unwrap();
    let observer = c
        .create_token(&id, &TokenRequest { name: "o".into(), role: ParticipantRole::Observer, ttl_seconds: None })
        .await
        .unwrap();
    let watcher = Client::new(d.url.clone(), Some(observer.token.clone()));
    let err = watcher.create_terminal(&id, &shell()).await.unwrap_err();
    assert_eq!(err.problem().unwrap().status, 403);

    let mut watch = watcher.attach_terminal(&id, &t.terminal_id).await.unwrap();
    watch.send(&b"touch observer-was-here\n"[..]).await.unwrap();
    // The prompt may come first (the scrollback); then the refusal.
    let refused = tokio::time::timeout(WAIT, async {
        loop {
            match watch.next().await {
                Some(Ok(TerminalEvent::Output(_))) => continue,
                other => return other,
            }
        }
    })
    .await
    .unwrap();
    assert!(matches!(&refused, Some(Ok(TerminalEvent::Error(m))) if m.contains("observer")), "{refused:?}");
    let mut driver = c.attach_terminal(&id, &t.terminal_id).await.unwrap();
    driver.send(&b"echo typed-by-$((1+1))\n"[..]).await.unwrap();
    let mut seen = String::new();
    until(&mut watch, &mut seen, "typed-by-2").await;
    assert!(!std::path::Path::new(&format!("{dir}/observer-was-here")).exists());

    // A browser cannot set Authorization on a WebSocket: the token rides in the subprotocol list.
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/v1/sessions/{id}/terminals/{}/ws", d.url.replacen("http", "ws", 1), t.terminal_id);
    let mut req = url.clone().into_client_request().unwrap();
    let offer = format!("sandbox-agent.terminal.v1, bearer.{}", observer.token);
    req.headers_mut().insert("sec-websocket-protocol", offer.parse().unwrap());
    let (_socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(resp.headers()["sec-websocket-protocol"], "sandbox-agent.terminal.v1");
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert("sec-websocket-protocol", "sandbox-agent.terminal.v1, bearer.wrong".parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 401),
        other => panic!("a wrong token connected: {:?}", other.map(|(_, r)| r.status())),
    }
}

#[tokio::test]
async fn a_terminal_sees_none_of_the_daemons_secrets() {
    let env = [("SANDBOX_AGENT_TOKEN", "daemon-token-in-env"), ("ANTHROPIC_API_KEY", "sk-daemon-key")];
    let d = Daemon::start_env(&["--token", "daemon-token-in-env"], &env).await;
    let c = Client::new(d.url.clone(), Some("daemon-token-in-env".into()));
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let req = CreateTerminalRequest {
        command: vec!["sh".into(), "-c".into(), "env; echo env-done".into()],
        env: [("MINE".to_string(), "given".to_string())].into(),
        ..Default::default()
    };
    let t = c.create_terminal(&id, &req).await.unwrap();
    let mut conn = c.attach_terminal(&id, &t.terminal_id).await.unwrap();
    let (out, code, _) = exit(&mut conn).await;
    assert_eq!(code, Some(0));
    assert!(out.contains("env-done") && out.contains("MINE=given") && out.contains("PATH="), "{out}");
    assert!(!out.contains("daemon-token-in-env") && !out.contains("sk-daemon-key"), "{out}");
}

#[tokio::test]
async fn kill_and_session_delete_leave_no_process_and_limits_hold() {
    let d = Daemon::start_with(&["--max-terminals", "2"]).await;
    let c = d.client();
    let id = c.create_session(&mock()).await.unwrap().session_id;
    let busy = CreateTerminalRequest {
        command: vec!["sh".into(), "-c".into(), "sleep 300 & sleep 300 & wait".into()],
        ..Default::default()
    };
    let a = c.create_terminal(&id, &busy).await.unwrap();
    let b = c.create_terminal(&id, &busy).await.unwrap();
    let err = c.create_terminal(&id, &busy).await.unwrap_err();
    assert_eq!((err.problem().unwrap().status, err.problem().unwrap().code()), (429, "too_many_terminals"));
    let err =
        c.create_terminal(&id, &CreateTerminalRequest { cwd: Some("../..".into()), ..shell() }).await.unwrap_err();
    assert_eq!(err.problem().unwrap().status, 422);
    let err = c.get_terminal(&id, "term_nope").await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "not_found");

    let wait_for = |sid: u32, what: &'static str, want_empty: bool| async move {
        let ok = tokio::time::timeout(WAIT, async {
            while members(sid).is_empty() != want_empty || (!want_empty && members(sid).len() < 3) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        assert!(ok.is_ok(), "{what}: {:?}", members(sid));
    };
    wait_for(a.pid, "a's shell and sleeps", false).await;
    wait_for(b.pid, "b's shell and sleeps", false).await;
    c.kill_terminal(&id, &a.terminal_id).await.unwrap();
    wait_for(a.pid, "a's processes to be gone", true).await;
    assert_eq!(c.list_terminals(&id).await.unwrap().terminals.len(), 1);

    c.delete_session(&id).await.unwrap();
    wait_for(b.pid, "b's processes to be gone with the session", true).await;
    assert_eq!(c.list_terminals(&id).await.unwrap_err().problem().unwrap().code(), "session_not_found");
}
