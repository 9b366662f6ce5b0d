//! Spawning, stopping and exit reports, with real processes.

mod common;

use std::time::Duration;

use common::{gone_within_wait, path, sh, WAIT};
use sandbox_agent_exec::{Process, SpawnSpec, Wrapper};
use tokio::time::timeout;

async fn line(proc: &mut Process) -> String {
    timeout(WAIT, proc.next_line()).await.expect("a line in time").unwrap().expect("a line").to_string()
}

async fn all_lines(proc: &mut Process) -> Vec<String> {
    let mut lines = Vec::new();
    while let Some(line) = timeout(WAIT, proc.next_line()).await.expect("stdout in time").unwrap() {
        lines.push(line.to_string());
    }
    lines
}

#[tokio::test]
async fn the_environment_is_exactly_what_was_given() {
    let env = vec![("ONLY".to_string(), "this".to_string()), ("AND".to_string(), "that=too".to_string())];
    let mut proc = SpawnSpec::new("env", "/usr/bin/env", "/").env(env).spawn().unwrap();
    let mut lines = all_lines(&mut proc).await;
    lines.sort();
    assert_eq!(lines, ["AND=that=too", "ONLY=this"]);
    assert_eq!(timeout(WAIT, proc.exit_report()).await.unwrap().exit_code, Some(0));
}

#[tokio::test]
async fn the_child_leads_its_own_process_group_in_its_directory() {
    // Field 5 of /proc/PID/stat is the process group.
    let mut proc = SpawnSpec::new("sh", "/bin/sh", "/")
        .args(["-c", "cut -d' ' -f5 /proc/$$/stat; pwd"])
        .env(path())
        .spawn()
        .unwrap();
    let pgid: u32 = line(&mut proc).await.parse().unwrap();
    assert_eq!(Some(pgid), proc.pid());
    assert_eq!(line(&mut proc).await, "/");
}

#[tokio::test]
async fn a_wrapper_runs_the_command_under_it() {
    // The seam a sandbox uses: `env WRAPPED=yes printenv WRAPPED`.
    let wrapper = Wrapper { program: "/usr/bin/env".into(), args: vec!["WRAPPED=yes".into()] };
    let mut proc =
        SpawnSpec::new("printenv", "printenv", "/").args(["WRAPPED"]).env(path()).wrapper(wrapper).spawn().unwrap();
    assert_eq!(all_lines(&mut proc).await, ["yes"]);
}

