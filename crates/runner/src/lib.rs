//! One-shot commands: `POST /v1/run`. A command runs in a bubblewrap sandbox (read-only
//! system, a fresh `/tmp`, only its work directory writable, its own PID, IPC, UTS and network
//! namespaces, nothing of the daemon's environment), under rlimits and a pids cgroup where one
//! is writable, to its end or its deadline; then everything it started is killed and its
//! bounded output, exit and files come back.
//!
//! Invariants: a run never happens unisolated unless both the request and the daemon's
//! configuration say so; nothing a run started outlives it; every path it is given or returns
//! stays in its work directory.

mod cgroup;
mod files;
mod output;
mod sandbox;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sandbox_agent_exec::{ChildLimits, SpawnSpec};
use sandbox_agent_schema::{Encoding, OutputStream, RunLimits, RunRequest, RunResponse, Truncated};
use tokio::io::AsyncWriteExt;
use tokio::sync::{OnceCell, Semaphore};

pub use output::Utf8Chunks;
pub use sandbox::{find_bwrap, Unavailable};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_MAX_OUTPUT: u64 = 1024 * 1024;
/// The most `maxOutputBytes` may ask for, per stream.
pub const MAX_OUTPUT_LIMIT: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Invalid(String),
    /// `isolate: true` and no sandbox here.
    #[error("the run cannot be isolated: {0}")]
    Unavailable(Unavailable),
    /// A limit this machine cannot enforce.
    #[error("{0}")]
    Unsupported(String),
    #[error("unisolated runs are off: start the daemon with --allow-unisolated-run")]
    UnisolatedNotAllowed,
    #[error("every run slot stayed busy for {0:?}")]
    Busy(Duration),
    #[error("{what}: {source}")]
    Io { what: &'static str, source: std::io::Error },
}

impl RunError {
    fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> RunError {
        move |source| RunError::Io { what, source }
    }
}

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Where scratch work directories are made (and removed).
    pub scratch: PathBuf,
    /// The daemon's PATH, where `bwrap` is looked for.
    pub path: Option<std::ffi::OsString>,
    pub allow_unisolated: bool,
    pub max_runs: usize,
    /// How long a run waits for a slot before it is refused.
    pub queue_timeout: Duration,
    pub max_timeout: Duration,
}

pub struct Runner {
    config: RunnerConfig,
    slots: Arc<Semaphore>,
    sandbox: OnceCell<Result<PathBuf, Unavailable>>,
    cgroups: cgroup::Parents,
}

/// Where a run works.
pub enum Workdir {
    /// A fresh directory, removed after the run.
    Scratch,
    /// A session's workspace, kept.
    Session(PathBuf),
}

/// A piece of a run's output, as it comes (`POST /v1/run/stream`).
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub stream: OutputStream,
    pub bytes: Vec<u8>,
}

/// What a streaming run tells as it goes: it started (a slot was free and the command is
/// spawned), then its output.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Started,
    Output(Chunk),
}

/// Where a streaming run's progress goes; a run whose sink is gone goes on (its caller decides
/// to drop it).
pub type Sink = tokio::sync::mpsc::Sender<Progress>;

impl Runner {
    pub fn new(config: RunnerConfig) -> Runner {
        Runner {
            slots: Arc::new(Semaphore::new(config.max_runs.max(1))),
            config,
            sandbox: OnceCell::new(),
            cgroups: cgroup::find_parents(),
        }
    }

    /// The sandbox, probed once.
    async fn bwrap(&self) -> Result<PathBuf, Unavailable> {
        self.sandbox
            .get_or_init(|| async {
                let bwrap = find_bwrap(self.config.path.as_deref()).ok_or(Unavailable::Missing)?;
                sandbox::probe(&bwrap).await.map(|()| bwrap)
            })
            .await
            .clone()
    }

    /// Run to the end and answer with everything.
    pub async fn run(&self, req: RunRequest, workdir: Workdir) -> Result<RunResponse, RunError> {
        self.run_with(req, workdir, None).await
    }

