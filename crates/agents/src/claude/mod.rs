//! Claude Code: one long-lived `claude -p` per session, speaking stream-json both ways, with
//! permission prompts over the stdio control protocol (`--permission-prompt-tool stdio`).

mod attachments;
mod convert;
mod models;

use std::path::PathBuf;

use sandbox_agent_exec::{LineProtocol, SpawnSpec, Step, Stop};
use sandbox_agent_schema::{AgentCapabilities, AgentModeInfo, ErrorData, EventData};
use tokio::sync::mpsc;

/// Kept here for existing callers; the type lives in the crate root.
pub use crate::Locate;
pub use convert::{Action, Converter};

use crate::credentials::{self, Credentials};
use crate::process;
use crate::{
    Agent, AgentError, AgentEvent, AgentHandle, AgentInput, AgentOutput, InstallStatus, ModelsError, ModelsFuture,
    ModelsSpec, OutputSender, SessionSpec, Start, StartFuture,
};

pub struct ClaudeAgent {
    locate: Locate,
}

impl ClaudeAgent {
    pub fn new(locate: Locate) -> Self {
        ClaudeAgent { locate }
    }
}

/// Environment that keeps the CLI to itself: no telemetry, updates, error reports or
/// side traffic (title generation and the like).
const QUIET_ENV: &[(&str, &str)] = &[
    ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
    ("DISABLE_TELEMETRY", "1"),
    ("DISABLE_ERROR_REPORTING", "1"),
    ("DISABLE_AUTOUPDATER", "1"),
    ("DISABLE_BUG_COMMAND", "1"),
];

/// Provider settings taken from the daemon's own environment (a session's `env` wins).
const PROVIDER_ENV: &[&str] = &[
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_MODEL",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
    "CLAUDE_CODE_MAX_RETRIES",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
];

impl Agent for ClaudeAgent {
    fn id(&self) -> &str {
        "claude"
    }

    fn capabilities(&self) -> AgentCapabilities {
        // Only what the real-CLI tests (crates/cli/tests/agents) prove.
        AgentCapabilities {
            permissions: true,
            questions: true,
            reasoning: true,
            session_lifecycle: true,
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
            // tests/agents/mcp.rs: a stdio server's tool called, its result back to the model.
            mcp_tools: true,
            // tests/agents/plan.rs: `agentMode: plan` runs the CLI in plan mode; ExitPlanMode is a question.
            plan_mode: true,
            // tests/agents/skills.rs: a skill's description reaches the model, which reads its SKILL.md.
            skills: true,
            // tests/agents/attachments.rs: an image and a text file sent with a message reach the model.
            images: true,
            file_attachments: true,
            ..Default::default()
        }
    }

    fn modes(&self) -> Vec<AgentModeInfo> {
        vec![
            AgentModeInfo { id: "build".into(), name: "Build".into(), description: "Work on the task".into() },
            AgentModeInfo {
                id: "plan".into(),
                name: "Plan".into(),
                description: "Plan first; no edits until the plan is approved".into(),
            },
        ]
    }

