//! Skills per session with the real CLIs: written where each agent discovers them, the model is
//! offered the skill's name and description, and the agent reads its `SKILL.md` (through its
//! own skill tool where it has one, else its shell) so the body reaches the model.

use base64::Engine;
use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

const DESCRIPTION: &str = "Greets in the house style. Use when asked to greet someone.";
const BODY: &str = "# Greeting\n\nAnswer with the phrase skill-body-7c1d9e, then run scripts/greet.sh.";
const SCRIPT: &str = "#!/bin/sh\necho greeted\n";

fn greet() -> Skill {
    let script = base64::engine::general_purpose::STANDARD.encode(SCRIPT);
    Skill {
        name: "greet".into(),
        description: DESCRIPTION.into(),
        content: BODY.into(),
        files: vec![SkillFile { path: "scripts/greet.sh".into(), content_base64: script }],
    }
}

/// How a test session gets its skill.
enum Via {
    Api,
    /// `api sessions create --skill DIR`, from a folder on disk.
    Cli,
}

/// Gives `agent` the skill, has the stub read it with `read`, and checks what the model saw.
/// Returns the turn's events.
async fn skill_is_offered_and_read(
    kind: AgentKind,
    agent: &str,
    via: Via,
    read: impl FnOnce(&std::path::Path) -> Tool,
) -> Vec<UniversalEvent> {
    ensure_installed(kind).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    let req = session_request(&stub, agent, "bypass");
    match via {
        Via::Api => c
            .create_session_with_id("s", &CreateSessionRequest { skills: vec![greet()], ..req })
            .await
            .map(drop)
            .unwrap(),
        Via::Cli => {
            let folder = tempfile::tempdir().unwrap();
            let dir = folder.path().join("greet");
            std::fs::create_dir_all(dir.join("scripts")).unwrap();
            std::fs::write(
                dir.join("SKILL.md"),
                format!("---\nname: greet\ndescription: {DESCRIPTION}\n---\n\n{BODY}\n"),
            )
            .unwrap();
            std::fs::write(dir.join("scripts/greet.sh"), SCRIPT).unwrap();
            let env: Vec<String> = req.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let mut args =
                vec!["sessions", "create", "s", "--agent", agent, "-p", "bypass", "--skill", dir.to_str().unwrap()];
            args.extend(env.iter().flat_map(|e| ["-E", e.as_str()]));
            let (code, out, err) = d.cli(&args).await;
            assert_eq!((code, out.trim()), (0, "s"), "{err}");
        }
    }
    let info = c.get_session("s").await.unwrap();
    assert_eq!(info.skills, ["greet"], "only the names are served");
    let state = d.data_path().join("agent-state/s");
    stub.push(Reply::tool(read(&state)));
    stub.push(Reply::text("hello, in the house style"));
    let events = turn_of(&c, "s", "please greet Ada").await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{events:?}");
    // As the agent got it: the body, and the script beside it, executable.
    let written = d.data_path().join("agent-state/s");
    let script = ["home/.claude/skills", "home/.codex/skills", "skills"]
        .iter()
        .map(|root| written.join(root).join("greet/scripts/greet.sh"))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{agent}: the skill's script is written"));
    assert_eq!(std::fs::read_to_string(&script).unwrap(), SCRIPT);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&script).unwrap().permissions());
    assert_eq!(mode & 0o111, 0o111, "{agent}: the script is executable");

    let turns = stub.turns();
    let first = turns.iter().find(|t| t.contains("please greet Ada")).expect("the message reached the model");
    assert!(first.contains("greet") && first.contains(DESCRIPTION), "{agent}: the model is offered the skill");
    assert!(!first.contains("skill-body-7c1d9e"), "{agent}: the body is read on demand, not sent up front");
    let after = turns.last().unwrap();
    assert!(
        after.contains("skill-body-7c1d9e"),
        "{agent}: the agent read SKILL.md and the model got its body: {:?}",
        tool_results(&events).iter().map(|r| tool_output(r)).collect::<Vec<_>>()
    );
    events
}

#[tokio::test]
async fn claude_offers_a_session_skill_and_loads_it_with_its_skill_tool() {
    let events = skill_is_offered_and_read(AgentKind::Claude, "claude", Via::Cli, |_| {
        Tool::named("Skill", serde_json::json!({"skill": "greet"}))
    })
    .await;
    let calls: Vec<_> = completed_items(&events).into_iter().filter(|i| i.kind == ItemKind::ToolCall).collect();
    assert!(
        calls.iter().any(|c| matches!(&c.content[0], ContentPart::ToolCall { name, .. } if name == "Skill")),
        "{calls:?}"
    );
}

#[tokio::test]
async fn codex_lists_a_session_skill_and_reads_its_skill_md() {
    let events = skill_is_offered_and_read(AgentKind::Codex, "codex", Via::Api, |state| {
        Tool::shell(format!("cat {}", state.join("home/.codex/skills/greet/SKILL.md").display()))
    })
    .await;
    assert!(tool_results(&events).iter().any(|r| tool_output(r).contains("skill-body-7c1d9e")), "{events:?}");
}

#[tokio::test]
async fn opencode_offers_a_session_skill_and_loads_it_with_its_skill_tool() {
    let events = skill_is_offered_and_read(AgentKind::Opencode, "opencode", Via::Api, |_| {
        Tool::named("skill", serde_json::json!({"name": "greet"}))
    })
    .await;
    let results = tool_results(&events);
    assert!(results.iter().any(|r| tool_output(r).contains("skill-body-7c1d9e")), "{events:?}");
    // OpenCode lists the skill's other files with it.
    assert!(results.iter().any(|r| tool_output(r).contains("scripts/greet.sh")), "{events:?}");
}

#[tokio::test]
async fn skills_are_validated_and_refused_by_agents_without_them() {
    let d = Daemon::start().await;
    let c = d.client();
    let with =
        |agent: &str, skills: Vec<Skill>| CreateSessionRequest { agent: agent.into(), skills, ..Default::default() };
    let err = c.create_session(&with("mock", vec![greet()])).await.unwrap_err();
    let p = err.problem().unwrap();
    assert_eq!((p.status, p.code(), p.agent.as_deref()), (501, "not_implemented", Some("mock")));
    let mut traversal = greet();
    traversal.files[0].path = "../../escape.sh".into();
    let cases = [
        (Skill { name: "Greet".into(), ..greet() }, "name"),
        (Skill { description: String::new(), ..greet() }, "description"),
        (traversal, "relative path"),
    ];
    for (skill, why) in cases {
        let err = c.create_session(&with("claude", vec![skill])).await.unwrap_err();
        let p = err.problem().unwrap();
        assert_eq!(p.status, 422, "{why}");
        assert!(p.detail.as_deref().unwrap_or_default().contains(why), "{why}: {p:?}");
    }
    let err = c.create_session(&with("claude", vec![greet(), greet()])).await.unwrap_err();
    assert!(err.problem().unwrap().detail.as_deref().unwrap_or_default().contains("twice"));
    assert!(!d.data_path().join("escape.sh").exists());

    // The CLI reads `--mcp-config` and sends it: the mock refuses MCP servers by name.
    let file = d.data_path().join("mcp.json");
    std::fs::write(&file, r#"{"echo": {"type": "stdio", "command": "python3"}}"#).unwrap();
    let (code, _, err) =
        d.cli(&["sessions", "create", "--agent", "mock", "--mcp-config", file.to_str().unwrap()]).await;
    assert!(code != 0 && err.contains("MCP servers"), "{code} {err}");
}
