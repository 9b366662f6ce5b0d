//! A message's attachments as Anthropic content blocks, the way Claude Code passes user content
//! through to the model: images and PDFs as base64 `image`/`document` blocks, text files as text
//! `document` blocks, anything else named by path (the agent can read it with its tools). Each
//! file is also named by path in a text block, so the agent knows where it lies.

use base64::Engine;
use serde_json::{json, Value};

use crate::Attachment;

/// Media types the Messages API takes as `image` blocks.
const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The content of a user message: its text, then each attachment.
pub fn content(text: &str, attachments: &[Attachment]) -> Vec<Value> {
    let mut blocks = vec![json!({"type": "text", "text": text})];
    for a in attachments {
        blocks.push(json!({"type": "text", "text": a.mention()}));
        if let Some(block) = block(a) {
            blocks.push(block);
        }
    }
    blocks
}

fn block(a: &Attachment) -> Option<Value> {
    if !(IMAGE_TYPES.contains(&a.mime.as_str()) || a.mime == "application/pdf" || a.is_text()) {
        return None;
    }
    // Small (the daemon caps attachments) and read once per message.
    let bytes = match std::fs::read(&a.path) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(path = %a.path.display(), %err, "attachment unreadable; sent by name only");
            return None;
        }
    };
    let base64 = || base64::engine::general_purpose::STANDARD.encode(&bytes);
    Some(if IMAGE_TYPES.contains(&a.mime.as_str()) {
        json!({"type": "image", "source": {"type": "base64", "media_type": a.mime, "data": base64()}})
    } else if a.mime == "application/pdf" {
        json!({"type": "document", "title": a.name, "source": {"type": "base64", "media_type": a.mime, "data": base64()}})
    } else {
        let text = String::from_utf8(bytes).ok()?;
        json!({"type": "document", "title": a.name, "source": {"type": "text", "media_type": "text/plain", "data": text}})
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_pdfs_and_text_are_blocks_and_other_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, mime: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Attachment { path, name: name.into(), mime: mime.into() }
        };
        let all = [
            file("a.png", "image/png", b"\x89PNG"),
            file("b.pdf", "application/pdf", b"%PDF"),
            file("c.md", "text/markdown", b"# notes"),
            file("d.bin", "application/octet-stream", b"\0\x01"),
            file("e.txt", "text/plain", b"\xff\xfe not utf-8"),
        ];
        let blocks = content("look", &all);
        let types: Vec<&str> = blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["text", "text", "image", "text", "document", "text", "document", "text", "text"]);
        assert_eq!(blocks[0]["text"], "look");
        assert!(blocks[1]["text"].as_str().unwrap().contains("a.png (image/png)"));
        assert_eq!(blocks[2]["source"], json!({"type": "base64", "media_type": "image/png", "data": "iVBORw=="}));
        assert_eq!(blocks[4]["source"]["data"], "JVBERg==");
        assert_eq!(blocks[6]["source"], json!({"type": "text", "media_type": "text/plain", "data": "# notes"}));
        assert_eq!(blocks[6]["title"], "c.md");
    }
}
