//! How a process went away: the one exit report.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::time::Duration;

use crate::excerpt::StderrExcerpt;
use crate::spawn::Process;
use crate::stop::kill_group;

/// How long an exit report waits for stderr (and a drained stdout) to close once the process
/// and its group are gone, for a complete excerpt. Only a process that left the group (and
/// kept the pipe) makes this wait.
pub const STDERR_WAIT: Duration = Duration::from_secs(2);

/// How a process went away.
#[derive(Debug, Clone)]
pub struct ExitReport {
    /// None when it was killed by a signal (or waiting for it failed).
    pub exit_code: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    pub stderr: StderrExcerpt,
    /// "`name` exited with status N: <last stderr line>", or "`name` was killed by a signal".
    pub message: String,
}

impl ExitReport {
    /// `status` is None when waiting for the process failed.
    pub fn new(name: &str, status: Option<ExitStatus>, stderr: StderrExcerpt) -> Self {
        let exit_code = status.and_then(|s| s.code());
        let message = match (exit_code, stderr.last_line()) {
            (Some(code), Some(line)) => format!("{name} exited with status {code}: {line}"),
            (Some(code), None) => format!("{name} exited with status {code}"),
            (None, _) => format!("{name} was killed by a signal"),
        };
        ExitReport { exit_code, signal: status.and_then(|s| s.signal()), stderr, message }
    }
}

impl Process {
    /// Close stdin, wait for the process to exit (it is exiting, or was stopped or killed),
    /// SIGKILL what it left in its group, wait (at most [`STDERR_WAIT`]) for stderr to close,
    /// and say how it went away.
    pub async fn exit_report(&mut self) -> ExitReport {
        self.close_stdin();
        let status = self.child.wait().await.ok();
        kill_group(self.pid);
        let deadline = tokio::time::Instant::now() + STDERR_WAIT;
        for task in &mut self.drains {
            let _ = tokio::time::timeout_at(deadline, task).await;
        }
        self.drains.retain(|task| !task.is_finished());
        ExitReport::new(&self.name, status, self.stderr())
    }
}
