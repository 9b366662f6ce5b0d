//! Finding an agent's binary, in this order: an explicit path (`--agent-bin ID=PATH`), the
//! daemon's install dir, then `PATH`. An agent already on the machine (installed with npm, baked
//! into a sandbox image) is found, and `GET /v1/agents` says where from and which version.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use sandbox_agent_install::{PackageDescriptor, Platform};
use sandbox_agent_schema::AgentSource;

use crate::{InstallStatus, Locate};

/// How long `--version` may take before the binary is reported without a version.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where to look for one agent.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub agent: String,
    /// Its npm distribution (what the install dir holds, and the pinned version).
    pub package: PackageDescriptor,
    /// The executable's name on `PATH`.
    pub command: String,
    /// An explicit path, which wins over everything else.
    pub configured: Option<PathBuf>,
    pub agents_dir: PathBuf,
    /// The `PATH` to search (the daemon's own, normally).
    pub search_path: Option<OsString>,
}

impl Lookup {
    pub fn into_locate(self) -> Locate {
        Arc::new(move || self.find())
    }

    pub fn find(&self) -> InstallStatus {
        let pinned = self.package.pinned.clone();
        if let Some(path) = &self.configured {
            return self.probed(path, AgentSource::Configured);
        }
        if let Some(found) = sandbox_agent_install::installed(&self.agents_dir, &self.package) {
            // The install dir's versions are package versions (codex: `0.169.0-linux-x64`).
            let expected = self.package.spec(Platform::current(), None).map(|s| s.version).ok();
            let warning = (expected.as_deref() != Some(found.version.as_str()))
                .then(|| differs(&self.agent, &found.version, &pinned));
            return InstallStatus {
                installed: true,
                version: Some(found.version),
                path: Some(found.path),
                source: Some(AgentSource::Installed),
                pinned: Some(pinned),
                warning,
            };
        }
        match which(&self.command, self.search_path.as_deref()) {
            Some(path) => self.probed(&path, AgentSource::Path),
            None => InstallStatus { pinned: Some(pinned), ..InstallStatus::default() },
        }
    }

    /// A binary we did not install: ask it for its version.
    fn probed(&self, path: &Path, source: AgentSource) -> InstallStatus {
        let pinned = self.package.pinned.clone();
        if !is_executable(path) {
            return InstallStatus {
                path: Some(path.to_path_buf()),
                source: Some(source),
                warning: Some(format!("{} is not an executable file", path.display())),
                pinned: Some(pinned),
                ..InstallStatus::default()
            };
        }
        let version = probe_version(path, self.search_path.as_deref());
        let warning = match &version {
            Some(v) if *v == pinned => None,
            Some(v) => Some(differs(&self.agent, v, &pinned)),
            None => Some(format!("`{} --version` reported no version", path.display())),
        };
        InstallStatus {
            installed: true,
            version,
            path: Some(path.to_path_buf()),
            source: Some(source),
            pinned: Some(pinned),
            warning,
        }
    }
}

fn differs(agent: &str, version: &str, pinned: &str) -> String {
    format!("{agent} {version} is not the pinned {pinned}; it may not behave as tested")
}

/// The first executable `command` in the directories of `search_path` (empty and relative
/// entries are skipped: the daemon's working directory is no place to find binaries).
pub fn which(command: &str, search_path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(search_path?)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(command))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

type ProbeKey = (PathBuf, Option<SystemTime>, u64);

/// `BINARY --version`, parsed, once per binary (a new file at the same path is probed again).
fn probe_version(path: &Path, search_path: Option<&OsStr>) -> Option<String> {
    static CACHE: OnceLock<Mutex<HashMap<ProbeKey, Option<String>>>> = OnceLock::new();
    let meta = std::fs::metadata(path).ok()?;
    let key = (path.to_path_buf(), meta.modified().ok(), meta.len());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(known) = cache.lock().unwrap().get(&key) {
        return known.clone();
    }
    let version = run_version(path, search_path);
    cache.lock().unwrap().insert(key, version.clone());
    version
}

fn run_version(path: &Path, search_path: Option<&OsStr>) -> Option<String> {
    let mut cmd = std::process::Command::new(path);
    cmd.arg("--version")
        .env_clear()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    if let Some(search_path) = search_path {
        cmd.env("PATH", search_path);
    }
    let child = cmd.spawn().ok()?;
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(PROBE_TIMEOUT) {
        Ok(Ok(out)) => parse_version(&String::from_utf8_lossy(&out.stdout)),
        Ok(Err(_)) => None,
        Err(_) => {
            tracing::warn!(path = %path.display(), "`--version` did not answer in time");
            // SAFETY: plain kill(2) of the child we spawned (its waiter thread still holds it,
            // so the pid has not been reaped and reused).
            unsafe { libc::kill(pid, libc::SIGKILL) };
            None
        }
    }
}

