//! The daemon under test: a `sandbox-agent server` the bench starts (fresh data dir, the
//! replay agent installed as `claude`), or one it is pointed at with `--target`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use sandbox_agent_client::Client;
use sandbox_agent_install::{pinned, AgentKind, InstallRecord, Platform};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::measure::{proc_cpu_s, proc_rss, proc_threads_cpu_s, Rss};

/// How long a daemon gets to print its address, and to exit on SIGTERM.
const WAIT: Duration = Duration::from_secs(30);

/// Lay out `replay` (the `bench-claude` binary) under `agents_dir` the way the installer lays
/// out Claude Code, so the daemon's `claude` agent runs it.
pub fn install_replay_agent(agents_dir: &Path, replay: &Path) -> Result<PathBuf> {
    let spec = pinned(AgentKind::Claude, Platform::current()).context("claude package for this platform")?;
    let dir = agents_dir.join("claude").join(&spec.version);
    std::fs::create_dir_all(dir.join("package"))?;
    let binary = dir.join("package").join("claude");
    let _ = std::fs::remove_file(&binary);
    let replay = replay.canonicalize().with_context(|| format!("replay agent {}", replay.display()))?;
    std::os::unix::fs::symlink(&replay, &binary)?;
    let record = InstallRecord {
        agent: "claude".into(),
        package: spec.package,
        version: spec.version,
        integrity: "bench-replay-agent".into(),
        binary: PathBuf::from("package/claude"),
        installed_at: "1970-01-01T00:00:00Z".into(),
    };
    std::fs::write(dir.join("install.json"), serde_json::to_vec_pretty(&record)?)?;
    Ok(binary)
}

/// A binary built next to the running executable (`target/<profile>/`).
pub fn sibling(name: &str) -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().context("executable has a directory")?;
    // Test binaries live one level down, in target/<profile>/deps.
    let dir = if dir.ends_with("deps") { dir.parent().unwrap_or(dir) } else { dir };
    Ok(dir.join(name))
}

/// Binary `bin` of `package`, next to this executable. When run by cargo (`$CARGO` is set),
/// it is built first with the same profile, so the bench never runs a stale binary (and
/// `cargo run -p sandbox-agent-bench` works on a fresh clone).
pub fn built_sibling(package: &str, bin: &str) -> Result<PathBuf> {
    let path = sibling(bin)?;
    if let Some(cargo) = std::env::var_os("CARGO") {
        let profile = path.parent().and_then(Path::file_name).and_then(|p| p.to_str()).unwrap_or("debug");
        let profile = if profile == "debug" { "dev" } else { profile };
        eprintln!("bench: building {bin} ({profile} profile)");
        let mut cmd = std::process::Command::new(cargo);
        cmd.args(["build", "--quiet", "--profile", profile, "-p", package, "--bin", bin]);
        // What cargo set for this package's own run: some build scripts track these, and a
        // build that sees them would be redone by the next plain `cargo build`.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let package_var = [
                "CARGO_PKG_",
                "CARGO_BIN_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
                "CARGO_PRIMARY_",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .iter()
            .any(|prefix| key.starts_with(prefix));
            if package_var {
                cmd.env_remove(key.as_ref());
            }
        }
        let status = cmd.status().context("running cargo build")?;
        if !status.success() {
            bail!("cargo build -p {package} --bin {bin} failed");
        }
    }
    if !path.is_file() {
        bail!("{} not found: build it with `cargo build --release -p {package}`", path.display());
    }
    Ok(path)
}

/// The `sandbox-agent` binary next to this one (see [`built_sibling`]).
pub fn daemon_binary() -> Result<PathBuf> {
    built_sibling("sandbox-agent", "sandbox-agent")
}

/// How to start daemons.
#[derive(Debug, Clone)]
pub struct Launch {
    pub binary: PathBuf,
    /// Passed as `--agents-dir`.
    pub agents_dir: PathBuf,
    pub extra_args: Vec<String>,
}

pub struct Daemon {
    pub url: String,
    /// Known when the bench started the daemon (or `--target-pid` was given).
    pub pid: Option<u32>,
    child: Option<Child>,
    _data_dir: Option<tempfile::TempDir>,
}

/// What the daemon used over a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct DaemonUsage {
    /// VmRSS before the scenario's load, KiB.
    pub rss_before_kb: u64,
    /// VmHWM: the peak resident set since the daemon started, KiB.
    pub rss_peak_kb: u64,
    /// VmRSS at the end, KiB.
    pub rss_after_kb: u64,
    /// CPU seconds (user + system) over the scenario.
    pub cpu_s: f64,
    /// The same by thread name: `store-writer` is the SQLite writer, `tokio-runtime-w` the
    /// async workers (agent I/O, conversion, session actors, HTTP and SSE).
    pub threads_cpu_s: BTreeMap<String, f64>,
}

