//! The runner against real bubblewrap and real processes. Every wait is bounded.

use std::time::Duration;

use sandbox_agent_runner::{RunError, Runner, RunnerConfig, Unavailable, Workdir};
use sandbox_agent_schema::*;
use sandbox_agent_test_support::procs::{all_exit, with_arg};

struct Setup {
    runner: std::sync::Arc<Runner>,
    scratch: tempfile::TempDir,
}

fn setup_with(edit: impl FnOnce(&mut RunnerConfig)) -> Setup {
    let scratch = tempfile::tempdir().unwrap();
    let mut config = RunnerConfig {
        scratch: scratch.path().join("runs"),
        path: std::env::var_os("PATH"),
        allow_unisolated: false,
        max_runs: 4,
        queue_timeout: Duration::from_secs(30),
        max_timeout: Duration::from_secs(120),
    };
    edit(&mut config);
    Setup { runner: std::sync::Arc::new(Runner::new(config)), scratch }
}

fn setup() -> Setup {
    setup_with(|_| {})
}

fn sh(script: &str) -> RunRequest {
    RunRequest { command: vec!["sh".into(), "-c".into(), script.into()], ..Default::default() }
}

async fn run(s: &Setup, req: RunRequest) -> RunResponse {
    bounded(s.runner.run(req, Workdir::Scratch)).await.expect("run")
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f).await.expect("in time")
}

#[tokio::test]
async fn exit_codes_output_stdin_and_signals() {
    let s = setup();
    let r = run(&s, sh("echo out; echo err >&2; exit 3")).await;
    assert_eq!((r.exit_code, r.signal, r.timed_out), (Some(3), None, false));
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.isolation.as_str()), ("out\n", "err\n", "bwrap"));
    let r = run(&s, RunRequest { stdin: Some("from stdin".into()), ..sh("cat; echo") }).await;
    assert_eq!((r.exit_code, r.stdout.as_str()), (Some(0), "from stdin\n"));
    let bytes = RunRequest { stdin: Some("/wAB".into()), stdin_encoding: Encoding::Base64, ..sh("cat") };
    let r = run(&s, bytes).await;
    assert_eq!((r.stdout.as_str(), r.stdout_encoding), ("/wAB", Encoding::Base64), "binary output is base64");
    let r = run(&s, sh("kill -TERM $$")).await;
    assert_eq!((r.exit_code, r.signal), (Some(143), Some(libc::SIGTERM)), "a signal death: 128+n and the signal");
    let r = run(&s, RunRequest { command: vec!["definitely-not-a-command".into()], ..Default::default() }).await;
    assert_ne!(r.exit_code, Some(0));
    assert!(r.stderr.contains("definitely-not-a-command"), "{r:?}");
    assert!(r.cpu_time_ms < 10_000 && r.max_rss_bytes > 0, "{r:?}");
}

#[tokio::test]
async fn the_deadline_kills_a_grandchild_that_daemonized() {
    let s = setup_with(|c| c.allow_unisolated = true);
    for (isolate, marker) in [(true, "600.101"), (false, "600.202")] {
        // setsid and a double fork: out of the process group and reparented.
        let script = format!("(setsid sh -c 'sleep {marker} &' &); sleep 600");
        let req = RunRequest { timeout_ms: Some(1000), isolate: Some(isolate), ..sh(&script) };
        let r = run(&s, req).await;
        assert!(r.timed_out && r.signal == Some(libc::SIGKILL) && r.exit_code.is_none(), "{r:?}");
        assert!(r.duration_ms >= 1000 && r.duration_ms < 10_000, "{r:?}");
        // Started before the deadline; gone with the run (woken by the exit).
        let left = all_exit(with_arg(marker), Duration::from_secs(10)).await;
        assert_eq!(left, Ok(()), "isolate {isolate}: outlived the run");
    }
}

