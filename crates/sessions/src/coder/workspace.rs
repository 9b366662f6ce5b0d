//! Running the steps of a workspace's preparation: real `git` for clones, `sh -c` for setup
//! commands, each in its own process group under a deadline, output streamed line by line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sandbox_agent_exec::{kill_group, SpawnSpec};
use sandbox_agent_schema::OutputStream;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How long one clone (with its checkout) may take.
pub const CLONE_TIMEOUT: Duration = Duration::from_secs(600);
/// The variable the credential helper reads the clone token from (only in git's environment).
const TOKEN_VAR: &str = "SANDBOX_AGENT_GIT_TOKEN";
/// A credential helper on the command line: never written into `.git/config`, and the token
/// itself is neither in the arguments nor in any file.
const CREDENTIAL_HELPER: &str =
    "credential.helper=!f() { test \"$1\" = get || exit 0; echo username=x-access-token; echo \"password=$SANDBOX_AGENT_GIT_TOKEN\"; }; f";

/// The `git` the daemon would run, found on its PATH.
pub fn find_git() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("git")).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Where a step's output goes.
pub enum Sink<'a> {
    /// To the session as `setup.output` (through the driver).
    Stream(&'a mpsc::UnboundedSender<(OutputStream, String)>),
    /// Kept (stdout only): for `git rev-parse`.
    Capture(&'a mut String),
}

/// How a step ended.
#[derive(Debug, PartialEq)]
pub enum StepEnd {
    Exited(Option<i32>),
    TimedOut,
    /// It could not start at all.
    Failed(String),
}

impl StepEnd {
    pub fn ok(&self) -> bool {
        *self == StepEnd::Exited(Some(0))
    }

    pub fn exit_code(&self) -> Option<i32> {
        match self {
            StepEnd::Exited(code) => *code,
            _ => None,
        }
    }
}

/// SIGKILLs the step's process group if the step is dropped (session deleted, daemon stopping)
/// or once it is over, so nothing a step started outlives it.
struct GroupGuard(Option<u32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        kill_group(self.0);
    }
}

/// Run one command to its end or the deadline, streaming its output.
pub async fn run_step(spec: SpawnSpec, deadline: Instant, sink: Sink<'_>) -> StepEnd {
    let (err_tx, mut err_rx) = mpsc::unbounded_channel::<String>();
    let spec = spec.on_stderr(move |line| {
        let _ = err_tx.send(line.to_string());
    });
    let mut process = match spec.spawn() {
        Ok(p) => p,
        Err(err) => return StepEnd::Failed(err.to_string()),
    };
    process.close_stdin();
    let _guard = GroupGuard(process.pid());
    let (mut sink, mut stdout_open, mut stderr_open) = (sink, true, true);
    let timed_out = loop {
        if !stdout_open && !stderr_open {
            break false;
        }
        tokio::select! {
            line = process.next_line(), if stdout_open => match line {
                Ok(Some(line)) => match &mut sink {
                    Sink::Stream(tx) => { let _ = tx.send((OutputStream::Stdout, line.to_string())); }
                    Sink::Capture(out) => { out.push_str(line); out.push('\n'); }
                },
                _ => stdout_open = false,
            },
            line = err_rx.recv(), if stderr_open => match (line, &sink) {
                (Some(line), Sink::Stream(tx)) => { let _ = tx.send((OutputStream::Stderr, line)); }
                (Some(_), Sink::Capture(_)) => {}
                (None, _) => stderr_open = false,
            },
            _ = tokio::time::sleep_until(deadline) => break true,
        }
    };
    if timed_out {
        process.kill().await;
        return StepEnd::TimedOut;
    }
    match tokio::time::timeout_at(deadline, process.wait()).await {
        Ok(Ok(status)) => StepEnd::Exited(status.code()),
        Ok(Err(err)) => StepEnd::Failed(err.to_string()),
        Err(_) => {
            process.kill().await;
            StepEnd::TimedOut
        }
    }
}

/// A shell that runs its first argument and, on SIGTERM, kills its whole process group. The
/// daemon dying sends SIGTERM only to the shell (`PR_SET_PDEATHSIG`); without the trap what
/// the command started in the background would outlive it.
const GUARD: &str = r#"trap 'trap - TERM; kill -KILL 0' TERM; sh -c "$1" & wait $!"#;

/// `sh -c COMMAND` in `cwd`, under [`GUARD`].
pub fn shell(command: &str, cwd: &Path, env: &[(String, String)]) -> SpawnSpec {
    SpawnSpec::new("setup", "sh", cwd).args(["-c", GUARD, "setup", command]).env(env.to_vec())
}

