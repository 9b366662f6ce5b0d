//! Agent processes: spawn in their own process group, read stdout as lines, keep an excerpt
//! of stderr (never parsed as events), and kill the whole group.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

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
        .process_group(0)
        .kill_on_drop(true);
    let mut child = cmd.spawn()?;
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let stderr = Arc::new(Mutex::new(StderrExcerpt::default()));
    let mut err_lines = BufReader::new(child.stderr.take().expect("piped stderr")).lines();
    let sink = stderr.clone();
    // Always drain stderr, so a chatty agent never blocks on a full pipe.
    tokio::spawn(async move {
        while let Ok(Some(line)) = err_lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
    Ok(AgentProcess { child, stdin, stdout, stderr })
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

/// The environment every agent process starts from: PATH, LANG and TERM of the daemon, the
/// given HOME, and nothing else (credentials and provider settings are added per agent).
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
