//! Agent processes: spawn in their own process group, read stdout as lines, keep an excerpt
//! of stderr (never parsed as events), and kill the whole group.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sandbox_agent_schema::StderrOutput;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

const STDERR_HEAD: usize = 20;
const STDERR_TAIL: usize = 50;

/// The first and last lines of a process's stderr.
#[derive(Default)]
pub struct StderrExcerpt {
    head: Vec<String>,
    tail: VecDeque<String>,
    total: u64,
}

impl StderrExcerpt {
    pub(crate) fn push(&mut self, line: String) {
        self.total += 1;
        if self.head.len() < STDERR_HEAD {
            self.head.push(line);
            return;
        }
        if self.tail.len() == STDERR_TAIL {
            self.tail.pop_front();
        }
        self.tail.push_back(line);
    }

    pub fn output(&self) -> Option<StderrOutput> {
        if self.total == 0 {
            return None;
        }
        let join = |lines: &mut dyn Iterator<Item = &String>| lines.cloned().collect::<Vec<_>>().join("\n");
        Some(StderrOutput {
            head: Some(join(&mut self.head.iter())),
            tail: (!self.tail.is_empty()).then(|| join(&mut self.tail.iter())),
            truncated: self.total > (STDERR_HEAD + STDERR_TAIL) as u64,
            total_lines: Some(self.total),
        })
    }

    /// Up to the last `n` lines, oldest first, for error messages.
    pub fn last_lines(&self, n: usize) -> Vec<String> {
        let all: Vec<&String> = self.head.iter().chain(self.tail.iter()).collect();
        all[all.len().saturating_sub(n)..].iter().map(|l| l.to_string()).collect()
    }

    /// "`program` exited with status N: <last stderr line>", for an exit the daemon reports.
    pub fn exit_message(&self, program: &str, exit_code: Option<i32>) -> String {
        match (exit_code, self.last_line()) {
            (Some(code), Some(line)) => format!("{program} exited with status {code}: {line}"),
            (Some(code), None) => format!("{program} exited with status {code}"),
            (None, _) => format!("{program} was killed by a signal"),
        }
    }

    /// The last non-empty line, for error messages.
    pub fn last_line(&self) -> Option<String> {
        self.tail.back().or_else(|| self.head.last()).cloned()
    }
}

pub struct AgentProcess {
    pub child: Child,
    pub stdin: ChildStdin,
    pub stdout: tokio::io::Lines<BufReader<ChildStdout>>,
    pub stderr: Arc<Mutex<StderrExcerpt>>,
    /// The task draining stderr; it ends when the process (and its children) closed stderr.
    pub(crate) stderr_task: Option<tokio::task::JoinHandle<()>>,
}

impl AgentProcess {
    /// Wait (at most `within`) until stderr has been read to its end, so that the excerpt is
    /// complete once the process has exited.
    pub async fn stderr_closed(&mut self, within: Duration) {
        if let Some(task) = self.stderr_task.as_mut() {
            if tokio::time::timeout(within, task).await.is_ok() {
                self.stderr_task = None;
            }
        }
    }
}

/// Spawn `program` in `cwd` with exactly `env` (nothing inherited), in a new process group.
pub fn spawn(program: &Path, args: &[String], cwd: &Path, env: &[(String, String)]) -> std::io::Result<AgentProcess> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // If the daemon dies without stopping its agents (SIGKILL, OOM), they get SIGTERM: an
    // agent that never sees stdin close (a server) would otherwise live on, and SIGTERM still
    // lets a CLI save its conversation.
    // The signal follows the *thread* that spawned the child: agents are spawned from
    // tokio worker threads, which live as long as the daemon (never from spawn_blocking).
    // SAFETY: prctl is async-signal-safe and touches only the child being set up.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let stderr = Arc::new(Mutex::new(StderrExcerpt::default()));
    let mut err_lines = BufReader::new(child.stderr.take().expect("piped stderr")).lines();
    let sink = stderr.clone();
    // Always drain stderr, so a chatty agent never blocks on a full pipe.
    let stderr_task = tokio::spawn(async move {
        while let Ok(Some(line)) = err_lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
    Ok(AgentProcess { child, stdin, stdout, stderr, stderr_task: Some(stderr_task) })
}

/// Write `value` as one line of JSON (the stdio protocols of claude and codex).
pub async fn write_json_line(stdin: &mut tokio::process::ChildStdin, value: &serde_json::Value) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut line = serde_json::to_vec(value).expect("json serializes");
    line.push(b'\n');
    stdin.write_all(&line).await?;
    stdin.flush().await
}

/// How long an agent gets to exit by itself (and save its state) once its stdin closes.
pub const GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Stop an agent: close its stdin (most CLIs then save and exit), wait up to [`GRACE`], then
/// SIGKILL its whole process group, so nothing it started outlives it.
pub async fn stop(proc: AgentProcess) {
    let AgentProcess { mut child, stdin, .. } = proc;
    drop(stdin);
    let pid = child.id();
    if tokio::time::timeout(GRACE, child.wait()).await.is_err() {
        kill_group(pid);
        let _ = child.wait().await;
    } else {
        kill_group(pid); // anything it left behind in its group
    }
}

/// SIGKILL the process group led by `pid` (the agent and everything it started).
pub fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid {
        // SAFETY: plain syscall; a stale pid group only yields ESRCH.
        unsafe {
            libc::killpg(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}

/// The environment every agent process starts from: the daemon's PATH, locale, TZ, TMPDIR and
/// TLS trust settings, the given HOME, TERM=dumb, and nothing else (credentials and provider
/// settings are added per agent).
pub fn base_env(home: &Path) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .collect();
    env.push(("HOME".into(), home.display().to_string()));
    env.push(("TERM".into(), "dumb".into()));
    env
}

/// True when the daemon runs as root (some agents refuse bypass modes as root unless told
/// they are in a sandbox).
pub fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}