/// The first word that looks like a version: `2.1.197 (Claude Code)`, `codex-cli 0.169.0`, `v1.2`.
fn parse_version(output: &str) -> Option<String> {
    output.split_whitespace().find_map(|word| {
        let word = word.trim_start_matches('v').trim_end_matches([',', ';', ')']);
        (word.starts_with(|c: char| c.is_ascii_digit()) && word.contains('.')).then(|| word.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn lookup(agents_dir: &Path, search_path: &Path, configured: Option<PathBuf>) -> Lookup {
        Lookup {
            agent: "claude".into(),
            package: PackageDescriptor::npm("claude", "@acme/claude", "2.1.197", "claude"),
            command: "claude".into(),
            configured,
            agents_dir: agents_dir.into(),
            search_path: Some(search_path.as_os_str().to_owned()),
        }
    }

    #[test]
    fn versions_are_read_from_what_agents_print() {
        assert_eq!(parse_version("2.1.197 (Claude Code)\n").as_deref(), Some("2.1.197"));
        assert_eq!(parse_version("codex-cli 0.169.0").as_deref(), Some("0.169.0"));
        assert_eq!(parse_version("opencode v1.18.33").as_deref(), Some("1.18.33"));
        assert_eq!(parse_version("usage: x [--help]"), None);
    }

    #[test]
    fn explicit_path_then_install_dir_then_path() {
        let tmp = tempfile::tempdir().unwrap();
        let (bin, other, agents) = (tmp.path().join("bin"), tmp.path().join("other"), tmp.path().join("agents"));
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        // Nothing anywhere: not installed, and the pinned version is still said.
        let none = lookup(&agents, &bin, None).find();
        assert_eq!((none.installed, none.source, none.pinned.as_deref()), (false, None, Some("2.1.197")));

        // On PATH, at the pinned version: found, no warning.
        let on_path = script(&bin, "claude", "echo '2.1.197 (Claude Code)'");
        let found = lookup(&agents, &bin, None).find();
        assert_eq!((found.installed, found.source), (true, Some(AgentSource::Path)));
        assert_eq!((found.path.as_deref(), found.version.as_deref()), (Some(on_path.as_path()), Some("2.1.197")));
        assert_eq!(found.warning, None);

        // An explicit path wins, and another version is a warning, not a refusal.
        let configured = script(&other, "my-claude", "echo 2.0.1");
        let found = lookup(&agents, &bin, Some(configured.clone())).find();
        assert_eq!((found.installed, found.source), (true, Some(AgentSource::Configured)));
        assert_eq!((found.path, found.version.as_deref()), (Some(configured), Some("2.0.1")));
        assert!(found.warning.unwrap().contains("2.0.1 is not the pinned 2.1.197"));

        // A configured path that is not there is reported, not silently replaced.
        let found = lookup(&agents, &bin, Some(other.join("missing"))).find();
        assert!(!found.installed);
        assert!(found.warning.unwrap().contains("not an executable file"));

        // The install dir wins over PATH.
        let record = agents.join("claude/2.1.197");
        std::fs::create_dir_all(record.join("package")).unwrap();
        script(&record.join("package"), "claude", "echo installed");
        let json = serde_json::json!({"agent": "claude", "package": "@acme/claude", "version": "2.1.197",
            "integrity": "sha1-x", "binary": "package/claude", "installed_at": "2026-12-04T00:00:00Z"});
        std::fs::write(record.join("install.json"), json.to_string()).unwrap();
        let found = lookup(&agents, &bin, None).find();
        assert_eq!((found.source, found.version.as_deref()), (Some(AgentSource::Installed), Some("2.1.197")));
        assert_eq!(found.path, Some(record.join("package/claude")));
        assert_eq!(found.warning, None);
    }

    #[test]
    fn relative_path_entries_are_not_searched() {
        let tmp = tempfile::tempdir().unwrap();
        script(tmp.path(), "claude", "echo 1.0.0");
        assert_eq!(which("claude", Some(OsStr::new("relative/dir:"))), None);
        let joined = std::env::join_paths([Path::new("relative"), tmp.path()]).unwrap();
        assert_eq!(which("claude", Some(&joined)), Some(tmp.path().join("claude")));
    }

    #[test]
    fn a_binary_that_hangs_on_version_is_reported_without_one() {
        let tmp = tempfile::tempdir().unwrap();
        let slow = script(tmp.path(), "claude", "exec /bin/sleep 30");
        let started = std::time::Instant::now();
        assert_eq!(run_version(&slow, None), None);
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
