//! Attachments sent with a message, through the mock (which reads what it was sent and says so):
//! where the bytes land, the user item's parts, and every way a bad attachment is refused with
//! nothing left behind.

use sandbox_agent_client::Client;
use sandbox_agent_schema::*;

use crate::common::*;

fn with(message: &str, attachments: Vec<MessageAttachment>) -> MessageRequest {
    MessageRequest { message: message.into(), attachments }
}

fn path(p: &str) -> MessageAttachment {
    MessageAttachment::Path { path: p.into(), mime: None }
}

fn problem(err: sandbox_agent_client::ClientError) -> (u16, String) {
    let p = err.problem().cloned().unwrap_or_else(|| panic!("not a problem: {err}"));
    (p.status, p.detail.unwrap_or_default())
}

async fn session(c: &Client, id: &str) -> std::path::PathBuf {
    new_session(c, id).await;
    std::path::PathBuf::from(c.get_session(id).await.unwrap().directory)
}

#[tokio::test]
async fn sent_and_named_files_reach_the_agent_and_the_user_item() {
    let d = Daemon::start().await;
    let c = d.client();
    let dir = session(&c, "s").await;
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/spec.md"), "# the spec\n").unwrap();
    let png = tiny_png();
    let start = c.get_session("s").await.unwrap().event_count;
    let req = with("echo look", vec![inline_attachment("shot.png", &png), path("docs/spec.md")]);
    let events: Vec<UniversalEvent> = {
        use futures_util::StreamExt;
        let stream = c.send_message_stream("s", req, &Default::default()).await.unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(30), stream.map(Result::unwrap).collect()).await.unwrap()
    };
    check_contract(&events, false);
    assert!(events.iter().all(|e| e.sequence > start));
    let real = dir.canonicalize().unwrap();
    let shot = real.join("attachments/shot.png");
    assert_eq!(std::fs::read(&shot).unwrap(), png, "the bytes land in the workspace");

    let items = completed_items(&events);
    let user = items.iter().find(|i| i.role == Some(ItemRole::User)).unwrap();
    assert_eq!(
        user.content,
        [
            ContentPart::text("echo look"),
            ContentPart::Image { path: shot.display().to_string(), mime: Some("image/png".into()) },
            ContentPart::FileRef {
                path: real.join("docs/spec.md").display().to_string(),
                action: FileAction::Read,
                diff: None
            },
        ]
    );
    let said = assistant_text(&events);
    assert!(said.contains("Received 2 attachment(s)"), "{said}");
    assert!(said.contains(&format!("- shot.png (image/png, {} bytes)", png.len())), "{said}");
    assert!(said.contains("- spec.md (text/markdown, 11 bytes): \"# the spec\\n\""), "{said}");

    // A second file of the same name never overwrites the first.
    c.send_message("s", with("echo again", vec![inline_attachment("shot.png", b"other")])).await.unwrap();
    let next = sse_until(&c, "s", events.last().unwrap().sequence, |e| e.data.event_type() == "turn.ended").await;
    assert!(assistant_text(&next).contains("- shot-2.png (image/png, 5 bytes)"), "{}", assistant_text(&next));
    assert_eq!(std::fs::read(&shot).unwrap(), png);

    // The CLI sends both kinds too.
    let local = tempfile::tempdir().unwrap();
    std::fs::write(local.path().join("notes.txt"), "from the cli").unwrap();
    let out = tokio::process::Command::new(bin())
        .args(["api", "sessions", "send-message-stream", "s", "-m", "echo cli", "--attach", "docs/spec.md"])
        .arg("--attach-file")
        .arg(local.path().join("notes.txt"))
        .env("SANDBOX_AGENT_ENDPOINT", &d.url)
        .env_remove("SANDBOX_AGENT_TOKEN")
        .output();
    let out = tokio::time::timeout(WAIT, out).await.unwrap().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("notes.txt (text/plain, 12 bytes)") && printed.contains("spec.md"), "{printed}");
    assert_eq!(std::fs::read_to_string(real.join("attachments/notes.txt")).unwrap(), "from the cli");
}

#[tokio::test]
async fn bad_attachments_are_refused_clearly_and_leave_nothing() {
    let d = Daemon::start_with(&["--max-file-bytes", "1000"]).await;
    let c = d.client();
    let dir = session(&c, "s").await;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not yours").unwrap();
    // Planted by something in the workspace: a link out of it.
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.join("link.txt")).unwrap();
    std::fs::write(dir.join("big.bin"), vec![0u8; 1001]).unwrap();
    let ok = inline_attachment("ok.txt", b"fine");
    let bad_b64 = MessageAttachment::Inline { name: "x.txt".into(), mime: None, content_base64: "%%%".into() };
    let cases: Vec<(MessageAttachment, u16, &str)> = vec![
        (path("../x"), 403, "`..` is not allowed"),
        (path("/etc/passwd"), 403, "outside the allowed roots"),
        (path("link.txt"), 403, "outside the allowed roots"),
        (path(&outside.path().join("secret.txt").display().to_string()), 403, "outside the allowed roots"),
        (path("missing.txt"), 404, "not found"),
        (path("."), 409, "not a regular file"),
        (path("big.bin"), 413, "larger than the limit of 1000 bytes"),
        (inline_attachment("big.bin", &[1u8; 1001]), 413, "larger than the limit"),
        (inline_attachment("../up.txt", b"x"), 400, "plain file name"),
        (inline_attachment("", b"x"), 400, "plain file name"),
        (bad_b64, 400, "not base64"),
    ];
    for (bad, status, detail) in cases {
        let err = c.send_message("s", with("echo hi", vec![ok.clone(), bad.clone()])).await.unwrap_err();
        let (got, said) = problem(err);
        assert_eq!(got, status, "{bad:?}: {said}");
        assert!(said.contains(detail), "{bad:?}: {said}");
        assert!(!dir.join("attachments/ok.txt").exists(), "{bad:?}: the message's other file is removed");
    }
    // Shapes the schema refuses, before anything is written.
    for body in [
        r#"{"message":"m","attachments":[{"path":"a","contentBase64":"eA=="}]}"#,
        r#"{"message":"m","attachments":[{"contentBase64":"eA=="}]}"#,
        r#"{"message":"m","attachments":[{"name":"a"}]}"#,
        r#"{"message":"m","attachments":[{"path":"a","size":1}]}"#,
        r#"{"message":"m","attachments":{}}"#,
    ] {
        let resp = reqwest::Client::new()
            .post(format!("{}/v1/sessions/s/messages", d.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
        let p: ProblemDetails = resp.json().await.unwrap();
        assert!(p.detail.as_deref().unwrap_or_default().contains("attachment"), "{body}: {p:?}");
    }
    // A refused turn (one is running) removes what its message brought.
    c.send_message("s", "slow 60000").await.unwrap();
    let err = c.send_message("s", with("echo hi", vec![ok.clone()])).await.unwrap_err();
    assert_eq!(problem(err).0, 409);
    assert!(!dir.join("attachments/ok.txt").exists());
    c.interrupt("s").await.unwrap();
    // Unknown sessions are 404 before any file is written.
    let err = c.send_message("nope", with("echo hi", vec![ok])).await.unwrap_err();
    assert_eq!(problem(err).0, 404);
    assert_eq!(all_events(&c, "s").await.iter().filter(|e| e.data.event_type() == "turn.started").count(), 1);
}
