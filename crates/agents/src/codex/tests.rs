//! The process loop against a fake `codex app-server` (a bash script speaking just enough
//! JSON-RPC): handshake, a turn with an approval, an interrupt, exit, shutdown, and failed
//! starts. Every wait has a timeout; nothing sleeps to synchronize.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sandbox_agent_schema::*;
use tokio::sync::mpsc;

use super::*;
use crate::Start;

/// Speaks the app-server protocol for the tests, in messages of the app-server's schema (the
/// initialize and thread/start results are recorded ones, see `fake_codex`). `FAKE_CODEX_MODE` (from the session's env):
/// `ok`, `die` (exits during initialize), `nothread` (refuses thread/start), `mute` (never
/// answers thread/start). Prompts: `APPROVE` asks to run a command and reports the decision,
/// `SLOW` runs until interrupted, `EXIT` exits with status 7, anything else replies at once.
const FAKE_CODEX: &str = r#"#!/usr/bin/env bash
[ "$1" = "app-server" ] || { echo "fake codex: expected app-server, got $*" >&2; exit 64; }
echo "fake codex: CODEX_HOME=$CODEX_HOME" >&2
mode="${FAKE_CODEX_MODE:-ok}"
T=thr_fake
tid=""
n=0
ZERO='"cacheWriteInputTokens":0,"cachedInputTokens":0,"reasoningOutputTokens":0,"totalTokens":0'
say() { printf '%s\n' "$1"; }
finish() {
  say "{\"method\":\"item/started\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"startedAtMs\":1,\"item\":{\"type\":\"agentMessage\",\"id\":\"msg_$n\",\"text\":\"\"}}}"
  say "{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"itemId\":\"msg_$n\",\"delta\":\"$1\"}}"
  say "{\"method\":\"item/completed\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"completedAtMs\":2,\"item\":{\"type\":\"agentMessage\",\"id\":\"msg_$n\",\"text\":\"$1\"}}}"
  say "{\"method\":\"thread/tokenUsage/updated\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"tokenUsage\":{\"total\":{\"inputTokens\":$((n*10)),\"outputTokens\":$n,$ZERO},\"last\":{\"inputTokens\":10,\"outputTokens\":1,$ZERO}}}}"
  say "{\"method\":\"turn/completed\",\"params\":{\"threadId\":\"$T\",\"turn\":{\"id\":\"$tid\",\"items\":[],\"status\":\"completed\",\"error\":null}}}"
}
while IFS= read -r line; do
  id=""
  [[ $line =~ \"id\":([0-9]+) ]] && id=${BASH_REMATCH[1]}
  case "$line" in
    *'"method":"initialize"'*)
      [ "$mode" = "die" ] && { echo "fake codex: cannot start: no credentials" >&2; exit 3; }
      say '{"method":"configWarning","params":{"summary":"fake config warning","details":null}}'
      printf '{"id":%s,"result":%s}\n' "$id" '@INIT_RESULT@' ;;
    *'"method":"initialized"'*) ;;
    *'"method":"model/list"'*'"cursor":null'*)
      say "{\"id\":$id,\"result\":{\"data\":[{\"id\":\"fake-a\",\"model\":\"fake-a\",\"displayName\":\"Fake A\",\"description\":\"first\",\"hidden\":false,\"isDefault\":false,\"defaultReasoningEffort\":\"low\",\"supportedReasoningEfforts\":[{\"reasoningEffort\":\"low\",\"description\":\"l\"}]}],\"nextCursor\":\"p2\"}}" ;;
    *'"method":"model/list"'*)
      say "{\"method\":\"remoteControl/status/changed\",\"params\":{\"status\":\"disabled\"}}"
      say "{\"id\":$id,\"result\":{\"data\":[{\"id\":\"fake-b\",\"model\":\"fake-b\",\"displayName\":\"Fake B\",\"description\":\"second\",\"hidden\":false,\"isDefault\":true,\"defaultReasoningEffort\":\"high\",\"supportedReasoningEfforts\":[]}],\"nextCursor\":null}}" ;;
    *'"method":"thread/start"'*|*'"method":"thread/resume"'*)
      case "$mode" in
        nothread) say "{\"id\":$id,\"error\":{\"code\":-32600,\"message\":\"no such thread\"}}" ;;
        mute) ;;
        *) printf '{"id":%s,"result":%s}\n' "$id" '@THREAD_RESULT@' ;;
      esac ;;
    *'"method":"turn/start"'*)
      n=$((n+1)); tid="turn_$n"
      say "{\"id\":$id,\"result\":{\"turn\":{\"id\":\"$tid\",\"items\":[],\"status\":\"inProgress\"}}}"
      say "{\"method\":\"turn/started\",\"params\":{\"threadId\":\"$T\",\"turn\":{\"id\":\"$tid\",\"items\":[],\"status\":\"inProgress\"}}}"
      case "$line" in
        *APPROVE*)
          say "{\"method\":\"item/started\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"startedAtMs\":1,\"item\":{\"type\":\"commandExecution\",\"id\":\"call_$n\",\"command\":\"echo hi\",\"commandActions\":[],\"cwd\":\"/w\",\"status\":\"inProgress\",\"aggregatedOutput\":null,\"exitCode\":null}}}"
          say "{\"method\":\"item/commandExecution/requestApproval\",\"id\":0,\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"itemId\":\"call_$n\",\"startedAtMs\":1,\"command\":\"echo hi\",\"cwd\":\"/w\"}}" ;;
        *SLOW*) ;;
        *EXIT*) echo "fake codex: exiting on request" >&2; exit 7 ;;
        *) finish "plain reply" ;;
      esac ;;
    *'"decision":'*)
      [[ $line =~ \"decision\":\"([A-Za-z]+)\" ]] && decision=${BASH_REMATCH[1]}
      say "{\"method\":\"serverRequest/resolved\",\"params\":{\"threadId\":\"$T\",\"requestId\":0}}"
      say "{\"method\":\"item/commandExecution/outputDelta\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"itemId\":\"call_$n\",\"delta\":\"hi\\n\"}}"
      say "{\"method\":\"item/completed\",\"params\":{\"threadId\":\"$T\",\"turnId\":\"$tid\",\"completedAtMs\":2,\"item\":{\"type\":\"commandExecution\",\"id\":\"call_$n\",\"command\":\"echo hi\",\"commandActions\":[],\"cwd\":\"/w\",\"status\":\"completed\",\"aggregatedOutput\":\"hi\\n\",\"exitCode\":0}}}"
      finish "decision $decision" ;;
    *'"method":"turn/interrupt"'*)
      say "{\"id\":$id,\"result\":{}}"
      say "{\"method\":\"turn/completed\",\"params\":{\"threadId\":\"$T\",\"turn\":{\"id\":\"$tid\",\"items\":[],\"status\":\"interrupted\",\"error\":null}}}" ;;
    *) echo "fake codex: unexpected $line" >&2 ;;
  esac
