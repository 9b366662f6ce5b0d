//! Codex: one `codex app-server` per session, speaking JSON-RPC (without the `"jsonrpc"`
//! field) over stdio. The handshake (`initialize`, `initialized`, `thread/start` or
//! `thread/resume`) runs inside [`Agent::start`]; then every message is a `turn/start`, an
//! interrupt a `turn/interrupt`, and Codex's approval requests become permissions answered
//! with JSON-RPC responses.
//!
//! One process per session rather than one shared by all sessions (as the reference daemon
//! did): a crash or a hang takes down one session only, the process's stderr belongs to one
//! session, there is no thread → session routing, and each session gets its own hermetic
//! `CODEX_HOME` (config, credentials, rollouts) under its state directory, which is what makes
//! `thread/resume` work after a daemon restart. The cost is one process (~150 MB RSS) per
//! live session.
//!
//! Sandbox: Codex's own sandbox needs bubblewrap and unprivileged user namespaces, which CI
//! hosts and containers often forbid (e.g. the AppArmor policy of Ubuntu 24.04). The adapter
//! therefore runs commands with `danger-full-access` inside the session's directory and relies
//! on approvals (`untrusted`: everything not known to be safe asks); only the `plan` permission
//! mode asks Codex for its `read-only` sandbox.

mod convert;
mod exec;
mod models;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sandbox_agent_exec::{LineProtocol, SpawnSpec, Step, Stop};
use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo};
use serde_json::{json, Map};
use tokio::sync::mpsc;

pub use convert::{Action, Converter, Handshake, Settings};
pub use exec::ExecConverter;

use crate::credentials::{self, Credentials};
use crate::process;
use crate::startup::{failed_start, handshake, Progress};
use crate::{
    Agent, AgentError, AgentHandle, AgentInput, AgentOutput, InstallStatus, Locate, ModelsError, ModelsFuture,
    ModelsSpec, OutputSender, SessionSpec, StartFuture,
};

/// How long each handshake step (`initialize`, `thread/start`, `model/list`) may take.
const HANDSHAKE_STEP: Duration = Duration::from_secs(30);

pub struct CodexAgent {
    locate: Locate,
    /// How long each handshake step may take ([`HANDSHAKE_STEP`]; shorter in tests).
    step: Duration,
}

impl CodexAgent {
    pub fn new(locate: Locate) -> Self {
        CodexAgent { locate, step: HANDSHAKE_STEP }
    }
}

/// Provider settings taken from the daemon's own environment (a session's `env` wins).
const PROVIDER_ENV: &[&str] = &[
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORGANIZATION",
    "OPENAI_PROJECT",
    "CODEX_API_KEY",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "https_proxy",
    "http_proxy",
    "no_proxy",
];

impl Agent for CodexAgent {
    fn id(&self) -> &str {
        "codex"
    }

    fn capabilities(&self) -> AgentCapabilities {
        // Only what the real-CLI tests (crates/cli/tests/agents/codex.rs) prove. Status items
        // and subagents convert (transcript tests) but no real-CLI test shows them yet.
        // Questions: 0.169 asks the client (`item/tool/requestUserInput`) only in its
        // experimental Plan collaboration mode (`agentMode: plan`); elsewhere it refuses the
        // tool itself (`question_tool_is_refused_outside_plan_collaboration_mode`).
        AgentCapabilities {
            permissions: true,
            reasoning: true,
            tool_calls: true,
            tool_results: true,
            text_messages: true,
            error_events: true,
            command_execution: true,
            file_changes: true,
            streaming_deltas: true,
            item_started: true,
            interrupt: true,
            resume: true,
            // tests/agents/attachments.rs: an image sent with a message reaches the model; a
            // file is named by path and read with the agent's tools.
            images: true,
            file_attachments: true,
            // tests/agents/plan.rs: the Plan collaboration mode's instructions reach the model and
            // its `request_user_input` is a question, answered and rejected.
            plan_mode: true,
            questions: true,
            // tests/agents/mcp.rs: a stdio server's tool called, its result back to the model.
            mcp_tools: true,
            // tests/agents/skills.rs: a skill's description reaches the model, which reads its SKILL.md.
            skills: true,
            ..Default::default()
        }
    }

