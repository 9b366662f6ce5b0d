use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use sandbox_agent_server::config::{
    default_data_dir, CorsConfig, StoreConfig, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_SESSIONS, DEFAULT_PORT,
    DEFAULT_STALL_TIMEOUT, DEFAULT_TURN_TIMEOUT,
};
use sandbox_agent_server::ServerConfig;

#[derive(Args)]
pub struct ServerArgs {
    #[arg(short = 'H', long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// 0 picks a free port; the bound address is printed as `listening on http://…`.
    #[arg(short, long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Bearer token every /v1 request (but health) must carry.
    #[arg(short, long, env = "SANDBOX_AGENT_TOKEN", hide_env_values = true, conflicts_with = "no_token")]
    token: Option<String>,
    /// Run without auth (must be explicit).
    #[arg(short, long)]
    no_token: bool,
    /// Where sessions, events and agent workspaces live [default: $XDG_DATA_HOME/sandbox-agent, else ~/.local/share/sandbox-agent].
    #[arg(short, long, env = "SANDBOX_AGENT_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Where sessions and events are kept: `sqlite` (a file in the data dir) or `memory` (lost when the daemon stops).
    #[arg(long, env = "SANDBOX_AGENT_STORE", value_enum, default_value_t = StoreKind::Sqlite)]
    store: StoreKind,
    /// Join a cluster: the NATS server (with JetStream) the nodes share, `nats://HOST:PORT`. Sessions and events are kept there
    /// (not in --store); any node serves any session. See docs/cluster.md.
    #[arg(long, env = "SANDBOX_AGENT_CLUSTER", value_name = "URL", requires = "node_id")]
    cluster: Option<String>,
    /// This node's id in the cluster (letters, digits, '-', '_'); unique per node, the same across its restarts.
    #[arg(long, env = "SANDBOX_AGENT_NODE_ID", value_name = "ID")]
    node_id: Option<String>,
    /// Names the cluster's streams and buckets on the NATS server (several clusters may share one).
    #[arg(long, env = "SANDBOX_AGENT_CLUSTER_PREFIX", default_value = "sandbox-agent", value_name = "P")]
    cluster_prefix: String,
    /// A session's lease lasts this long unless renewed: how soon another node takes over a dead node's sessions.
    #[arg(long, default_value_t = 15_000)]
    lease_ttl_ms: u64,
    /// Allowed CORS origin (repeatable). CORS is off unless a --cors-* flag is given.
    #[arg(short = 'O', long)]
    cors_allow_origin: Vec<String>,
    #[arg(short = 'M', long)]
    cors_allow_method: Vec<String>,
    #[arg(short = 'A', long)]
    cors_allow_header: Vec<String>,
    #[arg(short = 'C', long)]
    cors_allow_credentials: bool,
    /// Largest request body accepted (413 beyond).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Most sessions that are not ended at once (429 beyond).
    #[arg(long, default_value_t = DEFAULT_MAX_SESSIONS)]
    max_sessions: usize,
    /// Interval of `: ping` comments on idle SSE streams.
    #[arg(long, default_value_t = 15_000)]
    sse_ping_ms: u64,
    /// How long `interrupt` waits for the turn to end.
    #[arg(long, default_value_t = 10_000)]
    interrupt_timeout_ms: u64,
    /// Where agent binaries are installed [default: $SANDBOX_AGENT_AGENTS_DIR, else <data dir>/agents].
    #[arg(long)]
    agents_dir: Option<PathBuf>,
    /// An agent's binary, found before the install dir and PATH (repeatable): `claude=/opt/claude`.
    #[arg(long = "agent-bin", value_name = "ID=PATH", value_parser = parse_agent_bin)]
    agent_bin: Vec<(String, PathBuf)>,
    /// Agents defined in configuration (ACP agents; a TOML file) [default: <data dir>/agents.toml if it exists].
    #[arg(long, value_name = "FILE")]
    agent_config: Option<PathBuf>,
    /// Longest a turn may run before it is interrupted (0: no limit).
    #[arg(long, default_value_t = DEFAULT_TURN_TIMEOUT.as_millis() as u64)]
    turn_timeout_ms: u64,
    /// Longest a turn may go without agent output, outside waits for a human (0: no limit).
    #[arg(long, default_value_t = DEFAULT_STALL_TIMEOUT.as_millis() as u64)]
    stall_timeout_ms: u64,
    /// Pause between mock agent events (0: as fast as possible).
    #[arg(long, default_value_t = 0)]
    mock_pacing_ms: u64,
    /// Honour `isolate: false` in `POST /v1/run` (commands then run without the sandbox).
    #[arg(long)]
    allow_unisolated_run: bool,
    /// One-shot runs at once; more wait, then get a 429 [default: cores × 2].
    #[arg(long)]
    max_runs: Option<usize>,
    /// How long a run waits for a slot before it is refused with a 429.
    #[arg(long, default_value_t = 30_000)]
    run_queue_timeout_ms: u64,
    /// The most a run's `timeoutMs` may ask for.
    #[arg(long, default_value_t = 600_000)]
    max_run_timeout_ms: u64,
    /// Shut down gracefully when stdin closes: a parent that holds the pipe (the TypeScript SDK's
    /// embedded mode) takes the daemon with it however it dies, SIGKILL included.
    #[arg(long)]
    exit_on_stdin_close: bool,
    /// A directory the files API may reach with the daemon token, beside the session workspaces
    /// (repeatable).
    #[arg(long = "fs-root", value_name = "DIR")]
    fs_root: Vec<PathBuf>,
    /// Largest file `GET|PUT /v1/fs/file` moves, and the most one upload batch unpacks.
    #[arg(long, default_value_t = sandbox_agent_server::config::DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Terminals running at once in one session; more are refused with a 429.
    #[arg(long, default_value_t = 8)]
    max_terminals: usize,
    /// The agent of sessions created through the Coder Hub surface (`/api/hub`) whose `agent`
    /// names none of ours (a Hub role such as `lead`, or nothing).
    #[arg(long, default_value = "claude")]
    coder_agent: String,
}

