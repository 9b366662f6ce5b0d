//! ACP over HTTP: an ACP client (an editor, `@agentclientprotocol/sdk`) drives any of the
//! daemon's agents through `/v1/acp/{serverId}`. The daemon is the ACP agent: `initialize`,
//! `session/new` (an ordinary daemon session), `session/load`, `session/prompt` (answered when
//! the turn ends), `session/cancel`; what the session does reaches the client on the server's
//! SSE stream as `session/update`s and `session/request_permission` requests, whose answers the
//! client posts back. Every outbound message has a sequence (`id:`), kept in a bounded log, so
//! a client that reconnects with `Last-Event-ID` loses nothing.

mod pump;
pub mod rpc;
pub mod updates;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use sandbox_agent_schema::{AcpServerInfo, PermissionReply, Principal};
use serde_json::{json, Value};
use tokio::sync::watch;

/// Outbound messages a server keeps for clients that reconnect.
pub const LOG_LIMIT: usize = 10_000;

#[derive(Default)]
pub struct AcpServers {
    servers: Mutex<HashMap<String, Arc<AcpServer>>>,
}

impl AcpServers {
    /// The server `id`, made on first use with `agent` as its sessions' default agent.
    pub fn get_or_create(&self, id: &str, agent: Option<&str>, by: &Principal) -> Arc<AcpServer> {
        let mut servers = self.servers.lock().unwrap();
        servers
            .entry(id.to_string())
            .or_insert_with(|| Arc::new(AcpServer::new(id, agent.unwrap_or("mock"), by.clone())))
            .clone()
    }

    pub fn get(&self, id: &str) -> Option<Arc<AcpServer>> {
        self.servers.lock().unwrap().get(id).cloned()
    }

    pub fn remove(&self, id: &str) -> Option<Arc<AcpServer>> {
        let server = self.servers.lock().unwrap().remove(id)?;
        server.close();
        Some(server)
    }

    pub fn list(&self) -> Vec<AcpServerInfo> {
        let mut list: Vec<AcpServerInfo> = self.servers.lock().unwrap().values().map(|s| s.info()).collect();
        list.sort_by(|a, b| a.server_id.cmp(&b.server_id));
        list
    }
}

/// The sequence of a session's last `turn.ended` seen, and how it ended.
pub type TurnSeen = (u64, Option<sandbox_agent_schema::TurnEndedData>);

/// A permission asked of the client: which session's, under which daemon id.
struct Asked {
    session_id: String,
    permission_id: String,
}

pub struct AcpServer {
    pub id: String,
    pub agent: String,
    pub by: Principal,
    created_at: String,
    log: Mutex<VecDeque<(u64, Arc<str>)>>,
    /// The last sequence written (0: none yet).
    pub seq: watch::Sender<u64>,
    next_request: AtomicU64,
    asked: Mutex<HashMap<String, Asked>>,
    sessions: Mutex<Vec<String>>,
    /// Per session: the sequence of the last `turn.ended` seen, and how it ended.
    turns: Mutex<HashMap<String, watch::Sender<TurnSeen>>>,
    closed: watch::Sender<bool>,
}

impl AcpServer {
    fn new(id: &str, agent: &str, by: Principal) -> Self {
        AcpServer {
            id: id.to_string(),
            agent: agent.to_string(),
            by,
            created_at: sandbox_agent_sessions::now(),
            log: Mutex::new(VecDeque::new()),
            seq: watch::channel(0).0,
            next_request: AtomicU64::new(1),
            asked: Mutex::new(HashMap::new()),
            sessions: Mutex::new(Vec::new()),
            turns: Mutex::new(HashMap::new()),
            closed: watch::channel(false).0,
        }
    }

    pub fn info(&self) -> AcpServerInfo {
        AcpServerInfo {
            server_id: self.id.clone(),
            agent: self.agent.clone(),
            session_ids: self.sessions.lock().unwrap().clone(),
            created_at: self.created_at.clone(),
            last_event_id: *self.seq.borrow(),
        }
    }

    /// Queue a message for the client's stream.
    pub fn send(&self, message: &Value) {
        let mut log = self.log.lock().unwrap();
        let seq = *self.seq.borrow() + 1;
        log.push_back((seq, message.to_string().into()));
        while log.len() > LOG_LIMIT {
            log.pop_front();
        }
        self.seq.send_replace(seq);
    }

    /// Queued messages after `after`, at most `max`.
    pub fn after(&self, after: u64, max: usize) -> Vec<(u64, Arc<str>)> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|(seq, _)| *seq > after).take(max).cloned().collect()
    }

    /// Ask the client for a permission (a JSON-RPC request of ours on the stream).
    pub fn ask(&self, session_id: &str, permission_id: String, params: Value) {
        let id = format!("sa-{}", self.next_request.fetch_add(1, Ordering::Relaxed));
        self.asked.lock().unwrap().insert(id.clone(), Asked { session_id: session_id.to_string(), permission_id });
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "session/request_permission", "params": params}));
    }

    /// The answer to one of our requests: (session, permission, reply), if it was ours.
    pub fn answered(&self, id: &Value, result: Option<&Value>) -> Option<(String, String, PermissionReply)> {
        let asked = self.asked.lock().unwrap().remove(id.as_str()?)?;
        let reply = result.map_or(PermissionReply::Reject, updates::permission_reply);
        Some((asked.session_id, asked.permission_id, reply))
    }

    pub fn closed(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }

    fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Follow a session: its events become this server's messages from `after` on.
    pub fn attach(self: &Arc<Self>, state: &crate::AppState, session_id: &str, after: u64) {
        let mut sessions = self.sessions.lock().unwrap();
        if sessions.iter().any(|s| s == session_id) {
            return;
        }
        sessions.push(session_id.to_string());
        self.turns.lock().unwrap().insert(session_id.to_string(), watch::channel((after, None)).0);
        tokio::spawn(pump::run(state.clone(), self.clone(), session_id.to_string(), after));
    }

    pub fn turns(&self, session_id: &str) -> Option<watch::Receiver<TurnSeen>> {
        self.turns.lock().unwrap().get(session_id).map(|t| t.subscribe())
    }

    fn turn_ended(&self, session_id: &str, seq: u64, data: sandbox_agent_schema::TurnEndedData) {
        if let Some(t) = self.turns.lock().unwrap().get(session_id) {
            t.send_replace((seq, Some(data)));
        }
    }
}