done
echo "fake codex: stdin closed" >&2
"#;

const WAIT: Duration = Duration::from_secs(20);

struct Fixture {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    agent: CodexAgent,
    work: PathBuf,
    state: PathBuf,
}

/// The fake's script, with the `initialize` and `thread/start` results of a recorded session
/// (the thread renamed `thr_fake`), which carry every field the app-server's schema requires.
fn fake_codex() -> String {
    let lines = crate::transcripts::load("codex-appserver-approval-decline.jsonl");
    let result = |pick: &dyn Fn(&serde_json::Value) -> bool| {
        let line = lines.iter().find(|l| l["_dir"] == "stdout" && pick(&l["msg"]["result"])).expect("recorded");
        line["msg"]["result"].clone()
    };
    let init = result(&|r| r["userAgent"].is_string());
    let mut thread = result(&|r| r["thread"]["id"].is_string());
    thread["thread"]["id"] = json!("thr_fake");
    thread["model"] = json!("fake-model");
    // Single-quoted in the script.
    let quoted = |v: serde_json::Value| v.to_string().replace('\'', r"'\''");
    FAKE_CODEX.replace("@INIT_RESULT@", &quoted(init)).replace("@THREAD_RESULT@", &quoted(thread))
}

fn fixture() -> Fixture {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("codex");
    std::fs::write(&bin, fake_codex()).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let state = dir.path().join("state");
    Fixture { agent: CodexAgent::new(locate_at(&bin)), bin, work, state, _dir: dir }
}

