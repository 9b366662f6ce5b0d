//! Real programs on real PTYs: output and exit codes, the window size as the program sees it,
//! Ctrl-C of a running command, late watchers, limits, and kill of the whole process session.

use std::time::Duration;

use sandbox_agent_schema::{CreateTerminalRequest, TerminalStatus};
use sandbox_agent_terminals::{session_members, Event, TerminalError, Terminals};
use tokio::sync::broadcast::Receiver;

const WAIT: Duration = Duration::from_secs(15);

fn req(command: &[&str]) -> CreateTerminalRequest {
    CreateTerminalRequest { command: command.iter().map(|s| s.to_string()).collect(), ..Default::default() }
}

/// Output until `needle` shows up in all of it (after `seen`); fails after [`WAIT`].
async fn until(rx: &mut Receiver<Event>, seen: &mut String, needle: &str) {
    let found = tokio::time::timeout(WAIT, async {
        while !seen.contains(needle) {
            match rx.recv().await.expect("the terminal went away") {
                Event::Output(b) => seen.push_str(&String::from_utf8_lossy(&b)),
                Event::Exit { code, signal } => panic!("exited ({code:?}, {signal:?}) before {needle:?}: {seen}"),
            }
        }
    })
    .await;
    assert!(found.is_ok(), "no {needle:?} in {seen:?}");
}

/// Everything up to the exit, and the exit.
async fn exit(rx: &mut Receiver<Event>) -> (String, Option<i32>, Option<i32>) {
    let mut out = String::new();
    let done = tokio::time::timeout(WAIT, async {
        loop {
            match rx.recv().await.expect("the terminal went away") {
                Event::Output(b) => out.push_str(&String::from_utf8_lossy(&b)),
                Event::Exit { code, signal } => return (code, signal),
            }
        }
    })
    .await
    .expect("no exit");
    (out, done.0, done.1)
}

/// Waits until `check` holds, looking every 10 ms, for at most [`WAIT`].
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let ok = tokio::time::timeout(WAIT, async {
        while !check() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(ok.is_ok(), "timed out waiting for {what}");
}

#[tokio::test]
async fn output_then_exit_code() {
    let ws = tempfile::tempdir().unwrap();
    let t = Terminals::new(4);
    let info = t.create("s", ws.path(), req(&["sh", "-c", "echo hello from $(pwd); exit 3"])).unwrap();
    assert_eq!((info.cols, info.rows, info.status), (80, 24, TerminalStatus::Running));
    let mut a = t.attach("s", &info.terminal_id).unwrap();
    let (out, code, signal) = exit(&mut a.events).await;
    let all = String::from_utf8_lossy(&a.scrollback).into_owned() + &out;
    assert!(all.contains(&format!("hello from {}", ws.path().canonicalize().unwrap().display())), "{all:?}");
    assert_eq!((code, signal), (Some(3), None));
    let done = t.get("s", &info.terminal_id).unwrap();
    assert_eq!((done.status, done.exit_code), (TerminalStatus::Exited, Some(3)));
    // A watcher that comes after the end still gets the output and the exit.
    let late = t.attach("s", &info.terminal_id).unwrap();
    assert!(String::from_utf8_lossy(&late.scrollback).contains("hello from"));
    assert_eq!(late.exited, Some((Some(3), None)));
}

#[tokio::test]
async fn a_shell_sees_its_size_change_and_ctrl_c_stops_its_command() {
    let ws = tempfile::tempdir().unwrap();
    let t = Terminals::new(4);
    let mut r = req(&["sh", "-i"]);
    (r.cols, r.rows) = (Some(80), Some(24));
    let info = t.create("s", ws.path(), r).unwrap();
    let id = info.terminal_id.clone();
    let mut a = t.attach("s", &id).unwrap();
    let mut seen = String::from_utf8_lossy(&a.scrollback).into_owned();
    t.write("s", &id, b"stty size\n").await.unwrap();
    until(&mut a.events, &mut seen, "24 80").await;
    t.resize("s", &id, 100, 40).unwrap();
    assert_eq!((t.get("s", &id).unwrap().cols, t.get("s", &id).unwrap().rows), (100, 40));
    t.write("s", &id, b"stty size\n").await.unwrap();
    until(&mut a.events, &mut seen, "40 100").await;

    t.write("s", &id, b"sleep 30\n").await.unwrap();
    let sleeping = || {
        session_members(info.pid)
            .iter()
            .any(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep"))
    };
    eventually("sleep to start", sleeping).await;
    t.write("s", &id, b"\x03").await.unwrap();
    eventually("sleep to stop", || !sleeping()).await;
    t.write("s", &id, b"echo after=$?\n").await.unwrap();
    until(&mut a.events, &mut seen, "after=130").await;
    t.write("s", &id, b"exit 7\n").await.unwrap();
    let (_, code, _) = exit(&mut a.events).await;
    assert_eq!(code, Some(7));
}

#[tokio::test]
async fn kill_takes_the_whole_process_session_and_limits_hold() {
    let ws = tempfile::tempdir().unwrap();
    let t = Terminals::new(2);
    let info = t.create("s", ws.path(), req(&["sh", "-c", "sleep 300 & sleep 300 & wait"])).unwrap();
    eventually("the shell and both sleeps", || session_members(info.pid).len() >= 3).await;
    let other = t.create("s", ws.path(), req(&["sleep", "300"])).unwrap();
    let refused = t.create("s", ws.path(), req(&["true"]));
    assert!(matches!(refused, Err(TerminalError::TooMany { running: 2 })), "{:?}", refused.err());
    // Another session has its own count.
    let elsewhere = t.create("t", ws.path(), req(&["sleep", "300"])).unwrap();

    let mut a = t.attach("s", &info.terminal_id).unwrap();
    t.kill("s", &info.terminal_id).unwrap();
    let (_, code, signal) = exit(&mut a.events).await;
    assert_eq!((code, signal), (None, Some(9)));
    eventually("every process of the terminal to be gone", || session_members(info.pid).is_empty()).await;
    assert!(matches!(t.get("s", &info.terminal_id), Err(TerminalError::NotFound(_))));
    assert_eq!(t.list("s").len(), 1);

    t.kill_all("s");
    t.kill_all("t");
    eventually("the other terminals to be gone", || {
        session_members(other.pid).is_empty() && session_members(elsewhere.pid).is_empty()
    })
    .await;
    assert!(t.list("s").is_empty());
    let bad = t.create("s", ws.path(), CreateTerminalRequest { cwd: Some("../up".into()), ..req(&["true"]) });
    assert!(matches!(bad, Err(TerminalError::Invalid(_))));
}