#[tokio::test]
async fn lines_go_both_ways() {
    let mut proc = sh("exec cat").spawn().unwrap();
    proc.write_json_line(&serde_json::json!({"a": [1, "two"]})).await.unwrap();
    assert_eq!(line(&mut proc).await, r#"{"a":[1,"two"]}"#);
    proc.close_stdin();
    assert!(proc.write_json_line(&serde_json::json!(1)).await.is_err(), "stdin is closed");
    assert!(all_lines(&mut proc).await.is_empty());
    let report = timeout(WAIT, proc.exit_report()).await.unwrap();
    assert_eq!((report.exit_code, report.signal), (Some(0), None));
    assert_eq!(report.message, "sh exited with status 0");
}

#[tokio::test]
async fn a_graceful_stop_lets_the_process_exit_by_itself_and_kills_its_group() {
    // It exits when its stdin closes; a grandchild it started would live on.
    let mut proc = sh("sleep 600 & echo $!; cat; echo saved >&2; exit 4").spawn().unwrap();
    let grandchild: u32 = line(&mut proc).await.parse().unwrap();
    timeout(WAIT, proc.stop()).await.expect("it exited well within the grace period");
    let report = timeout(WAIT, proc.exit_report()).await.unwrap();
    assert_eq!(report.exit_code, Some(4), "it exited by itself");
    assert_eq!(report.message, "sh exited with status 4: saved");
    assert!(gone_within_wait(grandchild), "the grandchild went with its group");
}

#[tokio::test]
async fn a_process_that_ignores_its_stdin_is_killed_after_the_grace_period() {
    let mut proc = sh("trap '' TERM; echo ready; exec sleep 600").spawn().unwrap();
    assert_eq!(line(&mut proc).await, "ready");
    timeout(WAIT, proc.stop_within(Duration::from_millis(200))).await.unwrap();
    let report = timeout(WAIT, proc.exit_report()).await.unwrap();
    assert_eq!((report.exit_code, report.signal), (None, Some(libc::SIGKILL)));
    assert_eq!(report.message, "sh was killed by a signal");
}

#[tokio::test]
async fn kill_takes_the_whole_group() {
    let mut proc = sh("sleep 600 & echo $!; wait").spawn().unwrap();
    let grandchild: u32 = line(&mut proc).await.parse().unwrap();
    timeout(WAIT, proc.kill()).await.unwrap();
    assert_eq!(timeout(WAIT, proc.exit_report()).await.unwrap().signal, Some(libc::SIGKILL));
    assert!(gone_within_wait(grandchild));
}

#[tokio::test]
async fn the_exit_report_quotes_the_head_and_tail_of_stderr() {
    let script = "i=1; while [ $i -le 100 ]; do echo err$i >&2; i=$((i+1)); done; echo out; exit 3";
    let mut proc = sh(script).spawn().unwrap();
    assert_eq!(all_lines(&mut proc).await, ["out"], "stderr is not stdout");
    let report = timeout(WAIT, proc.exit_report()).await.unwrap();
    assert_eq!(report.exit_code, Some(3));
    assert_eq!(report.message, "sh exited with status 3: err100");
    let stderr = &report.stderr;
    assert_eq!(stderr.total_lines(), 100);
    assert!(stderr.truncated());
    assert_eq!(stderr.head(), (1..=20).map(|i| format!("err{i}")).collect::<Vec<_>>().join("\n"));
    assert_eq!(stderr.tail().unwrap(), (51..=100).map(|i| format!("err{i}")).collect::<Vec<_>>().join("\n"));
}

#[tokio::test]
async fn a_drained_stdout_joins_the_excerpt() {
    let (tx, mut logged) = tokio::sync::mpsc::unbounded_channel();
    let mut proc = sh("echo banner; echo oops >&2; exit 1").spawn().unwrap();
    proc.drain_stdout(move |line| {
        let _ = tx.send(line.to_string());
    });
    assert!(timeout(WAIT, proc.next_line()).await.unwrap().unwrap().is_none(), "stdout is the drain's");
    let report = timeout(WAIT, proc.exit_report()).await.unwrap();
    let mut kept = report.stderr.last_lines(10);
    kept.sort();
    assert_eq!(kept, ["banner", "oops"]);
    assert_eq!(timeout(WAIT, logged.recv()).await.unwrap().as_deref(), Some("banner"));
}

/// The child gets SIGTERM when the thread that spawned it ends (as when the daemon dies).
#[test]
fn the_child_is_terminated_when_its_spawning_thread_ends() {
    let pid = std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let proc = sh("exec sleep 600").spawn().unwrap();
            proc.pid().unwrap()
        })
    })
    .join()
    .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mut status = 0;
        // SAFETY: plain syscall on our own child.
        let reaped = unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
        if reaped == pid as libc::pid_t {
            assert!(libc::WIFSIGNALED(status), "it did not exit by itself: {status:#x}");
            assert_eq!(libc::WTERMSIG(status), libc::SIGTERM);
            return;
        }
        if reaped == -1 {
            // Someone else reaped it (tests sharing a process): it must at least be gone.
            assert!(gone_within_wait(pid));
            return;
        }
        assert!(std::time::Instant::now() < deadline, "sleep 600 outlived the thread that spawned it");
        // The poll interval of a bounded wait (waitpid with a timeout does not exist).
        std::thread::sleep(Duration::from_millis(10));
    }
}