    fn modes(&self) -> Vec<AgentModeInfo> {
        vec![
            AgentModeInfo { id: "build".into(), name: "Build".into(), description: "Work on the task".into() },
            AgentModeInfo {
                id: "plan".into(),
                name: "Plan".into(),
                description: "Codex's Plan collaboration mode: it plans and may ask questions before acting".into(),
            },
        ]
    }

    fn permission_modes(&self) -> &'static [&'static str] {
        &["default", "plan", "bypass"]
    }

    fn install_status(&self) -> InstallStatus {
        (self.locate)()
    }

    fn models(&self, spec: ModelsSpec) -> ModelsFuture<'_> {
        let status = (self.locate)();
        let step = self.step;
        Box::pin(async move {
            match status.path {
                Some(binary) if status.installed => models::list(&binary, &spec, step).await,
                _ => Err(ModelsError::NotInstalled("codex".into())),
            }
        })
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let status = (self.locate)();
        let step = self.step;
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(AgentError::NotInstalled("codex".into())),
            };
            let launch = Launch::new(&spec, &nonce(), &credentials::for_daemon());
            launch
                .write_home(&spec, "")
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", launch.codex_home.display())))?;
            let mut proc = SpawnSpec::new("codex", &binary, &spec.directory)
                .args(["app-server"])
                .env(launch.env)
                .spawn()
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", binary.display())))?;
            let mut conv = Converter::new(launch.settings);
            let init = conv.initialize();
            let thread_id = match handshake(&mut proc, &mut conv, &init, &output, step, "codex app-server").await {
                Ok(id) => id,
                Err(why) => return Err(AgentError::Spawn(failed_start(&mut proc, why).await)),
            };
            let (input, rx) = mpsc::unbounded_channel();
            // A thread Codex has written can be picked up again with thread/resume.
            tokio::spawn(process::run_session(proc, Session { conv }, rx, output, |s| s.conv.thread_id().is_some()));
            Ok(AgentHandle { input, native_session_id: Some(thread_id) })
        })
    }
}

fn nonce() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{:x}", now.as_nanos())
}

/// Everything a session's app-server is started with.
struct Launch {
    codex_home: PathBuf,
    env: Vec<(String, String)>,
    /// `$CODEX_HOME/config.toml`.
    config: String,
    /// `$CODEX_HOME/auth.json`, when there is an API key for Codex's own OpenAI provider.
    auth: Option<String>,
    settings: Settings,
}

impl Launch {
    /// `creds` (the daemon's discovered credentials) fill in `OPENAI_API_KEY` only where the
    /// daemon's and the session's env leave it (and `OPENAI_BASE_URL`) unset.
    fn new(spec: &SessionSpec, nonce: &str, creds: &Credentials) -> Launch {
        let home = spec.state_dir.join("home");
        let codex_home = home.join(".codex");
        let mut env = process::base_env(&home);
        env.push(("CODEX_HOME".into(), codex_home.display().to_string()));
        env.extend(PROVIDER_ENV.iter().filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v))));
        env.extend(spec.env.iter().cloned());
        credentials::inject(&mut env, "codex", creds);
        let last =
            |key: &str| env.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        let base_url = last("OPENAI_BASE_URL");
        let config = config_toml(spec.model.as_deref(), spec.variant.as_deref(), base_url.as_deref(), &spec.mcp);
        // Codex's built-in OpenAI provider ignores OPENAI_API_KEY in its environment (0.169
        // sends no Authorization header); it reads the key from auth.json, as `codex login
        // --with-api-key` writes it. The `sandbox` provider (with a base URL) reads the env.
        let auth = match (&base_url, last("OPENAI_API_KEY")) {
            (None, Some(key)) => Some(json!({"auth_mode": "apikey", "OPENAI_API_KEY": key}).to_string()),
            _ => None,
        };

        // default: everything not known to be safe asks; bypass: nothing asks; plan: asks, and
        // Codex's read-only sandbox (see the module docs for why the others run unsandboxed).
        let (approval, sandbox) = match spec.permission_mode.as_str() {
            "bypass" => ("never", "danger-full-access"),
            "plan" => ("untrusted", "read-only"),
            _ => ("untrusted", "danger-full-access"),
        };
        let mut thread_params = Map::new();
        thread_params.insert("cwd".into(), json!(spec.directory.display().to_string()));
        thread_params.insert("approvalPolicy".into(), json!(approval));
        thread_params.insert("sandbox".into(), json!(sandbox));
        if let Some(model) = &spec.model {
            thread_params.insert("model".into(), json!(model));
        }
        let settings = Settings {
            announce: !spec.start.is_resume(),
            nonce: nonce.to_string(),
            client_version: env!("CARGO_PKG_VERSION").to_string(),
            thread_params,
            resume: spec.start.native_session_id().map(str::to_string),
            plan: spec.agent_mode == "plan",
            mcp_servers: spec.mcp.keys().cloned().collect(),
        };
        Launch { codex_home, env, config, auth, settings }
    }
}

