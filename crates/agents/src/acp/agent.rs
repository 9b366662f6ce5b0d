//! A generic ACP agent process: spawned with its profile's argv and environment, started with
//! the handshake every JSON-RPC agent shares (`startup`), then run by the one process loop,
//! its lines through the ACP converter.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sandbox_agent_exec::{LineProtocol, SpawnSpec, Step, Stop};
use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo};
use tokio::sync::mpsc;

use super::convert::{Converter, Handshake, Settings};
use crate::startup::{failed_start, handshake, Handshaking, Progress};
use crate::{
    process, Action, Agent, AgentError, AgentHandle, AgentInput, AgentOutput, InstallStatus, Locate, OutputSender,
    SessionSpec, StartFuture,
};

/// How long each handshake step may take (an ACP agent built on node starts slowly).
const STEP: Duration = Duration::from_secs(60);

/// What an ACP agent's configuration needs before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// Nothing: the profile's argv and environment, then the session's.
    Plain,
    /// `opencode acp`: the same generated `opencode.json` as the OpenCode adapter's server
    /// (the provider of the session's `OPENAI_BASE_URL`, permission rules).
    Opencode,
    /// `codex-acp`: the session's own `CODEX_HOME`, written as the Codex adapter writes it.
    Codex,
    /// Gemini CLI (`gemini --acp`): a `settings.json` in the session's own home with telemetry,
    /// update checks and the usage statistics off.
    Gemini,
    /// `claude-agent-acp`: the environment the Claude adapter gives the CLI (the session's own
    /// config dir, the provider's settings), since the adapter runs the CLI.
    Claude,
}

/// How one ACP agent runs: the arguments after its binary, its environment (before the
/// session's), the capability flags tests prove for it, and its setup.
#[derive(Debug, Clone)]
pub struct AcpProfile {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub capabilities: AgentCapabilities,
    pub setup: Setup,
}

pub struct AcpAgent {
    id: String,
    name: Option<String>,
    profile: AcpProfile,
    locate: Locate,
}

impl AcpAgent {
    pub fn new(id: impl Into<String>, name: Option<String>, profile: AcpProfile, locate: Locate) -> Self {
        AcpAgent { id: id.into(), name, profile, locate }
    }
}

impl Agent for AcpAgent {
    fn id(&self) -> &str {
        &self.id
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn capabilities(&self) -> AgentCapabilities {
        self.profile.capabilities
    }

    fn modes(&self) -> Vec<AgentModeInfo> {
        vec![AgentModeInfo {
            id: "default".into(),
            name: "Default".into(),
            description: "The agent's own default".into(),
        }]
    }

    /// The agent asks (`session/request_permission`) as it sees fit; the daemon relays it.
    fn permission_modes(&self) -> &'static [&'static str] {
        &["default"]
    }

    fn install_status(&self) -> InstallStatus {
        (self.locate)()
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let status = (self.locate)();
        let (id, profile) = (self.id.clone(), self.profile.clone());
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(AgentError::NotInstalled(id)),
            };
            let env = environment(&spec, &profile, &binary)?;
            let mut proc = SpawnSpec::new(&id, &binary, &spec.directory)
                .args(profile.args.clone())
                .env(env)
                .spawn()
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", binary.display())))?;
            let mut conv = Converter::new(Settings {
                announce: !spec.start.is_resume(),
                nonce: nonce(),
                client_version: env!("CARGO_PKG_VERSION").to_string(),
                cwd: spec.directory.display().to_string(),
                resume: spec.start.native_session_id().map(str::to_string),
            });
            let init = conv.initialize();
            let session_id = match handshake(&mut proc, &mut conv, &init, &output, STEP, &id).await {
                Ok(session_id) => session_id,
                Err(why) => return Err(AgentError::Spawn(failed_start(&mut proc, why).await)),
            };
            let (input, rx) = mpsc::unbounded_channel();
            // A session the agent has can be continued (session/resume or session/load).
            tokio::spawn(process::run_session(proc, Session { conv }, rx, output, |s| s.conv.session_id().is_some()));
            Ok(AgentHandle { input, native_session_id: Some(session_id) })
        })
    }
}

/// The agent's environment: the daemon's basics with the session's own home, the profile's,
/// what its setup adds, then the session's `env`.
fn environment(
    spec: &SessionSpec,
    profile: &AcpProfile,
    binary: &std::path::Path,
) -> Result<Vec<(String, String)>, AgentError> {
    let home: PathBuf = spec.state_dir.join("home");
    std::fs::create_dir_all(&home).map_err(|e| AgentError::Spawn(format!("{}: {e}", home.display())))?;
    let mut env = process::base_env(&home);
    env.extend(profile.env.iter().cloned());
    match profile.setup {
        Setup::Plain => env.extend(spec.env.iter().cloned()),
        Setup::Opencode => {
            let (opencode_env, config) = crate::opencode::acp_launch(spec, binary);
            let path = spec.state_dir.join("opencode.json");
            process::write_private(&path, config.to_string().as_bytes())
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", path.display())))?;
            env.extend(opencode_env);
            env.push(("OPENCODE_CONFIG".into(), path.display().to_string()));
        }
        Setup::Gemini => {
            let dir = home.join(".gemini");
            let settings = serde_json::json!({
                "general": {"disableAutoUpdate": true, "disableUpdateNag": true},
                "privacy": {"usageStatisticsEnabled": false},
                "telemetry": {"enabled": false},
            });
            std::fs::create_dir_all(&dir)
                .and_then(|()| process::write_private(&dir.join("settings.json"), settings.to_string().as_bytes()))
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", dir.display())))?;
            env.extend(spec.env.iter().cloned());
        }
        Setup::Claude => {
            let claude_env =
                crate::claude::acp_launch(spec).map_err(|e| AgentError::Spawn(format!("settings.json: {e}")))?;
            env.extend(claude_env);
        }
        Setup::Codex => {
            let codex_env =
                crate::codex::acp_launch(spec).map_err(|e| AgentError::Spawn(format!("CODEX_HOME: {e}")))?;
            env.extend(codex_env);
        }
    }
    Ok(env)
}

fn nonce() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{:x}", now.as_nanos())
}

impl Handshaking for Converter {
    fn line(&mut self, line: &str) -> Vec<Action> {
        Converter::line(self, line)
    }

    fn progress(&self) -> Progress {
        match self.handshake() {
            Handshake::Ready(id) => Progress::Ready(id.clone()),
            Handshake::Failed(why) => Progress::Failed(why.clone()),
            Handshake::NotStarted | Handshake::Initializing => Progress::Waiting("initialize"),
            Handshake::StartingSession => Progress::Waiting("session/new"),
        }
    }
}

/// An ACP agent as a line protocol. A shutdown kills it: some agents never exit on stdin EOF,
/// and the agent keeps its sessions as it goes.
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
        match input {
            // Attachments are refused before they get here (no `images`/`fileAttachments`).
            Some(AgentInput::Message { text, .. }) => steps.push(Step::Write(conv.prompt(&text))),
            Some(AgentInput::Interrupt) => steps.extend(conv.cancel().into_iter().map(Step::Write)),
            Some(AgentInput::PermissionReply { permission_id, reply }) => {
                steps.extend(conv.permission_reply(&permission_id, reply).map(Step::Write))
            }
            // ACP has no questions to answer.
            Some(AgentInput::QuestionReply { .. } | AgentInput::QuestionReject { .. }) => {}
            Some(AgentInput::Shutdown) | None => steps.push(Step::Stop(Stop::Kill)),
        }
    }
}
