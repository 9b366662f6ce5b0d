//! What the agents make of `sandbox-agent-exec`'s processes: `Action`s as loop steps, exit
//! reports as `AgentExit`, stderr excerpts as `StderrOutput`, and a session's process loop.

pub(crate) use sandbox_agent_exec::{base_env, running_as_root};
use sandbox_agent_exec::{ExitReport, LineProtocol, Outcome, Process, StderrExcerpt, Step};
use sandbox_agent_schema::StderrOutput;
use tokio::sync::mpsc;

use crate::{Action, AgentExit, AgentInput, AgentOutput, OutputSender};

impl From<Action> for Step<AgentOutput> {
    fn from(action: Action) -> Self {
        match action {
            Action::Emit(output) => Step::Emit(output),
            Action::Write(value) => Step::Write(value),
        }
    }
}

/// The excerpt as the API shows it; None when nothing was written.
pub(crate) fn stderr_output(excerpt: &StderrExcerpt) -> Option<StderrOutput> {
    (!excerpt.is_empty()).then(|| StderrOutput {
        head: Some(excerpt.head()),
        tail: excerpt.tail(),
        truncated: excerpt.truncated(),
        total_lines: Some(excerpt.total_lines()),
    })
}

pub(crate) fn agent_exit(report: ExitReport, resumable: bool) -> AgentExit {
    AgentExit { exit_code: report.exit_code, stderr: stderr_output(&report.stderr), message: report.message, resumable }
}

/// Pump a session's process through `protocol` until it ends. Only an exit the process made
/// by itself is reported (`Exited`, resumable as `resumable` says of the protocol's state);
/// a shutdown or a consumer that went away is not.
pub(crate) async fn run_session<P>(
    proc: Process,
    mut protocol: P,
    mut input: mpsc::UnboundedReceiver<AgentInput>,
    output: OutputSender,
    resumable: fn(&P) -> bool,
) where
    P: LineProtocol<Input = AgentInput, Output = AgentOutput>,
{
    if let Outcome::Exited(report) = sandbox_agent_exec::run(proc, &mut protocol, &mut input, &output).await {
        let exit = agent_exit(report, resumable(&protocol));
        let _ = output.send(AgentOutput::Exited(exit)).await;
    }
}

/// `contents` at `path`, readable by the daemon's user only (agent configuration that holds
/// secrets: MCP servers' env and headers).
pub(crate) fn write_private(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    file.write_all(contents)
}
