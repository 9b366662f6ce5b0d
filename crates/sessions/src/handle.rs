//! What handlers and event streams hold of a session: its [`Shared`] part and a way to send its
//! actor [`Command`]s.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use sandbox_agent_schema::SessionInfo;
use sandbox_agent_store::Document;
use tokio::sync::{mpsc, oneshot};

use crate::actor::{Command, Reply};
use crate::feed::EventFeed;
use crate::state::{view, RecordRef, SessionSettings, SessionState};
use crate::{Result, SessionError};

/// What a session's actor shares with handlers and streams.
pub struct Shared {
    pub id: String,
    pub feed: Arc<EventFeed>,
    pub settings: SessionSettings,
    /// Written by the actor only; others take short snapshots.
    pub state: Mutex<SessionState>,
    /// The agent's private state directory (`<data-dir>/agent-state/<id>`).
    pub state_dir: PathBuf,
    /// The workspace preparation running in the background, if any.
    pub(crate) prep: Mutex<Option<tokio::task::AbortHandle>>,
    /// Runs contract verifications (None: no runner configured).
    pub(crate) runner: Option<Arc<sandbox_agent_runner::Runner>>,
    /// A replica's document: the last event it reflects (a copy older than the one held is not
    /// applied: documents come from the bucket and from the log, in no set order).
    pub(crate) doc_seq: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// The stored document, as of now.
    pub(crate) fn document(&self) -> Document {
        let state = self.state.lock().unwrap();
        RecordRef { settings: &self.settings, state: &state }.document()
    }

    /// Stop the workspace preparation (its running step's process group is killed).
    pub(crate) fn stop_preparation(&self) {
        if let Some(task) = self.prep.lock().unwrap().take() {
            task.abort();
        }
    }
}

pub(crate) type Follow = Arc<Mutex<Option<sandbox_agent_store::Tail>>>;

pub struct SessionHandle {
    pub shared: Arc<Shared>,
    /// `None` for a replica: a session whose agent runs on another node of a cluster, followed
    /// here (its document and events) so any node can show and stream it.
    pub(crate) commands: Option<mpsc::Sender<Command>>,
    /// A replica's tail of the store into its feed (shared by the handles of its successive
    /// documents; taken, and so ended, when the session is adopted).
    pub(crate) follow: Follow,
    /// The actor's task (local sessions), stopped outright when the lease is lost while it is
    /// stuck on a store that cannot be reached.
    pub(crate) task: Option<tokio::task::AbortHandle>,
}

impl SessionHandle {
    /// The session as the API shows it.
    pub fn info(&self) -> SessionInfo {
        let state = self.shared.state.lock().unwrap();
        view(&self.shared.settings, &state, self.shared.feed.watermark())
    }

    /// A replica: no actor here, its feed filled by `follow`.
    pub(crate) fn replica(shared: Arc<Shared>, follow: Follow) -> Arc<Self> {
        Arc::new(SessionHandle { shared, commands: None, follow, task: None })
    }

    /// Whether this node runs the session (false: a replica of another node's).
    pub fn is_local(&self) -> bool {
        self.commands.is_some()
    }

    /// Send a command built around a reply channel and wait for the answer.
    pub async fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T> {
        let Some(commands) = &self.commands else { return Err(SessionError::Elsewhere(self.shared.id.clone())) };
        let (tx, rx) = oneshot::channel();
        let gone = || SessionError::NotFound(self.shared.id.clone());
        commands.send(make(tx)).await.map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }
}