fn spec(work: &Path, state: &Path, mode: &str, permission_mode: &str) -> SessionSpec {
    SessionSpec {
        session_id: "s1".into(),
        agent_mode: "build".into(),
        permission_mode: permission_mode.into(),
        model: Some("gpt-test".into()),
        variant: None,
        directory: work.to_path_buf(),
        state_dir: state.to_path_buf(),
        env: vec![("FAKE_CODEX_MODE".into(), mode.into()), ("OPENAI_BASE_URL".into(), "http://127.0.0.1:9/v1".into())],
        mcp: Default::default(),
        skills: Vec::new(),
        start: Start::Fresh,
    }
}

/// Outputs until (and including) the first one `pred` accepts.
async fn until(
    rx: &mut mpsc::Receiver<AgentOutput>,
    what: &str,
    pred: impl Fn(&AgentOutput) -> bool,
) -> Vec<AgentOutput> {
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(WAIT, rx.recv()).await {
            Ok(Some(out)) => {
                let done = pred(&out);
                seen.push(out);
                if done {
                    return seen;
                }
            }
            Ok(None) => panic!("output closed while waiting for {what}; saw {seen:#?}"),
            Err(_) => panic!("timed out waiting for {what}; saw {seen:#?}"),
        }
    }
}

fn data(out: &AgentOutput) -> Option<&EventData> {
    match out {
        AgentOutput::Event(ev) => Some(&ev.data),
        _ => None,
    }
}

fn is_turn_end(out: &AgentOutput) -> bool {
    matches!(data(out), Some(EventData::TurnEnded(_)))
}

