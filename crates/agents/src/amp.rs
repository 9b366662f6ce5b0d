//! Amp: one `amp --execute --stream-json` process per turn; later turns continue the thread
//! with `amp threads continue <thread>`. Its stream JSON is Claude Code's format, so the
//! Claude converter reads it. Amp's agent loop runs on Amp's servers (it cannot be pointed at
//! a local model), so it is tested with a fake `amp` binary replaying recorded stream JSON.

use std::path::{Path, PathBuf};

use sandbox_agent_exec::{LineProtocol, Outcome, SpawnSpec, Step, Stop};
use sandbox_agent_schema::*;
use tokio::sync::mpsc;

use crate::claude::{Action, Converter};
use crate::credentials::{self, Credentials};
use crate::process;
use crate::{
    Agent, AgentError, AgentEvent, AgentHandle, AgentInput, AgentOutput, InstallStatus, Locate, ModelsFuture,
    ModelsSpec, OutputSender, SessionSpec, StartFuture,
};

pub struct AmpAgent {
    locate: Locate,
}

impl AmpAgent {
    pub fn new(locate: Locate) -> Self {
        AmpAgent { locate }
    }
}

/// Amp settings and keys taken from the daemon's environment (a session's `env` wins).
const PROVIDER_ENV: &[&str] = &["AMP_API_KEY", "AMP_URL", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"];

impl Agent for AmpAgent {
    fn id(&self) -> &str {
        "amp"
    }

    fn capabilities(&self) -> AgentCapabilities {
        // Amp cannot run against the model stub, so no test with the real CLI proves any
        // behaviour; the fake-binary tests only show the adapter's side.
        AgentCapabilities::default()
    }

    fn modes(&self) -> Vec<AgentModeInfo> {
        let mode = |id: &str, description: &str| AgentModeInfo {
            id: id.into(),
            name: id.into(),
            description: description.into(),
        };
        vec![
            mode("default", "Amp's default agent mode"),
            mode("low", "amp --mode low"),
            mode("medium", "amp --mode medium"),
            mode("high", "amp --mode high"),
            mode("ultra", "amp --mode ultra"),
        ]
    }

    fn permission_modes(&self) -> &'static [&'static str] {
        &["default", "bypass"]
    }

    fn install_status(&self) -> InstallStatus {
        (self.locate)()
    }

    /// Nothing to choose from: Amp's servers pick the model (from the agent mode), and the
    /// CLI takes no model option. True whether or not the binary is installed.
    fn models(&self, _spec: ModelsSpec) -> ModelsFuture<'_> {
        let note =
            "Amp has no model choice: Amp's servers pick the model from the agent mode (GET /v1/agents/amp/modes), \
                    so a session's `model` is ignored";
        Box::pin(
            async move { Ok(AgentModelsResponse { models: Vec::new(), default_model: None, note: Some(note.into()) }) },
        )
    }

    fn start(&self, spec: SessionSpec, output: OutputSender) -> StartFuture {
        let status = (self.locate)();
        Box::pin(async move {
            let binary = match status.path {
                Some(path) if status.installed => path,
                _ => return Err(AgentError::NotInstalled("amp".into())),
            };
            std::fs::create_dir_all(spec.state_dir.join("home")).map_err(|e| AgentError::Spawn(e.to_string()))?;
            let (input, rx) = mpsc::unbounded_channel();
            let native_session_id = spec.start.native_session_id().map(str::to_string);
            tokio::spawn(run(binary, spec, rx, output));
            Ok(AgentHandle { input, native_session_id })
        })
    }
}

/// One turn's environment; `creds` (the daemon's discovered credentials) add `AMP_API_KEY`
/// where the daemon's and the session's env leave it (and `AMP_URL`) unset.
fn environment(spec: &SessionSpec, creds: &Credentials) -> Vec<(String, String)> {
    let mut env = process::base_env(&spec.state_dir.join("home"));
    env.push(("AMP_SKIP_UPDATE_CHECK".into(), "1".into()));
    env.extend(PROVIDER_ENV.iter().filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v))));
    env.extend(spec.env.iter().cloned());
    credentials::inject(&mut env, "amp", creds);
    env
}

/// The command line of one turn.
fn turn_args(spec: &SessionSpec, thread: Option<&str>, prompt: &str, settings: &Path) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(thread) = thread {
        args.extend(["threads".into(), "continue".into(), thread.to_string()]);
    }
    if spec.agent_mode != "default" && spec.agent_mode != "build" {
        args.extend(["--mode".into(), spec.agent_mode.clone()]);
    }
    args.extend(["--settings-file".into(), settings.display().to_string()]);
    args.extend(["--stream-json".into(), "--execute".into(), prompt.to_string()]);
    args
}

