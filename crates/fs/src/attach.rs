//! Attachments of a message: a file already in reach, or bytes the client sent, which land in the
//! session's workspace under `attachments/` so the agent (and its tools) can read them too.

use std::path::{Path, PathBuf};

use base64::Engine;
use sandbox_agent_schema::MessageAttachment;

use crate::{io_err, FsError, Jail, Result};

/// Where sent bytes land, under the session's workspace.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// An attachment resolved to a file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    /// Absolute, links resolved.
    pub path: PathBuf,
    pub name: String,
    pub mime: String,
    /// Written for this message (sent bytes), not a file that was already there.
    pub written: bool,
}

/// Removes what [`attach`] wrote for a message that was then refused.
pub async fn discard(attached: &[Attached]) {
    for a in attached.iter().filter(|a| a.written) {
        let _ = tokio::fs::remove_file(&a.path).await;
    }
}

/// Resolves or writes every attachment of one message, each at most `limit` bytes. A refused one
/// leaves none of the message's new files behind.
pub async fn attach(jail: &Jail, workspace: &Path, all: &[MessageAttachment], limit: u64) -> Result<Vec<Attached>> {
    let mut done = Vec::with_capacity(all.len());
    let mut written = Vec::new();
    for a in all {
        match attach_one(jail, workspace, a, limit).await {
            Ok(attached) => {
                if attached.written {
                    written.push(attached.path.clone());
                }
                done.push(attached);
            }
            Err(err) => {
                for path in written {
                    let _ = tokio::fs::remove_file(path).await;
                }
                return Err(err);
            }
        }
    }
    Ok(done)
}

async fn attach_one(jail: &Jail, workspace: &Path, a: &MessageAttachment, limit: u64) -> Result<Attached> {
    match a {
        MessageAttachment::Path { path: raw, mime } => {
            let path = jail.existing(raw)?;
            let meta = tokio::fs::metadata(&path).await.map_err(io_err(raw))?;
            if !meta.is_file() {
                return Err(FsError::Conflict(format!("attachment {raw}: not a regular file")));
            }
            if meta.len() > limit {
                return Err(FsError::TooLarge { what: format!("attachment {raw}"), limit });
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mime = mime.clone().unwrap_or_else(|| mime_for(&name).to_string());
            Ok(Attached { path, name, mime, written: false })
        }
        MessageAttachment::Inline { name, mime, content_base64 } => {
            check_name(name)?;
            // Base64 is 4/3 of the bytes: refuse before decoding what cannot fit.
            if (content_base64.len() as u64 / 4) * 3 > limit + 3 {
                return Err(FsError::TooLarge { what: format!("attachment {name}"), limit });
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content_base64.trim())
                .map_err(|e| FsError::Invalid(format!("attachment {name}: contentBase64 is not base64: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(FsError::TooLarge { what: format!("attachment {name}"), limit });
            }
            let dir = workspace.join(ATTACHMENTS_DIR);
            tokio::fs::create_dir_all(&dir).await.map_err(io_err(ATTACHMENTS_DIR))?;
            let dir = dir.canonicalize().map_err(io_err(ATTACHMENTS_DIR))?;
            if !jail.existing(&dir.to_string_lossy()).is_ok_and(|d| d == dir) {
                return Err(FsError::NotAllowed(format!("{ATTACHMENTS_DIR}: outside the allowed roots")));
            }
            let path = write_new(&dir, name, &bytes).await?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mime = mime.clone().unwrap_or_else(|| mime_for(&name).to_string());
            Ok(Attached { path, name, mime, written: true })
        }
    }
}

/// A plain file name: no separators, not `.` or `..`, no NUL, at most 255 bytes.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) || name.len() > 255 {
        return Err(FsError::Invalid(format!(
            "attachment name {name:?} must be a plain file name (no `/`, not `.` or `..`, 1-255 bytes)"
        )));
    }
    Ok(())
}

/// Writes `bytes` as `name` in `dir`, or `stem-2.ext`, `stem-3.ext`, … when taken: an earlier
/// message's file is never overwritten.
async fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 { name.to_string() } else { format!("{stem}-{n}{ext}") };
        let path = dir.join(&candidate);
        let opened = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await;
        match opened {
            Ok(mut file) => {
                use tokio::io::AsyncWriteExt;
                let wrote = async {
                    file.write_all(bytes).await?;
                    file.sync_all().await
                };
                if let Err(err) = wrote.await {
                    let _ = tokio::fs::remove_file(&path).await;
                    return Err(io_err(candidate)(err));
                }
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(io_err(candidate)(err)),
        }
    }
    Err(FsError::Conflict(format!("attachment {name}: too many files of that name")))
}