#[tokio::test]
async fn output_is_capped_and_says_so() {
    let s = setup();
    let r = run(&s, RunRequest { max_output_bytes: Some(1000), ..sh("seq 1 100000; seq 1 10 >&2") }).await;
    assert_eq!(r.truncated, Truncated { stdout: true, stderr: false });
    assert_eq!((r.stdout.len(), r.exit_code), (1000, Some(0)), "read to the end, kept to the cap");
    assert!(r.stdout.starts_with("1\n2\n3\n"));
}

#[tokio::test]
async fn files_go_in_and_come_out_and_the_scratch_dir_is_removed() {
    let s = setup();
    let req = RunRequest {
        files: vec![RunFileInput {
            path: "src/in.sh".into(),
            content: "ZWNobyBmcm9tLWZpbGUK".into(),
            mode: Some(0o755),
        }],
        collect: vec!["out/*.txt".into()],
        cwd: Some("src".into()),
        ..sh("./in.sh > ../note; mkdir -p ../out; echo a > ../out/a.txt; echo b > ../out/b.txt; cat ../note")
    };
    let r = run(&s, req).await;
    assert_eq!((r.exit_code, r.stdout.as_str()), (Some(0), "from-file\n"), "{r:?}");
    let got: Vec<(&str, &str)> = r.files.iter().map(|f| (f.path.as_str(), f.content.as_str())).collect();
    assert_eq!(got, [("out/a.txt", "YQo="), ("out/b.txt", "Ygo=")]);
    let left: Vec<_> = std::fs::read_dir(s.scratch.path().join("runs")).unwrap().collect();
    assert!(left.is_empty(), "the scratch directory is gone");
}

#[tokio::test]
async fn the_network_is_cut_unless_asked_for() {
    let s = setup();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accept = tokio::spawn(async move { listener.accept().await.map(|_| ()) });
    // bash's /dev/tcp: a plain connect, no client tool needed.
    let connect = format!("exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected");
    let bash = |network| RunRequest {
        command: vec!["bash".into(), "-c".into(), connect.clone()],
        network: Some(network),
        ..Default::default()
    };
    let cut = run(&s, bash(false)).await;
    assert_ne!(cut.exit_code, Some(0), "{cut:?}");
    assert!(!cut.stdout.contains("connected"));
    let open = run(&s, bash(true)).await;
    assert_eq!((open.exit_code, open.stdout.as_str()), (Some(0), "connected\n"), "{open:?}");
    bounded(accept).await.unwrap().unwrap();
}

#[tokio::test]
async fn nothing_of_the_daemon_is_visible_inside() {
    let s = setup();
    // A secret in the daemon's environment and a file next to the scratch dir (the data dir).
    std::env::set_var("SANDBOX_AGENT_TOKEN", "daemon-token-xyz");
    std::fs::write(s.scratch.path().join("store.db"), "secret data").unwrap();
    let req = RunRequest {
        env: [("MINE".to_string(), "given".to_string())].into(),
        ..sh(&format!(
            "env; ls {} 2>&1; cat {}/store.db 2>&1; echo $HOME",
            s.scratch.path().display(),
            s.scratch.path().display()
        ))
    };
    let r = run(&s, req).await;
    assert!(r.stdout.contains("MINE=given") && r.stdout.contains("LANG=C.UTF-8"), "{}", r.stdout);
    assert!(!r.stdout.contains("daemon-token-xyz") && !r.stdout.contains("SANDBOX_AGENT"), "{}", r.stdout);
    assert!(!r.stdout.contains("secret data"), "{}", r.stdout);
    assert!(r.stdout.contains("No such file"), "the data dir is not there: {}", r.stdout);
    let r = run(&s, sh("touch /usr/x 2>&1; touch /etc/x 2>&1; touch /tmp/x && echo tmp-ok")).await;
    assert!(r.stdout.contains("Read-only file system") && r.stdout.contains("tmp-ok"), "{}", r.stdout);
}

