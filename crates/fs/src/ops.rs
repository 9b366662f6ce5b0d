//! The operations, each resolving its paths through the [`Jail`] first.

use std::fs::Metadata;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sandbox_agent_schema::{FsEntriesResponse, FsEntry, FsEntryType, FsWriteResponse};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::{io_err, FsError, Jail, Result};

fn describe(path: &Path, meta: &Metadata) -> FsEntry {
    let kind = meta.file_type();
    let entry_type = if kind.is_symlink() {
        FsEntryType::Symlink
    } else if kind.is_dir() {
        FsEntryType::Directory
    } else if kind.is_file() {
        FsEntryType::File
    } else {
        FsEntryType::Other
    };
    FsEntry {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        path: path.to_string_lossy().into_owned(),
        entry_type,
        size: meta.len(),
        modified: meta.modified().ok().map(|t| humantime::format_rfc3339_seconds(t).to_string()),
        mode: meta.permissions().mode() & 0o7777,
    }
}

/// A directory's entries (links reported as links), directories first, then by name.
pub async fn entries(jail: &Jail, raw: &str) -> Result<FsEntriesResponse> {
    let dir = jail.existing(raw)?;
    let mut read = tokio::fs::read_dir(&dir).await.map_err(io_err(raw))?;
    let mut entries = Vec::new();
    while let Some(entry) = read.next_entry().await.map_err(io_err(raw))? {
        let path = entry.path();
        // An entry removed while we list is simply not listed.
        if let Ok(meta) = tokio::fs::symlink_metadata(&path).await {
            entries.push(describe(&path, &meta));
        }
    }
    entries.sort_by(|a, b| {
        let dir = |e: &FsEntry| e.entry_type != FsEntryType::Directory;
        dir(a).cmp(&dir(b)).then_with(|| a.name.cmp(&b.name))
    });
    Ok(FsEntriesResponse { path: dir.to_string_lossy().into_owned(), entries })
}

/// One entry, a link as a link. A root itself may be looked at.
pub async fn stat(jail: &Jail, raw: &str) -> Result<FsEntry> {
    let path = match jail.entry(raw) {
        Ok(path) => path,
        Err(FsError::NotAllowed(_)) => jail.existing(raw)?,
        Err(err) => return Err(err),
    };
    let meta = tokio::fs::symlink_metadata(&path).await.map_err(io_err(raw))?;
    Ok(describe(&path, &meta))
}

/// A regular file to stream, and its size; refused past `limit`.
pub async fn open_read(jail: &Jail, raw: &str, limit: u64) -> Result<(tokio::fs::File, u64)> {
    let path = jail.existing(raw)?;
    let file = tokio::fs::File::open(&path).await.map_err(io_err(raw))?;
    let meta = file.metadata().await.map_err(io_err(raw))?;
    if !meta.is_file() {
        return Err(FsError::Conflict(format!("{raw}: not a regular file")));
    }
    if meta.len() > limit {
        return Err(FsError::TooLarge { what: raw.to_string(), limit });
    }
    Ok((file, meta.len()))
}

/// Writes `body` to `raw` (missing parents made): into a temporary file beside it, renamed over
/// the target only once all of it arrived within `limit`, so a reader never sees half a file and
/// a refused upload leaves nothing behind.
pub async fn write_file<R: AsyncRead + Unpin>(
    jail: &Jail,
    raw: &str,
    mut body: R,
    limit: u64,
) -> Result<FsWriteResponse> {
    let target = jail.creatable(raw)?;
    let existed = match tokio::fs::metadata(&target).await {
        Ok(meta) if meta.is_dir() => return Err(FsError::Conflict(format!("{raw}: is a directory"))),
        Ok(_) => true,
        Err(_) => false,
    };
    let parent = target.parent().ok_or_else(|| FsError::Invalid(format!("{raw}: no parent directory")))?;
    tokio::fs::create_dir_all(parent).await.map_err(io_err(raw))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = parent.join(format!(".{name}.{}.part", uuid::Uuid::new_v4().simple()));
    let written = copy_limited(&mut body, &temp, limit, raw).await;
    let bytes = match written {
        Ok(bytes) => bytes,
        Err(err) => {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(err);
        }
    };
    if let Err(err) = tokio::fs::rename(&temp, &target).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(io_err(raw)(err));
    }
    Ok(FsWriteResponse { path: target.to_string_lossy().into_owned(), bytes, created: !existed })
}

async fn copy_limited<R: AsyncRead + Unpin>(body: &mut R, temp: &Path, limit: u64, raw: &str) -> Result<u64> {
    let mut file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(temp).await.map_err(io_err(raw))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = body
            .read(&mut buf)
            .await
            .map_err(|e| FsError::Io { context: format!("{raw}: reading the body"), source: e })?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > limit {
            return Err(FsError::TooLarge { what: raw.to_string(), limit });
        }
        file.write_all(&buf[..n]).await.map_err(io_err(raw))?;
    }
    file.sync_all().await.map_err(io_err(raw))?;
    Ok(total)
}

/// Makes `raw` and any missing parents; `created: false` when it was already a directory.
pub async fn mkdir(jail: &Jail, raw: &str) -> Result<FsWriteResponse> {
    let dir = jail.creatable(raw)?;
    let existed = match tokio::fs::metadata(&dir).await {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => return Err(FsError::Conflict(format!("{raw}: exists and is not a directory"))),
        Err(_) => false,
    };
    tokio::fs::create_dir_all(&dir).await.map_err(io_err(raw))?;
    Ok(FsWriteResponse { path: dir.to_string_lossy().into_owned(), bytes: 0, created: !existed })
}

/// Renames `from` (a link moves as a link) to `to`; with `overwrite`, replaces a file or an
/// empty directory there.
pub async fn move_entry(jail: &Jail, from: &str, to: &str, overwrite: bool) -> Result<FsWriteResponse> {
    let source = jail.entry(from)?;
    tokio::fs::symlink_metadata(&source).await.map_err(io_err(from))?;
    let target = jail.creatable(to)?;
    if target.starts_with(&source) {
        return Err(FsError::Invalid(format!("{to}: cannot move {from} into itself")));
    }
    if tokio::fs::symlink_metadata(&target).await.is_ok() && !overwrite {
        return Err(FsError::Conflict(format!("{to}: already exists (use overwrite)")));
    }
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(io_err(to))?;
    }
    tokio::fs::rename(&source, &target).await.map_err(io_err(to))?;
    Ok(FsWriteResponse { path: target.to_string_lossy().into_owned(), bytes: 0, created: true })
}

/// Removes a file, a link (not its target) or an empty directory; with `recursive`, a whole tree.
pub async fn delete(jail: &Jail, raw: &str, recursive: bool) -> Result<()> {
    let path = jail.entry(raw)?;
    let meta = tokio::fs::symlink_metadata(&path).await.map_err(io_err(raw))?;
    let removed = if !meta.is_dir() {
        tokio::fs::remove_file(&path).await
    } else if recursive {
        tokio::fs::remove_dir_all(&path).await
    } else {
        tokio::fs::remove_dir(&path).await
    };
    removed.map_err(io_err(raw))
}