/// `codex-acp` for a session (the ACP adapter's `Setup::Codex`): `CODEX_HOME` written as for the
/// app-server (config, auth, skills), with the approval policy and sandbox that the app-server
/// takes per thread in `config.toml` instead. Returns the environment.
pub(crate) fn acp_launch(spec: &SessionSpec) -> std::io::Result<Vec<(String, String)>> {
    let launch = Launch::new(spec, &nonce(), &credentials::for_daemon());
    let policy =
        |key: &str| launch.settings.thread_params.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    // Top-level keys go before the first table.
    let header = format!(
        "approval_policy = {}\nsandbox_mode = {}\n",
        toml_string(&policy("approvalPolicy")),
        toml_string(&policy("sandbox"))
    );
    launch.write_home(spec, &header)?;
    Ok(launch.env)
}

impl Launch {
    /// The session's `CODEX_HOME`, rewritten at every start: `config.toml` (`header` first, then
    /// the generated config; private, as MCP servers' env and headers are secrets like the
    /// session's env), `auth.json` and the session's skills.
    fn write_home(&self, spec: &SessionSpec, header: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.codex_home)?;
        process::write_private(&self.codex_home.join("config.toml"), format!("{header}{}", self.config).as_bytes())?;
        write_auth(&self.codex_home, self.auth.as_deref())?;
        crate::skills::write(&self.codex_home.join("skills"), &spec.skills)
    }
}

