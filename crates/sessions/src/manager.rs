//! The sessions of a daemon: find, list, delete, reload after a restart, suspend at shutdown.
//! Creating one is in [`crate::create`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use sandbox_agent_agents::{Agent, AgentRegistry};
use sandbox_agent_schema::{LoopStatus, Principal, SessionInfo, SessionStatus};
use sandbox_agent_store::{SessionQuery, SessionRow, Store, StoreError};
use tokio::sync::mpsc;

use crate::actor::{Actor, Command, Limits};
use crate::coder::tokens::TokenIndex;
use crate::feed::EventFeed;
use crate::handle::{SessionHandle, Shared};
use crate::state::{validate_session_id, SessionRecord};
use crate::{Result, SessionError};

/// What a loop cut short by a restart is told when it goes on.
const RESUME_LOOP: &str =
    "The daemon restarted while this task was in progress. Continue it: the output contract still applies.";

pub struct SessionManager {
    pub(crate) sessions: RwLock<HashMap<String, Arc<SessionHandle>>>,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) agents: AgentRegistry,
    data_dir: PathBuf,
    pub(crate) max_sessions: usize,
    limits: Limits,
    /// Every session token's hash → its session and participant.
    pub(crate) tokens: TokenIndex,
    pub(crate) runner: Option<Arc<sandbox_agent_runner::Runner>>,
}

impl SessionManager {
    /// Open the sessions of `store`: every one restored here (`follow: false`, a daemon of its
    /// own: those whose agent was running become `paused`), or, on a node of a cluster
    /// (`follow: true`), every one followed as a replica, the cluster's coordinator then
    /// [`adopt`](Self::adopt)ing those this node is to run.
    pub async fn open(
        store: Arc<dyn Store>,
        agents: AgentRegistry,
        data_dir: PathBuf,
        max_sessions: usize,
        limits: Limits,
        runner: Option<Arc<sandbox_agent_runner::Runner>>,
        follow: bool,
    ) -> Result<Self, StoreError> {
        let manager = SessionManager {
            sessions: RwLock::new(HashMap::new()),
            store,
            agents,
            data_dir,
            max_sessions,
            limits,
            tokens: TokenIndex::default(),
            runner,
        };
        let rows = manager.store.load_sessions().await?;
        let count = rows.len();
        for row in rows {
            if follow {
                manager.observe_row(row, false).await;
                continue;
            }
            let id = row.id.clone();
            if let Some(handle) = manager.restore(row, None).await {
                manager.sessions.write().unwrap().insert(id, handle);
            }
        }
        // Recovery events are committed before the first request is served.
        manager.flush(Duration::from_secs(30)).await;
        tracing::info!(sessions = count, follow, "sessions loaded");
        Ok(manager)
    }

    /// The session of `row` with a running actor, as after a restart: a running agent's
    /// session becomes `paused`, an interrupted turn is failed, a cut-short loop goes on.
    /// `feed`: the one its streams already read (a replica taken over).
    pub(crate) async fn restore(&self, row: SessionRow, feed: Option<Arc<EventFeed>>) -> Option<Arc<SessionHandle>> {
        let SessionRecord { settings, mut state } = match serde_json::from_str(&row.data) {
            Ok(record) => record,
            Err(err) => {
                tracing::error!(session = %row.id, %err, "unreadable session record; skipped");
                return None;
            }
        };
        let interrupted = state.preparing;
        let recovering = !interrupted
            && matches!(state.status, SessionStatus::Starting | SessionStatus::Idle | SessionStatus::Running);
        if recovering {
            state.status = SessionStatus::Paused;
        }
        // Streams did not survive the restart.
        for p in state.participants.iter_mut().filter(|p| p.disconnected_at.is_none()) {
            if p.transport.attached() {
                p.disconnected_at = Some(state.updated_at.clone());
            }
        }
        self.tokens.remove_session(&settings.session_id);
        for token in &state.tokens {
            self.tokens.insert(token.hash.clone(), &settings.session_id, &token.participant_id);
        }
        let Some(agent) = self.agents.get(&settings.agent).cloned() else {
            tracing::error!(session = %row.id, agent = %settings.agent, "unknown agent; skipped");
            return None;
        };
        // A loop the restart cut short goes on: the next iteration is sent once it is up.
        let resume_loop = state.loop_state.as_ref().is_some_and(|l| l.status == LoopStatus::Running)
            && !matches!(state.status, SessionStatus::Ended | SessionStatus::Archived);
        let mut actor = self.prepare_with(SessionRecord { settings, state }, agent, row.last_sequence, feed);
        if recovering {
            actor.recover().await;
        } else if interrupted {
            actor.end_interrupted_preparation();
        }
        let handle = self.launch(actor);
        if resume_loop {
            let handle = handle.clone();
            tokio::spawn(async move {
                let text = RESUME_LOOP.to_string();
                let sent = handle
                    .call(|reply| Command::Message { text, attachments: Vec::new(), by: Principal::Daemon, reply })
                    .await;
                if let Err(err) = sent {
                    tracing::warn!(session = %handle.shared.id, %err, "the loop could not be resumed");
                }
            });
        }
        Some(handle)
    }