/// Readings taken before a scenario's load, to report what it used.
pub struct Probe {
    pid: Option<u32>,
    rss: Option<Rss>,
    cpu: Option<f64>,
    threads: BTreeMap<String, f64>,
}

impl Probe {
    pub fn finish(&self) -> Option<DaemonUsage> {
        let pid = self.pid?;
        let (before, after) = (self.rss?, proc_rss(pid)?);
        let cpu = proc_cpu_s(pid)? - self.cpu?;
        let round = |x: f64| (x * 100.0).round() / 100.0;
        let threads = proc_threads_cpu_s(pid)
            .into_iter()
            .map(|(name, cpu)| {
                let used = cpu - self.threads.get(&name).copied().unwrap_or(0.0);
                (name, round(used))
            })
            .filter(|(_, used)| *used > 0.0)
            .collect();
        Some(DaemonUsage {
            rss_before_kb: before.rss_kb,
            rss_peak_kb: after.peak_kb,
            rss_after_kb: after.rss_kb,
            cpu_s: round(cpu),
            threads_cpu_s: threads,
        })
    }
}

/// A task reading the daemon's resident set over a run.
pub struct RssSampler {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Vec<u64>>,
}

impl RssSampler {
    /// Up to `points` samples (KiB) spread evenly over the run, the last one included.
    pub async fn stop(self, points: usize) -> Vec<u64> {
        let _ = self.stop.send(());
        let samples = self.task.await.unwrap_or_default();
        if samples.len() <= points {
            return samples;
        }
        (1..=points).map(|i| samples[i * samples.len() / points - 1]).collect()
    }
}

impl Daemon {
    /// Start a daemon on a free port with a fresh data dir; returns it once it printed its
    /// address.
    pub async fn start(launch: &Launch) -> Result<Daemon> {
        let data_dir = tempfile::Builder::new().prefix("sandbox-agent-bench-").tempdir()?;
        let mut cmd = Command::new(&launch.binary);
        cmd.arg("server")
            .args(["--no-token", "--port", "0", "--data-dir"])
            .arg(data_dir.path())
            .arg("--agents-dir")
            .arg(&launch.agents_dir)
            // The bench measures, it does not supervise: no turn limits.
            .args(["--turn-timeout-ms", "0", "--stall-timeout-ms", "0"])
            .args(&launch.extra_args)
            .env("RUST_LOG", "warn")
            .env_remove("SANDBOX_AGENT_TOKEN")
            .env_remove("SANDBOX_AGENT_AGENTS_DIR")
            // A home of its own, so credential discovery reads nothing of the host's.
            .env("HOME", data_dir.path().join("home"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = cmd.spawn().with_context(|| format!("starting {}", launch.binary.display()))?;
        let stdout = child.stdout.take().context("daemon stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .context("the daemon did not print its address in time")??
            .context("the daemon exited before listening")?;
        let url =
            line.strip_prefix("listening on ").context("unexpected first line from the daemon")?.trim().to_string();
        let pid = child.id();
        Ok(Daemon { url, pid, child: Some(child), _data_dir: Some(data_dir) })
    }

    /// A daemon someone else runs.
    pub fn target(url: &str, pid: Option<u32>) -> Daemon {
        Daemon { url: url.trim_end_matches('/').to_string(), pid, child: None, _data_dir: None }
    }

    /// SIGKILL the daemon (one the bench started) and wait for it to be gone.
    pub async fn kill9(&mut self) -> Result<()> {
        let child = self.child.as_mut().context("only a daemon the bench started can be killed")?;
        child.start_kill()?;
        child.wait().await?;
        Ok(())
    }

    pub fn client(&self) -> Client {
        Client::new(self.url.clone(), None)
    }

    pub fn probe(&self) -> Probe {
        Probe {
            pid: self.pid,
            rss: self.pid.and_then(proc_rss),
            cpu: self.pid.and_then(proc_cpu_s),
            threads: self.pid.map(proc_threads_cpu_s).unwrap_or_default(),
        }
    }

    /// Sample the daemon's resident set every 20 ms until the sampler is stopped.
    pub fn sample_rss(&self) -> RssSampler {
        let pid = self.pid;
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_millis(20));
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tick.tick() => {}
                }
                match pid.and_then(proc_rss) {
                    Some(rss) => samples.push(rss.rss_kb),
                    None => break,
                }
            }
            if let Some(rss) = pid.and_then(proc_rss) {
                samples.push(rss.rss_kb);
            }
            samples
        });
        RssSampler { stop, task }
    }

    pub fn rss(&self) -> Option<Rss> {
        self.pid.and_then(proc_rss)
    }

    /// Stop a daemon the bench started (SIGTERM, as a service manager would); a target is left
    /// running.
    pub async fn stop(mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(pid) = child.id() {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        }
        if tokio::time::timeout(WAIT, child.wait()).await.is_err() {
            child.kill().await?;
        }
        Ok(())
    }
}
