//! OpenCode: sessions on a shared, supervised `opencode serve` (see `server.rs`), driven over
//! its HTTP API (`POST /session`, `prompt_async`, `abort`, permission and question replies)
//! and its `/event` SSE stream, converted by `convert.rs`.
//!
//! **Which server a session uses.** Everything that shapes the server process is its
//! [`Launch`](server::Launch): the binary, the environment (the daemon's provider variables
//! plus the session's `env`, applied last) and the generated `opencode.json` (provider block,
//! permission rules). Sessions with equal launches share one server; a session whose env or
//! config differs (another `OPENAI_BASE_URL`, another sandbox model, permission mode `bypass`)
//! gets its own. All servers keep their state in one directory, `<data dir>/opencode-server/`
//! (the parent of the sessions' state dirs, or [`OpencodeAgent::with_server_dir`]), so a
//! session can resume on any of them: OpenCode keeps sessions in its sqlite database under
//! `XDG_DATA_HOME`, shared by all its processes.

mod convert;
mod http;
mod models;
mod server;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;

pub use convert::{Action, Converter, Options, Request, RequestKind};
use http::Http;
use server::{Launch, Pool, RouteGuard, Routed};

use crate::credentials::{self, Credentials};
use crate::process;
use crate::{
    Agent, AgentError, AgentExit, AgentHandle, AgentInput, AgentOutput, InstallStatus, Locate, ModelsError,
    ModelsFuture, ModelsSpec, OutputSender, SessionSpec, StartFuture,
};

/// How long OpenCode gets to confirm an abort before the turn is ended anyway.
const ABORT_GRACE: Duration = Duration::from_secs(10);
/// The sandbox provider's model when the session names none.
const DEFAULT_MODEL_ID: &str = "default";
/// The provider generated for an OpenAI-compatible base URL.
const SANDBOX_PROVIDER: &str = "sandbox";

/// Keep OpenCode to itself: no self-update, model catalogue fetch, LSP downloads or sharing.
const QUIET_ENV: &[(&str, &str)] = &[
    ("OPENCODE_DISABLE_AUTOUPDATE", "1"),
    ("OPENCODE_DISABLE_MODELS_FETCH", "1"),
    ("OPENCODE_DISABLE_LSP_DOWNLOAD", "1"),
    ("OPENCODE_DISABLE_SHARE", "1"),
];

/// Provider settings taken from the daemon's own environment (a session's `env` wins).
const PROVIDER_ENV: &[&str] = &[
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENROUTER_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_GENERATIVE_AI_API_KEY",
    "GROQ_API_KEY",
    "XAI_API_KEY",
    "DEEPSEEK_API_KEY",
    "MISTRAL_API_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_PROFILE",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
];

pub struct OpencodeAgent {
    locate: Locate,
    pool: Arc<Pool>,
    /// The modes the last started server reported (`GET /agent`).
    modes: Arc<Mutex<Option<Vec<AgentModeInfo>>>>,
    server_dir: Option<PathBuf>,
}

impl OpencodeAgent {
    pub fn new(locate: Locate) -> Self {
        OpencodeAgent { locate, pool: Arc::default(), modes: Arc::default(), server_dir: None }
    }

    /// Keep the servers' state (HOME, XDG dirs, generated configs) in `dir` instead of
    /// `<state dir>/../../opencode-server`.
    pub fn with_server_dir(mut self, dir: PathBuf) -> Self {
        self.server_dir = Some(dir);
        self
    }

    fn server_dir(&self, spec: &SessionSpec) -> PathBuf {
        if let Some(dir) = &self.server_dir {
            return dir.clone();
        }
        // The daemon gives each session `<data dir>/agent-state/<id>` (and a model listing
        // `<data dir>/opencode-server` directly).
        match spec.state_dir.parent().and_then(Path::parent) {
            Some(data) if !data.as_os_str().is_empty() => data.join("opencode-server"),
            _ => spec.state_dir.join("opencode-server"),
        }
    }
}

