//! Sessions: the manager (create, find, list, delete, reload after a restart) and the
//! per-session actor that owns each one.

mod actor;
mod items;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use sandbox_agent_agents::{AgentRegistry, PERMISSION_MODES};
use sandbox_agent_schema::*;
use sandbox_agent_store::{Store, WriteOp};
use tokio::sync::{mpsc, oneshot};

use actor::{Actor, Reply};
pub use actor::{Command, Limits};

use crate::error::{ApiError, ApiResult};
use crate::feed::EventFeed;

/// What handlers and SSE streams share with a session's actor.
pub struct Shared {
    pub id: String,
    pub feed: Arc<EventFeed>,
    /// The session's current state, written by the actor only.
    pub info: Mutex<SessionInfo>,
    /// The agent's extra environment (from the create request); persisted, never served.
    pub env: std::collections::BTreeMap<String, String>,
    /// The agent's private state directory.
    pub state_dir: PathBuf,
}

/// What is stored for a session: its public info plus what the API never returns.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SessionRecord {
    #[serde(flatten)]
    pub info: SessionInfo,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub env: std::collections::BTreeMap<String, String>,
}

pub struct SessionHandle {
    pub shared: Arc<Shared>,
    commands: mpsc::Sender<Command>,
    /// Creation order (timestamps can tie), for newest-first listing.
    order: u64,
}

impl SessionHandle {
    pub fn info(&self) -> SessionInfo {
        let mut info = self.shared.info.lock().unwrap().clone();
        info.event_count = self.shared.feed.watermark();
        info.ended = info.status == SessionStatus::Ended;
        info
    }

    /// Send a command built around a reply channel and wait for the answer.
    pub async fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> ApiResult<T> {
        let (tx, rx) = oneshot::channel();
        let gone = || ApiError::session_not_found(&self.shared.id);
        self.commands.send(make(tx)).await.map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }
}

pub(crate) fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Session ids travel in URL paths: 1–128 characters of `[A-Za-z0-9._-]`, not `.` or `..`.
pub fn validate_session_id(id: &str) -> ApiResult<()> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id != "."
        && id != ".."
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorType::InvalidRequest,
            "invalid session id: use 1-128 characters of A-Z a-z 0-9 . _ - (not . or ..)",
        ))
    }
}

pub struct SessionManager {
    sessions: RwLock<HashMap<String, Arc<SessionHandle>>>,
    store: Arc<dyn Store>,
    agents: AgentRegistry,
    data_dir: PathBuf,
    max_sessions: usize,
    limits: Limits,
    created: std::sync::atomic::AtomicU64,
}

impl SessionManager {
    /// Load every stored session; those whose agent was running become `paused`.
    pub async fn load(
        store: Arc<dyn Store>,
        agents: AgentRegistry,
        data_dir: PathBuf,
        max_sessions: usize,
        limits: Limits,
    ) -> Result<Self, sandbox_agent_store::StoreError> {
        let manager = SessionManager {
            sessions: RwLock::new(HashMap::new()),
            store,
            agents,
            data_dir,
            max_sessions,
            limits,
            created: Default::default(),
        };
        let rows = manager.store.load_sessions()?;
        let mut loaded = 0;
        for row in rows {
            let SessionRecord { mut info, env } = match serde_json::from_str(&row.data) {
                Ok(record) => record,
                Err(err) => {
                    tracing::error!(session = %row.id, %err, "unreadable session record; skipped");
                    continue;
                }
            };
            let recovering =
                matches!(info.status, SessionStatus::Starting | SessionStatus::Idle | SessionStatus::Running);
            if recovering {
                info.status = SessionStatus::Paused;
            }
            let Some(agent) = manager.agents.get(&info.agent).cloned() else {
                tracing::error!(session = %row.id, agent = %info.agent, "unknown agent; skipped");
                continue;
            };
            let mut actor = manager.prepare(info, env, agent, row.last_sequence);
            if recovering {
                actor.recover().await;
            }
            let handle = manager.launch(actor);
            manager.sessions.write().unwrap().insert(row.id, handle);
            loaded += 1;
        }
        // Recovery events are committed before the first request is served.
        manager.flush(Duration::from_secs(30)).await;
        tracing::info!(sessions = loaded, "sessions loaded");
        Ok(manager)
    }

    fn prepare(
        &self,
        info: SessionInfo,
        env: std::collections::BTreeMap<String, String>,
        agent: Arc<dyn sandbox_agent_agents::Agent>,
        last_sequence: u64,
    ) -> Actor {
        let shared = Arc::new(Shared {
            id: info.session_id.clone(),
            feed: Arc::new(EventFeed::new(last_sequence, info.status == SessionStatus::Ended)),
            state_dir: self.state_dir(&info.session_id),
            info: Mutex::new(info),
            env,
        });
        Actor::new(shared, self.store.clone(), agent, last_sequence, self.limits)
    }