    fn permission_modes(&self) -> &'static [&'static str] {
        &["default", "acceptEdits", "plan", "bypass"]
    }

    fn install_status(&self) -> InstallStatus {
        (self.locate)()
    }

    fn models(&self, spec: ModelsSpec) -> ModelsFuture<'_> {
        let status = (self.locate)();
        Box::pin(async move {
            match status.path {
                Some(binary) if status.installed => models::list(&binary, &spec).await,
                _ => Err(ModelsError::NotInstalled("claude".into())),
            }
        })
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let status = (self.locate)();
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(AgentError::NotInstalled("claude".into())),
            };
            let mut spec = spec;
            let mut lost = None;
            if let Start::Resume { native_session_id } = &mut spec.start {
                // A CLI killed right after a turn may not have saved it yet; resuming a
                // conversation it does not have fails every turn, so start afresh and say so.
                lost = native_session_id.take_if(|id| !conversation_saved(&spec.state_dir, id));
            }
            let (args, env) = command(&spec, &credentials::for_daemon());
            std::fs::create_dir_all(spec.state_dir.join("home/.claude"))
                .map_err(|e| AgentError::Spawn(e.to_string()))?;
            if !spec.mcp.is_empty() {
                process::write_private(&mcp_config_path(&spec), mcp_config(&spec.mcp).to_string().as_bytes())
                    .map_err(|e| AgentError::Spawn(format!("writing the MCP configuration: {e}")))?;
            }
            // User skills: `$CLAUDE_CONFIG_DIR/skills`, the session's own.
            crate::skills::write(&spec.state_dir.join("home/.claude/skills"), &spec.skills)
                .map_err(|e| AgentError::Spawn(format!("writing the skills: {e}")))?;
            if let Some(id) = lost {
                let message = format!("claude's conversation {id} was not saved before its process ended; continuing in a new conversation without its history");
                let error = ErrorData { message, code: Some("agent_history_lost".into()), details: None };
                let event = AgentEvent { data: EventData::Error(error), synthetic: true, raw: None };
                let _ = output.send(AgentOutput::Event(event)).await;
            }
            let proc = SpawnSpec::new("claude", &binary, &spec.directory)
                .args(args)
                .env(env)
                .spawn()
                .map_err(|e| AgentError::Spawn(format!("{}: {e}", binary.display())))?;
            let (input, rx) = mpsc::unbounded_channel();
            let session = Session { conv: Converter::new(!spec.start.is_resume()), native_session: false };
            // A conversation the CLI has an id for can be picked up again with --resume.
            tokio::spawn(process::run_session(proc, session, rx, output, |s| s.native_session));
            Ok(AgentHandle { input, native_session_id: spec.start.native_session_id().map(str::to_string) })
        })
    }
}

/// The session's MCP servers as Claude Code reads them (`--mcp-config`): in the state dir, which
/// only the daemon and this agent see, because `env` and `headers` hold secrets.
fn mcp_config_path(spec: &SessionSpec) -> PathBuf {
    spec.state_dir.join("mcp.json")
}

fn mcp_config(servers: &std::collections::BTreeMap<String, sandbox_agent_schema::McpServer>) -> serde_json::Value {
    use sandbox_agent_schema::McpServer;
    let entries = servers.iter().map(|(name, server)| {
        let entry = match server {
            McpServer::Stdio { command, args, env } => {
                serde_json::json!({"type": "stdio", "command": command, "args": args, "env": env})
            }
            McpServer::Http { url, headers } => serde_json::json!({"type": "http", "url": url, "headers": headers}),
        };
        (name.clone(), entry)
    });
    serde_json::json!({ "mcpServers": entries.collect::<serde_json::Map<_, _>>() })
}

/// Whether the CLI saved conversation `id` (it keeps one JSONL file per conversation under
/// `$CLAUDE_CONFIG_DIR/projects/<project>/`).
fn conversation_saved(state_dir: &std::path::Path, id: &str) -> bool {
    let projects = state_dir.join("home/.claude/projects");
    let file = format!("{id}.jsonl");
    std::fs::read_dir(projects)
        .map(|dirs| dirs.filter_map(Result::ok).any(|d| d.path().join(&file).is_file()))
        .unwrap_or(false)
}

/// The CLI's arguments and environment for a session; `creds` (the daemon's discovered
/// credentials) fill in the key only where the daemon's and the session's env leave it unset.
fn command(spec: &SessionSpec, creds: &Credentials) -> (Vec<String>, Vec<(String, String)>) {
    let mut args: Vec<String> = [
        "-p",
        "--input-format",
        "stream-json",
        "--output-format",
        "stream-json",
        "--verbose",
        "--include-partial-messages",
        "--permission-prompt-tool",
        "stdio",
    ]
    .map(String::from)
    .to_vec();
    let permission_mode = match (spec.agent_mode.as_str(), spec.permission_mode.as_str()) {
        ("plan", _) | (_, "plan") => Some("plan"),
        (_, "acceptEdits") => Some("acceptEdits"),
        (_, "bypass") => Some("bypassPermissions"),
        _ => None,
    };
    if let Some(mode) = permission_mode {
        args.extend(["--permission-mode".into(), mode.into()]);
    }
    if let Some(model) = &spec.model {
        args.extend(["--model".into(), model.clone()]);
    }
    // A model's variants are its effort levels (GET /v1/agents/claude/models).
    if let Some(effort) = &spec.variant {
        args.extend(["--effort".into(), effort.clone()]);
    }
    if let Some(id) = spec.start.native_session_id() {
        args.extend(["--resume".into(), id.to_string()]);
    }
    // Only the session's servers: none from the user's or the project's own settings.
    if !spec.mcp.is_empty() {
        args.extend(["--mcp-config".into(), mcp_config_path(spec).display().to_string(), "--strict-mcp-config".into()]);
    }
    (args, environment(spec, creds, permission_mode == Some("bypassPermissions")))
}