#[tokio::test]
async fn a_session_against_a_fake_app_server() {
    let f = fixture();
    let (tx, mut rx) = mpsc::channel(1024);
    let handle = f.agent.start(spec(&f.work, &f.state, "ok", "default"), tx).await.expect("started");
    assert_eq!(handle.native_session_id.as_deref(), Some("thr_fake"));

    // The session's own CODEX_HOME and config.
    let config = std::fs::read_to_string(f.state.join("home/.codex/config.toml")).unwrap();
    assert!(
        config.contains("base_url = \"http://127.0.0.1:9/v1\"") && config.contains("[analytics]\nenabled = false"),
        "{config}"
    );

    // Handshake output: the thread id, session.started, the config warning.
    let seen = until(&mut rx, "session.started", |o| matches!(data(o), Some(EventData::SessionStarted(_)))).await;
    assert!(seen.iter().any(|o| matches!(o, AgentOutput::NativeSessionId(id) if id == "thr_fake")));
    let Some(EventData::SessionStarted(started)) = data(seen.last().unwrap()) else { unreachable!() };
    assert_eq!(started.metadata.as_ref().unwrap()["model"], "fake-model");
    assert!(
        seen.iter().any(|o| matches!(data(o), Some(EventData::ItemCompleted(d)) if d.item.kind == ItemKind::Status)),
        "{seen:#?}"
    );

    // A turn with an approval: the reply is written back and Codex goes on.
    handle
        .input
        .send(AgentInput::Message { turn_id: "turn_1".into(), text: "APPROVE please".into(), attachments: vec![] })
        .unwrap();
    let seen =
        until(&mut rx, "permission.requested", |o| matches!(data(o), Some(EventData::PermissionRequested(_)))).await;
    let Some(EventData::PermissionRequested(perm)) = data(seen.last().unwrap()) else { unreachable!() };
    assert_eq!((perm.permission_id.as_str(), perm.action.as_str()), ("0", "commandExecution"));
    assert!(seen
        .iter()
        .any(|o| matches!(data(o), Some(EventData::ItemCompleted(d)) if d.item.kind == ItemKind::ToolCall)));
    handle.input.send(AgentInput::PermissionReply { permission_id: "0".into(), reply: PermissionReply::Once }).unwrap();
    let seen = until(&mut rx, "the end of turn 1", is_turn_end).await;
    let result = seen.iter().find_map(|o| match data(o) {
        Some(EventData::ItemCompleted(d)) if d.item.kind == ItemKind::ToolResult => Some(d.item.clone()),
        _ => None,
    });
    assert!(matches!(&result.unwrap().content[0], ContentPart::ToolResult { output, .. } if output == "hi\n"));
    assert!(seen.iter().any(|o| matches!(data(o), Some(EventData::ItemCompleted(d)) if d.item.content == [ContentPart::text("decision accept")])), "{seen:#?}");
    let Some(EventData::TurnEnded(end)) = data(seen.last().unwrap()) else { unreachable!() };
    assert_eq!(end.reason, TurnEndReason::Completed);
    assert_eq!(end.usage.as_ref().unwrap().input_tokens, Some(10));

    // An interrupt, sent before Codex has even named the turn.
    handle
        .input
        .send(AgentInput::Message { turn_id: "turn_2".into(), text: "SLOW".into(), attachments: vec![] })
        .unwrap();
    handle.input.send(AgentInput::Interrupt).unwrap();
    let seen = until(&mut rx, "the end of turn 2", is_turn_end).await;
    let Some(EventData::TurnEnded(end)) = data(seen.last().unwrap()) else { unreachable!() };
    assert_eq!(end.reason, TurnEndReason::Interrupted);

    // The process exits: Exited, resumable (the thread is on disk), with stderr.
    handle
        .input
        .send(AgentInput::Message { turn_id: "turn_3".into(), text: "EXIT".into(), attachments: vec![] })
        .unwrap();
    let seen = until(&mut rx, "Exited", |o| matches!(o, AgentOutput::Exited(_))).await;
    let Some(AgentOutput::Exited(exit)) = seen.last() else { unreachable!() };
    assert_eq!(exit.exit_code, Some(7));
    assert!(exit.resumable);
    assert!(exit.message.contains("exiting on request"), "{}", exit.message);
    assert!(exit.stderr.as_ref().unwrap().head.as_deref().unwrap().contains("CODEX_HOME="));
    assert!(matches!(tokio::time::timeout(WAIT, rx.recv()).await, Ok(None)), "nothing after Exited");
}

#[tokio::test]
async fn shutdown_kills_without_reporting() {
    let f = fixture();
    let (tx, mut rx) = mpsc::channel(1024);
    let mut s = spec(&f.work, &f.state, "ok", "bypass");
    s.start = Start::Resume { native_session_id: Some("thr_fake".into()) };
    let handle = f.agent.start(s, tx).await.expect("resumed");
    assert_eq!(handle.native_session_id.as_deref(), Some("thr_fake"));
    handle.input.send(AgentInput::Shutdown).unwrap();
    let mut rest = Vec::new();
    loop {
        match tokio::time::timeout(WAIT, rx.recv()).await {
            Ok(Some(out)) => rest.push(out),
            Ok(None) => break,
            Err(_) => panic!("the run loop did not stop"),
        }
    }
    assert!(!rest.iter().any(|o| matches!(o, AgentOutput::Exited(_))), "{rest:#?}");
    assert!(
        !rest.iter().any(|o| matches!(data(o), Some(EventData::SessionStarted(_)))),
        "a resumed session is not announced"
    );
}

#[tokio::test]
async fn failed_starts_are_spawn_errors_with_stderr() {
    let f = fixture();
    for (mode, expect) in [("die", "cannot start: no credentials"), ("nothread", "thread/start failed: no such thread")]
    {
        let (tx, _rx) = mpsc::channel(1024);
        let err = f.agent.start(spec(&f.work, &f.state, mode, "default"), tx).await.err().expect("refused");
        let AgentError::Spawn(message) = err else { panic!("{err:?}") };
        assert!(message.contains(expect), "{mode}: {message}");
    }
    // A step that is not answered in time.
    let impatient = CodexAgent::new(locate_at(&f.bin)).with_handshake_step(Duration::from_millis(300));
    let (tx, _rx) = mpsc::channel(1024);
    let Err(AgentError::Spawn(message)) = impatient.start(spec(&f.work, &f.state, "mute", "default"), tx).await else {
        panic!()
    };
    assert!(message.contains("did not answer thread/start within 300 ms"), "{message}");

    let missing = CodexAgent::new(std::sync::Arc::new(InstallStatus::default));
    let (tx, _rx) = mpsc::channel(1024);
    assert!(matches!(
        missing.start(spec(&f.work, &f.state, "ok", "default"), tx).await,
        Err(AgentError::NotInstalled(_))
    ));
}