/// Amp asks before risky commands unless told not to; in execute mode nobody could answer,
/// so `bypass` turns the confirmations off and `default` keeps Amp's own rules.
fn write_settings(spec: &SessionSpec) -> std::io::Result<PathBuf> {
    let path = spec.state_dir.join("amp-settings.json");
    let settings = serde_json::json!({"amp.dangerouslyAllowAll": spec.permission_mode == "bypass"});
    std::fs::write(&path, settings.to_string())?;
    Ok(path)
}

fn emit(data: EventData, synthetic: bool) -> AgentOutput {
    AgentOutput::Event(AgentEvent { data, synthetic, raw: None })
}

fn turn_failed(message: String, code: &str) -> [AgentOutput; 2] {
    let error = ErrorData { message: message.clone(), code: Some(code.into()), details: None };
    [emit(EventData::Error(error), true), emit(crate::universal::turn_failed(message), true)]
}

/// Whether the session goes on after a turn.
enum Flow {
    Continue,
    Stop,
}

async fn run(binary: PathBuf, spec: SessionSpec, mut input: mpsc::UnboundedReceiver<AgentInput>, out: OutputSender) {
    let mut thread = spec.start.native_session_id().map(str::to_string);
    let mut announce = !spec.start.is_resume();
    while let Some(msg) = input.recv().await {
        let flow = match msg {
            AgentInput::Message { text, .. } => {
                turn(&binary, &spec, &mut thread, &mut announce, &text, &mut input, &out).await
            }
            AgentInput::Shutdown => Flow::Stop,
            // No turn is running (a turn consumes input itself), and Amp has no prompts to answer.
            _ => Flow::Continue,
        };
        if matches!(flow, Flow::Stop) {
            return;
        }
    }
}

async fn send_all(out: &OutputSender, outputs: impl IntoIterator<Item = AgentOutput>) -> bool {
    for output in outputs {
        if out.send(output).await.is_err() {
            return false;
        }
    }
    true
}

async fn turn(
    binary: &Path,
    spec: &SessionSpec,
    thread: &mut Option<String>,
    announce: &mut bool,
    prompt: &str,
    input: &mut mpsc::UnboundedReceiver<AgentInput>,
    out: &OutputSender,
) -> Flow {
    let env = environment(spec, &credentials::for_daemon());
    // Without a key Amp starts an interactive login and waits forever: fail the turn instead.
    if !env.iter().any(|(k, v)| k == "AMP_API_KEY" && !v.is_empty()) {
        let message = "amp needs AMP_API_KEY (in the daemon's environment or the session's env, or an `amp login` of the daemon's user); without it the CLI waits for an interactive login".to_string();
        return if send_all(out, turn_failed(message, "amp_api_key_missing")).await {
            Flow::Continue
        } else {
            Flow::Stop
        };
    }
    let settings = match write_settings(spec) {
        Ok(path) => path,
        Err(err) => {
            return if send_all(out, turn_failed(format!("cannot write amp settings: {err}"), "amp_spawn_failed")).await
            {
                Flow::Continue
            } else {
                Flow::Stop
            };
        }
    };
    let args = turn_args(spec, thread.as_deref(), prompt, &settings);
    let mut proc = match SpawnSpec::new("amp", binary, &spec.directory).args(args).env(env).spawn() {
        Ok(proc) => proc,
        Err(err) => {
            let message = format!("cannot start {}: {err}", binary.display());
            return if send_all(out, turn_failed(message, "amp_spawn_failed")).await {
                Flow::Continue
            } else {
                Flow::Stop
            };
        }
    };
    proc.close_stdin(); // the prompt is on the command line
    let mut turn = Turn { conv: Converter::new(std::mem::take(announce)), thread, ended: false, interrupted: false };
    let last = match sandbox_agent_exec::run(proc, &mut turn, input, out).await {
        Outcome::OutputClosed => return Flow::Stop,
        // The CLI exited by itself after its result (or was made to).
        Outcome::Stopped if turn.ended => return Flow::Continue,
        Outcome::Stopped if turn.interrupted => {
            let ended = TurnEndedData {
                turn_id: String::new(),
                reason: TurnEndReason::Interrupted,
                usage: None,
                message: None,
            };
            vec![emit(EventData::TurnEnded(ended), true)]
        }
        Outcome::Stopped => return Flow::Stop,
        // The turn ended without a result line: the CLI failed (bad key, server error, crash).
        Outcome::Exited(report) => turn_failed(report.message, "amp_failed").into(),
    };
    if send_all(out, last).await {
        Flow::Continue
    } else {
        Flow::Stop
    }
}

/// One turn's CLI as a line protocol, up to the turn's end: input after it (the next
/// message) is the next turn's. Its stream has no control protocol: nothing is written back.
struct Turn<'a> {
    conv: Converter,
    /// Amp's thread, once it has said which.
    thread: &'a mut Option<String>,
    /// The turn ended (its result line came).
    ended: bool,
    interrupted: bool,
}