    /// Run to the end, sending output to `sink` as it comes; the answer's `stdout` and `stderr`
    /// are then empty (they were streamed). Dropping the future kills the run and cleans up.
    pub async fn run_streaming(&self, req: RunRequest, workdir: Workdir, sink: Sink) -> Result<RunResponse, RunError> {
        self.run_with(req, workdir, Some(sink)).await
    }

    async fn run_with(&self, req: RunRequest, workdir: Workdir, sink: Option<Sink>) -> Result<RunResponse, RunError> {
        let plan = Plan::of(&req, &self.config, self.cgroups.memory.is_some())?;
        let isolate = req.isolate.unwrap_or(true);
        let bwrap = if isolate {
            Some(self.bwrap().await.map_err(RunError::Unavailable)?)
        } else if !self.config.allow_unisolated {
            return Err(RunError::UnisolatedNotAllowed);
        } else {
            None
        };
        if plan.limits.pids.is_some() && self.cgroups.pids.is_none() {
            return Err(RunError::Unsupported(
                "limits.pids needs a writable pids cgroup, and this machine offers none".into(),
            ));
        }
        let _permit = tokio::time::timeout(self.config.queue_timeout, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| RunError::Busy(self.config.queue_timeout))?
            .expect("the semaphore is never closed");
        let id = format!("run_{}", uuid::Uuid::new_v4().simple());
        let mut teardown = Teardown::default();
        let work = match workdir {
            Workdir::Scratch => {
                let dir = self.config.scratch.join(&id);
                std::fs::create_dir_all(&dir).map_err(RunError::io("creating the scratch directory"))?;
                teardown.scratch = Some(dir.clone());
                dir
            }
            Workdir::Session(dir) => dir,
        };
        self.run_in(&id, &req, &plan, bwrap.as_deref(), &work, sink, &mut teardown).await
    }

    #[allow(clippy::too_many_arguments, reason = "one call site, each argument distinct")]
    async fn run_in(
        &self,
        id: &str,
        req: &RunRequest,
        plan: &Plan,
        bwrap: Option<&Path>,
        work: &Path,
        sink: Option<Sink>,
        teardown: &mut Teardown,
    ) -> Result<RunResponse, RunError> {
        files::write_inputs(work, &req.files)?;
        let cwd = if plan.cwd.as_os_str().is_empty() { work.to_path_buf() } else { work.join(&plan.cwd) };
        std::fs::create_dir_all(&cwd).map_err(RunError::io("creating cwd"))?;
        if self.cgroups.kind.is_some() {
            let memory = plan.limits.memory_bytes.filter(|_| plan.memory_cgroup);
            let group = cgroup::RunGroup::create(&self.cgroups, id, plan.limits.pids, memory)
                .map_err(RunError::io("the run's cgroup"))?;
            teardown.group = Some(group);
        }
        let procs = teardown.group.as_ref().map(|g| g.procs()).unwrap_or_default();
        let mut spec = SpawnSpec::new("run", &req.command[0], &cwd)
            .args(req.command[1..].iter().cloned())
            .env(plan.env(work))
            .limits(ChildLimits { rlimits: plan.rlimits(), cgroup_procs: procs });
        if let Some(bwrap) = bwrap {
            let policy = sandbox::Policy { work: work.to_path_buf(), cwd: cwd.clone(), network: plan.network };
            spec = spec.wrapper(sandbox::wrapper(bwrap, &policy));
        }
        let started = Instant::now();
        let child = spec.spawn_raw().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound if bwrap.is_none() => {
                RunError::Invalid(format!("command not found: {}", req.command[0]))
            }
            _ => RunError::Io { what: "starting the command", source: e },
        })?;
        let sandbox_agent_exec::RawProcess { pid, child: handle, stdin, stdout, stderr } = child;
        let pid = pid.expect("a started child has a pid") as i32;
        teardown.pid = Some(pid);
        if let Some(sink) = &sink {
            let _ = sink.send(Progress::Started).await;
        }
        if let Some(mut stdin) = stdin {
            let input = plan.stdin.clone();
            // Dropped (closed) once written: the command sees the end of its input.
            tokio::spawn(async move {
                let _ = stdin.write_all(&input).await;
            });
        }
        let cap = plan.max_output as usize;
        let out = tokio::spawn(output::capture(stdout, cap, sink.clone().map(|s| (OutputStream::Stdout, s))));
        let err = tokio::spawn(output::capture(stderr, cap, sink.map(|s| (OutputStream::Stderr, s))));
        // wait4 rather than tokio's wait: it also reports the CPU and memory the run used.
        let mut waited = tokio::task::spawn_blocking(move || wait4(pid));
        let (status, timed_out) = match tokio::time::timeout(plan.timeout, &mut waited).await {
            Ok(status) => (status.unwrap_or_default(), false),
            Err(_) => {
                sandbox_agent_exec::kill_group(Some(pid as u32));
                (waited.await.unwrap_or_default(), true)
            }
        };
        let duration = started.elapsed();
        // Held until wait4 reaped the child, so tokio never reaps it first.
        drop(handle);
        // Whatever is left of the run: its group, and in the cgroup whatever escaped that.
        let (cgroup_kind, oom_killed) = teardown.end().await;
        // The pipes close when the last holder is gone (all of them are, now); bounded anyway.
        let read = |h: tokio::task::JoinHandle<output::Captured>| async move {
            tokio::time::timeout(Duration::from_secs(5), h).await.ok().and_then(Result::ok).unwrap_or_default()
        };
        let (stdout, stderr) = (read(out).await, read(err).await);
        let files = files::collect(work, &req.collect)?;
        let (stdout_text, stdout_encoding) = output::encode(&stdout);
        let (stderr_text, stderr_encoding) = output::encode(&stderr);
        let (exit_code, signal) = status.exit(timed_out, bwrap.is_some());
        let limited = plan.limits.pids.is_some() || (plan.limits.memory_bytes.is_some() && plan.memory_cgroup);
        Ok(RunResponse {
            exit_code,
            signal,
            timed_out,
            oom_killed,
            truncated: Truncated { stdout: stdout.truncated, stderr: stderr.truncated },
            stdout: stdout_text,
            stdout_encoding,
            stderr: stderr_text,
            stderr_encoding,
            duration_ms: duration.as_millis() as u64,
            cpu_time_ms: status.cpu_ms,
            max_rss_bytes: status.max_rss_bytes,
            files,
            isolation: if bwrap.is_some() { "bwrap" } else { "none" }.into(),
            cgroup: cgroup_kind.filter(|_| limited).map(|k| k.name().to_string()),
        })
    }
}

