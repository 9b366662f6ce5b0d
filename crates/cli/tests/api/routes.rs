//! Every route's success path (error cases are in bad_input.rs).

use sandbox_agent_schema::*;

use crate::common::*;

#[tokio::test]
async fn health_agents_modes_install() {
    let d = Daemon::start().await;
    let c = d.client();
    assert_eq!(c.health().await.unwrap().status, "ok");
    let agents = c.list_agents().await.unwrap().agents;
    let ids: Vec<&str> = agents.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["claude", "codex", "opencode", "amp", "mock", "opencode-acp", "codex-acp", "gemini", "claude-acp"]
    );
    let mock = agents.iter().find(|a| a.id == "mock").unwrap();
    assert!(mock.installed && mock.capabilities.permissions && mock.capabilities.streaming_deltas);
    assert_eq!(mock.version.as_deref(), Some("builtin"));
    let modes = c.agent_modes("mock").await.unwrap().modes;
    assert_eq!(modes.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["build", "plan"]);
    c.install_agent("mock", &AgentInstallRequest::default()).await.unwrap();
}

#[tokio::test]
async fn agent_models() {
    let d = Daemon::start().await;
    let c = d.client();
    let list = c.agent_models("mock").await.unwrap();
    let ids: Vec<&str> = list.models.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["mock", "mock-thinking"]);
    assert_eq!(list.default_model.as_deref(), Some("mock"));
    assert!(list.models[0].default && !list.models[1].default);
    assert_eq!(list.models[1].variants, ["low", "high"]);
    // A listed model and variant are what a session takes.
    let req = CreateSessionRequest { model: Some(list.models[1].id.clone()), variant: Some("high".into()), ..mock() };
    c.create_session_with_id("m", &req).await.unwrap();
    let info = c.get_session("m").await.unwrap();
    assert_eq!((info.model.as_deref(), info.variant.as_deref()), (Some("mock-thinking"), Some("high")));
    // Amp has no model to choose, installed or not: an empty list that says why.
    let amp = c.agent_models("amp").await.unwrap();
    assert!(amp.models.is_empty() && amp.default_model.is_none());
    assert!(amp.note.as_deref().unwrap().contains("Amp's servers pick the model"), "{amp:?}");
    // Errors name the agent.
    let problem = c.agent_models("claude").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((problem.code(), problem.agent.as_deref()), ("agent_not_installed", Some("claude")));
    assert_eq!(problem.detail.as_deref(), Some("agent claude is not installed"));
}