fn default_modes() -> Vec<AgentModeInfo> {
    vec![
        AgentModeInfo {
            id: "build".into(),
            name: "Build".into(),
            description: "The default agent: works on the task with every tool".into(),
        },
        AgentModeInfo { id: "plan".into(), name: "Plan".into(), description: "Plans without editing files".into() },
    ]
}

impl Agent for OpencodeAgent {
    fn id(&self) -> &str {
        "opencode"
    }

    fn capabilities(&self) -> AgentCapabilities {
        // Only what the real-CLI tests (crates/cli/tests/agents/opencode.rs) prove, plus
        // `shared_process`, which is how this adapter runs OpenCode.
        AgentCapabilities {
            permissions: true,
            questions: true,
            reasoning: true,
            tool_calls: true,
            tool_results: true,
            text_messages: true,
            error_events: true,
            command_execution: true,
            file_changes: true,
            streaming_deltas: true,
            item_started: true,
            shared_process: true,
            interrupt: true,
            resume: true,
            // tests/agents/mcp.rs: a stdio server's tool called, its result back to the model.
            mcp_tools: true,
            // tests/agents/skills.rs: a skill's description reaches the model, which reads its SKILL.md.
            skills: true,
            // tests/agents/attachments.rs: an image and a text file sent with a message reach the model.
            images: true,
            file_attachments: true,
            // tests/agents/plan.rs: the plan agent refuses edits by its own rules and its reminder
            // reaches the model.
            plan_mode: true,
            ..Default::default()
        }
    }

    /// OpenCode's primary agents as the last started server reported them; build and plan
    /// until a server has run.
    fn modes(&self) -> Vec<AgentModeInfo> {
        self.modes.lock().unwrap().clone().unwrap_or_else(default_modes)
    }

    fn permission_modes(&self) -> &'static [&'static str] {
        &["default", "bypass"]
    }

    fn shutdown(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(self.pool.shutdown())
    }

    fn install_status(&self) -> InstallStatus {
        (self.locate)()
    }

    /// Asks the server sessions without their own `env` share (started if needed; it keeps
    /// running for them, as after any session).
    fn models(&self, spec: ModelsSpec) -> ModelsFuture<'_> {
        let status = (self.locate)();
        let dir = self.server_dir.clone().unwrap_or_else(|| spec.data_dir.join("opencode-server"));
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(ModelsError::NotInstalled("opencode".into())),
            };
            let (launch, _) =
                launch(&SessionSpec::for_listing(&spec.state_dir), &binary, &dir, &credentials::for_daemon());
            let inst = self
                .pool
                .server(launch)
                .instance()
                .await
                .map_err(|message| ModelsError::Failed { message, stderr: None })?;
            let http = Http::new(inst.http.clone(), &inst.base, &dir.display().to_string());
            if self.modes.lock().unwrap().is_none() {
                if let Some(found) = fetch_modes(&http).await {
                    *self.modes.lock().unwrap() = Some(found);
                }
            }
            models::list(&http).await
        })
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let status = (self.locate)();
        let pool = self.pool.clone();
        let modes = self.modes.clone();
        let server_dir = self.server_dir(&spec);
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(AgentError::NotInstalled("opencode".into())),
            };
            let (launch, opts) = launch(&spec, &binary, &server_dir, &credentials::for_daemon());
            crate::skills::write(&skills_dir(&spec), &spec.skills)
                .map_err(|e| AgentError::Spawn(format!("writing the skills: {e}")))?;
            let server = pool.server(launch);
            let inst = server.instance().await.map_err(AgentError::Spawn)?;
            let http = Http::new(inst.http.clone(), &inst.base, &spec.directory.display().to_string());
            if modes.lock().unwrap().is_none() {
                if let Some(found) = fetch_modes(&http).await {
                    *modes.lock().unwrap() = Some(found);
                }
            }
            let spawn_err = |what: &str, e: &dyn std::fmt::Display| AgentError::Spawn(format!("{what}: {e}"));
            // Subscribe before the session exists or is prompted, so no event can be missed.
            let mut sub = inst.subscribe(&spec.directory).await.map_err(|e| spawn_err("opencode event stream", &e))?;
            let native = match spec.start.native_session_id() {
                Some(id) if session_exists(&http, id).await => id.to_string(),
                Some(id) => {
                    tracing::warn!(session = %spec.session_id, native = %id, "OpenCode no longer has this session; starting a new one");
                    create_session(&http, &spec.session_id).await.map_err(|e| spawn_err("POST /session", &e))?
                }
                None => create_session(&http, &spec.session_id).await.map_err(|e| spawn_err("POST /session", &e))?,
            };
            // The stream may have closed meanwhile (its last session left, or the server died).
            let mut attempts = 0;
            let (events, guard) = loop {
                if let Some(route) = sub.register(&native) {
                    break route;
                }
                attempts += 1;
                if attempts == 3 {
                    return Err(AgentError::Spawn("the OpenCode event stream keeps closing".into()));
                }
                sub = inst.subscribe(&spec.directory).await.map_err(|e| spawn_err("opencode event stream", &e))?;
            };
            let (input, rx) = mpsc::unbounded_channel();
            let conv = Converter::new(Some(native.clone()), opts);
            tokio::spawn(run(Session { http, conv, events, _guard: guard }, rx, output));
            Ok(AgentHandle { input, native_session_id: Some(native) })
        })
    }
}