/// `git ARGS` in `cwd`, never prompting; with a clone's token for its credential helper.
pub fn git(git: &Path, args: &[&str], cwd: &Path, env: &[(String, String)], token: Option<&str>) -> SpawnSpec {
    let mut env = env.to_vec();
    env.push(("GIT_TERMINAL_PROMPT".into(), "0".into()));
    let mut all = Vec::new();
    if let Some(token) = token {
        env.push((TOKEN_VAR.into(), token.to_string()));
        all.extend(["-c", CREDENTIAL_HELPER]);
    }
    all.extend(args);
    SpawnSpec::new("git", git, cwd).args(all).env(env)
}

/// Coalesces a step's lines into `setup.output` texts: one per stream run, at most
/// [`CHUNK_BYTES`] each, at most [`MAX_CHUNKS`] per step; past that only a tail is kept and
/// sent once, marked truncated. A chatty step costs a bounded number of events.
pub struct Coalescer {
    stream: OutputStream,
    buffer: String,
    chunks: usize,
    dropped: bool,
    /// The last output, for a failure's excerpt.
    tail: String,
}

pub const CHUNK_BYTES: usize = 8 * 1024;
pub const MAX_CHUNKS: usize = 64;
pub const TAIL_BYTES: usize = 2 * 1024;
/// Output waits at most this long before it is sent.
pub const FLUSH_AFTER: Duration = Duration::from_millis(250);

impl Default for Coalescer {
    fn default() -> Self {
        Coalescer {
            stream: OutputStream::Stdout,
            buffer: String::new(),
            chunks: 0,
            dropped: false,
            tail: String::new(),
        }
    }
}

impl Coalescer {
    /// Take a line; what is ready to send, if anything.
    pub fn push(&mut self, stream: OutputStream, line: &str) -> Vec<(OutputStream, String, bool)> {
        let mut ready = Vec::new();
        keep_tail(&mut self.tail, line);
        if stream != self.stream {
            ready.extend(self.flush());
            self.stream = stream;
        }
        if self.chunks >= MAX_CHUNKS {
            self.dropped = true;
            return ready;
        }
        self.buffer.push_str(line);
        self.buffer.push('\n');
        if self.buffer.len() >= CHUNK_BYTES {
            ready.extend(self.flush());
        }
        ready
    }

    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// What is buffered, as one text.
    pub fn flush(&mut self) -> Option<(OutputStream, String, bool)> {
        if self.buffer.is_empty() {
            return None;
        }
        self.chunks += 1;
        let mut text = std::mem::take(&mut self.buffer);
        if text.len() > CHUNK_BYTES {
            let mut cut = CHUNK_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        Some((self.stream, text, false))
    }

    /// At the step's end: what is left, and the tail if output was dropped.
    pub fn finish(&mut self) -> Vec<(OutputStream, String, bool)> {
        let mut ready: Vec<_> = self.flush().into_iter().collect();
        if self.dropped {
            ready.push((self.stream, self.tail.clone(), true));
        }
        ready
    }

    pub fn tail(&self) -> &str {
        &self.tail
    }
}

fn keep_tail(tail: &mut String, line: &str) {
    tail.push_str(line);
    tail.push('\n');
    if tail.len() > 2 * TAIL_BYTES {
        let cut = tail.len() - last_bytes(tail, TAIL_BYTES).len();
        tail.drain(..cut);
    }
}

/// The last `max` bytes of `text` at most, cut on a character boundary.
pub fn last_bytes(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chatty_step_makes_a_bounded_number_of_chunks() {
        let mut c = Coalescer::default();
        let mut out = Vec::new();
        for i in 0..100_000 {
            out.extend(c.push(OutputStream::Stdout, &format!("line {i} of a chatty npm install")));
        }
        out.extend(c.finish());
        assert!(out.len() <= MAX_CHUNKS + 1, "{} chunks", out.len());
        let last = out.last().unwrap();
        assert!(last.2 && last.1.contains("line 99999 of"), "the tail ends the output, marked truncated");
        assert!(out.iter().all(|(_, text, _)| text.len() <= CHUNK_BYTES.max(2 * TAIL_BYTES + 64)));
    }

    #[test]
    fn streams_are_not_mixed_in_one_chunk() {
        let mut c = Coalescer::default();
        assert!(c.push(OutputStream::Stdout, "a").is_empty());
        let ready = c.push(OutputStream::Stderr, "b");
        assert_eq!(ready, vec![(OutputStream::Stdout, "a\n".to_string(), false)]);
        assert_eq!(c.finish(), vec![(OutputStream::Stderr, "b\n".to_string(), false)]);
    }
}
