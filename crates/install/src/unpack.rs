//! Safe extraction of npm tarballs (gzip + tar).
//!
//! Like npm, the first path component (normally `package/`) is stripped, and
//! only regular files and directories are extracted: links and special files
//! are skipped. Entries with `..` or absolute paths abort the whole unpack.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use tar::EntryType;

use crate::error::{Error, IoContext, Result};

/// Unpack `tarball` into `dest` (created; must not exist yet).
pub(crate) fn unpack_tarball(tarball: &Path, dest: &Path) -> Result<()> {
    let file = fs::File::open(tarball).ctx(|| format!("opening {}", tarball.display()))?;
    let gz = flate2::read::GzDecoder::new(io::BufReader::with_capacity(1 << 20, file));
    let mut archive = tar::Archive::new(gz);
    fs::create_dir_all(dest).ctx(|| format!("creating {}", dest.display()))?;
    let bad = |e: io::Error| Error::Io { context: format!("reading tarball {}", tarball.display()), source: e };
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let raw = entry.path().map_err(bad)?.into_owned();
        let rel = safe_relative(&raw)?;
        let kind = entry.header().entry_type();
        let Some(rel) = rel else { continue }; // the top-level `package/` itself
        let target = dest.join(&rel);
        match kind {
            EntryType::Directory => {
                fs::create_dir_all(&target).ctx(|| format!("creating {}", target.display()))?;
            }
            EntryType::Regular | EntryType::Continuous => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).ctx(|| format!("creating {}", parent.display()))?;
                }
                let mode = entry.header().mode().unwrap_or(0o644);
                let mut out = fs::File::create(&target).ctx(|| format!("creating {}", target.display()))?;
                io::copy(&mut entry, &mut out).map_err(bad)?;
                set_mode(&target, if mode & 0o111 != 0 { 0o755 } else { 0o644 })?;
            }
            other => {
                tracing::debug!(path = %raw.display(), kind = ?other, "skipping non-file tarball entry");
            }
        }
    }
    Ok(())
}

/// Strip the first component and reject anything that could escape `dest`.
/// `Ok(None)` for the top-level directory entry itself.
fn safe_relative(raw: &Path) -> Result<Option<PathBuf>> {
    let unsafe_entry = || Error::UnsafeTarEntry { path: raw.display().to_string() };
    let mut out = PathBuf::new();
    let mut first = true;
    for comp in raw.components() {
        match comp {
            Component::Normal(c) => {
                if first {
                    first = false;
                } else {
                    out.push(c);
                }
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return Err(unsafe_entry()),
        }
    }
    Ok((!out.as_os_str().is_empty()).then_some(out))
}

pub(crate) fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .ctx(|| format!("chmod {mode:o} {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let ok = |s: &str| safe_relative(Path::new(s)).unwrap();
        assert_eq!(ok("package/claude"), Some(PathBuf::from("claude")));
        assert_eq!(ok("./package/bin/opencode"), Some(PathBuf::from("bin/opencode")));
        assert_eq!(ok("package/"), None);
        assert_eq!(ok("other/x"), Some(PathBuf::from("x")));
        for bad in ["package/../../etc/passwd", "/etc/passwd", "../x", "package/a/../../b"] {
            assert!(matches!(safe_relative(Path::new(bad)), Err(Error::UnsafeTarEntry { .. })), "{bad}");
        }
    }
}
