//! The start of a JSON-RPC stdio agent (Codex's app-server, ACP agents): write the first
//! request, then convert the agent's lines until its converter says the session is ready or
//! failed, each step of the handshake within a deadline. What arrives meanwhile is emitted.

use std::time::Duration;

use sandbox_agent_exec::Process;
use serde_json::Value;
use tokio::time::Instant;

use crate::{Action, OutputSender};

/// Where a handshake stands, as its converter sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Progress {
    /// Waiting for the response to this request.
    Waiting(&'static str),
    /// The agent's session (or thread) id.
    Ready(String),
    Failed(String),
}

/// A converter that knows how far its handshake got.
pub(crate) trait Handshaking {
    fn line(&mut self, line: &str) -> Vec<Action>;
    fn progress(&self) -> Progress;
}

/// Write `first`, then run the handshake. `agent` names the process in errors. Returns the
/// session id, or why the start failed.
pub(crate) async fn handshake(
    proc: &mut Process,
    conv: &mut impl Handshaking,
    first: &Value,
    out: &OutputSender,
    step_time: Duration,
    agent: &str,
) -> Result<String, String> {
    proc.write_json_line(first).await.map_err(|e| format!("cannot write to {agent}: {e}"))?;
    let mut step = conv.progress();
    let mut deadline = Instant::now() + step_time;
    loop {
        let what = match conv.progress() {
            Progress::Ready(id) => return Ok(id),
            Progress::Failed(why) => return Err(why),
            now => {
                if now != step {
                    step = now.clone();
                    deadline = Instant::now() + step_time;
                }
                let Progress::Waiting(what) = now else { unreachable!() };
                what
            }
        };
        let line = match tokio::time::timeout_at(deadline, proc.next_line()).await {
            Err(_) => return Err(format!("{agent} did not answer {what} within {} ms", step_time.as_millis())),
            Ok(Ok(Some(line))) => line,
            Ok(_) => return Err(format!("{agent} exited before answering {what}")),
        };
        if line.trim().is_empty() {
            continue;
        }
        let actions = conv.line(line);
        if perform(proc, out, actions).await.is_err() {
            return Err(match out.is_closed() {
                true => format!("the session stopped during {what}"),
                false => format!("{agent} closed its stdin during {what}"),
            });
        }
    }
}

/// Emit and write what the converter asked for. Err when the daemon or the process is gone.
async fn perform(proc: &mut Process, out: &OutputSender, actions: Vec<Action>) -> Result<(), ()> {
    for action in actions {
        match action {
            Action::Emit(output) => out.send(output).await.map_err(|_| ())?,
            Action::Write(value) => proc.write_json_line(&value).await.map_err(|_| ())?,
        }
    }
    Ok(())
}

/// Stop a process whose handshake failed and say why, with the end of its stderr.
pub(crate) async fn failed_start(proc: &mut Process, why: String) -> String {
    proc.kill().await;
    let report = proc.exit_report().await;
    let mut message = why;
    if let Some(code) = report.exit_code {
        message.push_str(&format!(" (exit status {code})"));
    }
    let lines = report.stderr.last_lines(10);
    if !lines.is_empty() {
        message.push_str(&format!("; stderr: {}", lines.join("\n")));
    }
    message
}