/// The CLI's environment: the session's own config dir under its state dir, quiet, the
/// provider's settings, the session's env, then `creds` where nothing set the key. `skipping`:
/// the CLI may be told to skip permission prompts.
fn environment(spec: &SessionSpec, creds: &Credentials, skipping: bool) -> Vec<(String, String)> {
    let home: PathBuf = spec.state_dir.join("home");
    let mut env = process::base_env(&home);
    env.push(("CLAUDE_CONFIG_DIR".into(), home.join(".claude").display().to_string()));
    env.extend(QUIET_ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    // Claude refuses to skip permission prompts as root unless told it is sandboxed.
    if skipping && process::running_as_root() {
        env.push(("IS_SANDBOX".into(), "1".into()));
    }
    env.extend(PROVIDER_ENV.iter().filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v))));
    env.extend(spec.env.iter().cloned());
    credentials::inject(&mut env, "claude", creds);
    env
}

/// Claude under its ACP adapter (`claude-agent-acp`, the ACP adapter's `Setup::Claude`): the
/// CLI's environment (the adapter starts the CLI allowed to skip prompts), and the session's
/// permission mode as the `settings.json` default the adapter starts in (its own default,
/// `auto`, has a classifier decide and warns in every reply when a gateway serves the model).
pub(crate) fn acp_launch(spec: &SessionSpec) -> std::io::Result<Vec<(String, String)>> {
    let mode = match spec.permission_mode.as_str() {
        "acceptEdits" => "acceptEdits",
        "plan" => "plan",
        "bypass" => "bypassPermissions",
        _ => "default",
    };
    let dir = spec.state_dir.join("home/.claude");
    std::fs::create_dir_all(&dir)?;
    let settings = serde_json::json!({"permissions": {"defaultMode": mode}});
    process::write_private(&dir.join("settings.json"), settings.to_string().as_bytes())?;
    Ok(environment(spec, &credentials::for_daemon(), true))
}

/// A session's CLI as a line protocol: stdout lines through the converter, daemon input as
/// lines for its stdin. A shutdown stops it gracefully (it saves its conversation).
struct Session {
    conv: Converter,
    /// The CLI told us its session id.
    native_session: bool,
}

impl LineProtocol for Session {
    type Output = AgentOutput;
    type Input = AgentInput;

    fn line(&mut self, line: &str, steps: &mut Vec<Step<AgentOutput>>) {
        for action in self.conv.line(line) {
            self.native_session |= matches!(action, Action::Emit(AgentOutput::NativeSessionId(_)));
            steps.push(action.into());
        }
    }

