//! The sandbox-agent daemon: session manager, HTTP routes, SSE, auth and errors.
//!
//! Start with [`serve`]; [`router`] builds the axum app for a prepared [`App`].

mod acp;
mod auth;
mod cluster;
pub mod config;
pub mod error;
mod hub;
mod models;
pub mod openapi;
mod routes;
mod sse;
mod ui;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::Router;
use sandbox_agent_agents::{configured_agents, AgentRegistry, AgentsConfig};
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

pub use config::ServerConfig;
pub use openapi::openapi_json;
use sandbox_agent_sessions::SessionManager;

pub struct App {
    pub config: ServerConfig,
    pub agents: AgentRegistry,
    pub sessions: Arc<SessionManager>,
    /// This node's cluster (`--cluster`), if it is one.
    pub cluster: Option<Arc<sandbox_agent_cluster::Cluster>>,
    pub models: models::ModelCache,
    pub openapi: serde_json::Value,
    pub scopes: auth::Scopes,
    pub runner: Arc<sandbox_agent_runner::Runner>,
    pub terminals: sandbox_agent_terminals::Terminals,
    pub acp: acp::AcpServers,
}

pub type AppState = Arc<App>;

fn sessions_valid_id(id: &str) -> bool {
    sandbox_agent_sessions::validate_session_id(id).is_ok()
}

impl App {
    /// Open the store under the data dir and reload its sessions.
    pub async fn open(config: ServerConfig) -> anyhow::Result<AppState> {
        std::fs::create_dir_all(&config.data_dir)?;
        let cluster = match &config.cluster {
            Some(cluster) => Some(sandbox_agent_cluster::Cluster::connect(cluster.clone()).await?),
            None => None,
        };
        let store = match &cluster {
            Some(cluster) => cluster.store(),
            None => sandbox_agent_store::open(&config.store)?,
        };
        let limits = sandbox_agent_sessions::Limits {
            turn_timeout: config.turn_timeout,
            stall_timeout: config.stall_timeout,
            interrupt_grace: config.interrupt_timeout,
        };
        let default_config = config.data_dir.join("agents.toml");
        let agent_config = config.agent_config.clone().or_else(|| default_config.exists().then_some(default_config));
        let agents = configured_agents(
            &AgentsConfig {
                agents_dir: config.agents_dir.clone(),
                mock_pacing: config.mock_pacing,
                binaries: config.agent_bins.clone(),
                search_path: config.search_path.clone(),
            },
            agent_config.as_deref(),
        )
        .map_err(anyhow::Error::msg)?;
        let runner = Arc::new(sandbox_agent_runner::Runner::new(sandbox_agent_runner::RunnerConfig {
            scratch: config.data_dir.join("runs"),
            path: config.search_path.clone(),
            allow_unisolated: config.run.allow_unisolated,
            max_runs: config.run.max_runs,
            queue_timeout: config.run.queue_timeout,
            max_timeout: config.run.max_timeout,
        }));
        let (dir, max) = (config.data_dir.clone(), config.max_sessions);
        // On a cluster node every session is followed; the coordinator adopts this node's.
        let follow = cluster.is_some();
        let sessions = Arc::new(
            SessionManager::open(store, agents.clone(), dir, max, limits, Some(runner.clone()), follow).await?,
        );
        let openapi = serde_json::from_str(&openapi_json())?;
        let scopes = auth::Scopes::from_openapi(&openapi);
        let models = models::ModelCache::new(config.data_dir.clone());
        let terminals = sandbox_agent_terminals::Terminals::new(config.max_terminals);
        Ok(Arc::new(App {
            config,
            agents,
            sessions,
            cluster,
            models,
            openapi,
            scopes,
            runner,
            terminals,
            acp: Default::default(),
        }))
    }
}