/// An agent that fails to list: 502 `agent_failed` with its stderr. The "codex" here is a
/// script installed as the installer would have.
#[tokio::test]
async fn agent_models_failure_quotes_stderr() {
    use std::os::unix::fs::PermissionsExt;
    let agents = tempfile::tempdir().unwrap();
    let dir = agents.path().join("codex/0.0.1-fake");
    std::fs::create_dir_all(&dir).unwrap();
    let record = serde_json::json!({"agent": "codex", "package": "@openai/codex", "version": "0.0.1-fake",
        "integrity": "sha1-none", "binary": "codex", "installed_at": "2026-01-01T00:00:00Z"});
    std::fs::write(dir.join("install.json"), record.to_string()).unwrap();
    std::fs::write(dir.join("codex"), "#!/bin/sh\necho 'fake codex: no credentials here' >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(dir.join("codex"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let d = Daemon::start_with(&["--agents-dir", agents.path().to_str().unwrap()]).await;
    let err = d.client().agent_models("codex").await.unwrap_err();
    let problem = err.problem().unwrap();
    assert_eq!((problem.status, problem.code(), problem.agent.as_deref()), (502, "agent_failed", Some("codex")));
    assert!(problem.detail.as_deref().unwrap().contains("exited before answering initialize"), "{problem}");
    let stderr = &problem.details.as_ref().unwrap()["stderr"];
    assert!(stderr["head"].as_str().unwrap().contains("no credentials here"), "{stderr}");
    assert!(
        std::fs::read_dir(d.data_path().join("models-tmp")).unwrap().next().is_none(),
        "the listing's directory is gone"
    );
}

#[tokio::test]
async fn install_reports_an_unreachable_registry() {
    // A registry on a closed port: the installer must fail fast with a clear problem.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let registry = format!("http://{closed}/");
    let d = Daemon::start_env(&[], &[("NPM_CONFIG_REGISTRY", registry.as_str())]).await;
    let err = d.client().install_agent("claude", &AgentInstallRequest::default()).await.unwrap_err();
    let problem = err.problem().unwrap();
    assert_eq!((problem.status, problem.code()), (500, "install_failed"));
    assert!(problem.detail.as_deref().unwrap().contains("cannot reach the npm registry"), "{problem}");
    assert_eq!(problem.agent.as_deref(), Some("claude"));
    let agents = d.client().list_agents().await.unwrap().agents;
    assert!(!agents.iter().find(|a| a.id == "claude").unwrap().installed);
}

#[tokio::test]
async fn session_crud() {
    let d = Daemon::start().await;
    let c = d.client();
    let created = c.create_session(&mock()).await.unwrap();
    assert!(created.session_id.starts_with("ses_") && created.healthy);
    let req = CreateSessionRequest {
        agent: "mock".into(),
        agent_mode: Some("plan".into()),
        permission_mode: Some("bypass".into()),
        model: Some("m1".into()),
        title: Some("My session".into()),
        ..Default::default()
    };
    let named = c.create_session_with_id("named", &req).await.unwrap();
    assert_eq!(named.native_session_id.as_deref(), Some("mock-named"));
    let info = c.get_session("named").await.unwrap();
    assert_eq!((info.agent_mode.as_str(), info.permission_mode.as_str()), ("plan", "bypass"));
    assert_eq!((info.model.as_deref(), info.title.as_deref()), (Some("m1"), Some("My session")));
    assert!(std::path::Path::new(&info.directory).is_dir());
    assert!(info.directory.starts_with(d.data_path().to_str().unwrap()));
    assert!(!info.ended && matches!(info.status, SessionStatus::Idle));
    assert!(info.created_at.ends_with('Z'));
    let list = c.list_sessions(&Default::default()).await.unwrap().sessions;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].session_id, "named", "newest first");
    assert_eq!(list[1].session_id, created.session_id);
    let workspace = c.get_session(&created.session_id).await.unwrap().directory;
    c.delete_session(&created.session_id).await.unwrap();
    assert!(!std::path::Path::new(&workspace).exists(), "the daemon's workspace goes with the session");
    c.delete_session("named").await.unwrap();
    assert_eq!(c.get_session("named").await.unwrap_err().problem().unwrap().status, 404);
    assert!(c.list_sessions(&Default::default()).await.unwrap().sessions.is_empty());
    // The id is free again and starts from sequence 1.
    new_session(&c, "named").await;
    assert_eq!(all_events(&c, "named").await[0].sequence, 1);
}

#[tokio::test]
async fn custom_directory_is_used() {
    let d = Daemon::start().await;
    let c = d.client();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let req = CreateSessionRequest { directory: Some(work.display().to_string()), ..mock() };
    c.create_session_with_id("s", &req).await.unwrap();
    assert!(work.is_dir());
    assert_eq!(c.get_session("s").await.unwrap().directory, work.display().to_string());
    // A refused create leaves nothing on disk; deleting keeps a directory the client chose.
    let other = dir.path().join("other");
    let dup = CreateSessionRequest { directory: Some(other.display().to_string()), ..mock() };
    assert_eq!(c.create_session_with_id("s", &dup).await.unwrap_err().problem().unwrap().status, 409);
    assert!(!other.exists());
    c.delete_session("s").await.unwrap();
    assert!(work.is_dir());
}