impl LineProtocol for Turn<'_> {
    type Output = AgentOutput;
    type Input = AgentInput;

    fn line(&mut self, line: &str, steps: &mut Vec<Step<AgentOutput>>) {
        for action in self.conv.line(line) {
            let Action::Emit(output) = action else { continue };
            match &output {
                AgentOutput::NativeSessionId(id) => *self.thread = Some(id.clone()),
                AgentOutput::Event(ev) if matches!(ev.data, EventData::TurnEnded(_)) => self.ended = true,
                _ => {}
            }
            steps.push(Step::Emit(output));
        }
        if self.ended {
            // It exits by itself after its result; the stop makes sure nothing lingers.
            steps.push(Step::Stop(Stop::Graceful));
        }
    }

    fn input(&mut self, input: Option<AgentInput>, steps: &mut Vec<Step<AgentOutput>>) {
        match input {
            Some(AgentInput::Interrupt) => {
                self.interrupted = true;
                steps.push(Step::Stop(Stop::Kill));
            }
            Some(AgentInput::Shutdown) | None => steps.push(Step::Stop(Stop::Kill)),
            // Amp has no prompts to answer; the daemon sends no message while a turn runs.
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::sync::Arc;
    use std::time::Duration;

    const WAIT: Duration = Duration::from_secs(20);

    /// A fake `amp`: replays a recorded Claude-format stream (with an Amp thread id), fails
    /// like a rejected key, or hangs, depending on the prompt; logs its arguments.
    fn fake_amp(dir: &Path) -> PathBuf {
        let transcript = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../resources/transcripts/claude-print-bash-bypass.jsonl");
        let script = format!(
            r#"#!/bin/sh
echo "$@" >> "{log}"
for last; do :; done
case "$last" in
  *FAILKEY*) echo "Error: Invalid API key" >&2; exit 1 ;;
  *HANG*) head -n 1 "{transcript}"; exec sleep 600 ;;
esac
sed 's/6385709d-8c74-46b2-b045-98e8ded23f54/T-fake-thread/g' "{transcript}"
"#,
            log = dir.join("args.log").display(),
            transcript = transcript.display()
        );
        let path = dir.join("amp");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn spec(dir: &Path, env: Vec<(String, String)>) -> SessionSpec {
        SessionSpec {
            session_id: "s".into(),
            agent_mode: "default".into(),
            permission_mode: "bypass".into(),
            model: None,
            variant: None,
            directory: dir.to_path_buf(),
            state_dir: dir.join("state"),
            env,
            mcp: Default::default(),
            skills: Vec::new(),
            start: crate::Start::Fresh,
        }
    }

    fn agent(binary: PathBuf) -> AmpAgent {
        AmpAgent::new(Arc::new(move || InstallStatus {
            installed: true,
            version: Some("fake".into()),
            path: Some(binary.clone()),
            ..Default::default()
        }))
    }

    /// Send a message and collect outputs up to its turn.ended.
    async fn turn_outputs(
        input: &mpsc::UnboundedSender<AgentInput>,
        rx: &mut mpsc::Receiver<AgentOutput>,
        text: &str,
    ) -> Vec<AgentOutput> {
        input.send(AgentInput::Message { turn_id: "t".into(), text: text.into(), attachments: vec![] }).unwrap();
        let mut got = Vec::new();
        tokio::time::timeout(WAIT, async {
            while let Some(out) = rx.recv().await {
                let done = matches!(&out, AgentOutput::Event(ev) if matches!(ev.data, EventData::TurnEnded(_)));
                got.push(out);
                if done {
                    return;
                }
            }
        })
        .await
        .expect("the turn ended");
        got
    }

    fn events(outputs: &[AgentOutput]) -> Vec<&EventData> {
        outputs
            .iter()
            .filter_map(|o| match o {
                AgentOutput::Event(ev) => Some(&ev.data),
                _ => None,
            })
            .collect()
    }

    fn key() -> Vec<(String, String)> {
        vec![("AMP_API_KEY".into(), "sgamp_test".into())]
    }

    #[tokio::test]
    async fn turns_convert_and_later_turns_continue_the_thread() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = mpsc::channel(256);
        let handle = agent(fake_amp(dir.path())).start(spec(dir.path(), key()), tx).await.unwrap();
        let first = turn_outputs(&handle.input, &mut rx, "run a command").await;
        let evs = events(&first);
        assert!(evs.iter().all(|e| !matches!(e, EventData::AgentUnparsed(_))), "{evs:?}");
        assert!(evs.iter().any(|e| matches!(e, EventData::ItemCompleted(d) if d.item.kind == ItemKind::ToolResult)));
        assert!(first.iter().any(|o| matches!(o, AgentOutput::NativeSessionId(id) if id == "T-fake-thread")));
        let EventData::TurnEnded(end) = evs.last().unwrap() else { panic!() };
        assert_eq!(end.reason, TurnEndReason::Completed);
        let second = turn_outputs(&handle.input, &mut rx, "again").await;
        assert!(!events(&second).iter().any(|e| matches!(e, EventData::SessionStarted(_))), "announced once");
        let log = std::fs::read_to_string(dir.path().join("args.log")).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert!(lines[0].contains("--stream-json --execute run a command") && !lines[0].contains("threads"));
        assert!(lines[1].starts_with("threads continue T-fake-thread"), "{}", lines[1]);
        let settings = std::fs::read_to_string(dir.path().join("state/amp-settings.json")).unwrap();
        assert!(settings.contains("\"amp.dangerouslyAllowAll\":true"));
    }

    #[tokio::test]
    async fn a_missing_key_is_a_clear_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = mpsc::channel(16);
        let mut s = spec(dir.path(), vec![("AMP_API_KEY".into(), String::new())]);
        s.permission_mode = "default".into();
        let handle = agent(fake_amp(dir.path())).start(s, tx).await.unwrap();
        let outs = turn_outputs(&handle.input, &mut rx, "hello").await;
        let evs = events(&outs);
        assert!(matches!(evs[0], EventData::Error(e) if e.code.as_deref() == Some("amp_api_key_missing")));
        assert!(!dir.path().join("args.log").exists(), "amp was not started");
    }

    #[tokio::test]
    async fn a_rejected_key_fails_the_turn_with_the_cli_message() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = mpsc::channel(16);
        let handle = agent(fake_amp(dir.path())).start(spec(dir.path(), key()), tx).await.unwrap();
        let outs = turn_outputs(&handle.input, &mut rx, "FAILKEY").await;
        let evs = events(&outs);
        let EventData::Error(err) = evs[0] else { panic!("{evs:?}") };
        assert!(err.message.contains("Invalid API key") && err.message.contains("status 1"), "{}", err.message);
        let EventData::TurnEnded(end) = evs[1] else { panic!() };
        assert_eq!(end.reason, TurnEndReason::Error);
    }

    #[tokio::test]
    async fn interrupt_kills_the_turn() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = mpsc::channel(16);
        let handle = agent(fake_amp(dir.path())).start(spec(dir.path(), key()), tx).await.unwrap();
        handle
            .input
            .send(AgentInput::Message { turn_id: "t".into(), text: "HANG".into(), attachments: vec![] })
            .unwrap();
        // Interrupt once the CLI is running: it has printed its init line.
        let first = tokio::time::timeout(WAIT, rx.recv()).await.unwrap().unwrap();
        assert!(matches!(first, AgentOutput::NativeSessionId(_)), "{first:?}");
        handle.input.send(AgentInput::Interrupt).unwrap();
        let ended = tokio::time::timeout(WAIT, async {
            loop {
                if let Some(AgentOutput::Event(ev)) = rx.recv().await {
                    if let EventData::TurnEnded(end) = ev.data {
                        return end;
                    }
                }
            }
        });
        assert_eq!(ended.await.unwrap().reason, TurnEndReason::Interrupted);
    }

    #[test]
    fn discovered_token_fills_in_and_the_session_env_wins() {
        if ["AMP_API_KEY", "AMP_URL"].iter().any(|k| std::env::var_os(k).is_some()) {
            eprintln!("skipped: the test's own environment sets an Amp variable, which wins");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("user");
        std::fs::create_dir_all(home.join(".local/share/amp")).unwrap();
        std::fs::write(
            home.join(".local/share/amp/secrets.json"),
            r#"{"apiKey@https://ampcode.com/":"sgamp_user_discovered"}"#,
        )
        .unwrap();
        let creds = credentials::discover(&home, &|_| None);
        let keys = |env: Vec<(String, String)>| {
            env.into_iter().filter(|(k, _)| k == "AMP_API_KEY").map(|(_, v)| v).collect::<Vec<_>>()
        };
        assert_eq!(keys(environment(&spec(dir.path(), vec![]), &creds)), ["sgamp_user_discovered"]);
        assert_eq!(keys(environment(&spec(dir.path(), key()), &creds)), ["sgamp_test"]);
        // Set empty on purpose: still no key (the turn fails with amp_api_key_missing).
        assert_eq!(keys(environment(&spec(dir.path(), vec![("AMP_API_KEY".into(), String::new())]), &creds)), [""]);
    }

    #[test]
    fn modes_become_flags() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = spec(dir.path(), vec![]);
        s.agent_mode = "high".into();
        let args = turn_args(&s, Some("T-1"), "hi", Path::new("/s.json")).join(" ");
        assert_eq!(args, "threads continue T-1 --mode high --settings-file /s.json --stream-json --execute hi");
    }
}
