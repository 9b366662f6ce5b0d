//! Benchmark of the daemon's event path. `bench` (src/main.rs) starts `sandbox-agent server`
//! processes (or targets one by URL), drives them with the replay agent ([`replay`], a
//! stand-in `claude` the daemon's real Claude adapter runs) and lean SSE clients ([`sse`]),
//! and prints one JSON object per scenario run. See docs/performance.md.

pub mod daemon;
pub mod measure;
pub mod replay;
pub mod scenarios;
pub mod sse;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Result;

use daemon::{Daemon, Launch};

/// Everything a scenario needs: how to get a daemon, and a scratch directory.
pub struct Bench {
    pub launch: Launch,
    /// `--target URL` (and the target's pid, if given): use that daemon instead of starting
    /// fresh ones. It must run with `--agents-dir` set to [`Bench::agents_dir`]'s layout.
    pub target: Option<(String, Option<u32>)>,
    /// Where the real Claude Code is installed, for the start-up scenario (None: skipped).
    pub real_agents_dir: Option<PathBuf>,
    /// Leave the sessions on a target (to inspect them, or to keep their deletion out of a
    /// profile).
    pub keep_sessions: bool,
    pub http: reqwest::Client,
    work: tempfile::TempDir,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Bench {
    /// `daemon`: the `sandbox-agent` binary; `replay`: the `bench-claude` binary.
    pub fn new(daemon: PathBuf, replay: PathBuf, target: Option<(String, Option<u32>)>) -> Result<Bench> {
        let work = tempfile::Builder::new().prefix("sandbox-agent-bench-").tempdir()?;
        let agents_dir = work.path().join("agents");
        daemon::install_replay_agent(&agents_dir, &replay)?;
        let launch = Launch { binary: daemon, agents_dir, extra_args: Vec::new() };
        Ok(Bench {
            launch,
            target,
            real_agents_dir: real_agents_dir(),
            keep_sessions: false,
            http: reqwest::Client::new(),
            work,
        })
    }

    /// A fresh daemon, or the target.
    pub async fn daemon(&self) -> Result<Daemon> {
        match &self.target {
            Some((url, pid)) => Ok(Daemon::target(url, *pid)),
            None => Daemon::start(&self.launch).await,
        }
    }

    /// A fresh daemon started with extra server flags (a target is used as it is).
    pub async fn daemon_with(&self, args: &[&str]) -> Result<Daemon> {
        match &self.target {
            Some((url, pid)) => Ok(Daemon::target(url, *pid)),
            None => {
                let mut launch = self.launch.clone();
                launch.extra_args.extend(args.iter().map(|a| a.to_string()));
                Daemon::start(&launch).await
            }
        }
    }

    /// Stop a daemon the bench started (its data dir goes with it); on a target, delete the
    /// sessions the run created instead.
    pub async fn finish(&self, daemon: Daemon, sessions: &[String]) -> Result<()> {
        if self.target.is_some() && !self.keep_sessions {
            let client = daemon.client();
            for id in sessions {
                let _ = client.delete_session(id).await;
            }
        }
        daemon.stop().await
    }

    /// A session id no earlier run used (targets keep their sessions).
    pub fn session_id(&self, what: &str) -> String {
        format!("bench-{what}-{}-{}", std::process::id(), NEXT_ID.fetch_add(1, Ordering::Relaxed))
    }

    /// Where the replay agent of `session` reports its turns.
    pub fn report_path(&self, session: &str) -> PathBuf {
        self.work.path().join(format!("{session}.report.jsonl"))
    }
}

/// The install cache of the real-agent tests: `$SANDBOX_AGENT_AGENTS_DIR`, else
/// `~/.cache/sandbox-agent/agents`, if Claude Code is installed there.
fn real_agents_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("SANDBOX_AGENT_AGENTS_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".cache/sandbox-agent/agents"),
    };
    sandbox_agent_install::installed(&dir, &sandbox_agent_install::AgentKind::Claude.package()).map(|_| dir)
}