/// The media type of a file, from its extension (the common ones an agent can read).
pub fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "md" | "markdown" => "text/markdown",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "csv" => "text/csv",
        "xml" => "application/xml",
        "yaml" | "yml" => "application/yaml",
        "txt" | "log" | "rs" | "py" | "ts" | "js" | "go" | "java" | "c" | "h" | "toml" | "sh" => "text/plain",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(name: &str, bytes: &[u8]) -> MessageAttachment {
        let content_base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        MessageAttachment::Inline { name: name.into(), mime: None, content_base64 }
    }

    #[tokio::test]
    async fn sent_bytes_land_under_attachments_and_never_overwrite() {
        let ws = tempfile::tempdir().unwrap();
        let jail = Jail::only(ws.path().to_path_buf());
        let first = attach(&jail, ws.path(), &[inline("a.png", b"one")], 100).await.unwrap();
        let second = attach(&jail, ws.path(), &[inline("a.png", b"two"), inline("notes", b"n")], 100).await.unwrap();
        let dir = ws.path().canonicalize().unwrap().join(ATTACHMENTS_DIR);
        let expected =
            Attached { path: dir.join("a.png"), name: "a.png".into(), mime: "image/png".into(), written: true };
        assert_eq!(first[0], expected);
        assert_eq!(second[0].path, dir.join("a-2.png"));
        assert_eq!(second[1].mime, "application/octet-stream");
        assert_eq!(std::fs::read(dir.join("a.png")).unwrap(), b"one");
        assert_eq!(std::fs::read(dir.join("a-2.png")).unwrap(), b"two");
    }

    #[tokio::test]
    async fn bad_names_content_sizes_and_escapes_are_refused_and_leave_nothing() {
        let ws = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), ws.path().join("link")).unwrap();
        let jail = Jail::only(ws.path().to_path_buf());
        for name in ["", ".", "..", "a/b", "../x"] {
            let err = attach(&jail, ws.path(), &[inline(name, b"x")], 100).await.unwrap_err();
            assert!(matches!(err, FsError::Invalid(_)), "{name}: {err:?}");
        }
        let bad = MessageAttachment::Inline { name: "x".into(), mime: None, content_base64: "%%%".into() };
        assert!(matches!(attach(&jail, ws.path(), &[bad], 100).await, Err(FsError::Invalid(_))));
        let big = attach(&jail, ws.path(), &[inline("ok.txt", b"fine"), inline("big", &[0; 101])], 100).await;
        assert!(matches!(big, Err(FsError::TooLarge { .. })), "{big:?}");
        assert!(!ws.path().join(ATTACHMENTS_DIR).join("ok.txt").exists(), "the message's earlier file is removed");
        for path in ["link", "/etc/passwd", "../x", "missing"] {
            let a = MessageAttachment::Path { path: path.into(), mime: None };
            let err = attach(&jail, ws.path(), &[a], 100).await.unwrap_err();
            assert!(matches!(err, FsError::NotAllowed(_) | FsError::NotFound(_)), "{path}: {err:?}");
        }
        let dir = MessageAttachment::Path { path: ".".into(), mime: None };
        assert!(matches!(attach(&jail, ws.path(), &[dir], 100).await, Err(FsError::Conflict(_))));
    }
}