pub fn router(state: AppState) -> Router {
    let (api, _) = routes::api().split_for_parts();
    // Authorized here first, then (on a cluster node) sent where the session runs.
    let mut app = api
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), cluster::forward))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::authorize));
    for mount in hub::MOUNTS {
        app = app.nest(mount, hub::router(&state));
    }
    let mut app = app
        .merge(ui::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes));
    if state.config.cors.enabled() {
        app = app.layer(cors_layer(&state.config.cors));
    }
    app.with_state(state)
}

fn cors_layer(cors: &config::CorsConfig) -> CorsLayer {
    let origins = if cors.allow_origins.is_empty() {
        AllowOrigin::mirror_request()
    } else {
        AllowOrigin::list(cors.allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    let methods = if cors.allow_methods.is_empty() {
        AllowMethods::mirror_request()
    } else {
        AllowMethods::list(cors.allow_methods.iter().filter_map(|m| Method::from_bytes(m.as_bytes()).ok()))
    };
    let headers = if cors.allow_headers.is_empty() {
        AllowHeaders::mirror_request()
    } else {
        AllowHeaders::list(cors.allow_headers.iter().filter_map(|h| HeaderName::from_bytes(h.as_bytes()).ok()))
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods(methods)
        .allow_headers(headers)
        .allow_credentials(cors.allow_credentials)
}

/// Run the daemon until SIGINT/SIGTERM. Prints `listening on http://ADDR` on stdout once the
/// socket is bound (with `--port 0` that is how callers learn the port).
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    let state = App::open(config).await?;
    let signal = shutdown_signal(state.config.exit_on_stdin_close)?;
    let listener = tokio::net::TcpListener::bind((state.config.host, state.config.port)).await?;
    let addr = listener.local_addr()?;
    // SSE writes small frames: without TCP_NODELAY, a frame written while the previous one is
    // unacknowledged waits for the client's delayed ACK (~40 ms on a reused connection).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "TCP_NODELAY not set");
        }
    });
    let app = router(state.clone());
    if let Some(cluster) = &state.cluster {
        // Forwarded requests are answered before the node is announced to the others (its
        // heartbeats) or takes sessions over (the coordinator).
        cluster.serve(cluster::handler(app.clone())).await?;
        sandbox_agent_cluster::coordinator::spawn(cluster.clone(), state.sessions.clone());
    }
    println!("listening on http://{addr}");
    tracing::info!(%addr, data_dir = %state.config.data_dir.display(), inspector = %format!("http://{addr}/ui/"), "sandbox-agent listening");
    let closing = state.clone();
    let shutdown = async move {
        signal.await;
        closing.sessions.close_streams();
    };
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    state.sessions.suspend_all().await;
    state.sessions.flush(std::time::Duration::from_secs(5)).await;
    if let Some(cluster) = &state.cluster {
        // The other nodes take this one's sessions over at once rather than at the lease's end.
        cluster.leases().release_all().await;
    }
    Ok(())
}

/// Resolves at the first SIGINT or SIGTERM, or, with `stdin`, when stdin reaches its end. The
/// handlers are installed when this is called, not when the future is first polled: axum polls it
/// from a task of its own, and a signal that came before that poll would kill the process with its
/// default action.
///
/// A parent that cannot set a parent-death signal (Node's `spawn`) holds the write end of our
/// stdin instead: the kernel closes it however the parent dies, even by SIGKILL.
fn shutdown_signal(stdin: bool) -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    // A plain thread, not tokio's stdin: a blocking read cannot be cancelled, and tokio would wait
    // for it at runtime shutdown. A detached thread does not hold the process.
    // Without `stdin`, `closed` is dropped here and the `eof` branch below is never taken.
    let (closed, eof) = tokio::sync::oneshot::channel::<()>();
    if stdin {
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            // Whatever the parent writes is ignored; only the end of the pipe (or an error) counts.
            while matches!(std::io::Read::read(&mut std::io::stdin(), &mut buf), Ok(1..)) {}
            let _ = closed.send(());
            tracing::info!("stdin closed: shutting down");
        });
    }
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
            Ok(()) = eof => {}
        }
    })
}