    fn input(&mut self, input: Option<AgentInput>, steps: &mut Vec<Step<AgentOutput>>) {
        let conv = &mut self.conv;
        let line = match input {
            Some(AgentInput::Message { text, attachments, .. }) => {
                Some(Converter::user_message(attachments::content(&text, &attachments)))
            }
            Some(AgentInput::Interrupt) => Some(conv.interrupt()),
            Some(AgentInput::PermissionReply { permission_id, reply }) => conv.permission_reply(&permission_id, reply),
            Some(AgentInput::QuestionReply { question_id, answers }) => {
                conv.question_reply(&question_id, Some(&answers))
            }
            Some(AgentInput::QuestionReject { question_id }) => conv.question_reply(&question_id, None),
            Some(AgentInput::Shutdown) | None => {
                steps.push(Step::Stop(Stop::Graceful));
                return;
            }
        };
        // A write error means the process is going away; its exit is reported when stdout closes.
        steps.extend(line.map(Step::Write));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(agent_mode: &str, permission_mode: &str) -> SessionSpec {
        SessionSpec {
            session_id: "s".into(),
            agent_mode: agent_mode.into(),
            permission_mode: permission_mode.into(),
            model: Some("claude-test".into()),
            variant: Some("max".into()),
            directory: "/work".into(),
            state_dir: "/state".into(),
            env: vec![("ANTHROPIC_BASE_URL".into(), "http://127.0.0.1:9".into())],
            mcp: Default::default(),
            skills: Vec::new(),
            start: Start::Resume { native_session_id: Some("abc".into()) },
        }
    }

    #[test]
    fn only_saved_conversations_are_resumed() {
        let dir = std::env::temp_dir().join(format!("claude-saved-{}", std::process::id()));
        assert!(!conversation_saved(&dir, "abc"));
        let project = dir.join("home/.claude/projects/-work");
        std::fs::create_dir_all(&project).unwrap();
        assert!(!conversation_saved(&dir, "abc"));
        std::fs::write(project.join("abc.jsonl"), "{}\n").unwrap();
        assert!(conversation_saved(&dir, "abc"));
        assert!(!conversation_saved(&dir, "other"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn command_line_and_environment() {
        let (args, env) = command(&spec("build", "acceptEdits"), &Credentials::default());
        let joined = args.join(" ");
        assert!(joined.contains("--input-format stream-json --output-format stream-json --verbose"));
        assert!(joined.contains("--permission-prompt-tool stdio"));
        assert!(joined.contains("--permission-mode acceptEdits"));
        assert!(joined.contains("--model claude-test --effort max"));
        assert!(joined.ends_with("--resume abc"));
        let get = |k: &str| env.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("HOME"), Some("/state/home"));
        assert_eq!(get("CLAUDE_CONFIG_DIR"), Some("/state/home/.claude"));
        assert_eq!(get("DISABLE_TELEMETRY"), Some("1"));
        assert_eq!(get("ANTHROPIC_BASE_URL"), Some("http://127.0.0.1:9"), "the session's env wins");
        let (args, _) = command(&spec("plan", "default"), &Credentials::default());
        assert!(args.join(" ").contains("--permission-mode plan"));
    }

    /// Credentials found in `home` (a temp dir) with an empty environment.
    fn found_in(home: &std::path::Path) -> Credentials {
        credentials::discover(home, &|_| None)
    }

    #[test]
    fn discovered_credentials_fill_in_and_the_session_env_wins() {
        if [
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_AUTH_TOKEN",
            "ANTHROPIC_BASE_URL",
            "CLAUDE_CODE_USE_BEDROCK",
            "CLAUDE_CODE_USE_VERTEX",
        ]
        .iter()
        .any(|k| std::env::var_os(k).is_some())
        {
            eprintln!("skipped: the test's own environment sets an Anthropic variable, which wins");
            return;
        }
        let home = tempfile::tempdir().unwrap();
        std::fs::write(home.path().join(".claude.json"), r#"{"primaryApiKey":"sk-ant-api03-discovered-key"}"#).unwrap();
        let creds = found_in(home.path());
        let get = |env: &[(String, String)], k: &str| {
            env.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect::<Vec<_>>()
        };
        let mut s = spec("build", "default");
        s.env.clear();
        let (_, env) = command(&s, &creds);
        assert_eq!(get(&env, "ANTHROPIC_API_KEY"), ["sk-ant-api03-discovered-key"]);
        assert!(get(&env, "CLAUDE_CODE_OAUTH_TOKEN").is_empty());
        // An explicit key in the session's env wins; the discovered one is not added at all.
        s.env = vec![("ANTHROPIC_API_KEY".into(), "sk-ant-session".into())];
        let (_, env) = command(&s, &creds);
        assert_eq!(get(&env, "ANTHROPIC_API_KEY"), ["sk-ant-session"]);
        // A session pointed at another endpoint brings its own key: none is sent there.
        let (_, env) = command(&spec("build", "default"), &creds);
        assert!(get(&env, "ANTHROPIC_API_KEY").is_empty());
        // An OAuth login becomes CLAUDE_CODE_OAUTH_TOKEN.
        std::fs::remove_file(home.path().join(".claude.json")).unwrap();
        std::fs::create_dir_all(home.path().join(".claude")).unwrap();
        std::fs::write(
            home.path().join(".claude/.credentials.json"),
            r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-login","expiresAt":7258118400000}}"#,
        )
        .unwrap();
        s.env.clear();
        let (_, env) = command(&s, &found_in(home.path()));
        assert_eq!(get(&env, "CLAUDE_CODE_OAUTH_TOKEN"), ["sk-ant-oat01-login"]);
        assert!(get(&env, "ANTHROPIC_API_KEY").is_empty());
    }
}