/// Write the session's `auth.json` (owner-only), or remove one a previous start wrote when
/// there is no key now. The session's `CODEX_HOME` is the daemon's, nobody logs in there.
fn write_auth(codex_home: &std::path::Path, auth: Option<&str>) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = codex_home.join("auth.json");
    let Some(auth) = auth else {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    };
    let tmp = codex_home.join("auth.json.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
    file.write_all(auth.as_bytes())?;
    drop(file);
    std::fs::rename(&tmp, &path)
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The session's Codex configuration: no analytics (offline, its flush delays exit by about
/// 5 s), the session's model and reasoning effort (its `variant`), and with a base URL a custom
/// Responses-API provider that fails fast instead of retrying.
fn config_toml(
    model: Option<&str>,
    effort: Option<&str>,
    base_url: Option<&str>,
    mcp: &std::collections::BTreeMap<String, sandbox_agent_schema::McpServer>,
) -> String {
    let mut toml = String::from("# Written by sandbox-agent at every start of this session's codex app-server.\n");
    if let Some(model) = model {
        toml.push_str(&format!("model = {}\n", toml_string(model)));
    }
    if let Some(effort) = effort {
        toml.push_str(&format!("model_reasoning_effort = {}\n", toml_string(effort)));
    }
    if let Some(url) = base_url {
        toml.push_str("model_provider = \"sandbox\"\n\n[model_providers.sandbox]\nname = \"sandbox-agent\"\n");
        toml.push_str(&format!("base_url = {}\n", toml_string(url)));
        toml.push_str(
            "wire_api = \"responses\"\nenv_key = \"OPENAI_API_KEY\"\nrequest_max_retries = 0\nstream_max_retries = 0\n",
        );
    }
    toml.push_str("\n[analytics]\nenabled = false\n");
    for (name, server) in mcp {
        toml.push_str(&mcp_server_toml(name, server));
    }
    toml
}

/// One `[mcp_servers.NAME]` table (names are `A-Z a-z 0-9 _ -`, bare TOML keys).
fn mcp_server_toml(name: &str, server: &sandbox_agent_schema::McpServer) -> String {
    use sandbox_agent_schema::McpServer;
    let table = |pairs: &std::collections::BTreeMap<String, String>| {
        let items: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{} = {}", toml_string(k), toml_string(v))).collect();
        format!("{{ {} }}", items.join(", "))
    };
    let mut out = format!("\n[mcp_servers.{name}]\n");
    match server {
        McpServer::Stdio { command, args, env } => {
            out.push_str(&format!("command = {}\n", toml_string(command)));
            let args: Vec<String> = args.iter().map(|a| toml_string(a)).collect();
            out.push_str(&format!("args = [{}]\n", args.join(", ")));
            if !env.is_empty() {
                out.push_str(&format!("env = {}\n", table(env)));
            }
        }
        McpServer::Http { url, headers } => {
            out.push_str(&format!("url = {}\n", toml_string(url)));
            if !headers.is_empty() {
                out.push_str(&format!("http_headers = {}\n", table(headers)));
            }
        }
    }
    out
}

impl crate::startup::Handshaking for Converter {
    fn line(&mut self, line: &str) -> Vec<Action> {
        Converter::line(self, line)
    }

    fn progress(&self) -> Progress {
        match self.handshake() {
            Handshake::Ready(id) => Progress::Ready(id.clone()),
            Handshake::Failed(why) => Progress::Failed(why.clone()),
            Handshake::NotStarted | Handshake::Initializing => Progress::Waiting("initialize"),
            Handshake::StartingThread => Progress::Waiting("thread/start"),
        }
    }
}

/// A session's app-server as a line protocol: stdout lines through the converter, daemon
/// input as JSON-RPC requests and responses. A shutdown kills it at once (Codex keeps its
/// thread on disk as it goes).
struct Session {
    conv: Converter,
}

impl LineProtocol for Session {
    type Output = AgentOutput;
    type Input = AgentInput;

    fn line(&mut self, line: &str, steps: &mut Vec<Step<AgentOutput>>) {
        steps.extend(self.conv.line(line).into_iter().map(Step::from));
    }

    fn input(&mut self, input: Option<AgentInput>, steps: &mut Vec<Step<AgentOutput>>) {
        let conv = &mut self.conv;
        let request = match input {
            Some(AgentInput::Message { text, attachments, .. }) => conv.user_message(&text, &attachments),
            Some(AgentInput::Interrupt) => conv.interrupt(),
            Some(AgentInput::PermissionReply { permission_id, reply }) => conv.permission_reply(&permission_id, reply),
            Some(AgentInput::QuestionReply { question_id, answers }) => {
                conv.question_reply(&question_id, Some(&answers))
            }
            Some(AgentInput::QuestionReject { question_id }) => conv.question_reply(&question_id, None),
            Some(AgentInput::Shutdown) | None => {
                steps.push(Step::Stop(Stop::Kill));
                return;
            }
        };
        // A write error means the process is going away; its exit is reported when stdout closes.
        steps.extend(request.map(Step::Write));
    }
}

#[cfg(test)]
impl CodexAgent {
    fn with_handshake_step(mut self, step: Duration) -> Self {
        self.step = step;
        self
    }
}

/// Where a test or the installer put the binary (for tests of the adapter).
#[cfg(test)]
fn locate_at(path: &std::path::Path) -> Locate {
    let path = path.to_path_buf();
    std::sync::Arc::new(move || InstallStatus {
        installed: true,
        version: None,
        path: Some(path.clone()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests;