#[test]
fn launch_settings_per_mode() {
    let work = Path::new("/work");
    let state = Path::new("/state");
    let mut s = spec(work, state, "ok", "plan");
    s.agent_mode = "plan".into();
    s.variant = Some("high".into());
    s.env.push(("OPENAI_BASE_URL".into(), "http://x/\"v1\"".into()));
    let launch = Launch::new(&s, "n", &Credentials::default());
    let get = |k: &str| launch.env.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("HOME"), Some("/state/home"));
    assert_eq!(get("CODEX_HOME"), Some("/state/home/.codex"));
    assert_eq!(get("FAKE_CODEX_MODE"), Some("ok"), "the session's env comes last");
    assert!(
        launch.config.contains("model = \"gpt-test\"\nmodel_reasoning_effort = \"high\"\nmodel_provider = \"sandbox\""),
        "{}",
        launch.config
    );
    assert!(
        launch.config.contains("base_url = \"http://x/\\\"v1\\\"\""),
        "the last base URL, escaped: {}",
        launch.config
    );
    assert!(launch.config.contains("request_max_retries = 0\nstream_max_retries = 0"));
    let p = &launch.settings.thread_params;
    assert_eq!(
        (p["approvalPolicy"].as_str(), p["sandbox"].as_str(), p["model"].as_str()),
        (Some("untrusted"), Some("read-only"), Some("gpt-test"))
    );
    assert!(launch.settings.plan);

    let mut s = spec(work, state, "ok", "bypass");
    s.env.clear();
    s.model = None;
    let launch = Launch::new(&s, "n", &Credentials::default());
    let p = &launch.settings.thread_params;
    assert_eq!((p["approvalPolicy"].as_str(), p["sandbox"].as_str()), (Some("never"), Some("danger-full-access")));
    assert!(p.get("model").is_none());
    assert!(!launch.settings.plan);
    if std::env::var("OPENAI_BASE_URL").is_err() {
        assert!(!launch.config.contains("model_provider"), "{}", launch.config);
    }
    let launch = Launch::new(&spec(work, state, "ok", "default"), "n", &Credentials::default());
    assert_eq!(launch.settings.thread_params["sandbox"], "danger-full-access");
    assert_eq!(launch.settings.thread_params["approvalPolicy"], "untrusted");
}

