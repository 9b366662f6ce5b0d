//! Terminals in session workspaces. Each is a PTY with a program on it (`pty.rs`); its output is
//! kept in a bounded scrollback and fanned out to every attached watcher, so a late watcher
//! catches up and a slow one never slows the program or the others.
//!
//! A watcher attaches with [`Terminals::attach`]: the scrollback so far and a receiver of what
//! follows, taken under one lock, so nothing is missed or repeated between them.

mod pty;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use sandbox_agent_schema::{CreateTerminalRequest, TerminalInfo, TerminalStatus};
use tokio::io::unix::AsyncFd;
use tokio::sync::broadcast;

pub use pty::session_members;

/// What one terminal keeps of its output for late watchers.
pub const SCROLLBACK_BYTES: usize = 256 * 1024;
/// Events a watcher may fall behind by before it is told it missed output.
const FANOUT: usize = 1024;
/// What a terminal gets of the daemon's environment (a shell needs these to behave).
const INHERITED: &[&str] = &["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TMPDIR"];
/// Exited terminals kept per session (for their exit code and scrollback) beyond the running ones.
const EXITED_KEPT: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error("{0}")]
    Invalid(String),
    #[error("terminal not found: {0}")]
    NotFound(String),
    #[error("{running} terminals are running in this session, the most there may be")]
    TooMany { running: usize },
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
}

pub type Result<T> = std::result::Result<T, TerminalError>;

/// What a watcher receives after the scrollback.
#[derive(Debug, Clone)]
pub enum Event {
    Output(Bytes),
    Exit { code: Option<i32>, signal: Option<i32> },
}

/// A watcher's start: the output so far, what comes next, and the exit if it already came.
pub struct Attachment {
    pub scrollback: Vec<u8>,
    pub events: broadcast::Receiver<Event>,
    pub exited: Option<(Option<i32>, Option<i32>)>,
}

struct Terminal {
    info: Mutex<TerminalInfo>,
    master: AsyncFd<OwnedFd>,
    shared: Mutex<Shared>,
}

struct Shared {
    scrollback: VecDeque<u8>,
    tx: broadcast::Sender<Event>,
    exited: Option<(Option<i32>, Option<i32>)>,
}

/// Every terminal of every session.
pub struct Terminals {
    max_per_session: usize,
    by_session: Mutex<HashMap<String, BTreeMap<String, Arc<Terminal>>>>,
}

fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

fn io(context: &str) -> impl FnOnce(std::io::Error) -> TerminalError + '_ {
    move |source| TerminalError::Io { context: context.to_string(), source }
}

impl Terminals {
    pub fn new(max_per_session: usize) -> Terminals {
        Terminals { max_per_session, by_session: Mutex::new(HashMap::new()) }
    }

    fn find(&self, session: &str, id: &str) -> Result<Arc<Terminal>> {
        let all = self.by_session.lock().unwrap();
        all.get(session).and_then(|m| m.get(id)).cloned().ok_or_else(|| TerminalError::NotFound(id.to_string()))
    }