/// The value of `key` in `env` (the last one wins, as for a process).
fn env_get<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    env.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// The server launch for a session, and the per-prompt options.
///
/// Provider: with an OpenAI-compatible base URL (`OPENAI_BASE_URL`, from the session's env or
/// the daemon's), the config gets a `sandbox` provider (`@ai-sdk/openai-compatible`, bundled
/// with OpenCode) holding one model: the session's (`sandbox/<id>` or a bare `<id>`) or
/// `default`. A `provider/model` of another provider is passed through per prompt and is
/// OpenCode's own business. Permissions: bash and edit ask, except in `bypass`.
///
/// Credentials: `creds` (the daemon's discovered credentials) add `OPENAI_API_KEY` and
/// `ANTHROPIC_API_KEY` where the daemon's and the session's env leave them (and the
/// provider's base URL) unset.
fn launch(spec: &SessionSpec, binary: &Path, dir: &Path, creds: &Credentials) -> (Launch, Options) {
    let home = dir.join("home");
    let mut env = process::base_env(&home);
    for (key, sub) in [
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ] {
        env.push((key.into(), home.join(sub).display().to_string()));
    }
    env.extend(QUIET_ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env.extend(PROVIDER_ENV.iter().filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v))));
    env.extend(spec.env.iter().cloned());
    credentials::inject(&mut env, "opencode", creds);

    let base_url = env_get(&env, "OPENAI_BASE_URL").map(str::to_string);
    let (provider, model) = match spec.model.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => match m.split_once('/') {
            Some((p, id)) => (Some(p.to_string()), Some(id.to_string())),
            None => (None, Some(m.to_string())),
        },
        None => (None, None),
    };
    let mut config = json!({"$schema": "https://opencode.ai/config.json", "autoupdate": false, "share": "disabled"});
    let model = if let Some(url) = &base_url {
        let sandbox_id = match (&provider, &model) {
            (None, Some(id)) => id.clone(),
            (Some(p), Some(id)) if p == SANDBOX_PROVIDER => id.clone(),
            _ => DEFAULT_MODEL_ID.to_string(),
        };
        // The key stays in the environment; OpenCode substitutes `{env:…}` in its config.
        let api_key = if env_get(&env, "OPENAI_API_KEY").is_some() { "{env:OPENAI_API_KEY}" } else { "dummy" };
        config["provider"] = json!({SANDBOX_PROVIDER: {
            "npm": "@ai-sdk/openai-compatible",
            "name": "Sandbox",
            "options": {"baseURL": url, "apiKey": api_key},
            // `attachment` and `modalities` let images and PDFs sent with a message reach the model.
            "models": {sandbox_id.clone(): {"name": sandbox_id, "tool_call": true, "attachment": true,
                "modalities": {"input": ["text", "image", "pdf"], "output": ["text"]},
                "limit": {"context": 128000, "output": 8192}}},
        }});
        let full = format!("{SANDBOX_PROVIDER}/{sandbox_id}");
        config["model"] = json!(full);
        config["small_model"] = json!(full);
        match (provider, model) {
            (Some(p), Some(id)) => Some((p, id)),
            _ => Some((SANDBOX_PROVIDER.to_string(), sandbox_id)),
        }
    } else {
        match (provider, model) {
            (Some(p), Some(id)) => Some((p, id)),
            // A bare model id without a provider: leave it to the server's configuration.
            (None, Some(id)) => {
                tracing::warn!(model = %id, "opencode needs provider/model; using the server's default model");
                None
            }
            _ => None,
        }
    };
    let bypass = spec.permission_mode == "bypass";
    if !bypass {
        // The plan agent's own rules deny edits (but its plan files); a global `edit` rule would
        // override them.
        config["permission"] = match spec.agent_mode.as_str() {
            "plan" => json!({"bash": "ask"}),
            _ => json!({"bash": "ask", "edit": "ask"}),
        };
    }
    if !spec.mcp.is_empty() {
        config["mcp"] = mcp_config(&spec.mcp);
    }
    if !spec.skills.is_empty() {
        config["skills"] = json!({"paths": [skills_dir(spec)]});
    }
    let opts =
        Options { agent: Some(spec.agent_mode.clone()), model, variant: spec.variant.clone(), auto_approve: bypass };
    (Launch { binary: binary.to_path_buf(), env, dir: dir.to_path_buf(), config }, opts)
}

