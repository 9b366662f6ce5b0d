//! The supervised `opencode serve` processes. Starting one takes 2–4 s and ~600 MB, so sessions
//! share them: one server per distinct [`Launch`] (binary, environment, generated config),
//! started on the first session that needs it, health-checked, and restarted when it crashes.
//!
//! Each running process is an [`Instance`]. Sessions reach OpenCode through it: HTTP requests
//! scoped to their project directory, and one [`Subscription`] to `GET /event?directory=D` per
//! directory, which routes every event to the session it names (and to the session whose
//! subagent it is). When the process dies, every routed session is told ([`Routed::Lost`])
//! and ends with a resumable exit; the server restarts with backoff, and the sessions resume
//! on it with the same OpenCode session id (OpenCode keeps sessions in its sqlite database
//! under `XDG_DATA_HOME`, which is stable across restarts).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use eventsource_stream::Eventsource;
use futures_util::{Stream, StreamExt};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, watch, Notify};

use super::convert::{is_global_noise, session_of};
use super::http::Http;
use crate::process;
use crate::AgentExit;
use sandbox_agent_exec::{kill_group, Process, SpawnSpec};

/// How long a new server may take to answer its health check.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for the first event of a new `/event` stream.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(10);
/// A server that dies sooner than this after starting counts as crashing at startup.
const FAST_CRASH: Duration = Duration::from_secs(10);
/// After this many crashes in a row at startup, stop restarting eagerly (the next session
/// start still tries).
const MAX_FAST_CRASHES: u32 = 5;

/// How to start a server. Sessions whose launches are equal share one server.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub binary: PathBuf,
    /// The complete environment (nothing is inherited), without `OPENCODE_CONFIG`.
    pub env: Vec<(String, String)>,
    /// The server's working directory; the generated config is written here.
    pub dir: PathBuf,
    /// The `opencode.json` to generate.
    pub config: Value,
}

impl Launch {
    /// A stable identity (FNV-1a over everything that shapes the process).
    pub fn key(&self) -> String {
        let mut hash: u64 = 0xcbf29ce484222325;
        let mut feed = |bytes: &[u8]| {
            for b in bytes.iter().chain([0xffu8].iter()) {
                hash ^= *b as u64;
                hash = hash.wrapping_mul(0x100000001b3);
            }
        };
        feed(self.binary.as_os_str().as_encoded_bytes());
        for (k, v) in &self.env {
            feed(k.as_bytes());
            feed(v.as_bytes());
        }
        feed(self.dir.as_os_str().as_encoded_bytes());
        feed(self.config.to_string().as_bytes());
        format!("{hash:016x}")
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.join(format!("opencode-{}.json", self.key()))
    }
}

/// The daemon's servers, by launch key.
#[derive(Default)]
pub struct Pool {
    servers: Mutex<HashMap<String, Arc<Server>>>,
}

impl Pool {
    /// Stop every server (daemon shutdown).
    pub async fn shutdown(&self) {
        let servers: Vec<Arc<Server>> = self.servers.lock().unwrap().drain().map(|(_, s)| s).collect();
        for server in servers {
            if let Some(inst) = server.current.lock().await.take() {
                inst.stop();
            }
        }
    }

    pub fn server(&self, launch: Launch) -> Arc<Server> {
        let key = launch.key();
        self.servers.lock().unwrap().entry(key.clone()).or_insert_with(|| Arc::new(Server::new(launch, key))).clone()
    }
}

/// One supervised server: at most one live [`Instance`] at a time.
pub struct Server {
    launch: Launch,
    key: String,
    current: tokio::sync::Mutex<Option<Arc<Instance>>>,
    generation: AtomicU64,
    fast_crashes: AtomicU32,
}

impl Server {
    fn new(launch: Launch, key: String) -> Self {
        Server {
            launch,
            key,
            current: tokio::sync::Mutex::new(None),
            generation: AtomicU64::new(0),
            fast_crashes: AtomicU32::new(0),
        }
    }

    /// The running instance, started (or restarted) if there is none.
    pub async fn instance(self: &Arc<Self>) -> Result<Arc<Instance>, String> {
        let mut current = self.current.lock().await;
        if let Some(inst) = current.as_ref().filter(|i| i.alive()) {
            return Ok(inst.clone());
        }
        *current = None;
        // A second try covers losing the free port to someone else between probe and bind.
        let mut last = String::new();
        for _ in 0..2 {
            match self.spawn().await {
                Ok(inst) => {
                    *current = Some(inst.clone());
                    return Ok(inst);
                }
                Err(err) => last = err,
            }
        }
        Err(last)
    }