fn parse_agent_bin(arg: &str) -> Result<(String, PathBuf), String> {
    match arg.split_once('=') {
        Some((id, path)) if !id.is_empty() && std::path::Path::new(path).is_absolute() => {
            Ok((id.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("expected ID=/absolute/path, got {arg:?}")),
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StoreKind {
    Sqlite,
    Memory,
}

pub async fn run(args: ServerArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        // A parent that died took our stderr with it: reporting the failed write to stderr
        // again would panic the logging thread. Logs are lost then; the daemon goes on.
        .log_internal_errors(false)
        .init();
    if args.token.is_none() && !args.no_token {
        eprintln!("error: give --token <TOKEN> (or SANDBOX_AGENT_TOKEN), or --no-token to run without auth");
        return ExitCode::from(2);
    }
    let mut config = ServerConfig::new(args.data_dir.unwrap_or_else(default_data_dir), args.token);
    if let StoreKind::Memory = args.store {
        config.store = StoreConfig::Memory;
    }
    config.host = args.host;
    config.port = args.port;
    config.cors = CorsConfig {
        allow_origins: args.cors_allow_origin,
        allow_methods: args.cors_allow_method,
        allow_headers: args.cors_allow_header,
        allow_credentials: args.cors_allow_credentials,
    };
    config.max_body_bytes = args.max_body_bytes;
    config.max_sessions = args.max_sessions;
    config.sse_ping_interval = Duration::from_millis(args.sse_ping_ms.max(1));
    config.interrupt_timeout = Duration::from_millis(args.interrupt_timeout_ms);
    config.mock_pacing = Duration::from_millis(args.mock_pacing_ms);
    let limit = |ms: u64| (ms > 0).then(|| Duration::from_millis(ms));
    config.turn_timeout = limit(args.turn_timeout_ms);
    config.stall_timeout = limit(args.stall_timeout_ms);
    if let Some(dir) = args.agents_dir {
        config.agents_dir = dir;
    }
    config.agent_bins = args.agent_bin.into_iter().collect();
    config.agent_config = args.agent_config;
    config.run.allow_unisolated = args.allow_unisolated_run;
    if let Some(max) = args.max_runs {
        config.run.max_runs = max.max(1);
    }
    config.run.max_timeout = Duration::from_millis(args.max_run_timeout_ms.max(1));
    config.run.queue_timeout = Duration::from_millis(args.run_queue_timeout_ms);
    config.exit_on_stdin_close = args.exit_on_stdin_close;
    config.fs_roots = args.fs_root;
    config.max_file_bytes = args.max_file_bytes;
    config.max_terminals = args.max_terminals.max(1);
    config.coder_agent = args.coder_agent;
    if let (Some(url), Some(node_id)) = (args.cluster, args.node_id) {
        config.cluster = Some(sandbox_agent_server::config::ClusterConfig {
            url,
            node_id,
            prefix: args.cluster_prefix,
            lease_ttl: Duration::from_millis(args.lease_ttl_ms.max(300)),
            max_sessions: args.max_sessions,
        });
    }
    match sandbox_agent_server::serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