/// `opencode acp` for a session (the ACP adapter's `Setup::Opencode`): the environment and the
/// `opencode.json` its server would get, with the session's state dir as its home.
pub(crate) fn acp_launch(spec: &SessionSpec, binary: &Path) -> (Vec<(String, String)>, Value) {
    let (launch, _) = launch(spec, binary, &spec.state_dir, &credentials::for_daemon());
    (launch.env, launch.config)
}

/// The session's skills: in its own state dir, named in its server's config (`skills.paths`),
/// so no other session's server sees them.
fn skills_dir(spec: &SessionSpec) -> PathBuf {
    spec.state_dir.join("skills")
}

/// The session's MCP servers as `opencode.json` has them (`local` for stdio, `remote` for http).
fn mcp_config(servers: &std::collections::BTreeMap<String, sandbox_agent_schema::McpServer>) -> serde_json::Value {
    use sandbox_agent_schema::McpServer;
    let entries = servers.iter().map(|(name, server)| {
        let entry = match server {
            McpServer::Stdio { command, args, env } => {
                let argv: Vec<&String> = std::iter::once(command).chain(args).collect();
                json!({"type": "local", "command": argv, "environment": env, "enabled": true})
            }
            McpServer::Http { url, headers } => {
                json!({"type": "remote", "url": url, "headers": headers, "enabled": true})
            }
        };
        (name.clone(), entry)
    });
    serde_json::Value::Object(entries.collect())
}

/// OpenCode's primary agents (`GET /agent`), build first.
async fn fetch_modes(http: &Http) -> Option<Vec<AgentModeInfo>> {
    let agents = http.get_json("/agent").await.ok()?;
    let mut modes: Vec<AgentModeInfo> = agents
        .as_array()?
        .iter()
        .filter(|a| {
            a.get("mode").and_then(Value::as_str) != Some("subagent")
                && a.get("hidden").and_then(Value::as_bool) != Some(true)
        })
        .filter_map(|a| {
            let id = a.get("name")?.as_str()?.to_string();
            let mut name = id.clone();
            if let Some(first) = name.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            let description = a.get("description").and_then(Value::as_str).unwrap_or("").to_string();
            Some(AgentModeInfo { id, name, description })
        })
        .collect();
    modes.sort_by_key(|m| match m.id.as_str() {
        "build" => 0,
        "plan" => 1,
        _ => 2,
    });
    (!modes.is_empty()).then_some(modes)
}