    async fn spawn(self: &Arc<Self>) -> Result<Arc<Instance>, String> {
        let launch = &self.launch;
        let io = |what: &str, e: std::io::Error| format!("{what}: {e}");
        std::fs::create_dir_all(&launch.dir).map_err(|e| io(&launch.dir.display().to_string(), e))?;
        for (key, value) in &launch.env {
            if key == "HOME" || key.starts_with("XDG_") && key.ends_with("_HOME") {
                std::fs::create_dir_all(value).map_err(|e| io(value, e))?;
            }
        }
        let config_path = launch.config_path();
        let config = serde_json::to_vec_pretty(&launch.config).expect("config serializes");
        // Readable by the daemon's user only: MCP servers' env and headers are secrets.
        crate::process::write_private(&config_path, &config).map_err(|e| io(&config_path.display().to_string(), e))?;
        let port = free_port().map_err(|e| io("no free loopback port", e))?;
        let args: Vec<String> =
            ["serve", "--port", &port.to_string(), "--hostname", "127.0.0.1"].map(String::from).to_vec();
        let mut env = launch.env.clone();
        env.push(("OPENCODE_CONFIG".into(), config_path.display().to_string()));
        let mut proc = SpawnSpec::new("opencode serve", &launch.binary, &launch.dir)
            .args(args)
            .env(env)
            .spawn()
            .map_err(|e| format!("{}: {e}", launch.binary.display()))?;
        // stdout is a banner and logs, never events; keep it with stderr for exit reports.
        proc.drain_stdout(|line| tracing::debug!(target: "opencode", "{line}"));
        let base = format!("http://127.0.0.1:{port}");
        let http = super::http::client();
        let pid = proc.pid();
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = proc.try_wait() {
                let report = proc.exit_report().await;
                let last = report.stderr.last_line().unwrap_or_default();
                return Err(format!("opencode serve exited while starting ({status}): {last}"));
            }
            // Only opencode's own answer counts: the probed port was free a moment ago, and another
            // server that took it since (a test's model stub, another daemon) answers too. Ours
            // then exits on the taken port, and `instance` tries again on another.
            if healthy(&http, &base).await {
                break;
            }
            if Instant::now() > deadline {
                proc.kill().await;
                return Err(format!("opencode serve did not answer on {base} within {} s", STARTUP_TIMEOUT.as_secs()));
            }
            // The poll interval of the health check (bounded by the deadline above).
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        tracing::info!(key = %self.key, %base, pid, generation, "opencode serve is up");
        let (stop_tx, stop_rx) = oneshot::channel();
        let inst = Arc::new(Instance {
            base,
            http,
            dead: watch::channel(None).0,
            subs: Mutex::new(HashMap::new()),
            opening: tokio::sync::Mutex::new(()),
            stop: Mutex::new(Some(stop_tx)),
            pid,
        });
        let started = Instant::now();
        tokio::spawn(supervise(Arc::downgrade(self), Arc::downgrade(&inst), proc, stop_rx, started));
        Ok(inst)
    }

    /// The process died on its own: restart it (with backoff) unless it keeps dying at once.
    fn crashed(self: Arc<Self>, lived: Duration) {
        let crashes = if lived < FAST_CRASH {
            self.fast_crashes.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            self.fast_crashes.store(1, Ordering::SeqCst);
            1
        };
        if crashes > MAX_FAST_CRASHES {
            tracing::warn!(key = %self.key, crashes, "opencode serve keeps crashing; not restarting until a session needs it");
            return;
        }
        let delay = Duration::from_millis(250u64 << (crashes - 1).min(7));
        let weak = Arc::downgrade(&self);
        drop(self);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let Some(server) = weak.upgrade() else { return };
            if let Err(err) = server.instance().await {
                tracing::warn!(key = %server.key, %err, "could not restart opencode serve");
            }
        });
    }
}

