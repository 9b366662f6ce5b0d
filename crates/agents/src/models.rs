//! For agents that list their models by asking a process started for it (claude's
//! `initialize`, codex's `model/list`): JSON lines read with a deadline, and failures that
//! quote the process's stderr.

use std::path::Path;
use std::time::Duration;

use sandbox_agent_exec::Process;
use serde_json::Value;

use crate::process::stderr_output;
use crate::ModelsError;

/// How long each request of a listing may take.
pub(crate) const STEP: Duration = Duration::from_secs(30);

/// What a listing's reader does with one JSON line of stdout.
pub(crate) enum Seen {
    /// Not the answer; read on.
    Skip,
    /// The answer.
    Answer(Value),
    /// The agent answered with an error.
    Error(String),
}

pub(crate) fn spawn_failed(binary: &Path, err: std::io::Error) -> ModelsError {
    ModelsError::Failed { message: format!("{}: {err}", binary.display()), stderr: None }
}

/// Read stdout until `pick` sees the answer, for at most `step`. On failure the process is
/// stopped and the error quotes its stderr.
pub(crate) async fn read_until(
    proc: &mut Process,
    what: &str,
    step: Duration,
    mut pick: impl FnMut(&Value) -> Seen,
) -> Result<Value, ModelsError> {
    let deadline = tokio::time::Instant::now() + step;
    loop {
        let line = match tokio::time::timeout_at(deadline, proc.next_line()).await {
            Err(_) => {
                let message = format!("{} did not answer {what} within {} s", proc.name(), step.as_secs());
                let stderr = end(proc).await;
                return Err(ModelsError::Timeout { message, stderr });
            }
            Ok(Ok(Some(line))) => line,
            Ok(_) => {
                let report = proc.exit_report().await;
                let message = format!("{} exited before answering {what}: {}", proc.name(), report.message);
                return Err(ModelsError::Failed { message, stderr: stderr_output(&report.stderr) });
            }
        };
        let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
        match pick(&value) {
            Seen::Skip => {}
            Seen::Answer(answer) => return Ok(answer),
            Seen::Error(why) => {
                let message = format!("{} answered {what} with an error: {why}", proc.name());
                let stderr = end(proc).await;
                return Err(ModelsError::Failed { message, stderr });
            }
        }
    }
}

/// Stop a listing's process (and everything it started) now: it has nothing to save.
/// Returns its stderr excerpt.
pub(crate) async fn end(proc: &mut Process) -> Option<sandbox_agent_schema::StderrOutput> {
    proc.kill().await;
    stderr_output(&proc.exit_report().await.stderr)
}

/// A listing whose answer came back malformed.
pub(crate) fn malformed(agent: &str, what: &str, why: impl std::fmt::Display) -> ModelsError {
    ModelsError::Failed { message: format!("{agent} answered {what} in an unexpected shape: {why}"), stderr: None }
}