#[tokio::test]
async fn limits_contain_a_fork_bomb_and_a_memory_hog() {
    let s = setup();
    let pids = RunLimits { pids: Some(20), ..Default::default() };
    let bomb = "bomb() { bomb | bomb & }; bomb; sleep 1; echo survived";
    let req = RunRequest { limits: Some(pids), timeout_ms: Some(10_000), ..sh(bomb) };
    match bounded(s.runner.run(req, Workdir::Scratch)).await {
        Ok(r) => {
            assert!(r.cgroup.as_deref().is_some_and(|c| c.starts_with("cgroup-")), "{r:?}");
            let said = r.stderr.to_lowercase();
            assert!(said.contains("fork") || said.contains("resource temporarily unavailable"), "{r:?}");
        }
        // A machine without a writable pids cgroup says so instead of running it unbounded.
        Err(RunError::Unsupported(why)) => assert!(why.contains("cgroup"), "{why}"),
        Err(other) => panic!("{other}"),
    }
    let memory = RunLimits { memory_bytes: Some(64 * 1024 * 1024), ..Default::default() };
    let hog = RunRequest {
        command: vec!["python3".into(), "-c".into(), "x = bytearray(512 * 1024 * 1024); print('allocated')".into()],
        limits: Some(memory),
        ..Default::default()
    };
    let r = run(&s, hog).await;
    assert!(!r.stdout.contains("allocated"), "{r:?}");
    if r.cgroup.is_some() {
        // A memory cgroup: the kernel's OOM killer ends it, and the answer says so.
        assert!(r.oom_killed && r.signal == Some(libc::SIGKILL), "{r:?}");
    } else {
        // Only RLIMIT_AS: the allocation fails inside the command.
        assert!(r.stderr.contains("MemoryError") && r.exit_code == Some(1), "{r:?}");
    }
}

#[tokio::test]
async fn runs_beyond_the_slots_wait_then_are_refused() {
    let s = setup_with(|c| {
        c.max_runs = 2;
        c.queue_timeout = Duration::from_millis(300);
    });
    // Each slow run says when it holds its slot (its command started).
    let mut held = Vec::new();
    let mut slow = Vec::new();
    for _ in 0..2 {
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let runner = s.runner.clone();
        let req = RunRequest { timeout_ms: Some(5000), ..sh("sleep 3") };
        slow.push(tokio::spawn(async move { runner.run_streaming(req, Workdir::Scratch, tx).await }));
        held.push(rx);
    }
    for rx in &mut held {
        assert_eq!(bounded(rx.recv()).await, Some(sandbox_agent_runner::Progress::Started));
    }
    // Both slots are taken: the third waits its 300 ms and is refused.
    let c = bounded(s.runner.run(sh("true"), Workdir::Scratch)).await;
    assert!(matches!(c, Err(RunError::Busy(_))), "{c:?}");
    for run in slow {
        assert_eq!(bounded(run).await.unwrap().unwrap().exit_code, Some(0));
    }
}

#[tokio::test]
async fn twenty_runs_at_once_all_complete() {
    let s = setup_with(|c| c.max_runs = 20);
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let runner = s.runner.clone();
            tokio::spawn(async move { runner.run(sh(&format!("echo run-{i}")), Workdir::Scratch).await.unwrap() })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(bounded(task).await.unwrap().stdout, format!("run-{i}\n"));
    }
}

#[tokio::test]
async fn without_bwrap_an_isolated_run_is_refused_and_unisolated_needs_the_flag() {
    let empty = tempfile::tempdir().unwrap();
    let s = setup_with(|c| c.path = Some(empty.path().as_os_str().to_owned()));
    let err = bounded(s.runner.run(sh("true"), Workdir::Scratch)).await.unwrap_err();
    assert!(matches!(err, RunError::Unavailable(Unavailable::Missing)), "{err}");
    assert!(err.to_string().contains("bwrap"), "{err}");
    let unisolated = RunRequest { isolate: Some(false), ..sh("echo plain") };
    let err = bounded(s.runner.run(unisolated.clone(), Workdir::Scratch)).await.unwrap_err();
    assert!(matches!(err, RunError::UnisolatedNotAllowed), "{err}");
    let allowed = setup_with(|c| c.allow_unisolated = true);
    let r = bounded(allowed.runner.run(unisolated, Workdir::Scratch)).await.unwrap();
    assert_eq!((r.stdout.as_str(), r.isolation.as_str()), ("plain\n", "none"));
}