async fn create_session(http: &Http, title: &str) -> Result<String, http::Failure> {
    let created = http.post_json("/session", &json!({"title": title})).await?;
    created
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| http::Failure::Transport(format!("POST /session answered without an id: {created}")))
}

/// False only when the server says it does not know the session.
async fn session_exists(http: &Http, id: &str) -> bool {
    !matches!(http.get(&format!("/session/{id}")).await, Err(http::Failure::Status(404, _)))
}

struct Session {
    http: Http,
    conv: Converter,
    events: mpsc::UnboundedReceiver<Routed>,
    /// Keeps this session's route on the event stream.
    _guard: RouteGuard,
}

/// Pump one session: routed events through the converter, daemon input to HTTP requests,
/// until the server goes away (reported as a resumable `Exited`) or the daemon shuts the
/// session down (not reported; the shared server keeps running).
async fn run(mut s: Session, mut input: mpsc::UnboundedReceiver<AgentInput>, out: OutputSender) {
    let mut abort_deadline: Option<Instant> = None;
    loop {
        let far = Instant::now() + Duration::from_secs(86_400);
        let actions = tokio::select! {
            routed = s.events.recv() => match routed {
                Some(Routed::Event(value)) => s.conv.sse(&value),
                Some(Routed::Lost(exit)) => {
                    let _ = out.send(AgentOutput::Exited(exit)).await;
                    return;
                }
                None => {
                    let exit = AgentExit { exit_code: None, message: "the OpenCode event stream ended".into(), stderr: None, resumable: true };
                    let _ = out.send(AgentOutput::Exited(exit)).await;
                    return;
                }
            },
            msg = input.recv() => match msg {
                Some(AgentInput::Message { text, attachments, .. }) => {
                    abort_deadline = None;
                    vec![Action::Request(s.conv.message(&text, &attachments))]
                }
                Some(AgentInput::Interrupt) => {
                    abort_deadline = Some(Instant::now() + ABORT_GRACE);
                    vec![Action::Request(s.conv.interrupt())]
                }
                Some(AgentInput::PermissionReply { permission_id, reply }) => vec![Action::Request(s.conv.permission_reply(&permission_id, reply))],
                Some(AgentInput::QuestionReply { question_id, answers }) => vec![Action::Request(s.conv.question_reply(&question_id, Some(&answers)))],
                Some(AgentInput::QuestionReject { question_id }) => vec![Action::Request(s.conv.question_reply(&question_id, None))],
                Some(AgentInput::Shutdown) | None => {
                    if s.conv.turn_active() {
                        // Stop the turn; the server itself is shared and keeps running.
                        let abort = s.conv.interrupt();
                        let _ = s.http.post(&abort.path, None, Duration::from_secs(2)).await;
                    }
                    return;
                }
            },
            _ = tokio::time::sleep_until(abort_deadline.unwrap_or(far)), if abort_deadline.is_some() => {
                abort_deadline = None;
                s.conv.interrupt_timed_out()
            }
        };
        for action in actions {
            let outputs = match action {
                Action::Emit(output) => vec![output],
                Action::Request(req) => match s.http.send(&req).await {
                    Ok(()) => Vec::new(),
                    Err(err) => {
                        tracing::warn!(path = %req.path, %err, "opencode request failed");
                        s.conv
                            .request_failed(&req, err.status(), err.detail())
                            .into_iter()
                            .filter_map(|a| match a {
                                Action::Emit(o) => Some(o),
                                Action::Request(_) => None,
                            })
                            .collect()
                    }
                },
            };
            for output in outputs {
                if out.send(output).await.is_err() {
                    return; // the session is gone
                }
            }
        }
        if !s.conv.turn_active() {
            abort_deadline = None;
        }
    }
}

#[cfg(test)]
mod tests;