/// What a run leaves to clean up, however it ends: at its end, or when its future is dropped
/// (a streaming client went away).
#[derive(Default)]
struct Teardown {
    pid: Option<i32>,
    group: Option<cgroup::RunGroup>,
    scratch: Option<PathBuf>,
}

impl Teardown {
    /// Kill what is left of the run and drop its cgroups: their kind, and whether the OOM
    /// killer struck.
    async fn end(&mut self) -> (Option<cgroup::Kind>, bool) {
        if let Some(pid) = self.pid.take() {
            sandbox_agent_exec::kill_group(Some(pid as u32));
        }
        let Some(group) = self.group.take() else { return (None, false) };
        let (kind, oom) = (group.kind, group.oom_killed());
        let _ = tokio::task::spawn_blocking(move || drop(group)).await;
        (Some(kind), oom)
    }
}

impl Drop for Teardown {
    fn drop(&mut self) {
        if let Some(pid) = self.pid.take() {
            sandbox_agent_exec::kill_group(Some(pid as u32));
        }
        drop(self.group.take());
        if let Some(dir) = self.scratch.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A run's request, checked and with its defaults.
struct Plan {
    cwd: PathBuf,
    stdin: Vec<u8>,
    timeout: Duration,
    max_output: u64,
    network: bool,
    limits: RunLimits,
    env: Vec<(String, String)>,
    memory_cgroup: bool,
}

impl Plan {
    /// `memory_cgroup`: memory is capped by a cgroup (an OOM kill), not by `RLIMIT_AS`.
    fn of(req: &RunRequest, config: &RunnerConfig, memory_cgroup: bool) -> Result<Plan, RunError> {
        if req.command.is_empty() || req.command[0].is_empty() {
            return Err(RunError::Invalid("command must name a program".into()));
        }
        let cwd = match &req.cwd {
            Some(cwd) => files::relative("cwd", cwd)?,
            None => PathBuf::new(),
        };
        files::check_globs(&req.collect)?;
        let timeout = Duration::from_millis(req.timeout_ms.unwrap_or(DEFAULT_TIMEOUT.as_millis() as u64));
        if timeout.is_zero() || timeout > config.max_timeout {
            return Err(RunError::Invalid(format!("timeoutMs must be 1..={}", config.max_timeout.as_millis())));
        }
        let max_output = req.max_output_bytes.unwrap_or(DEFAULT_MAX_OUTPUT);
        if max_output > MAX_OUTPUT_LIMIT {
            return Err(RunError::Invalid(format!("maxOutputBytes must be at most {MAX_OUTPUT_LIMIT}")));
        }
        let stdin = match (&req.stdin, req.stdin_encoding) {
            (None, _) => Vec::new(),
            (Some(text), Encoding::Utf8) => text.as_bytes().to_vec(),
            (Some(text), Encoding::Base64) => {
                output::decode_base64(text).map_err(|e| RunError::Invalid(format!("stdin: {e}")))?
            }
        };
        for key in req.env.keys() {
            if key.is_empty() || key.contains('=') || key.contains('\0') {
                return Err(RunError::Invalid(format!("env key {key:?} is not a variable name")));
            }
        }
        let limits = req.limits.clone().unwrap_or_default();
        if limits.pids == Some(0) {
            return Err(RunError::Invalid("limits.pids must be at least 1".into()));
        }
        let env = req.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Ok(Plan { cwd, stdin, timeout, max_output, network: req.network.unwrap_or(false), limits, env, memory_cgroup })
    }

    /// A minimal PATH, HOME (the work directory) and LANG, then the request's own.
    fn env(&self, work: &Path) -> Vec<(String, String)> {
        let mut env = vec![
            ("PATH".to_string(), "/usr/local/bin:/usr/bin:/bin".to_string()),
            ("HOME".to_string(), work.display().to_string()),
            ("LANG".to_string(), "C.UTF-8".to_string()),
        ];
        env.extend(self.env.iter().cloned());
        env
    }

    fn rlimits(&self) -> Vec<(i32, u64)> {
        let l = &self.limits;
        [
            (libc::RLIMIT_AS as i32, l.memory_bytes.filter(|_| !self.memory_cgroup)),
            (libc::RLIMIT_CPU as i32, l.cpu_seconds),
            (libc::RLIMIT_FSIZE as i32, l.file_size_bytes),
        ]
        .into_iter()
        .filter_map(|(r, v)| v.map(|v| (r, v)))
        .collect()
    }
}

/// How the command ended, from `wait4` (with the resources it and what it waited for used).
#[derive(Debug, Default)]
struct Status {
    raw: Option<i32>,
    cpu_ms: u64,
    max_rss_bytes: u64,
}

impl Status {
    /// `(exitCode, signal)`. Under bwrap a signal death arrives as 128+n (bwrap reports its
    /// child as a shell does), so it is read back as the signal.
    fn exit(&self, timed_out: bool, isolated: bool) -> (Option<i32>, Option<i32>) {
        if timed_out {
            return (None, Some(libc::SIGKILL));
        }
        let Some(raw) = self.raw else { return (None, None) };
        if libc::WIFSIGNALED(raw) {
            return (None, Some(libc::WTERMSIG(raw)));
        }
        let code = libc::WEXITSTATUS(raw);
        if isolated && (129..=128 + 64).contains(&code) {
            return (Some(code), Some(code - 128));
        }
        (Some(code), None)
    }
}

/// Wait for `pid` (blocking), with its resource use.
fn wait4(pid: i32) -> Status {
    let mut raw = 0;
    // SAFETY: rusage is plain data, written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = loop {
        let r = unsafe { libc::wait4(pid, &mut raw, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    if got != pid {
        return Status::default();
    }
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    Status {
        raw: Some(raw),
        cpu_ms: ms(usage.ru_utime) + ms(usage.ru_stime),
        max_rss_bytes: usage.ru_maxrss as u64 * 1024,
    }
}