/// Wait for the process to end; report the death to its sessions and restart it. Dropping the
/// instance (its `Server` went away) kills the process group instead.
async fn supervise(
    server: Weak<Server>,
    inst: Weak<Instance>,
    mut proc: Process,
    stop: oneshot::Receiver<()>,
    started: Instant,
) {
    tokio::select! {
        _ = proc.wait() => {}
        _ = stop => {
            proc.kill().await;
            return;
        }
    };
    // Whatever the server started (tool processes) goes with it.
    let report = proc.exit_report().await;
    tracing::warn!(pid = proc.pid(), "{}", report.message);
    let exit = process::agent_exit(report, true);
    if let Some(inst) = inst.upgrade() {
        inst.died(exit);
    }
    if let Some(server) = server.upgrade() {
        server.crashed(started.elapsed());
    }
}

/// `GET /global/health` answered `{"healthy": true, …}` (opencode's health route).
async fn healthy(http: &reqwest::Client, base: &str) -> bool {
    let probe = http.get(format!("{base}/global/health")).timeout(Duration::from_secs(2)).send().await;
    let Ok(response) = probe.and_then(|r| r.error_for_status()) else { return false };
    response.json::<serde_json::Value>().await.is_ok_and(|v| v["healthy"] == true)
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// One running `opencode serve`.
pub struct Instance {
    pub base: String,
    pub http: reqwest::Client,
    /// Set once the process is gone.
    dead: watch::Sender<Option<AgentExit>>,
    subs: Mutex<HashMap<PathBuf, Arc<Subscription>>>,
    /// Serializes opening subscriptions (one stream per directory).
    opening: tokio::sync::Mutex<()>,
    /// Sent (or dropped with the instance): tells the supervisor to kill the process.
    stop: Mutex<Option<oneshot::Sender<()>>>,
    pid: Option<u32>,
}

impl Instance {
    /// Stop the server now (daemon shutdown): the supervisor does not restart it.
    pub fn stop(&self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
        // At once too, in case the daemon exits before the supervisor runs again.
        kill_group(self.pid);
    }

    pub fn alive(&self) -> bool {
        self.dead.borrow().is_none()
    }

    fn died(&self, exit: AgentExit) {
        self.dead.send_replace(Some(exit.clone()));
        let subs: Vec<Arc<Subscription>> = self.subs.lock().unwrap().drain().map(|(_, s)| s).collect();
        for sub in subs {
            sub.lose(exit.clone());
        }
    }

    /// The event stream of `directory`'s project, opened if needed.
    pub async fn subscribe(self: &Arc<Self>, directory: &Path) -> Result<Arc<Subscription>, String> {
        let _opening = self.opening.lock().await;
        if let Some(sub) = self.subs.lock().unwrap().get(directory).filter(|s| !s.is_closed()) {
            return Ok(sub.clone());
        }
        if !self.alive() {
            return Err("the OpenCode server is gone".into());
        }
        let dir = directory.display().to_string();
        let resp = self
            .http
            .get(format!("{}/event", self.base))
            .query(&[("directory", &dir)])
            .header("accept", "text/event-stream")
            .send()
            .await
            .map_err(|e| format!("GET /event: {e}"))?;
        if !resp.status().is_success() {
            return Err(format!("GET /event: HTTP {}", resp.status()));
        }
        let mut stream = Box::pin(resp.bytes_stream().eventsource());
        let mut sub = Subscription::new(directory.to_path_buf());
        sub.http = Some(Http::new(self.http.clone(), &self.base, &dir));
        let sub = Arc::new(sub);
        // The server subscribes to its bus as it sends the first event (`server.connected`);
        // a prompt sent after it is seen cannot lose its events.
        match tokio::time::timeout(SUBSCRIBE_TIMEOUT, stream.next()).await {
            Ok(Some(Ok(first))) => sub.route(&first.data),
            Ok(Some(Err(e))) => return Err(format!("GET /event: {e}")),
            Ok(None) => return Err("GET /event ended at once".into()),
            Err(_) => return Err(format!("GET /event sent nothing within {} s", SUBSCRIBE_TIMEOUT.as_secs())),
        }
        tokio::spawn(read_events(sub.clone(), stream, self.dead.subscribe()));
        self.subs.lock().unwrap().insert(directory.to_path_buf(), sub.clone());
        Ok(sub)
    }
}

async fn read_events<S, E>(sub: Arc<Subscription>, mut stream: S, mut dead: watch::Receiver<Option<AgentExit>>)
where
    S: Stream<Item = Result<eventsource_stream::Event, E>> + Unpin,
    E: std::fmt::Display,
{
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            // The last session left: close the stream (nobody to tell).
            _ = sub.stop.notified() => return,
        };
        match frame {
            Some(Ok(ev)) if ev.data.is_empty() => {}
            Some(Ok(ev)) => sub.route(&ev.data),
            Some(Err(err)) => {
                tracing::warn!(directory = %sub.directory.display(), %err, "opencode event stream broke");
                break;
            }
            None => break,
        }
    }
    // The stream ends when the process dies; report that death rather than the symptom.
    let exit = match tokio::time::timeout(Duration::from_secs(2), dead.wait_for(|d| d.is_some())).await {
        Ok(Ok(exit)) => exit.clone().expect("waited for Some"),
        _ => AgentExit {
            exit_code: None,
            message: "the OpenCode event stream ended".into(),
            stderr: None,
            resumable: true,
        },
    };
    sub.lose(exit);
}

