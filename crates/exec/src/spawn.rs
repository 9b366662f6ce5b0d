//! Starting a child: what to run ([`SpawnSpec`]) and the running child ([`Process`]).

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncRead;
use tokio::process::{Child, ChildStdin, Command};
use tokio::task::JoinHandle;

use crate::excerpt::StderrExcerpt;
use crate::lines::Lines;

/// A program the command is run under: `program args… <command> <command args…>`.
///
/// This is the seam for a sandbox policy: bubblewrap (`bwrap --die-with-parent … --`) wraps
/// the command here, and everything else (process group, environment, pipes, stop, exit
/// report) stays as for an unwrapped command. The environment given to the spec is the
/// wrapper's, which passes it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapper {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// Shown each line of a child's stderr as it is read (it goes into the excerpt as well).
#[derive(Clone)]
pub struct LineSink(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for LineSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LineSink")
    }
}

/// What to run: a program with arguments, in a directory, with exactly the given environment
/// (nothing is inherited from the daemon).
#[derive(Debug, Clone)]
pub struct SpawnSpec {
    name: String,
    program: PathBuf,
    args: Vec<String>,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    wrapper: Option<Wrapper>,
    on_stderr: Option<LineSink>,
    limits: ChildLimits,
}

/// Limits the child starts under (set between fork and exec, so the wrapper and everything
/// the command starts inherit them).
#[derive(Debug, Clone, Default)]
pub struct ChildLimits {
    /// `setrlimit` resource (`libc::RLIMIT_*`) → soft and hard limit.
    pub rlimits: Vec<(i32, u64)>,
    /// Cgroups' `cgroup.procs` files: the child joins each before it runs anything.
    pub cgroup_procs: Vec<PathBuf>,
}

impl SpawnSpec {
    /// `name` is how exit reports call the process ("claude", "opencode serve").
    pub fn new(name: impl Into<String>, program: impl Into<PathBuf>, cwd: impl Into<PathBuf>) -> Self {
        SpawnSpec {
            name: name.into(),
            program: program.into(),
            args: Vec::new(),
            cwd: cwd.into(),
            env: Vec::new(),
            wrapper: None,
            on_stderr: None,
            limits: ChildLimits::default(),
        }
    }

    /// Show every stderr line to `sink` as it arrives (setup steps stream their output).
    pub fn on_stderr(mut self, sink: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_stderr = Some(LineSink(Arc::new(sink)));
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// The whole environment of the child (a later entry for the same key wins).
    pub fn env(mut self, env: Vec<(String, String)>) -> Self {
        self.env = env;
        self
    }

    /// Run the command under `wrapper` (a sandbox).
    pub fn wrapper(mut self, wrapper: Wrapper) -> Self {
        self.wrapper = Some(wrapper);
        self
    }

    /// Start the child under these limits.
    pub fn limits(mut self, limits: ChildLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Start the child with its three pipes handed over as they are (bytes, not lines): for
    /// a one-shot command whose output is data.
    pub fn spawn_raw(self) -> std::io::Result<RawProcess> {
        let mut child = self.command()?.spawn()?;
        Ok(RawProcess {
            pid: child.id(),
            stdin: child.stdin.take(),
            stdout: child.stdout.take().expect("piped stdout"),
            stderr: child.stderr.take().expect("piped stderr"),
            child,
        })
    }

    /// Start the child in a new process group, stdin and stdout piped, stderr drained into
    /// the process's [`StderrExcerpt`] by a task of its own.
    pub fn spawn(self) -> std::io::Result<Process> {
        let mut child = self.command()?.spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = Lines::new(child.stdout.take().expect("piped stdout"));
        let excerpt = Arc::new(Mutex::new(StderrExcerpt::default()));
        // Always drain stderr, so a chatty child never blocks on a full pipe.
        let sink = self.on_stderr.clone();
        let stderr = drain(Lines::new(child.stderr.take().expect("piped stderr")), excerpt.clone(), move |line| {
            if let Some(LineSink(sink)) = &sink {
                sink(line)
            }
        });
        Ok(Process {
            name: self.name,
            pid: child.id(),
            child,
            stdin: Some(stdin),
            stdout: Some(stdout),
            excerpt,
            drains: vec![stderr],
        })
    }

    fn command(&self) -> std::io::Result<Command> {
        let mut cmd = match &self.wrapper {
            None => Command::new(&self.program),
            Some(wrapper) => {
                let mut cmd = Command::new(&wrapper.program);
                cmd.args(&wrapper.args).arg(&self.program);
                cmd
            }
        };
        cmd.args(&self.args)
            .current_dir(&self.cwd)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
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
        let rlimits = self.limits.rlimits.clone();
        let cgroups = self
            .limits
            .cgroup_procs
            .iter()
            .map(|path| std::ffi::CString::new(path.as_os_str().as_encoded_bytes()))
            .collect::<Result<Vec<_>, _>>()?;
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                for &(resource, value) in &rlimits {
                    let limit = libc::rlimit { rlim_cur: value, rlim_max: value };
                    if libc::setrlimit(resource as _, &limit) == -1 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                for procs in &cgroups {
                    join_cgroup(procs)?;
                }
                Ok(())
            });
        }
        Ok(cmd)
    }
}