    /// Starts a terminal in `workspace` (the session's directory).
    pub fn create(&self, session: &str, workspace: &Path, req: CreateTerminalRequest) -> Result<TerminalInfo> {
        let cwd = match req.cwd.as_deref() {
            None => workspace.to_path_buf(),
            Some(rel) if Path::new(rel).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) => {
                workspace.join(rel)
            }
            Some(rel) => {
                return Err(TerminalError::Invalid(format!("cwd {rel:?}: relative to the workspace, without `..`")))
            }
        };
        if !cwd.is_dir() {
            return Err(TerminalError::Invalid(format!("cwd {}: not a directory", cwd.display())));
        }
        let command = if req.command.is_empty() { default_shell() } else { req.command.clone() };
        let (cols, rows) = (req.cols.unwrap_or(80).max(1), req.rows.unwrap_or(24).max(1));
        {
            let all = self.by_session.lock().unwrap();
            let running = all
                .get(session)
                .map_or(0, |m| m.values().filter(|t| t.info.lock().unwrap().status == TerminalStatus::Running).count());
            if running >= self.max_per_session {
                return Err(TerminalError::TooMany { running });
            }
        }
        let (master, slave) = pty::open(cols, rows).map_err(io("opening a pty"))?;
        let mut cmd = tokio::process::Command::new(&command[0]);
        // Nothing else of the daemon's environment: it may hold the daemon's token and keys.
        cmd.args(&command[1..]).current_dir(&cwd).env_clear();
        cmd.envs(INHERITED.iter().filter_map(|k| std::env::var_os(k).map(|v| (*k, v))));
        cmd.env("TERM", "xterm-256color").envs(&req.env);
        let child = pty::spawn(cmd, &slave).map_err(io(&command[0]))?;
        // Only the program holds the slave now: when it and its children are gone, reads of the
        // master end (EIO).
        drop(slave);
        let pid = child.id().unwrap_or_default();
        let info = TerminalInfo {
            terminal_id: format!("term_{}", uuid::Uuid::new_v4().simple()),
            session_id: session.to_string(),
            command,
            cwd: cwd.to_string_lossy().into_owned(),
            pid,
            cols,
            rows,
            status: TerminalStatus::Running,
            exit_code: None,
            signal: None,
            created_at: now(),
            exited_at: None,
        };
        // SAFETY: an OwnedFd keeps its descriptor open and the same until it is dropped.
        let master = unsafe { AsyncFd::register(master) }.map_err(|e| io("watching the pty")(e.into()))?;
        let terminal = Arc::new(Terminal {
            info: Mutex::new(info.clone()),
            master,
            shared: Mutex::new(Shared { scrollback: VecDeque::new(), tx: broadcast::channel(FANOUT).0, exited: None }),
        });
        let mut all = self.by_session.lock().unwrap();
        let terminals = all.entry(session.to_string()).or_default();
        prune_exited(terminals);
        terminals.insert(info.terminal_id.clone(), terminal.clone());
        drop(all);
        tokio::spawn(run(terminal, child));
        Ok(info)
    }

    pub fn list(&self, session: &str) -> Vec<TerminalInfo> {
        let all = self.by_session.lock().unwrap();
        let mut list: Vec<TerminalInfo> =
            all.get(session).into_iter().flat_map(|m| m.values()).map(|t| t.info.lock().unwrap().clone()).collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        list
    }

    pub fn get(&self, session: &str, id: &str) -> Result<TerminalInfo> {
        Ok(self.find(session, id)?.info.lock().unwrap().clone())
    }

    pub fn attach(&self, session: &str, id: &str) -> Result<Attachment> {
        let terminal = self.find(session, id)?;
        let shared = terminal.shared.lock().unwrap();
        Ok(Attachment {
            scrollback: shared.scrollback.iter().copied().collect(),
            events: shared.tx.subscribe(),
            exited: shared.exited,
        })
    }

    /// Bytes to the program, as if typed.
    pub async fn write(&self, session: &str, id: &str, mut data: &[u8]) -> Result<()> {
        let terminal = self.find(session, id)?;
        while !data.is_empty() {
            let mut ready = terminal.master.writable().await.map_err(io("writing to the pty"))?;
            match ready.try_io(|fd| {
                // SAFETY: writes from a live slice to an fd we own.
                let n = unsafe { libc::write(fd.as_raw_fd(), data.as_ptr().cast(), data.len()) };
                if n < 0 {
                    Err(std::io::Error::last_os_error())
                } else {
                    Ok(n as usize)
                }
            }) {
                Ok(Ok(n)) => data = &data[n..],
                Ok(Err(err)) => return Err(io("writing to the pty")(err)),
                Err(_would_block) => continue,
            }
        }
        Ok(())
    }

    pub fn resize(&self, session: &str, id: &str, cols: u16, rows: u16) -> Result<()> {
        let terminal = self.find(session, id)?;
        pty::resize(terminal.master.get_ref(), cols.max(1), rows.max(1)).map_err(io("resizing the pty"))?;
        let mut info = terminal.info.lock().unwrap();
        (info.cols, info.rows) = (cols.max(1), rows.max(1));
        Ok(())
    }

    /// Kills the terminal's whole process session and forgets the terminal.
    pub fn kill(&self, session: &str, id: &str) -> Result<TerminalInfo> {
        let terminal = {
            let mut all = self.by_session.lock().unwrap();
            all.get_mut(session).and_then(|m| m.remove(id)).ok_or_else(|| TerminalError::NotFound(id.to_string()))?
        };
        let info = terminal.info.lock().unwrap().clone();
        if info.status == TerminalStatus::Running {
            pty::kill_session(info.pid);
        }
        Ok(info)
    }

    /// Kills every terminal of a session (it is being deleted).
    pub fn kill_all(&self, session: &str) {
        let terminals = self.by_session.lock().unwrap().remove(session).unwrap_or_default();
        for terminal in terminals.values() {
            let info = terminal.info.lock().unwrap();
            if info.status == TerminalStatus::Running {
                pty::kill_session(info.pid);
            }
        }
    }
}