/// What a session receives from its subscription.
#[derive(Debug)]
pub enum Routed {
    Event(Value),
    /// The stream or the server is gone; nothing more will come.
    Lost(AgentExit),
}

type Route = mpsc::UnboundedSender<Routed>;

#[derive(Default)]
struct Routes {
    closed: bool,
    /// OpenCode session id → (the daemon session's own OpenCode id, its channel). Subagent
    /// sessions map to their root session's channel.
    map: HashMap<String, (String, Route)>,
}

/// One `/event` stream, demultiplexed to sessions. It closes when its last session leaves,
/// and OpenCode's instance for the directory is disposed of (`POST /instance/dispose`), so
/// finished sessions leave neither a stream nor a loaded project behind.
pub struct Subscription {
    directory: PathBuf,
    routes: Mutex<Routes>,
    stop: Notify,
    /// For disposing of the project instance (None in unit tests).
    http: Option<Http>,
}

impl Subscription {
    pub fn new(directory: PathBuf) -> Self {
        Subscription { directory, routes: Mutex::new(Routes::default()), stop: Notify::new(), http: None }
    }

    pub fn is_closed(&self) -> bool {
        self.routes.lock().unwrap().closed
    }

    /// Receive the events of OpenCode session `session` (and of its subagents) until the guard
    /// is dropped. None when the stream has already ended.
    pub fn register(self: &Arc<Self>, session: &str) -> Option<(mpsc::UnboundedReceiver<Routed>, RouteGuard)> {
        let mut routes = self.routes.lock().unwrap();
        if routes.closed {
            return None;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        routes.map.insert(session.to_string(), (session.to_string(), tx));
        Some((rx, RouteGuard { sub: self.clone(), owner: session.to_string() }))
    }

    /// Deliver one event (the SSE `data`).
    pub fn route(&self, data: &str) {
        // Not JSON: still delivered, so the converter reports it as unparsed.
        let value: Value = serde_json::from_str(data).unwrap_or_else(|_| Value::String(data.to_string()));
        let ty = value.get("type").and_then(Value::as_str).unwrap_or("").to_string();
        let mut routes = self.routes.lock().unwrap();
        match session_of(&value).map(str::to_string) {
            Some(session) => {
                if let Some((_, tx)) = routes.map.get(&session) {
                    let _ = tx.send(Routed::Event(value));
                    return;
                }
                // A subagent session (the `task` tool) of one of ours: route it to the root.
                let parent = value.pointer("/properties/info/parentID").and_then(Value::as_str);
                if let (true, Some(parent)) = (ty == "session.created", parent) {
                    if let Some((owner, tx)) = routes.map.get(parent).cloned() {
                        let _ = tx.send(Routed::Event(value));
                        routes.map.insert(session, (owner, tx));
                    }
                }
                // Otherwise another session's event (not one of this daemon's sessions).
            }
            None if is_global_noise(&ty) => {}
            None => {
                // Sessionless and unknown: every session gets it (and reports it unparsed).
                for (id, (owner, tx)) in &routes.map {
                    if id == owner {
                        let _ = tx.send(Routed::Event(value.clone()));
                    }
                }
            }
        }
    }

    fn lose(&self, exit: AgentExit) {
        let mut routes = self.routes.lock().unwrap();
        routes.closed = true;
        for (id, (owner, tx)) in routes.map.drain() {
            if id == owner {
                let _ = tx.send(Routed::Lost(exit.clone()));
            }
        }
    }
}

/// Unregisters a session (and its subagents) from its subscription when dropped.
pub struct RouteGuard {
    sub: Arc<Subscription>,
    owner: String,
}

impl Drop for RouteGuard {
    fn drop(&mut self) {
        let mut routes = self.sub.routes.lock().unwrap();
        routes.map.retain(|_, (owner, _)| *owner != self.owner);
        if !routes.map.is_empty() || routes.closed {
            return;
        }
        routes.closed = true;
        self.sub.stop.notify_one();
        if let (Some(http), Ok(rt)) = (self.sub.http.clone(), tokio::runtime::Handle::try_current()) {
            rt.spawn(async move {
                if let Err(err) = http.post("/instance/dispose", None, Duration::from_secs(5)).await {
                    tracing::debug!(directory = %http.directory, %err, "could not dispose of the OpenCode instance");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn drain(rx: &mut mpsc::UnboundedReceiver<Routed>) -> Vec<Value> {
        let mut out = Vec::new();
        while let Ok(Routed::Event(v)) = rx.try_recv() {
            out.push(v);
        }
        out
    }

    #[test]
    fn routes_by_session_including_subagents() {
        let sub = Arc::new(Subscription::new("/w".into()));
        let (mut a, guard_a) = sub.register("ses_a").unwrap();
        let (mut b, _guard_b) = sub.register("ses_b").unwrap();
        let ev = |ty: &str, sid: &str| json!({"type": ty, "properties": {"sessionID": sid}}).to_string();
        sub.route(&ev("session.status", "ses_a"));
        sub.route(&ev("session.status", "ses_b"));
        sub.route(&ev("session.status", "ses_other"));
        // A subagent of a: its creation registers it, its events follow a.
        sub.route(
            &json!({"type": "session.created", "properties": {"info": {"id": "ses_child", "parentID": "ses_a"}}})
                .to_string(),
        );
        sub.route(&ev("message.part.delta", "ses_child"));
        // Global noise is dropped; unknown sessionless events go to everyone.
        sub.route(&json!({"type": "plugin.added", "properties": {"id": "x"}}).to_string());
        sub.route(&json!({"type": "brand.new", "properties": {}}).to_string());
        sub.route("not json");
        let got_a: Vec<String> =
            drain(&mut a).iter().map(|v| v.get("type").and_then(Value::as_str).unwrap_or("?").to_string()).collect();
        assert_eq!(got_a, ["session.status", "session.created", "message.part.delta", "brand.new", "?"]);
        assert_eq!(drain(&mut b).len(), 3, "b: its status, brand.new, not json");
        // Dropping a's guard removes a and its subagent.
        drop(guard_a);
        sub.route(&ev("message.part.delta", "ses_child"));
        assert!(sub.routes.lock().unwrap().map.keys().all(|k| k == "ses_b"));
        assert!(!sub.is_closed());
        // Losing the stream tells every session once and refuses new ones.
        sub.lose(AgentExit { exit_code: Some(1), message: "gone".into(), stderr: None, resumable: true });
        assert!(matches!(b.try_recv(), Ok(Routed::Lost(exit)) if exit.message == "gone"));
        assert!(sub.register("ses_c").is_none());
    }

    #[test]
    fn the_last_session_leaving_closes_the_stream() {
        let sub = Arc::new(Subscription::new("/w".into()));
        let (_a, guard_a) = sub.register("ses_a").unwrap();
        let (_b, guard_b) = sub.register("ses_b").unwrap();
        drop(guard_a);
        assert!(!sub.is_closed());
        drop(guard_b);
        assert!(sub.is_closed());
        assert!(sub.register("ses_c").is_none(), "a new session opens a new stream");
    }

    #[test]
    fn launch_key_is_stable_and_covers_env_and_config() {
        let launch = Launch {
            binary: "/bin/opencode".into(),
            env: vec![("A".into(), "1".into())],
            dir: "/d".into(),
            config: json!({"x": 1}),
        };
        assert_eq!(launch.key(), launch.clone().key());
        assert_eq!(launch.key().len(), 16);
        let mut other = launch.clone();
        other.env[0].1 = "2".into();
        assert_ne!(launch.key(), other.key());
        let mut other = launch.clone();
        other.config = json!({"x": 2});
        assert_ne!(launch.key(), other.key());
        assert!(launch.config_path().starts_with("/d"));
    }
}