    pub(crate) fn prepare(&self, record: SessionRecord, agent: Arc<dyn Agent>, last_sequence: u64) -> Actor {
        self.prepare_with(record, agent, last_sequence, None)
    }

    fn prepare_with(
        &self,
        record: SessionRecord,
        agent: Arc<dyn Agent>,
        last_sequence: u64,
        feed: Option<Arc<EventFeed>>,
    ) -> Actor {
        // A feed taken over from a replica may lag the store: the actor tails from what it has.
        let tail_after = feed.as_ref().map_or(last_sequence, |f| f.watermark().min(last_sequence));
        let shared = self.shared(record, last_sequence, feed);
        Actor::new(shared, self.store.clone(), agent, last_sequence, self.limits).tailing_after(tail_after)
    }

    /// A session's shared part; `feed`: keep the one its streams read.
    pub(crate) fn shared(
        &self,
        record: SessionRecord,
        last_sequence: u64,
        feed: Option<Arc<EventFeed>>,
    ) -> Arc<Shared> {
        let SessionRecord { settings, state } = record;
        let ended = state.status == SessionStatus::Ended;
        Arc::new(Shared {
            id: settings.session_id.clone(),
            feed: feed.unwrap_or_else(|| Arc::new(EventFeed::new(last_sequence, ended))),
            state_dir: self.state_dir(&settings.session_id),
            settings,
            state: Mutex::new(state),
            prep: Mutex::new(None),
            runner: self.runner.clone(),
            doc_seq: Default::default(),
        })
    }

    pub(crate) fn launch(&self, actor: Actor) -> Arc<SessionHandle> {
        let shared = actor.shared();
        let (tx, rx) = mpsc::channel(64);
        let mut actor = actor;
        actor.own = Some(tx.downgrade());
        let task = tokio::spawn(actor.run(rx)).abort_handle();
        Arc::new(SessionHandle { shared, commands: Some(tx), follow: Default::default(), task: Some(task) })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn get(&self, id: &str) -> Result<Arc<SessionHandle>> {
        validate_session_id(id)?;
        self.sessions.read().unwrap().get(id).cloned().ok_or_else(|| SessionError::NotFound(id.to_string()))
    }

    /// The sessions matching `query`, newest first (the store filters and pages; the views are
    /// the live ones), and how many match in all.
    pub async fn list(&self, query: SessionQuery) -> Result<(Vec<SessionInfo>, u64)> {
        let page = self.store.list_sessions(query).await?;
        let sessions = self.sessions.read().unwrap();
        let infos = page.ids.iter().filter_map(|id| sessions.get(id)).map(|h| h.info()).collect();
        Ok((infos, page.total))
    }

    /// Stop the agent and delete the session with its events and the directories the daemon
    /// made for it.
    pub async fn delete(&self, id: &str, by: &Principal) -> Result<()> {
        if !self.get(id)?.is_local() {
            return Err(SessionError::Elsewhere(id.to_string()));
        }
        let handle = self.sessions.write().unwrap().remove(id).ok_or_else(|| SessionError::NotFound(id.to_string()))?;
        self.tokens.remove_session(id);
        let settings = &handle.shared.settings;
        let made = [Some(&settings.directory), settings.workspace.as_ref()];
        handle.call(|resp| Command::Delete { by: by.clone(), resp }).await?;
        // The workspace the daemon made goes with the session; a directory the client chose
        // is the client's.
        let workspace = self.workspace(id);
        let mut remove = vec![self.state_dir(id)];
        if made.into_iter().flatten().any(|d| std::path::Path::new(d) == workspace) {
            remove.push(workspace);
        }
        for dir in remove.into_iter().filter(|d| d.exists()) {
            if let Err(err) = std::fs::remove_dir_all(&dir) {
                tracing::warn!(session = id, %err, dir = %dir.display(), "could not remove a session directory");
            }
        }
        Ok(())
    }

    /// Where the session's agent keeps its own state (config, native session files).
    pub(crate) fn state_dir(&self, id: &str) -> PathBuf {
        self.data_dir.join("agent-state").join(id)
    }

    /// The directory the daemon makes for a session that names none.
    pub(crate) fn workspace(&self, id: &str) -> PathBuf {
        self.data_dir.join("sessions").join(id)
    }

    /// Stop every running agent gracefully and wait for them (bounded), at shutdown.
    pub async fn suspend_all(&self) {
        let handles: Vec<_> = self.sessions.read().unwrap().values().filter(|h| h.is_local()).cloned().collect();
        let stops = handles.iter().map(|h| h.call(|resp| Command::Suspend { resp }));
        futures_util::future::join_all(stops).await;
        for agent in self.agents.all() {
            agent.shutdown().await;
        }
    }

    /// End every open event stream (at shutdown) so the server can drain; clients resume
    /// from their last event id on the next daemon.
    pub fn close_streams(&self) {
        for handle in self.sessions.read().unwrap().values() {
            handle.shared.feed.close();
        }
    }

    /// Wait until everything queued for the store is committed (used at shutdown).
    pub async fn flush(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.store.barrier()).await;
    }
}