/// Drops the oldest exited terminals past [`EXITED_KEPT`].
fn prune_exited(terminals: &mut BTreeMap<String, Arc<Terminal>>) {
    let mut exited: Vec<(String, String)> = terminals
        .iter()
        .filter_map(|(id, t)| {
            let info = t.info.lock().unwrap();
            (info.status == TerminalStatus::Exited).then(|| (info.created_at.clone(), id.clone()))
        })
        .collect();
    exited.sort();
    let excess = exited.len().saturating_sub(EXITED_KEPT - 1);
    for (_, id) in exited.into_iter().take(excess) {
        terminals.remove(&id);
    }
}

fn default_shell() -> Vec<String> {
    let bash = ["/bin/bash", "/usr/bin/bash"].into_iter().find(|p| PathBuf::from(p).exists());
    vec![bash.unwrap_or("/bin/sh").to_string(), "-i".to_string()]
}

/// How long output is still read after the program exited, when something else (a background
/// job) keeps the terminal open: its last words reach watchers, then the exit is reported.
const AFTER_EXIT: std::time::Duration = std::time::Duration::from_millis(200);

/// Pumps the PTY's output until it ends, then reports the exit: the output a program wrote
/// before exiting reaches watchers before its exit does.
async fn run(terminal: Arc<Terminal>, mut child: tokio::process::Child) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut status = None;
    let mut deadline = None;
    loop {
        let grace = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            ready = terminal.master.readable() => {
                let Ok(mut ready) = ready else { break };
                match ready.try_io(|fd| read(fd.as_raw_fd(), &mut buf)) {
                    Err(_would_block) => continue,
                    // 0 or EIO: every holder of the slave is gone.
                    Ok(Ok(0)) | Ok(Err(_)) => break,
                    Ok(Ok(n)) => publish(&terminal, Bytes::copy_from_slice(&buf[..n])),
                }
            }
            exited = child.wait(), if status.is_none() => {
                status = Some(exited);
                deadline = Some(tokio::time::Instant::now() + AFTER_EXIT);
            }
            () = grace => break,
        }
    }
    let status = match status {
        Some(status) => status,
        None => child.wait().await,
    };
    let (code, signal) = match status {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            (status.code(), status.signal())
        }
        Err(_) => (None, None),
    };
    {
        let mut info = terminal.info.lock().unwrap();
        info.status = TerminalStatus::Exited;
        info.exit_code = code;
        info.signal = signal;
        info.exited_at = Some(now());
    }
    let mut shared = terminal.shared.lock().unwrap();
    shared.exited = Some((code, signal));
    let _ = shared.tx.send(Event::Exit { code, signal });
}

fn read(fd: i32, buf: &mut [u8]) -> std::io::Result<usize> {
    // SAFETY: reads into a live buffer from an fd we own.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Into the scrollback (bounded) and out to every watcher.
fn publish(terminal: &Terminal, chunk: Bytes) {
    let mut shared = terminal.shared.lock().unwrap();
    shared.scrollback.extend(chunk.iter());
    let excess = shared.scrollback.len().saturating_sub(SCROLLBACK_BYTES);
    shared.scrollback.drain(..excess);
    // No watcher is fine: the scrollback has it.
    let _ = shared.tx.send(Event::Output(chunk));
}