/// Write this process's pid to a `cgroup.procs` file, between fork and exec: only syscalls,
/// no allocation.
fn join_cgroup(procs: &std::ffi::CStr) -> std::io::Result<()> {
    let mut digits = [0u8; 20];
    let mut n = unsafe { libc::getpid() } as u64;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // SAFETY: plain syscalls on a path and a buffer that outlive them.
    unsafe {
        let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let written = libc::write(fd, digits[at..].as_ptr().cast(), digits.len() - at);
        libc::close(fd);
        if written < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A child started by [`SpawnSpec::spawn_raw`]: its own process group, its pipes as bytes.
pub struct RawProcess {
    pub pid: Option<u32>,
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub stdout: tokio::process::ChildStdout,
    pub stderr: tokio::process::ChildStderr,
}

/// Read `lines` to their end, line by line, into `excerpt` (after showing each line to `log`).
fn drain<R>(
    mut lines: Lines<R>,
    excerpt: Arc<Mutex<StderrExcerpt>>,
    log: impl Fn(&str) + Send + 'static,
) -> JoinHandle<()>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            log(line);
            excerpt.lock().unwrap().push(line.to_string());
        }
    })
}

/// A running child (see [`SpawnSpec::spawn`]). Dropping it neither stops nor kills it: use
/// [`Process::stop`], [`Process::kill`] or [`Process::exit_report`].
pub struct Process {
    pub(crate) name: String,
    pub(crate) pid: Option<u32>,
    pub(crate) child: Child,
    /// None once closed.
    pub(crate) stdin: Option<ChildStdin>,
    /// None once handed to [`Process::drain_stdout`].
    pub(crate) stdout: Option<Lines>,
    pub(crate) excerpt: Arc<Mutex<StderrExcerpt>>,
    /// The tasks reading stderr (and stdout, when drained) into the excerpt; each ends when
    /// the process and everything it started have closed that pipe.
    pub(crate) drains: Vec<JoinHandle<()>>,
}

impl Process {
    /// The name exit reports use.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The process id, which is also its process group id.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The next line of stdout; None at its end (or when stdout is drained).
    pub async fn next_line(&mut self) -> std::io::Result<Option<&str>> {
        match &mut self.stdout {
            Some(lines) => lines.next_line().await,
            None => Ok(None),
        }
    }

    /// Write `value` to stdin as one line of JSON. A closed stdin is a `BrokenPipe` error.
    pub async fn write_json_line(&mut self, value: &serde_json::Value) -> std::io::Result<()> {
        match &mut self.stdin {
            Some(stdin) => crate::stdio::write_json_line(stdin, value).await,
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Close stdin (the child sees its end); for children that take no input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// For a child whose stdout is not a protocol (a server's banner and logs): read it into
    /// the same excerpt as stderr, after showing each line to `log`.
    pub fn drain_stdout(&mut self, log: impl Fn(&str) + Send + 'static) {
        if let Some(lines) = self.stdout.take() {
            self.drains.push(drain(lines, self.excerpt.clone(), log));
        }
    }

    /// The exit status if the process has exited, without waiting.
    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Wait for the process to exit (again and again: the status is kept).
    pub async fn wait(&mut self) -> std::io::Result<ExitStatus> {
        self.child.wait().await
    }

    /// What stderr (and a drained stdout) held so far.
    pub fn stderr(&self) -> StderrExcerpt {
        self.excerpt.lock().unwrap().clone()
    }
}
