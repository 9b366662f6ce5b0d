//! `POST /v1/fs/upload-batch`: a tar stream unpacked into a directory, safely.
//!
//! Only regular files and directories are taken, at relative paths of plain names; links,
//! devices and anything naming `..` or `/` refuse the whole archive at that entry (what was
//! written before it stays). No file is written through a link, nor into a directory that
//! resolves outside the target.

use std::fs::OpenOptions;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

use sandbox_agent_schema::FsUploadResponse;
use tar::EntryType;

use crate::{io_err, FsError, Jail, Result};

/// Unpacks `archive` into `raw` (made if missing) with at most `limit` bytes of file content.
/// Blocking: call it off the async runtime.
pub fn unpack(jail: &Jail, raw: &str, archive: impl Read, limit: u64) -> Result<FsUploadResponse> {
    let dir = jail.creatable(raw)?;
    std::fs::create_dir_all(&dir).map_err(io_err(raw))?;
    let dir = dir.canonicalize().map_err(io_err(raw))?;
    let mut tar = tar::Archive::new(archive);
    let mut files = Vec::new();
    let mut bytes = 0u64;
    let unsafe_entry = |what: &str| FsError::UnsafeArchive(what.to_string());
    for entry in tar.entries().map_err(|e| unsafe_entry(&format!("not a tar archive: {e}")))? {
        let mut entry = entry.map_err(|e| unsafe_entry(&format!("a broken tar entry: {e}")))?;
        let name = entry.path().map_err(|e| unsafe_entry(&format!("an entry's path: {e}")))?.into_owned();
        let rel = plain(&name)
            .ok_or_else(|| unsafe_entry(&format!("{}: only relative paths of plain names", name.display())))?;
        if rel.as_os_str().is_empty() {
            continue;
        }
        let dest = dir.join(&rel);
        match entry.header().entry_type() {
            EntryType::Directory => {
                make_dirs(&dir, &dest, &name)?;
            }
            EntryType::Regular | EntryType::Continuous => {
                bytes += entry.size();
                if bytes > limit {
                    return Err(FsError::TooLarge { what: "the archive's files".into(), limit });
                }
                if let Some(parent) = dest.parent() {
                    make_dirs(&dir, parent, &name)?;
                }
                let mode = entry.header().mode().unwrap_or(0o644) & 0o777;
                // O_NOFOLLOW: a link already at that name is not written through.
                let mut file = OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .mode(mode)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&dest)
                    .map_err(|e| match e.raw_os_error() {
                        Some(libc::ELOOP) => unsafe_entry(&format!("{}: a link is in the way", name.display())),
                        _ => io_err(name.display().to_string())(e),
                    })?;
                std::io::copy(&mut entry, &mut file).map_err(io_err(name.display().to_string()))?;
                files.push(rel.to_string_lossy().into_owned());
            }
            other => {
                return Err(unsafe_entry(&format!("{}: {other:?} entries are not unpacked", name.display())));
            }
        }
    }
    Ok(FsUploadResponse { path: dir.to_string_lossy().into_owned(), files, bytes })
}

/// `path` without `.` components, if it is relative and every other component is a plain name.
fn plain(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// `create_dir_all`, then the result must still resolve under `root` (a pre-existing link to
/// elsewhere is refused).
fn make_dirs(root: &Path, dir: &Path, name: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(io_err(name.display().to_string()))?;
    let real = dir.canonicalize().map_err(io_err(name.display().to_string()))?;
    if real.starts_with(root) {
        Ok(())
    } else {
        Err(FsError::UnsafeArchive(format!("{}: leads outside the target directory", name.display())))
    }
}