#[tokio::test]
async fn bad_requests_are_refused_before_anything_runs() {
    let s = setup();
    let cases = [
        RunRequest::default(),
        RunRequest { cwd: Some("../up".into()), ..sh("true") },
        RunRequest { collect: vec!["/etc/*".into()], ..sh("true") },
        RunRequest { timeout_ms: Some(0), ..sh("true") },
        RunRequest { timeout_ms: Some(10_000_000), ..sh("true") },
        RunRequest {
            files: vec![RunFileInput { path: "../x".into(), content: String::new(), mode: None }],
            ..sh("true")
        },
        RunRequest { stdin: Some("%%%".into()), stdin_encoding: Encoding::Base64, ..sh("true") },
    ];
    for req in cases {
        let err = bounded(s.runner.run(req.clone(), Workdir::Scratch)).await.unwrap_err();
        assert!(matches!(err, RunError::Invalid(_)), "{req:?}: {err}");
    }
}

#[tokio::test]
async fn a_streamed_run_sends_output_as_it_comes_and_dropping_it_kills_the_run() {
    use sandbox_agent_runner::Progress;
    let s = setup();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let runner = s.runner.clone();
    let done =
        tokio::spawn(async move { runner.run_streaming(sh("seq 1 3; echo err >&2"), Workdir::Scratch, tx).await });
    let mut got = Vec::new();
    while let Some(p) = bounded(rx.recv()).await {
        got.push(p);
    }
    assert_eq!(got.first(), Some(&Progress::Started));
    let text = |stream: OutputStream| -> String {
        got.iter()
            .filter_map(|p| match p {
                Progress::Output(c) if c.stream == stream => Some(String::from_utf8_lossy(&c.bytes).into_owned()),
                _ => None,
            })
            .collect()
    };
    assert_eq!((text(OutputStream::Stdout).as_str(), text(OutputStream::Stderr).as_str()), ("1\n2\n3\n", "err\n"));
    let r = bounded(done).await.unwrap().unwrap();
    assert_eq!((r.exit_code, r.stdout.as_str(), r.stderr.as_str()), (Some(0), "", ""), "streamed, not repeated");

    // Output arrives while the command still runs; dropping the run then kills it.
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let runner = s.runner.clone();
    let marker = "600.303";
    let script = format!("echo first; (setsid sleep {marker} &); sleep 600.304");
    let shell = script.clone();
    let run = tokio::spawn(async move { runner.run_streaming(sh(&script), Workdir::Scratch, tx).await });
    assert_eq!(bounded(rx.recv()).await, Some(Progress::Started));
    let Some(Progress::Output(first)) = bounded(rx.recv()).await else { panic!("no output") };
    assert_eq!(first.bytes, b"first\n");
    // The script is an argument of the command's shell (and of the bwrap around it): what runs.
    let running = with_arg(&shell);
    assert!(!running.is_empty(), "the command runs while it streams");
    run.abort();
    // The task is gone (and its future dropped) once its handle says so.
    assert!(bounded(run).await.unwrap_err().is_cancelled());
    let left = all_exit([running, with_arg(marker)].concat(), Duration::from_secs(10)).await;
    assert_eq!(left, Ok(()), "the dropped run left processes behind");
    let left: Vec<_> = std::fs::read_dir(s.scratch.path().join("runs")).unwrap().collect();
    assert!(left.is_empty(), "the dropped run's scratch dir is gone: {left:?}");
}
