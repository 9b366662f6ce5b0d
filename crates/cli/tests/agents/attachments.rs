//! Attachments with the real CLIs: an image and a text file sent with a message land in the
//! workspace and reach the model in each agent's own way (Claude's image and document blocks,
//! Codex's `localImage` and a path it reads with its tools, OpenCode's file parts); the user item
//! carries `image`/`file_ref` parts.

use sandbox_agent_agents::install::AgentKind;
use sandbox_agent_model_stub::{ModelStub, Reply, Tool};
use sandbox_agent_schema::*;

use crate::common::*;
use crate::support::*;

const SPEC: &str = "# the spec\nindent with tabs\n";

/// Sends an image and a text file to `agent`; the stub then has the agent `cat` the text file.
/// Returns the stub's first turn (the message) and whether the model got the file's text in it.
async fn attachments_reach_the_model(kind: AgentKind, agent: &str) -> bool {
    ensure_installed(kind).await;
    let stub = ModelStub::start().await;
    let d = daemon().await;
    let c = d.client();
    session(&c, &stub, agent, "s", "bypass").await;
    let dir = std::path::PathBuf::from(c.get_session("s").await.unwrap().directory).canonicalize().unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/spec.md"), SPEC).unwrap();
    let spec = dir.join("docs/spec.md");
    stub.push(Reply::tool(Tool::shell(format!("cat {}", spec.display()))));
    stub.push(Reply::text("the picture is one pixel"));
    let png = tiny_png();
    let req = MessageRequest {
        message: "what do you see?".into(),
        attachments: vec![
            inline_attachment("shot.png", &png),
            MessageAttachment::Path { path: "docs/spec.md".into(), mime: None },
        ],
    };
    let start = c.get_session("s").await.unwrap().event_count;
    c.send_message("s", req).await.unwrap();
    let events = until_turn_end(&c, "s", start).await;
    check_contract(&events, false);
    assert_eq!(turn_end(&events).reason, TurnEndReason::Completed, "{events:?}");

    let shot = dir.join("attachments/shot.png");
    let user = completed_items(&events).into_iter().find(|i| i.role == Some(ItemRole::User)).cloned().unwrap();
    assert_eq!(
        user.content[1],
        ContentPart::Image { path: shot.display().to_string(), mime: Some("image/png".into()) }
    );
    assert!(
        matches!(&user.content[2], ContentPart::FileRef { path, action: FileAction::Read, .. } if *path == spec.display().to_string())
    );

    // The model got the image itself, as bytes, with the message.
    let turns = stub.turns();
    let first = turns.iter().find(|t| t.contains("what do you see?")).expect("the message reached the model");
    let images: Vec<_> = first.files().into_iter().filter(|f| f.mime.starts_with("image/")).collect();
    assert_eq!(images.len(), 1, "{agent}: {:?}", first.files().iter().map(|f| &f.mime).collect::<Vec<_>>());
    assert_eq!(images[0].bytes, png, "{agent}: the image's own bytes");
    // Every agent is told where the text file is, and its tool reads it from the workspace.
    assert!(first.contains(&spec.display().to_string()), "{agent}: the file is named by path");
    assert!(tool_results(&events).iter().any(|r| tool_output(r).contains("indent with tabs")), "{events:?}");
    assert!(turns.last().unwrap().contains("indent with tabs"));
    first.contains("indent with tabs")
}

#[tokio::test]
async fn claude_sees_the_image_and_the_document() {
    assert!(attachments_reach_the_model(AgentKind::Claude, "claude").await, "a text document block");
}

#[tokio::test]
async fn codex_sees_the_image_and_reads_the_file() {
    attachments_reach_the_model(AgentKind::Codex, "codex").await;
}

#[tokio::test]
async fn opencode_sees_the_image_and_the_file() {
    assert!(attachments_reach_the_model(AgentKind::Opencode, "opencode").await, "a file part read for the model");
}
