//! The preparation of a task session's workspace, in the background after create answered:
//! each clone, then each setup command, each told to the session as `setup.*` events; then the
//! agent starts and gets the task ([`Prep::Ready`]), or the session ends ([`Prep::Failed`]).
//! It drives the session only through commands, so its actor stays the one writer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sandbox_agent_schema::*;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::validate::{CloneSpec, Plan};
use super::workspace::{self, run_step, Coalescer, Sink, StepEnd, CLONE_TIMEOUT, FLUSH_AFTER};
use crate::actor::{Command, Prep};
use crate::handle::SessionHandle;

/// Everything the preparation needs, moved into its task.
pub struct Job {
    pub plan: Plan,
    pub workspace: PathBuf,
    pub git: Option<PathBuf>,
    /// The environment of clones and setup: the daemon's base plus the session's `env`.
    pub env: Vec<(String, String)>,
}

/// A failed step, as the session will tell it.
struct Failure {
    reason: TaskFailReason,
    message: String,
    output: String,
}

pub async fn run(handle: Arc<SessionHandle>, job: Job) {
    let outcome = prepare(&handle, &job).await;
    let step = match outcome {
        Ok(Some(repos)) => Prep::Ready { repos },
        Ok(None) => return, // the session went away
        Err(f) => Prep::Failed(TaskFailedData {
            reason: f.reason,
            message: f.message,
            output: (!f.output.is_empty()).then_some(f.output),
            turn_id: None,
        }),
    };
    let _ = handle.call(|reply| Command::Prepare { step, reply }).await;
}

/// Tell the session an event; false when it no longer takes them.
async fn tell(handle: &SessionHandle, data: EventData) -> bool {
    handle.call(|reply| Command::Prepare { step: Prep::Event(data), reply }).await.is_ok()
}

type Outcome = Result<Option<Vec<RepoInfo>>, Failure>;

async fn prepare(handle: &SessionHandle, job: &Job) -> Outcome {
    let mut index = 0;
    let mut repos = Vec::new();
    for clone in &job.plan.clones {
        let started =
            EventData::SetupStarted(SetupStartedData { step: SetupStep::Clone, name: clone.url.clone(), index });
        if !tell(handle, started).await {
            return Ok(None);
        }
        let begun = Instant::now();
        let result = clone_repo(handle, job, clone, index).await;
        let exit_code = match &result {
            Ok(Some(_)) => Some(0),
            Err((_, code)) => *code,
            Ok(None) => return Ok(None),
        };
        if !completed(handle, index, exit_code, begun).await {
            return Ok(None);
        }
        match result {
            Ok(Some(commit)) => repos.push(RepoInfo {
                url: clone.url.clone(),
                branch: clone.branch.clone(),
                commit: Some(commit),
                path: clone.path.clone(),
            }),
            Err((failure, _)) => return Err(failure),
            Ok(None) => return Ok(None),
        }
        index += 1;
    }
    let deadline = Instant::now() + job.plan.setup_timeout;
    for command in &job.plan.setup {
        let started =
            EventData::SetupStarted(SetupStartedData { step: SetupStep::Command, name: command.clone(), index });
        if !tell(handle, started).await {
            return Ok(None);
        }
        let begun = Instant::now();
        let spec = workspace::shell(command, &job.workspace, &job.env);
        let Some((end, tail)) = streamed(handle, index, spec, deadline).await else { return Ok(None) };
        if !completed(handle, index, end.exit_code(), begun).await {
            return Ok(None);
        }
        if !end.ok() {
            let message = match &end {
                StepEnd::TimedOut => {
                    format!("setup timed out after {} ms: {command}", job.plan.setup_timeout.as_millis())
                }
                StepEnd::Exited(code) => format!("setup command failed (exit {code:?}): {command}"),
                StepEnd::Failed(err) => format!("setup command could not start ({err}): {command}"),
            };
            return Err(Failure { reason: TaskFailReason::SetupFailed, message, output: tail });
        }
        index += 1;
    }
    Ok(Some(repos))
}

async fn completed(handle: &SessionHandle, index: u32, exit_code: Option<i32>, begun: Instant) -> bool {
    let duration_ms = begun.elapsed().as_millis() as u64;
    tell(handle, EventData::SetupCompleted(SetupCompletedData { index, exit_code, duration_ms })).await
}

