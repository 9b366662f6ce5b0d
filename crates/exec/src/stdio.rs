//! The one stdio loop: a child speaking a line protocol on stdin and stdout.

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::exit::ExitReport;
use crate::spawn::Process;

/// How the loop stops the process when a protocol asks it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// [`Process::stop`]: close stdin, wait [`crate::GRACE`], kill the group.
    Graceful,
    /// [`Process::kill`]: kill the group now.
    Kill,
}

/// One thing a protocol asks its loop to do, in order.
#[derive(Debug)]
pub enum Step<O> {
    /// Send an output to the consumer (waiting while its channel is full).
    Emit(O),
    /// Write a JSON value to stdin as one line.
    Write(serde_json::Value),
    /// Stop the process and end the loop ([`Outcome::Stopped`]); later steps are dropped.
    Stop(Stop),
}

/// A child's line protocol (claude's stream-json, codex's JSON-RPC, ACP, …): what a line of
/// stdout and an input mean, as [`Step`]s pushed onto `steps` (empty on every call).
pub trait LineProtocol {
    type Output;
    type Input;
    /// One line of stdout, without its newline and never blank (blank lines are skipped).
    fn line(&mut self, line: &str, steps: &mut Vec<Step<Self::Output>>);
    /// One input; None once the input channel has closed (its senders are gone), after which
    /// no more input comes: a protocol usually stops then.
    fn input(&mut self, input: Option<Self::Input>, steps: &mut Vec<Step<Self::Output>>);
}

/// How [`run`] ended.
#[derive(Debug)]
pub enum Outcome {
    /// stdout closed (or could not be read): the process exited or is exiting. The report was
    /// made after it was gone.
    Exited(ExitReport),
    /// The protocol asked for a [`Step::Stop`]; the process was stopped as asked.
    Stopped,
    /// The consumer of outputs went away; the process group was killed.
    OutputClosed,
}

/// Pump `proc` until it ends: each stdout line and each input through `protocol`, performing
/// its steps. Outputs are awaited on the bounded `output`, so a slow consumer slows the child
/// (the loop reads no further meanwhile). A write that fails (the child closed its stdin)
/// drops the rest of its steps and the loop reads on: the child is going away, and its exit
/// is reported when stdout closes.
pub async fn run<P: LineProtocol>(
    mut proc: Process,
    protocol: &mut P,
    input: &mut mpsc::UnboundedReceiver<P::Input>,
    output: &mpsc::Sender<P::Output>,
) -> Outcome {
    let mut steps = Vec::new();
    let mut input_open = true;
    loop {
        tokio::select! {
            line = proc.next_line() => match line {
                Ok(Some(line)) if line.trim().is_empty() => continue,
                Ok(Some(line)) => protocol.line(line, &mut steps),
                Ok(None) | Err(_) => break,
            },
            msg = input.recv(), if input_open => {
                input_open = msg.is_some();
                protocol.input(msg, &mut steps);
            }
        }
        for step in steps.drain(..) {
            match step {
                Step::Emit(out) => {
                    if output.send(out).await.is_err() {
                        proc.kill().await;
                        return Outcome::OutputClosed;
                    }
                }
                Step::Write(value) => {
                    if proc.write_json_line(&value).await.is_err() {
                        break;
                    }
                }
                Step::Stop(Stop::Graceful) => {
                    proc.stop().await;
                    return Outcome::Stopped;
                }
                Step::Stop(Stop::Kill) => {
                    proc.kill().await;
                    return Outcome::Stopped;
                }
            }
        }
    }
    Outcome::Exited(proc.exit_report().await)
}

/// Write `value` as one line of JSON (the stdio protocols of claude, codex and ACP).
pub async fn write_json_line<W: AsyncWrite + Unpin>(writer: &mut W, value: &serde_json::Value) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(value).expect("json serializes");
    line.push(b'\n');
    writer.write_all(&line).await?;
    writer.flush().await
}
