//! Files into the work directory before a run, and files out of it after (`collect`). Every
//! path stays inside the work directory: relative, no `..`, and no symlink leading out.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use sandbox_agent_schema::{RunFileInput, RunFileOutput};

use crate::output::{base64, decode_base64};
use crate::RunError;

/// What `collect` returns at most, over all files.
pub const COLLECT_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// What `collect` returns at most, in files.
pub const COLLECT_MAX_FILES: usize = 1000;

/// `path` as a relative path without `..`, or the reason it is not one.
pub fn relative(what: &str, path: &str) -> Result<PathBuf, RunError> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if ok {
        Ok(p.to_path_buf())
    } else {
        Err(RunError::Invalid(format!("{what} {path:?} must be relative, without .. (inside the work directory)")))
    }
}

/// `path` resolved (symlinks followed) lies inside `root` (already canonical).
fn inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(root))
}

pub fn write_inputs(work: &Path, files: &[RunFileInput]) -> Result<(), RunError> {
    let root = work.canonicalize().map_err(RunError::io("the work directory"))?;
    for file in files {
        let rel = relative("files[].path", &file.path)?;
        let bytes = decode_base64(&file.content).map_err(|e| RunError::Invalid(format!("{}: {e}", file.path)))?;
        let dest = root.join(&rel);
        let parent = dest.parent().unwrap_or(&root);
        std::fs::create_dir_all(parent).map_err(RunError::io("creating a file's directory"))?;
        if !inside(&root, parent) || dest.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(RunError::Invalid(format!("{}: leads out of the work directory", file.path)));
        }
        std::fs::write(&dest, bytes).map_err(RunError::io("writing a file"))?;
        let mode = file.mode.unwrap_or(0o644) & 0o7777;
        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(mode))
            .map_err(RunError::io("a file's mode"))?;
    }
    Ok(())
}

/// Validate the globs before the run (so a bad one costs nothing).
pub fn check_globs(globs: &[String]) -> Result<(), RunError> {
    for g in globs {
        relative("collect", g)?;
        glob::Pattern::new(g).map_err(|e| RunError::Invalid(format!("collect {g:?}: {e}")))?;
    }
    Ok(())
}

/// The regular files the globs match, in glob then name order, each once.
pub fn collect(work: &Path, globs: &[String]) -> Result<Vec<RunFileOutput>, RunError> {
    let root = work.canonicalize().map_err(RunError::io("the work directory"))?;
    let mut out: Vec<RunFileOutput> = Vec::new();
    let mut total = 0u64;
    for g in globs {
        let pattern = root.join(g).to_string_lossy().into_owned();
        let paths = glob::glob(&pattern).map_err(|e| RunError::Invalid(format!("collect {g:?}: {e}")))?;
        for path in paths.flatten() {
            let Ok(meta) = path.symlink_metadata() else { continue };
            if !meta.is_file() || !inside(&root, &path) {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().into_owned();
            if out.iter().any(|f| f.path == rel) {
                continue;
            }
            if out.len() >= COLLECT_MAX_FILES {
                return Err(RunError::Invalid(format!("collect matched more than {COLLECT_MAX_FILES} files")));
            }
            let room = COLLECT_MAX_BYTES.saturating_sub(total);
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .and_then(|f| f.take(room).read_to_end(&mut bytes))
                .map_err(RunError::io("reading a collected file"))?;
            total += bytes.len() as u64;
            out.push(RunFileOutput {
                truncated: meta.len() > bytes.len() as u64,
                path: rel,
                content: base64(&bytes),
                size: meta.len(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_out_of_the_work_directory_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(relative("p", bad).is_err(), "{bad}");
        }
        assert_eq!(relative("p", "a/./b").unwrap(), Path::new("a/./b"));
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        let file = |path: &str| RunFileInput { path: path.into(), content: base64(b"x"), mode: None };
        assert!(write_inputs(dir.path(), &[file("link/escape")]).is_err());
        assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none(), "nothing written outside");
        write_inputs(dir.path(), &[file("sub/in.txt")]).unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let got = collect(dir.path(), &["**/*".into(), "link/*".into()]).unwrap();
        assert_eq!(got.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["sub/in.txt"]);
    }
}