type CloneResult = Result<Option<String>, (Failure, Option<i32>)>;

/// Clone, check out the pinned commit, and say which commit the repo is at.
async fn clone_repo(handle: &SessionHandle, job: &Job, clone: &CloneSpec, index: u32) -> CloneResult {
    let git = job.git.as_deref().expect("git is checked at create");
    let deadline = Instant::now() + CLONE_TIMEOUT;
    let dest = job.workspace.join(&clone.path);
    let failed = |message: String, output: String, code| {
        Err((Failure { reason: TaskFailReason::CloneFailed, message, output }, code))
    };
    if let Some(parent) = dest.parent() {
        if let Err(err) = std::fs::create_dir_all(parent) {
            return failed(format!("cannot make {}: {err}", parent.display()), String::new(), None);
        }
    }
    let dest_arg = dest.display().to_string();
    let mut args = vec!["clone"];
    if let Some(branch) = &clone.branch {
        args.extend(["--branch", branch]);
    }
    args.extend(["--", &clone.url, &dest_arg]);
    let steps: Vec<Vec<&str>> = match &clone.commit {
        Some(commit) => vec![args, vec!["checkout", "--detach", commit]],
        None => vec![args],
    };
    for (i, args) in steps.iter().enumerate() {
        let cwd = if i == 0 { &job.workspace } else { &dest };
        let spec = workspace::git(git, args, cwd, &job.env, clone.token.as_deref());
        let Some((end, tail)) = streamed(handle, index, spec, deadline).await else { return Ok(None) };
        if !end.ok() {
            let what = if i == 0 { "git clone" } else { "git checkout" };
            return failed(format!("{what} of {} failed ({end:?})", clone.url), tail, end.exit_code());
        }
    }
    let mut head = String::new();
    let end = run_step(
        workspace::git(git, &["rev-parse", "HEAD"], &dest, &job.env, clone.token.as_deref()),
        deadline,
        Sink::Capture(&mut head),
    )
    .await;
    if !end.ok() {
        return failed(format!("cannot read the commit of {}", clone.url), head, end.exit_code());
    }
    Ok(Some(head.trim().to_string()))
}

/// Run a step with its output told to the session, coalesced; its end and its last output.
/// None when the session stopped taking events.
async fn streamed(
    handle: &SessionHandle,
    index: u32,
    spec: sandbox_agent_exec::SpawnSpec,
    deadline: Instant,
) -> Option<(StepEnd, String)> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let step = async move {
        let end = run_step(spec, deadline, Sink::Stream(&tx)).await;
        drop(tx);
        end
    };
    let relay = async {
        let mut coalescer = Coalescer::default();
        let mut flush_at: Option<Instant> = None;
        loop {
            let tick = async {
                match flush_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let ready = tokio::select! {
                line = rx.recv() => match line {
                    Some((stream, line)) => {
                        flush_at.get_or_insert_with(|| Instant::now() + FLUSH_AFTER);
                        coalescer.push(stream, &line)
                    }
                    None => break,
                },
                _ = tick => coalescer.flush().into_iter().collect(),
            };
            if coalescer.is_empty() {
                flush_at = None;
            }
            if !send(handle, index, ready).await {
                return None;
            }
        }
        let rest = coalescer.finish();
        send(handle, index, rest).await.then(|| coalescer.tail().to_string())
    };
    let (end, tail) = tokio::join!(step, relay);
    Some((end, tail?))
}

async fn send(handle: &SessionHandle, index: u32, chunks: Vec<(OutputStream, String, bool)>) -> bool {
    for (stream, text, truncated) in chunks {
        if !tell(handle, EventData::SetupOutput(SetupOutputData { index, stream, text, truncated })).await {
            return false;
        }
    }
    true
}

/// The agent's directory in a workspace: the root of its only repo, else the workspace.
pub fn agent_directory(workspace: &Path, plan: &Plan) -> PathBuf {
    match plan.clones.as_slice() {
        [only] => workspace.join(&only.path),
        _ => workspace.to_path_buf(),
    }
}
