//! The daemon under test: the real `sandbox-agent` binary on a free port, with a data dir,
//! a home and an agents dir of its own.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_client::Client;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const WAIT: Duration = Duration::from_secs(30);

/// The `sandbox-agent` binary under test: `$SANDBOX_AGENT_BIN`, else the one cargo (or nextest)
/// names in `$CARGO_BIN_EXE_sandbox-agent`, else the one built next to the running test
/// (`target/<profile>/`, the test itself being in `target/<profile>/deps/`).
pub fn bin() -> PathBuf {
    for var in ["SANDBOX_AGENT_BIN", "CARGO_BIN_EXE_sandbox-agent"] {
        if let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            return PathBuf::from(path);
        }
    }
    let exe = std::env::current_exe().expect("the test's own path");
    let dir = exe.parent().expect("the test's directory");
    let dir = if dir.ends_with("deps") { dir.parent().unwrap_or(dir) } else { dir };
    dir.join("sandbox-agent")
}

pub struct Daemon {
    child: Child,
    pub url: String,
    pub token: Option<String>,
    pub data_dir: Arc<tempfile::TempDir>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// Debug logs go to `daemon.log` in the data dir (so a search of the data dir covers them).
    logged: bool,
}

impl Daemon {
    pub async fn start() -> Daemon {
        Self::start_with(&[]).await
    }

    /// Start with extra server flags (add `--token T` to require a token; default `--no-token`).
    pub async fn start_with(args: &[&str]) -> Daemon {
        Self::start_env(args, &[]).await
    }

    /// Start with extra flags and extra environment variables.
    pub async fn start_env(args: &[&str], env: &[(&str, &str)]) -> Daemon {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Self::spawn(dir, args.iter().map(|a| a.to_string()).collect(), env, false).await
    }

    /// Start on a data dir another daemon uses too (cluster nodes sharing their sessions'
    /// workspaces and agent state).
    pub async fn start_shared(data_dir: Arc<tempfile::TempDir>, args: &[&str]) -> Daemon {
        Self::spawn(data_dir, args.iter().map(|a| a.to_string()).collect(), Vec::new(), false).await
    }

    /// Start with every debug log line written to `daemon.log` in the data dir.
    pub async fn start_logged(args: &[&str]) -> Daemon {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        Self::spawn(dir, args.iter().map(|a| a.to_string()).collect(), Vec::new(), true).await
    }

    async fn spawn(
        data_dir: Arc<tempfile::TempDir>,
        args: Vec<String>,
        env: Vec<(String, String)>,
        logged: bool,
    ) -> Daemon {
        let token = args.iter().position(|a| a == "--token").map(|i| args[i + 1].clone());
        let mut cmd = Command::new(bin());
        cmd.arg("server").arg("--port").arg("0").arg("--data-dir").arg(data_dir.path());
        if token.is_none() {
            cmd.arg("--no-token");
        }
        let stderr = if logged {
            let log = std::fs::OpenOptions::new().create(true).append(true).open(data_dir.path().join("daemon.log"));
            Stdio::from(log.expect("daemon.log"))
        } else {
            Stdio::inherit()
        };
        cmd.args(&args)
            // `SANDBOX_AGENT_TEST_LOG` (an `EnvFilter`) shows more of a daemon's log on the
            // test's stderr, e.g. `info,sandbox_agent_cluster=debug` (it changes timings).
            .env("RUST_LOG", if logged { "debug".into() } else { test_log_filter() })
            .env_remove("SANDBOX_AGENT_TOKEN")
            // Isolated from the shared agent cache unless a test passes --agents-dir.
            .env_remove("SANDBOX_AGENT_AGENTS_DIR")
            // A home of its own: the daemon's credential discovery never sees the host's files.
            .env("HOME", data_dir.path().join("home"))
            // Nor the agents the host has on its PATH (a test that wants one passes its own PATH).
            .env("PATH", path_without_agents())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true);
        let mut child = cmd.spawn().expect("spawn daemon");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("daemon did not start in time")
            .unwrap()
            .expect("daemon exited before listening");
        let url = line.strip_prefix("listening on ").expect("listening line").trim().to_string();
        Daemon { child, url, token, data_dir, args, env, logged }
    }

    pub fn client(&self) -> Client {
        Client::new(self.url.clone(), self.token.clone())
    }

    /// `sandbox-agent api ARGS…` against this daemon (no token): exit code, stdout, stderr.
    pub async fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(bin())
            .arg("api")
            .args(args)
            .env("SANDBOX_AGENT_ENDPOINT", &self.url)
            .env_remove("SANDBOX_AGENT_TOKEN")
            .output();
        let out = tokio::time::timeout(WAIT, out).await.expect("the CLI in time").unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }

    pub fn pid(&self) -> i32 {
        self.child.id().unwrap() as i32
    }

    /// SIGKILL the daemon and wait for it to be gone.
    pub async fn kill9(&mut self) {
        unsafe { libc::kill(self.pid(), libc::SIGKILL) };
        tokio::time::timeout(WAIT, self.child.wait()).await.unwrap().unwrap();
    }

    /// Wait for the daemon to exit by itself.
    pub async fn wait_exit(&mut self) -> std::process::ExitStatus {
        tokio::time::timeout(WAIT, self.child.wait()).await.expect("daemon did not exit").unwrap()
    }

    /// Start a new daemon on the same data dir (after `kill9`; otherwise it SIGKILLs this one).
    pub async fn restart(self) -> Daemon {
        let Daemon { mut child, data_dir, args, env, logged, .. } = self;
        let _ = child.start_kill();
        let _ = tokio::time::timeout(WAIT, child.wait()).await;
        Self::spawn(data_dir, args, env, logged).await
    }

    /// Stop gracefully (SIGTERM), as a service manager would, and wait for the exit.
    pub async fn stop(&mut self) -> std::process::ExitStatus {
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        self.wait_exit().await
    }

    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_path_buf()
    }
}

/// The agents the daemon would otherwise find on `PATH`.
const AGENT_COMMANDS: &[&str] = &["claude", "codex", "opencode", "amp"];

/// This process's `PATH` without the directories that hold an agent CLI, so a developer's own
/// `claude` does not turn "not installed" into "found on PATH" in tests that expect the former.
pub fn path_without_agents() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept = std::env::split_paths(&path).filter(|dir| !AGENT_COMMANDS.iter().any(|c| dir.join(c).is_file()));
    std::env::join_paths(kept).unwrap_or(path)
}

fn test_log_filter() -> String {
    std::env::var("SANDBOX_AGENT_TEST_LOG").unwrap_or_else(|_| "warn".into())
}
