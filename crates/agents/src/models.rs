//! For agents that list their models by asking a process started for it (claude's
//! `initialize`, codex's `model/list`): JSON lines read with a deadline, and failures that
//! quote the process's stderr.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::process::{self, AgentProcess};
use crate::ModelsError;

/// How long each request of a listing may take.
pub(crate) const STEP: Duration = Duration::from_secs(30);
/// How long to wait for stderr to close once the process is gone, for a complete excerpt.
const STDERR_GRACE: Duration = Duration::from_secs(2);

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
    proc: &mut AgentProcess,
    agent: &str,
    what: &str,
    step: Duration,
    mut pick: impl FnMut(&Value) -> Seen,
) -> Result<Value, ModelsError> {
    let deadline = tokio::time::Instant::now() + step;
    loop {
        let line = match tokio::time::timeout_at(deadline, proc.stdout.next_line()).await {
            Err(_) => {
                let message = format!("{agent} did not answer {what} within {} s", step.as_secs());
                let stderr = end(proc).await;
                return Err(ModelsError::Timeout { message, stderr });
            }
            Ok(Ok(Some(line))) => line,
            Ok(_) => {
                let pid = proc.child.id();
                let status = proc.child.wait().await.ok();
                process::kill_group(pid); // whatever it left behind
                proc.stderr_closed(STDERR_GRACE).await;
                let excerpt = proc.stderr.lock().unwrap();
                let exit = excerpt.exit_message(agent, status.and_then(|s| s.code()));
                let message = format!("{agent} exited before answering {what}: {exit}");
                return Err(ModelsError::Failed { message, stderr: excerpt.output() });
            }
        };
        let Ok(value) = serde_json::from_str::<Value>(&line) else { continue };
        match pick(&value) {
            Seen::Skip => {}
            Seen::Answer(answer) => return Ok(answer),
            Seen::Error(why) => {
                let message = format!("{agent} answered {what} with an error: {why}");
                let stderr = end(proc).await;
                return Err(ModelsError::Failed { message, stderr });
            }
        }
    }
}

/// Stop a listing's process (and everything it started) now: it has nothing to save.
/// Returns its stderr excerpt.
pub(crate) async fn end(proc: &mut AgentProcess) -> Option<sandbox_agent_schema::StderrOutput> {
    process::kill_group(proc.child.id());
    let _ = proc.child.wait().await;
    proc.stderr_closed(STDERR_GRACE).await;
    proc.stderr.lock().unwrap().output()
}

/// A listing whose answer came back malformed.
pub(crate) fn malformed(agent: &str, what: &str, why: impl std::fmt::Display) -> ModelsError {
    ModelsError::Failed { message: format!("{agent} answered {what} in an unexpected shape: {why}"), stderr: None }
}
