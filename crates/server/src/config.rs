use std::collections::BTreeMap;
use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use sandbox_agent_cluster::ClusterConfig;
pub use sandbox_agent_store::StoreConfig;

/// Everything `sandbox-agent server` can be told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub host: IpAddr,
    /// 0 picks a free port (the bound address is printed on stdout).
    pub port: u16,
    /// None only with an explicit `--no-token`.
    pub token: Option<String>,
    pub data_dir: PathBuf,
    /// Where sessions and events are kept (default: SQLite under `data_dir`).
    pub store: StoreConfig,
    pub cors: CorsConfig,
    pub max_body_bytes: usize,
    pub max_sessions: usize,
    pub sse_ping_interval: Duration,
    /// How long `interrupt` waits for the turn to end (also the grace an agent gets to end a
    /// timed-out turn).
    pub interrupt_timeout: Duration,
    /// Longest a turn may run (None: no limit).
    pub turn_timeout: Option<Duration>,
    /// Longest a turn may go without agent output, outside waits for a human (None: no limit).
    pub stall_timeout: Option<Duration>,
    /// Pause between mock agent events.
    pub mock_pacing: Duration,
    /// Where agent binaries are installed (default: `$SANDBOX_AGENT_AGENTS_DIR`, else
    /// `<data_dir>/agents`).
    pub agents_dir: PathBuf,
    /// Explicit agent binaries by id (`--agent-bin ID=PATH`), found before the install dir and
    /// `PATH`.
    pub agent_bins: BTreeMap<String, PathBuf>,
    /// Agents defined in configuration (`--agent-config`); default `<data_dir>/agents.toml`
    /// when it exists.
    pub agent_config: Option<PathBuf>,
    /// Where agents not installed by us are looked for (default: the daemon's `PATH`).
    pub search_path: Option<OsString>,
    pub run: RunConfig,
    /// More directories the files API may reach with the daemon token (beside the workspaces
    /// under `data_dir/sessions`).
    pub fs_roots: Vec<PathBuf>,
    /// Largest file `GET|PUT /v1/fs/file` moves, and the most an upload batch unpacks.
    pub max_file_bytes: u64,
    /// Terminals running at once per session.
    pub max_terminals: usize,
    /// The agent of Coder Hub sessions whose `agent` names none of ours (`--coder-agent`).
    pub coder_agent: String,
    /// Shut down when stdin reaches its end (`--exit-on-stdin-close`: the parent's lifeline).
    pub exit_on_stdin_close: bool,
    /// Join a cluster through NATS JetStream (`--cluster`): the store is the cluster's, and
    /// `store` is ignored.
    pub cluster: Option<sandbox_agent_cluster::ClusterConfig>,
}

/// One-shot runs (`POST /v1/run`).
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// `isolate: false` is honoured only with this (`--allow-unisolated-run`).
    pub allow_unisolated: bool,
    /// Runs at once (`--max-runs`, default: cores × 2).
    pub max_runs: usize,
    /// How long a run waits for a slot before a 429.
    pub queue_timeout: Duration,
    /// The most `timeoutMs` may ask for (`--max-run-timeout-ms`).
    pub max_timeout: Duration,
}

impl Default for RunConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        RunConfig {
            allow_unisolated: false,
            max_runs: cores * 2,
            queue_timeout: Duration::from_secs(30),
            max_timeout: Duration::from_secs(10 * 60),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CorsConfig {
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub allow_credentials: bool,
}

impl CorsConfig {
    pub fn enabled(&self) -> bool {
        !self.allow_origins.is_empty()
            || !self.allow_methods.is_empty()
            || !self.allow_headers.is_empty()
            || self.allow_credentials
    }
}

pub const DEFAULT_PORT: u16 = 2468;
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_MAX_SESSIONS: usize = 4096;
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
pub const DEFAULT_TURN_TIMEOUT: Duration = Duration::from_secs(60 * 60);
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(10 * 60);

impl ServerConfig {
    pub fn new(data_dir: PathBuf, token: Option<String>) -> Self {
        ServerConfig {
            agents_dir: sandbox_agent_agents::install::default_root(&data_dir),
            host: IpAddr::from([127, 0, 0, 1]),
            port: DEFAULT_PORT,
            token,
            store: StoreConfig::Sqlite { path: data_dir.join("sandbox-agent.db") },
            data_dir,
            cors: CorsConfig::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_sessions: DEFAULT_MAX_SESSIONS,
            sse_ping_interval: Duration::from_secs(15),
            interrupt_timeout: Duration::from_secs(10),
            turn_timeout: Some(DEFAULT_TURN_TIMEOUT),
            stall_timeout: Some(DEFAULT_STALL_TIMEOUT),
            mock_pacing: Duration::ZERO,
            agent_bins: BTreeMap::new(),
            agent_config: None,
            search_path: std::env::var_os("PATH"),
            run: RunConfig::default(),
            exit_on_stdin_close: false,
            max_terminals: 8,
            coder_agent: "claude".to_string(),
            fs_roots: Vec::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            cluster: None,
        }
    }
}

/// `$XDG_DATA_HOME/sandbox-agent`, else `~/.local/share/sandbox-agent`, else `./.sandbox-agent`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("sandbox-agent");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(home).join(".local/share/sandbox-agent");
    }
    PathBuf::from(".sandbox-agent")
}