#[tokio::test]
async fn messages_events_paging_and_raw() {
    let d = Daemon::start().await;
    let c = d.client();
    new_session(&c, "s").await;
    // The turn's own stream: no SSE attachment joins (and leaves) the session meanwhile.
    turn(&c, "s", "echo one").await;
    let all = all_events(&c, "s").await;
    let total = all.len() as u64;
    assert_eq!(c.get_session("s").await.unwrap().event_count, total);
    let page =
        c.events("s", &EventsQuery { offset: Some(2), limit: Some(3), include_raw: None, type_: None }).await.unwrap();
    assert_eq!(page.events.iter().map(|e| e.sequence).collect::<Vec<_>>(), [3, 4, 5]);
    assert!(page.has_more);
    let last = c
        .events("s", &EventsQuery { offset: Some(total - 1), limit: Some(3), include_raw: None, type_: None })
        .await
        .unwrap();
    assert_eq!(last.events.len(), 1);
    assert!(!last.has_more);
    assert!(c.events("s", &EventsQuery { offset: Some(total), ..Default::default() }).await.unwrap().events.is_empty());
    // raw: only the native session.started carries one, and only on request.
    assert!(all.iter().all(|e| e.raw.is_none()));
    let with_raw = c.events("s", &EventsQuery { include_raw: Some(true), ..Default::default() }).await.unwrap().events;
    assert_eq!(with_raw[1].raw.as_ref().unwrap()["type"], "mock.ready");
    assert!(with_raw[0].raw.is_none());
}

#[tokio::test]
async fn openapi_is_served_and_matches_the_checked_in_file() {
    let d = Daemon::start().await;
    let served = d.client().openapi().await.unwrap();
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json")).unwrap();
    let on_disk: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert!(served == on_disk, "GET /v1/openapi.json differs from docs/openapi.json");
    let paths = served["paths"].as_object().unwrap();
    for p in [
        "/v1/health",
        "/v1/agents/{agent}/models",
        "/v1/sessions",
        "/v1/sessions/{session_id}/events/sse",
        "/v1/sessions/{session_id}/interrupt",
        "/v1/acp/{server_id}",
        "/v1/cluster/nodes",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert_eq!(paths.len(), 42);
}

#[tokio::test]
async fn session_env_is_kept_but_never_served() {
    let d = Daemon::start().await;
    let c = d.client();
    let mut req = mock();
    req.env.insert("SECRET_KEY".into(), "sk-do-not-show".into());
    c.create_session_with_id("s", &req).await.unwrap();
    let body = reqwest::get(format!("{}/v1/sessions/s", d.url)).await.unwrap().text().await.unwrap();
    assert!(!body.contains("sk-do-not-show") && !body.contains("SECRET_KEY"), "{body}");
    let list = reqwest::get(format!("{}/v1/sessions", d.url)).await.unwrap().text().await.unwrap();
    assert!(!list.contains("sk-do-not-show"));
    // Stored with the session (for the agent after a restart), still not served.
    let d = d.restart().await;
    let body = reqwest::get(format!("{}/v1/sessions/s", d.url)).await.unwrap().text().await.unwrap();
    assert!(body.contains("\"sessionId\":\"s\"") && !body.contains("sk-do-not-show"));
    let mut db = std::fs::read(d.data_path().join("sandbox-agent.db")).unwrap();
    db.extend(std::fs::read(d.data_path().join("sandbox-agent.db-wal")).unwrap_or_default());
    assert!(db.windows(14).any(|w| w == b"sk-do-not-show"), "persisted for the resumed agent");
}

fn script(path: &std::path::Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// An agent already on the machine is found, as a new user would try it: a `claude` on PATH,
/// and a codex at an explicit `--agent-bin` path. `GET /v1/agents` says where each came from
/// and which version the binary reports; another version than the pinned one is a warning.
#[tokio::test]
async fn agents_on_the_machine_are_found_and_say_where_from() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    script(&bin.join("claude"), r#"[ "$1" = --version ] && echo "2.0.1 (Claude Code)" && exit 0; exit 3"#);
    let codex = tmp.path().join("my-codex");
    script(&codex, r#"echo "codex-cli 0.169.0""#);
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(&path_without_agents())))
        .unwrap();
    let d =
        Daemon::start_env(&["--agent-bin", &format!("codex={}", codex.display())], &[("PATH", path.to_str().unwrap())])
            .await;
    let agents = d.client().list_agents().await.unwrap().agents;
    let get = |id: &str| agents.iter().find(|a| a.id == id).unwrap().clone();

    let claude = get("claude");
    assert!(claude.installed);
    assert_eq!(claude.source, Some(AgentSource::Path));
    assert_eq!(claude.path.as_deref(), bin.join("claude").to_str());
    assert_eq!((claude.version.as_deref(), claude.pinned_version.as_deref()), (Some("2.0.1"), Some("2.1.197")));
    assert!(claude.warning.as_deref().unwrap().contains("2.0.1 is not the pinned 2.1.197"), "{claude:?}");

    let codex_info = get("codex");
    assert_eq!((codex_info.installed, codex_info.source), (true, Some(AgentSource::Configured)));
    assert_eq!((codex_info.path.as_deref(), codex_info.version.as_deref()), (codex.to_str(), Some("0.169.0")));
    assert_eq!(codex_info.warning, None, "the pinned version is no warning");

    let opencode = get("opencode");
    assert_eq!((opencode.installed, opencode.source), (false, None));
    assert_eq!(opencode.pinned_version.as_deref(), Some("1.18.33"));
    assert_eq!(get("mock").source, Some(AgentSource::Builtin));

    // A session of the agent on PATH is created (it used to be 404 agent_not_installed); the
    // fake then fails to start, as a broken binary would.
    let req = CreateSessionRequest { agent: "claude".into(), ..Default::default() };
    d.client().create_session_with_id("c", &req).await.expect("a claude on PATH is found");
    let opencode_req = CreateSessionRequest { agent: "opencode".into(), ..Default::default() };
    let err = d.client().create_session_with_id("o", &opencode_req).await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "agent_not_installed");
}

