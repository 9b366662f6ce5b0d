//! Process-level tests against a fake `opencode` (`fake_opencode.py`, python3 stdlib): server
//! start and health wait, sessions, prompts, permission and question replies, abort, a crash
//! with restart and resume, and several sessions on one server.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_schema::*;
use serde_json::Value;
use tokio::sync::mpsc;

use super::*;
use crate::{AgentEvent, Start};

const WAIT: Duration = Duration::from_secs(20);

struct Fake {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    log: PathBuf,
    agent: OpencodeAgent,
}

fn fake() -> Fake {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let log = root.join("fake-log.jsonl");
    let transcript = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/transcripts/opencode-serve-sse-permission-2turns.jsonl");
    let script = include_str!("fake_opencode.py")
        .replace("__TRANSCRIPT__", &transcript.display().to_string())
        .replace("__LOG__", &log.display().to_string());
    let bin = root.join("bin/opencode");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::write(&bin, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let status = InstallStatus { installed: true, version: Some("fake".into()), path: Some(bin), ..Default::default() };
    let agent = OpencodeAgent::new(Arc::new(move || status.clone()));
    Fake { _tmp: tmp, root, log, agent }
}

impl Fake {
    fn spec(&self, id: &str, permission_mode: &str) -> SessionSpec {
        let work = self.root.join("sessions").join(id);
        std::fs::create_dir_all(&work).unwrap();
        SessionSpec {
            session_id: id.into(),
            agent_mode: "build".into(),
            permission_mode: permission_mode.into(),
            model: Some("sandbox/mock-model".into()),
            variant: None,
            directory: work,
            state_dir: self.root.join("data/agent-state").join(id),
            env: vec![("OPENAI_BASE_URL".into(), "http://127.0.0.1:9/v1".into())],
            mcp: Default::default(),
            skills: Vec::new(),
            start: Start::Fresh,
        }
    }

    fn log(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn starts(&self) -> Vec<Value> {
        self.log().into_iter().filter(|e| e["ev"] == "start").collect()
    }

    fn requests(&self, method: &str, path_end: &str) -> Vec<Value> {
        self.log()
            .into_iter()
            .filter(|e| e["ev"] == "req" && e["method"] == method && e["path"].as_str().unwrap().ends_with(path_end))
            .collect()
    }
}

struct Running {
    handle: AgentHandle,
    rx: mpsc::Receiver<AgentOutput>,
}

async fn start(fake: &Fake, spec: SessionSpec) -> Running {
    let (tx, rx) = mpsc::channel(1024);
    let handle = tokio::time::timeout(WAIT, fake.agent.start(spec, tx)).await.expect("start in time").expect("start");
    Running { handle, rx }
}

impl Running {
    fn send(&self, input: AgentInput) {
        self.handle.input.send(input).unwrap();
    }

    fn say(&self, text: &str) {
        self.send(AgentInput::Message { turn_id: "turn_1".into(), text: text.into(), attachments: vec![] });
    }

    /// Wait until the session's loop has ended (it drops its output sender when done).
    async fn closed(&mut self) {
        let drain = async { while self.rx.recv().await.is_some() {} };
        tokio::time::timeout(WAIT, drain).await.expect("the session loop ended");
    }

    /// Outputs up to and including the first that matches.
    async fn until(&mut self, what: &str, pred: impl Fn(&AgentOutput) -> bool) -> Vec<AgentOutput> {
        let mut seen = Vec::new();
        loop {
            let out = match tokio::time::timeout(WAIT, self.rx.recv()).await {
                Ok(Some(out)) => out,
                Ok(None) => panic!("output closed while waiting for {what}; saw {seen:#?}"),
                Err(_) => panic!("timed out waiting for {what}; saw {seen:#?}"),
            };
            if let AgentOutput::Event(AgentEvent { data: EventData::AgentUnparsed(u), raw, .. }) = &out {
                panic!("unparsed: {u:?} {raw:?}");
            }
            let hit = pred(&out);
            seen.push(out);
            if hit {
                return seen;
            }
        }
    }

    async fn turn_end(&mut self) -> (TurnEndedData, Vec<AgentOutput>) {
        let seen = self
            .until("turn.ended", |o| matches!(o, AgentOutput::Event(AgentEvent { data: EventData::TurnEnded(_), .. })))
            .await;
        let Some(AgentOutput::Event(AgentEvent { data: EventData::TurnEnded(end), .. })) = seen.last() else {
            unreachable!()
        };
        (end.clone(), seen)
    }
}

fn data(outs: &[AgentOutput]) -> Vec<&EventData> {
    outs.iter()
        .filter_map(|o| match o {
            AgentOutput::Event(ev) => Some(&ev.data),
            _ => None,
        })
        .collect()
}

fn completed_items(outs: &[AgentOutput]) -> Vec<UniversalItem> {
    data(outs)
        .into_iter()
        .filter_map(|d| match d {
            EventData::ItemCompleted(d) => Some(d.item.clone()),
            _ => None,
        })
        .collect()
}

/// Poll the fake's log for an external condition (the process restarting on its own).
async fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fake_server_full_lifecycle() {
    let fake = fake();
    let spec = fake.spec("s1", "default");
    let work = spec.directory.display().to_string();
    let mut s1 = start(&fake, spec.clone()).await;
    let native = s1.handle.native_session_id.clone().expect("native session id");

    // One server, started hermetically, on a free loopback port, with the generated config.
    let starts = fake.starts();
    assert_eq!(starts.len(), 1);
    let st = &starts[0];
    let argv: Vec<&str> = st["argv"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(argv[0], "serve");
    assert_eq!(&argv[3..], ["--hostname", "127.0.0.1"]);
    let server_dir = fake.root.join("data/opencode-server");
    assert_eq!(st["cwd"], server_dir.display().to_string());
    assert_eq!(st["env"]["HOME"], server_dir.join("home").display().to_string());
    assert_eq!(st["env"]["XDG_DATA_HOME"], server_dir.join("home/.local/share").display().to_string());
    assert_eq!(st["env"]["OPENCODE_DISABLE_AUTOUPDATE"], "1");
    assert!(st["env"]["OPENCODE_CONFIG"].as_str().unwrap().starts_with(&server_dir.display().to_string()));
    let config = &st["config"];
    assert_eq!(config["provider"]["sandbox"]["npm"], "@ai-sdk/openai-compatible");
    assert_eq!(config["provider"]["sandbox"]["options"]["baseURL"], "http://127.0.0.1:9/v1");
    assert!(config["provider"]["sandbox"]["models"]["mock-model"].is_object());
    assert_eq!(config["model"], "sandbox/mock-model");
    assert_eq!(config["permission"]["bash"], "ask");
    // Modes come from the server's primary agents.
    let modes: Vec<String> = fake.agent.modes().into_iter().map(|m| m.id).collect();
    assert_eq!(modes, ["build", "plan", "review"]);
    let created = fake.requests("POST", "/session");
    assert_eq!(created[0]["body"]["title"], "s1");
    assert_eq!(created[0]["query"]["directory"][0], work);

    // Turn 1: a bash tool behind a permission.
    s1.say("SHELLWRITE please");
    let seen = s1
        .until("permission", |o| {
            matches!(o, AgentOutput::Event(AgentEvent { data: EventData::PermissionRequested(_), .. }))
        })
        .await;
    let Some(EventData::PermissionRequested(perm)) = data(&seen).last().cloned() else { unreachable!() };
    assert_eq!(perm.permission_id, "per_20b89e33b001zv13RFtXH0r7QL");
    assert_eq!(perm.action, "bash");
    s1.send(AgentInput::PermissionReply { permission_id: perm.permission_id.clone(), reply: PermissionReply::Once });
    let (end, seen) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);
    let items = completed_items(&seen);
    let result = items.iter().find(|i| i.kind == ItemKind::ToolResult).expect("tool result");
    assert!(matches!(&result.content[0], ContentPart::ToolResult { output, .. } if output == "wrote\n"));
    assert!(items.iter().any(|i| i.content == vec![ContentPart::text("DONE: wrote")]));
    let replies = fake.requests("POST", "/reply");
    assert_eq!(replies[0]["path"], "/permission/per_20b89e33b001zv13RFtXH0r7QL/reply");
    assert_eq!(replies[0]["body"]["reply"], "once");
    let prompt = &fake.requests("POST", "/prompt_async")[0];
    assert_eq!(prompt["path"], format!("/session/{native}/prompt_async"));
    assert_eq!(prompt["query"]["directory"][0], work);
    assert_eq!(prompt["body"]["parts"][0]["text"], "SHELLWRITE please");
    assert_eq!(prompt["body"]["agent"], "build");
    assert_eq!(prompt["body"]["model"]["providerID"], "sandbox");
    assert_eq!(prompt["body"]["model"]["modelID"], "mock-model");

    // A second session shares the server; events are demultiplexed by session.
    let mut s2 = start(&fake, fake.spec("s2", "default")).await;
    assert_ne!(s2.handle.native_session_id, s1.handle.native_session_id);
    assert_eq!(fake.starts().len(), 1, "one server for equal launches");
    s2.say("NOTOOL second");
    let (end, seen) = s2.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);
    assert!(completed_items(&seen).iter().any(|i| i.content == vec![ContentPart::text("plain reply")]));
    assert!(s1.rx.try_recv().is_err(), "s2's events never reach s1");

    // Turn 2 on s1: plain text.
    s1.say("NOTOOL second");
    let (end, _) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);

    // A question, answered.
    s1.say("QUESTION");
    let seen = s1
        .until("question", |o| {
            matches!(o, AgentOutput::Event(AgentEvent { data: EventData::QuestionRequested(_), .. }))
        })
        .await;
    let Some(EventData::QuestionRequested(q)) = data(&seen).last().cloned() else { unreachable!() };
    assert_eq!((q.prompt.as_str(), q.options.clone()), ("Pick a color", vec!["Red".to_string(), "Blue".to_string()]));
    s1.send(AgentInput::QuestionReply { question_id: q.question_id.clone(), answers: vec![vec!["Blue".into()]] });
    let (end, seen) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);
    assert!(completed_items(&seen).iter().any(|i| i.content == vec![ContentPart::text(r#"you chose [["Blue"], []]"#)]));

    // Interrupt: abort, then OpenCode's MessageAbortedError and idle.
    s1.say("HANG");
    s1.send(AgentInput::Interrupt);
    let (end, seen) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Interrupted);
    assert!(!data(&seen).iter().any(|d| matches!(d, EventData::Error(_))), "an abort is no error");
    assert_eq!(fake.requests("POST", "/abort")[0]["path"], format!("/session/{native}/abort"));

    // A provider error: error + turn.ended(error), reported once.
    s1.say("FAIL");
    let (end, seen) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Error);
    let errors: Vec<&EventData> = data(&seen).into_iter().filter(|d| matches!(d, EventData::Error(_))).collect();
    assert!(
        matches!(errors[..], [EventData::Error(e)] if e.message == "mock scripted failure" && e.code.as_deref() == Some("APIError"))
    );

    // The server crashes: both sessions exit resumably, and the server comes back by itself.
    s1.say("CRASH");
    for (name, s) in [("s1", &mut s1), ("s2", &mut s2)] {
        let seen = s.until("exit", |o| matches!(o, AgentOutput::Exited(_))).await;
        let Some(AgentOutput::Exited(exit)) = seen.last() else { unreachable!() };
        assert!(exit.resumable, "{name}");
        assert_eq!(exit.exit_code, Some(7), "{name}: {}", exit.message);
        assert!(exit.message.contains("status 7"), "{name}: {}", exit.message);
    }
    eventually("the server to restart", || fake.starts().len() == 2).await;
    let starts = fake.starts();
    assert_ne!(starts[0]["pid"], starts[1]["pid"]);

    // The next message resumes s1 on the restarted server with the same OpenCode session.
    let mut spec = spec;
    spec.start = Start::Resume { native_session_id: Some(native.clone()) };
    let mut s1 = start(&fake, spec).await;
    assert_eq!(s1.handle.native_session_id.as_deref(), Some(native.as_str()));
    s1.say("NOTOOL again");
    let (end, _) = s1.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);
    assert_eq!(fake.starts().len(), 2, "resumed on the restarted server");
    assert_eq!(
        fake.requests("POST", "/prompt_async").last().unwrap()["path"],
        format!("/session/{native}/prompt_async")
    );

    // Shutdown during a turn aborts it; the shared server keeps running.
    s1.say("HANG");
    let aborts = fake.requests("POST", "/abort").len();
    s1.send(AgentInput::Shutdown);
    // The loop sends the abort before it ends.
    s1.closed().await;
    assert_eq!(fake.requests("POST", "/abort").len(), aborts + 1, "the shutdown abort");
    // s1 was the last session in its directory: OpenCode's instance for it is disposed of.
    eventually("the instance disposal", || !fake.requests("POST", "/instance/dispose").is_empty()).await;
    let dispose = &fake.requests("POST", "/instance/dispose")[0];
    assert_eq!(dispose["query"]["directory"][0], work);
    let log = fake.log();
    let at = |pred: &dyn Fn(&Value) -> bool| log.iter().rposition(pred).unwrap();
    assert!(
        at(&|e| e["path"] == "/instance/dispose") > at(&|e| e["path"].as_str().unwrap_or("").ends_with("/abort")),
        "abort first"
    );
    let mut s3 = start(&fake, fake.spec("s3", "default")).await;
    s3.say("NOTOOL third");
    s3.turn_end().await;
    assert_eq!(fake.starts().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bypass_gets_its_own_server_and_auto_approves() {
    let fake = fake();
    let mut s = start(&fake, fake.spec("b1", "bypass")).await;
    let starts = fake.starts();
    assert_eq!(starts.len(), 1);
    assert!(starts[0]["config"].get("permission").is_none(), "no ask rules in bypass");
    s.say("SHELLWRITE please");
    let (end, seen) = s.turn_end().await;
    assert_eq!(end.reason, TurnEndReason::Completed);
    assert!(!data(&seen).iter().any(|d| matches!(d, EventData::PermissionRequested(_))));
    assert_eq!(fake.requests("POST", "/reply")[0]["body"]["reply"], "once");
    // A default-mode session differs in config: a second server.
    let _d = start(&fake, fake.spec("d1", "default")).await;
    assert_eq!(fake.starts().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_of_an_unknown_session_creates_a_new_one() {
    let fake = fake();
    let mut spec = fake.spec("r1", "default");
    spec.start = Start::Resume { native_session_id: Some("ses_unknown".into()) };
    let s = start(&fake, spec).await;
    let native = s.handle.native_session_id.clone().unwrap();
    assert_ne!(native, "ses_unknown");
    assert_eq!(fake.requests("POST", "/session").len(), 1);
}

#[tokio::test]
async fn a_server_that_exits_at_startup_is_a_spawn_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("opencode");
    std::fs::write(&bin, "#!/bin/sh\necho 'boom: no config' >&2\nexit 3\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let status = InstallStatus { installed: true, version: None, path: Some(bin), ..Default::default() };
    let agent = OpencodeAgent::new(Arc::new(move || status.clone())).with_server_dir(tmp.path().join("srv"));
    let spec = SessionSpec {
        session_id: "x".into(),
        agent_mode: "build".into(),
        permission_mode: "default".into(),
        model: None,
        variant: None,
        directory: tmp.path().to_path_buf(),
        state_dir: tmp.path().join("state"),
        env: vec![],
        mcp: Default::default(),
        skills: Vec::new(),
        start: Start::Fresh,
    };
    let (tx, _rx) = mpsc::channel(8);
    let err = tokio::time::timeout(WAIT, agent.start(spec, tx)).await.expect("in time").err().expect("fails");
    let AgentError::Spawn(message) = err else { panic!("{err}") };
    assert!(message.contains("boom: no config"), "{message}");
}

#[test]
fn launch_env_config_and_model() {
    let spec = |model: Option<&str>, env: Vec<(&str, &str)>, permission_mode: &str| SessionSpec {
        session_id: "s".into(),
        agent_mode: "plan".into(),
        permission_mode: permission_mode.into(),
        model: model.map(String::from),
        variant: Some("high".into()),
        directory: "/w".into(),
        state_dir: "/data/agent-state/s".into(),
        env: env.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        mcp: Default::default(),
        skills: Vec::new(),
        start: Start::Fresh,
    };
    let dir = Path::new("/data/opencode-server");
    let url = vec![("OPENAI_BASE_URL", "http://127.0.0.1:9/v1"), ("OPENAI_API_KEY", "sk-test")];

    let (l, o) =
        launch(&spec(Some("gpt-x"), url.clone(), "default"), Path::new("/bin/opencode"), dir, &Credentials::default());
    let get = |k: &str| env_get(&l.env, k).map(str::to_string);
    assert_eq!(get("HOME").as_deref(), Some("/data/opencode-server/home"));
    assert_eq!(get("XDG_STATE_HOME").as_deref(), Some("/data/opencode-server/home/.local/state"));
    assert_eq!(get("OPENCODE_DISABLE_MODELS_FETCH").as_deref(), Some("1"));
    assert_eq!(get("OPENAI_API_KEY").as_deref(), Some("sk-test"));
    assert_eq!(l.config["provider"]["sandbox"]["options"]["apiKey"], "{env:OPENAI_API_KEY}", "no key on disk");
    assert!(l.config["provider"]["sandbox"]["models"]["gpt-x"].is_object());
    assert_eq!(l.config["small_model"], "sandbox/gpt-x");
    assert_eq!(o.model, Some(("sandbox".into(), "gpt-x".into())));
    assert_eq!((o.agent.as_deref(), o.variant.as_deref(), o.auto_approve), (Some("plan"), Some("high"), false));

    // No model: the sandbox default; another provider's model passes through per prompt.
    let (l2, o2) =
        launch(&spec(None, url.clone(), "default"), Path::new("/bin/opencode"), dir, &Credentials::default());
    assert!(l2.config["provider"]["sandbox"]["models"]["default"].is_object());
    assert_eq!(o2.model, Some(("sandbox".into(), "default".into())));
    let (_, o3) = launch(
        &spec(Some("anthropic/claude-x"), url.clone(), "default"),
        Path::new("/bin/opencode"),
        dir,
        &Credentials::default(),
    );
    assert_eq!(o3.model, Some(("anthropic".into(), "claude-x".into())));

    // Same inputs, same server; bypass drops the ask rules (and so is another server).
    let (again, _) =
        launch(&spec(None, url.clone(), "default"), Path::new("/bin/opencode"), dir, &Credentials::default());
    assert_eq!(again.key(), l2.key());
    let (bypass, ob) = launch(&spec(None, url, "bypass"), Path::new("/bin/opencode"), dir, &Credentials::default());
    assert!(bypass.config.get("permission").is_none());
    assert!(ob.auto_approve);
    assert_ne!(bypass.key(), l2.key());
}

#[test]
fn discovered_keys_fill_in_unless_set_or_redirected() {
    if ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN"]
        .iter()
        .any(|k| std::env::var_os(k).is_some())
    {
        eprintln!("skipped: the test's own environment sets a provider variable, which wins");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".local/share/opencode")).unwrap();
    std::fs::write(
        home.path().join(".local/share/opencode/auth.json"),
        r#"{"openai":{"type":"api","key":"sk-oc-openai"},"anthropic":{"type":"api","key":"sk-ant-oc"}}"#,
    )
    .unwrap();
    let creds = crate::credentials::discover(home.path(), &|_| None);
    let spec = |env: Vec<(&str, &str)>| SessionSpec {
        session_id: "s".into(),
        agent_mode: "build".into(),
        permission_mode: "default".into(),
        model: None,
        variant: None,
        directory: "/w".into(),
        state_dir: "/data/agent-state/s".into(),
        env: env.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        mcp: Default::default(),
        skills: Vec::new(),
        start: Start::Fresh,
    };
    let dir = Path::new("/data/opencode-server");
    let (l, _) = launch(&spec(vec![]), Path::new("/bin/opencode"), dir, &creds);
    assert_eq!(env_get(&l.env, "OPENAI_API_KEY"), Some("sk-oc-openai"));
    assert_eq!(env_get(&l.env, "ANTHROPIC_API_KEY"), Some("sk-ant-oc"));
    // The session's key wins; a session with its own OpenAI endpoint gets no discovered key.
    let (l, _) = launch(&spec(vec![("OPENAI_API_KEY", "sk-session")]), Path::new("/bin/opencode"), dir, &creds);
    assert_eq!(l.env.iter().filter(|(k, _)| k == "OPENAI_API_KEY").count(), 1);
    assert_eq!(env_get(&l.env, "OPENAI_API_KEY"), Some("sk-session"));
    let (l, _) =
        launch(&spec(vec![("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")]), Path::new("/bin/opencode"), dir, &creds);
    assert_eq!(env_get(&l.env, "OPENAI_API_KEY"), None);
    assert_eq!(l.config["provider"]["sandbox"]["options"]["apiKey"], "dummy");
    assert_eq!(env_get(&l.env, "ANTHROPIC_API_KEY"), Some("sk-ant-oc"));
}