    fn launch(&self, actor: Actor) -> Arc<SessionHandle> {
        let shared = actor.shared();
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(actor.run(rx));
        let order = self.created.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Arc::new(SessionHandle { shared, commands: tx, order })
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn get(&self, id: &str) -> ApiResult<Arc<SessionHandle>> {
        validate_session_id(id)?;
        self.sessions.read().unwrap().get(id).cloned().ok_or_else(|| ApiError::session_not_found(id))
    }

    /// Newest first.
    pub fn list(&self) -> Vec<SessionInfo> {
        let mut all: Vec<(u64, SessionInfo)> =
            self.sessions.read().unwrap().values().map(|h| (h.order, h.info())).collect();
        all.sort_by_key(|(order, _)| std::cmp::Reverse(*order));
        all.into_iter().map(|(_, info)| info).collect()
    }

    pub async fn create(&self, id: String, req: CreateSessionRequest) -> ApiResult<CreateSessionResponse> {
        validate_session_id(&id)?;
        let agent = self.agents.get(&req.agent).cloned().ok_or_else(|| {
            ApiError::new(ErrorType::UnsupportedAgent, format!("unsupported agent: {}", req.agent))
                .with_agent(&req.agent)
        })?;
        let modes = agent.modes();
        let agent_mode = req.agent_mode.clone().unwrap_or_else(|| modes[0].id.clone());
        if !modes.iter().any(|m| m.id == agent_mode) {
            return Err(ApiError::new(
                ErrorType::ModeNotSupported,
                format!("agent {} has no mode {agent_mode}", req.agent),
            )
            .with_agent(&req.agent)
            .with_details(serde_json::json!({"mode": agent_mode})));
        }
        let permission_mode = req.permission_mode.clone().unwrap_or_else(|| agent.permission_modes()[0].to_string());
        if !PERMISSION_MODES.contains(&permission_mode.as_str()) {
            return Err(ApiError::new(
                ErrorType::InvalidRequest,
                format!("unknown permission mode {permission_mode}; expected one of {}", PERMISSION_MODES.join(", ")),
            ));
        }
        if !agent.permission_modes().contains(&permission_mode.as_str()) {
            return Err(ApiError::new(
                ErrorType::ModeNotSupported,
                format!("agent {} does not support permission mode {permission_mode}", req.agent),
            )
            .with_agent(&req.agent)
            .with_details(serde_json::json!({"mode": permission_mode})));
        }
        if !agent.install_status().installed {
            return Err(ApiError::new(ErrorType::AgentNotInstalled, format!("agent {} is not installed", req.agent))
                .with_agent(&req.agent));
        }
        let directory = match &req.directory {
            Some(dir) if !std::path::Path::new(dir).is_absolute() => {
                return Err(ApiError::new(ErrorType::InvalidRequest, "directory must be an absolute path"));
            }
            Some(dir) => PathBuf::from(dir),
            None => self.workspace(&id),
        };
        let now = now();
        let info = SessionInfo {
            session_id: id.clone(),
            agent: req.agent.clone(),
            agent_mode,
            permission_mode,
            model: req.model,
            variant: req.variant,
            native_session_id: None,
            status: SessionStatus::Starting,
            ended: false,
            end: None,
            current_turn_id: None,
            event_count: 0,
            created_at: now.clone(),
            updated_at: now,
            directory: directory.display().to_string(),
            title: req.title,
            pending_permissions: Vec::new(),
            pending_questions: Vec::new(),
        };
        // Check before touching the disk, so a refused create leaves nothing behind.
        self.check_room(&id, &self.sessions.read().unwrap())?;
        std::fs::create_dir_all(&directory).map_err(|err| {
            ApiError::new(ErrorType::InvalidRequest, format!("cannot create directory {}: {err}", directory.display()))
        })?;
        let handle = {
            let mut sessions = self.sessions.write().unwrap();
            self.check_room(&id, &sessions)?; // again: another create may have raced us
            let handle = self.launch(self.prepare(info.clone(), req.env.clone(), agent, 0));
            sessions.insert(id.clone(), handle.clone());
            handle
        };
        let data = serde_json::to_string(&SessionRecord { info, env: req.env }).expect("session record serializes");
        self.store.writer().submit(WriteOp::PutSession { id: id.clone(), data }).await?;
        if let Err(err) = handle.call(|reply| Command::Start { reply }).await {
            self.delete(&id).await.ok();
            return Err(err);
        }
        let native_session_id = handle.info().native_session_id;
        Ok(CreateSessionResponse { session_id: id, healthy: true, native_session_id })
    }

    pub async fn delete(&self, id: &str) -> ApiResult<()> {
        validate_session_id(id)?;
        let handle = self.sessions.write().unwrap().remove(id).ok_or_else(|| ApiError::session_not_found(id))?;
        let directory = handle.info().directory;
        handle.call(|resp| Command::Delete { resp }).await?;
        // The workspace the daemon made goes with the session; a directory the client chose
        // is the client's.
        let workspace = self.workspace(id);
        let mut remove = vec![self.state_dir(id)];
        if std::path::Path::new(&directory) == workspace {
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
    fn state_dir(&self, id: &str) -> PathBuf {
        self.data_dir.join("agent-state").join(id)
    }

    fn workspace(&self, id: &str) -> PathBuf {
        self.data_dir.join("sessions").join(id)
    }

    fn check_room(&self, id: &str, sessions: &HashMap<String, Arc<SessionHandle>>) -> ApiResult<()> {
        if sessions.contains_key(id) {
            return Err(ApiError::session(ErrorType::SessionAlreadyExists, id, format!("session {id} already exists")));
        }
        let live = sessions.values().filter(|h| !h.info().ended).count();
        if live >= self.max_sessions {
            return Err(ApiError::new(
                ErrorType::TooManySessions,
                format!("at most {} live sessions", self.max_sessions),
            ));
        }
        Ok(())
    }

    /// Stop every running agent gracefully and wait for them (bounded), at shutdown.
    pub async fn suspend_all(&self) {
        let handles: Vec<_> = self.sessions.read().unwrap().values().cloned().collect();
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
        let _ = tokio::time::timeout(timeout, self.store.writer().barrier()).await;
    }
}