#[tokio::test]
async fn agent_bin_must_name_a_known_agent_and_an_absolute_path() {
    for (arg, code, message) in [
        ("nope=/bin/true", 1, "unknown agent: nope"),
        ("mock=/bin/true", 1, "mock is built in"),
        ("claude=relative/claude", 2, "expected ID=/absolute/path"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = tokio::process::Command::new(bin())
            .args(["server", "--no-token", "--port", "0", "--agent-bin", arg, "--data-dir"])
            .arg(dir.path())
            .output();
        let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{arg}: {stderr}");
        assert!(stderr.contains(message), "{arg}: {stderr}");
    }
}

/// `<data dir>/agents.toml` defines agents (ACP) when no `--agent-config` is given; a bad file
/// stops the daemon with the reason.
#[tokio::test]
async fn agents_toml_in_the_data_dir_defines_agents_and_a_bad_one_is_refused() {
    let mut d = Daemon::start().await;
    assert!(d.stop().await.success());
    let file = d.data_path().join("agents.toml");
    std::fs::write(&file, "[[agents]]\nid = \"elsewhere\"\ncommand = \"no-such-acp-agent\"\nargs = [\"--acp\"]\n")
        .unwrap();
    let d = d.restart().await;
    let c = d.client();
    let agents = c.list_agents().await.unwrap().agents;
    let elsewhere = agents.iter().find(|a| a.id == "elsewhere").expect("listed");
    assert!(!elsewhere.installed && elsewhere.name.is_none());
    // Not installed, and nothing to install it from: both say so.
    let err =
        c.create_session(&CreateSessionRequest { agent: "elsewhere".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.problem().unwrap().code(), "agent_not_installed", "{err}");
    let err = c.install_agent("elsewhere", &AgentInstallRequest::default()).await.unwrap_err();
    assert!(err.problem().unwrap().detail.as_deref().unwrap_or_default().contains("PATH"), "{err}");
    let mut d = d;
    assert!(d.stop().await.success());

    std::fs::write(&file, "[[agents]]\nid = \"claude\"\ncommand = \"x\"\n").unwrap();
    let out = tokio::process::Command::new(bin())
        .args(["server", "--port", "0", "--no-token", "--data-dir"])
        .arg(d.data_path())
        .env("HOME", d.data_path().join("home"))
        .output();
    let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("agents.toml") && stderr.contains("taken"), "{stderr}");
}
