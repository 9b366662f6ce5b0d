//! The bubblewrap policy: what a command sees, and whether this machine can run it at all.

use std::path::{Path, PathBuf};

use sandbox_agent_exec::Wrapper;

/// Top-level directories bound read-only when they exist (as symlinks where the host has
/// symlinks, as on merged-/usr systems).
const SYSTEM: &[&str] = &["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"];

/// What one run may touch.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The only writable directory, bound at its own path.
    pub work: PathBuf,
    /// Where the command starts (inside `work`).
    pub cwd: PathBuf,
    pub network: bool,
}

/// `bwrap` with the policy's arguments, up to (and including) the `--` before the command.
pub fn wrapper(bwrap: &Path, policy: &Policy) -> Wrapper {
    let mut args: Vec<String> = Vec::new();
    let mut push = |items: &[&str]| args.extend(items.iter().map(|s| s.to_string()));
    // The namespace's init is bwrap itself: when the daemon kills the outer bwrap (or dies),
    // `--die-with-parent` takes the init down, and the kernel every process of the namespace
    // with it, whatever double-forked.
    push(&["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]);
    if !policy.network {
        push(&["--unshare-net"]);
    }
    for dir in SYSTEM {
        let path = Path::new(dir);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if let Ok(target) = std::fs::read_link(path) {
                    push(&["--symlink", &target.to_string_lossy(), dir]);
                }
            }
            Ok(meta) if meta.is_dir() => push(&["--ro-bind", dir, dir]),
            _ => {}
        }
    }
    push(&["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
    let work = policy.work.to_string_lossy();
    push(&["--bind", &work, &work]);
    push(&["--chdir", &policy.cwd.to_string_lossy(), "--"]);
    Wrapper { program: bwrap.to_path_buf(), args }
}

/// Why isolation cannot be had here.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// No `bwrap` on the daemon's PATH.
    Missing,
    /// `bwrap` is there but the kernel (or a seccomp policy) refused it; its words.
    Refused(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::Missing => f.write_str("bubblewrap (bwrap) is not installed on the daemon's PATH"),
            Unavailable::Refused(why) => write!(f, "bubblewrap cannot create its namespaces here: {why}"),
        }
    }
}

/// `bwrap` on `path` (a `PATH` value).
pub fn find_bwrap(path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?).map(|dir| dir.join("bwrap")).find(|p| p.is_file())
}

/// Whether `bwrap` can make the namespaces a run needs: one tiny sandboxed `true`.
pub async fn probe(bwrap: &Path) -> Result<(), Unavailable> {
    let dir = std::env::temp_dir();
    let policy = Policy { work: dir.clone(), cwd: dir, network: false };
    let wrapper = wrapper(bwrap, &policy);
    let out = tokio::process::Command::new(&wrapper.program)
        .args(&wrapper.args)
        .arg("true")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(std::process::Stdio::null())
        .output();
    match tokio::time::timeout(std::time::Duration::from_secs(10), out).await {
        Ok(Ok(out)) if out.status.success() => Ok(()),
        Ok(Ok(out)) => Err(Unavailable::Refused(String::from_utf8_lossy(&out.stderr).trim().to_string())),
        Ok(Err(err)) => Err(Unavailable::Refused(err.to_string())),
        Err(_) => Err(Unavailable::Refused("bwrap did not answer within 10 s".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_binds_only_the_work_dir_writable_and_cuts_the_network_unless_asked() {
        let policy = Policy { work: "/data/runs/r1".into(), cwd: "/data/runs/r1/src".into(), network: false };
        let w = wrapper(Path::new("/usr/bin/bwrap"), &policy);
        let args = w.args.join(" ");
        assert!(
            args.starts_with("--die-with-parent --new-session --unshare-pid --unshare-ipc --unshare-uts --unshare-net")
        );
        assert!(args.contains("--bind /data/runs/r1 /data/runs/r1 --chdir /data/runs/r1/src --"), "{args}");
        assert_eq!(args.matches("--bind ").count(), 1, "one writable bind: {args}");
        assert!(args.contains("--tmpfs /tmp") && args.contains("--ro-bind /usr /usr"), "{args}");
        assert_eq!(w.args.last().map(String::as_str), Some("--"));
        let open = wrapper(Path::new("/usr/bin/bwrap"), &Policy { network: true, ..policy });
        assert!(!open.args.iter().any(|a| a == "--unshare-net"));
    }
}