#[test]
fn discovered_openai_key_fills_in_and_the_session_env_wins() {
    if ["OPENAI_API_KEY", "OPENAI_BASE_URL"].iter().any(|k| std::env::var_os(k).is_some()) {
        eprintln!("skipped: the test's own environment sets an OpenAI variable, which wins");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".codex")).unwrap();
    std::fs::write(home.path().join(".codex/auth.json"), r#"{"OPENAI_API_KEY":"sk-proj-discovered"}"#).unwrap();
    let creds = crate::credentials::discover(home.path(), &|_| None);
    let work = Path::new("/work");
    let state = Path::new("/state");
    let values = |launch: &Launch, k: &str| {
        launch.env.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect::<Vec<_>>()
    };

    let mut s = spec(work, state, "ok", "default");
    s.env.clear();
    let launch = Launch::new(&s, "n", &creds);
    assert_eq!(values(&launch, "OPENAI_API_KEY"), ["sk-proj-discovered"]);
    let auth: serde_json::Value =
        serde_json::from_str(launch.auth.as_deref().expect("auth.json for the built-in provider")).unwrap();
    assert_eq!(auth, json!({"auth_mode": "apikey", "OPENAI_API_KEY": "sk-proj-discovered"}));

    // An explicit key in the session's env wins, in the env and in auth.json.
    s.env = vec![("OPENAI_API_KEY".into(), "sk-session".into())];
    let launch = Launch::new(&s, "n", &creds);
    assert_eq!(values(&launch, "OPENAI_API_KEY"), ["sk-session"]);
    assert!(launch.auth.as_deref().unwrap().contains("sk-session"));

    // A session with its own endpoint gets no discovered key, and its key stays in the env.
    s.env = vec![("OPENAI_BASE_URL".into(), "http://127.0.0.1:9/v1".into())];
    let launch = Launch::new(&s, "n", &creds);
    assert!(values(&launch, "OPENAI_API_KEY").is_empty());
    assert!(launch.auth.is_none());

    // A ChatGPT login is not an API key: nothing is passed.
    std::fs::write(home.path().join(".codex/auth.json"), r#"{"tokens":{"access_token":"eyJ-chatgpt"}}"#).unwrap();
    let oauth = crate::credentials::discover(home.path(), &|_| None);
    assert_eq!(oauth.found.len(), 1);
    s.env.clear();
    let launch = Launch::new(&s, "n", &oauth);
    assert!(values(&launch, "OPENAI_API_KEY").is_empty() && launch.auth.is_none());
}

#[test]
fn auth_json_is_private_and_removed_without_a_key() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write_auth(dir.path(), Some(r#"{"auth_mode":"apikey","OPENAI_API_KEY":"k"}"#)).unwrap();
    let path = dir.path().join("auth.json");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    write_auth(dir.path(), Some(r#"{"auth_mode":"apikey","OPENAI_API_KEY":"k2"}"#)).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("k2"));
    write_auth(dir.path(), None).unwrap();
    assert!(!path.exists());
    write_auth(dir.path(), None).unwrap();
}

fn listing(f: &Fixture) -> crate::ModelsSpec {
    crate::ModelsSpec { state_dir: f.state.clone(), data_dir: f.work.clone() }
}

#[tokio::test]
async fn lists_models_page_by_page() {
    let f = fixture();
    std::fs::create_dir_all(&f.state).unwrap();
    let list = f.agent.models(listing(&f)).await.unwrap();
    let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["fake-a", "fake-b"], "both pages, notifications skipped");
    assert_eq!(list.default_model.as_deref(), Some("fake-b"));
    assert_eq!(list.models[0].variants, ["low"]);
    // Started like a session's app-server: its own CODEX_HOME with the generated config.
    assert!(f.state.join("home/.codex/config.toml").is_file());
}

/// A codex binary that is this shell script.
fn broken(f: &Fixture, script: &str) -> CodexAgent {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(&f.bin, format!("#!/usr/bin/env bash\n{script}\n")).unwrap();
    std::fs::set_permissions(&f.bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    CodexAgent::new(locate_at(&f.bin)).with_handshake_step(Duration::from_millis(500))
}

#[tokio::test]
async fn listing_failures_quote_stderr() {
    let f = fixture();
    std::fs::create_dir_all(&f.state).unwrap();
    let agent = broken(&f, "echo 'fake codex: broken install' >&2; exit 5");
    match agent.models(listing(&f)).await {
        Err(crate::ModelsError::Failed { message, stderr }) => {
            assert!(
                message.contains("exited before answering initialize") && message.contains("status 5"),
                "{message}"
            );
            assert!(stderr.and_then(|s| s.head).is_some_and(|h| h.contains("broken install")));
        }
        other => panic!("{other:?}"),
    }
    let agent = broken(&f, "echo 'fake codex: thinking' >&2; cat >/dev/null");
    match agent.models(listing(&f)).await {
        Err(crate::ModelsError::Timeout { message, stderr }) => {
            assert!(message.contains("did not answer initialize"), "{message}");
            assert!(stderr.and_then(|s| s.head).is_some_and(|h| h.contains("thinking")));
        }
        other => panic!("{other:?}"),
    }
    let missing = CodexAgent::new(std::sync::Arc::new(InstallStatus::default));
    assert!(matches!(missing.models(listing(&f)).await, Err(crate::ModelsError::NotInstalled(_))));
}
