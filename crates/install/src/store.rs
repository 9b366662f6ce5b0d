//! On-disk layout of installed agents and lookups that never touch the network.
//!
//! ```text
//! {root}/{agent}/.lock                   exclusive lock while installing
//! {root}/{agent}/{version}/install.json  InstallRecord
//! {root}/{agent}/{version}/package/…     unpacked npm package
//! {root}/{agent}/.tmp-*                  in-flight downloads/unpacks
//! ```

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::packages::{PackageDescriptor, PackageSpec, Platform};

/// Environment variable that overrides the install root (shared CI caches).
pub const AGENTS_DIR_ENV: &str = "SANDBOX_AGENT_AGENTS_DIR";

pub(crate) const RECORD_FILE: &str = "install.json";
pub(crate) const PACKAGE_DIR: &str = "package";

/// The install root: `$SANDBOX_AGENT_AGENTS_DIR` if set, else `<data_dir>/agents`.
pub fn default_root(data_dir: &Path) -> PathBuf {
    root_from(data_dir, std::env::var_os(AGENTS_DIR_ENV))
}

pub(crate) fn root_from(data_dir: &Path, env: Option<std::ffi::OsString>) -> PathBuf {
    match env.filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => data_dir.join("agents"),
    }
}

/// Contents of `install.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InstallRecord {
    pub agent: String,
    pub package: String,
    pub version: String,
    /// Verified digest of the tarball (SRI like `sha512-…`, or sha1 hex).
    pub integrity: String,
    /// Executable, relative to the directory holding `install.json`.
    pub binary: PathBuf,
    /// RFC 3339 UTC timestamp.
    pub installed_at: String,
}

/// An installed, runnable agent binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstalledAgent {
    /// The agent id (the package descriptor's `agent`).
    pub agent: String,
    pub package: String,
    pub version: String,
    /// Absolute path of the executable.
    pub path: PathBuf,
    /// Install directory (`{root}/{agent}/{version}`); the package is in `package/`.
    pub dir: PathBuf,
}

pub(crate) fn agent_dir(root: &Path, agent: &str) -> PathBuf {
    root.join(agent)
}

/// Directory names are agent ids and npm versions; anything else (`..`, `a/b`) is refused.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
}

pub(crate) fn version_dir(root: &Path, agent: &str, version: &str) -> Option<PathBuf> {
    (is_plain_name(agent) && is_plain_name(version)).then(|| agent_dir(root, agent).join(version))
}

/// Read `{dir}/install.json` and check it describes a runnable `package` binary.
pub(crate) fn read_install(dir: &Path, agent: &str, package: &str) -> Option<InstalledAgent> {
    let text = std::fs::read(dir.join(RECORD_FILE)).ok()?;
    let rec: InstallRecord = serde_json::from_slice(&text).ok()?;
    if rec.agent != agent || rec.package != package || rec.binary.is_absolute() {
        return None;
    }
    let path = dir.join(&rec.binary);
    if !is_executable(&path) {
        return None;
    }
    Some(InstalledAgent { agent: rec.agent, package: rec.package, version: rec.version, path, dir: dir.to_path_buf() })
}

/// Exactly `spec` installed and runnable?
pub(crate) fn installed_spec(root: &Path, agent: &str, spec: &PackageSpec) -> Option<InstalledAgent> {
    let dir = version_dir(root, agent, &spec.version)?;
    read_install(&dir, agent, &spec.package).filter(|a| a.version == spec.version)
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The installed binary of `package` on this machine, without any network
/// access: the pinned version if present, else the newest installed version
/// of this platform's package.
pub fn installed(root: &Path, package: &PackageDescriptor) -> Option<InstalledAgent> {
    installed_for(root, package, Platform::current())
}

/// [`installed`] for an explicit platform.
pub fn installed_for(root: &Path, package: &PackageDescriptor, platform: Platform) -> Option<InstalledAgent> {
    let spec = package.spec(platform, None).ok()?;
    let agent = package.agent.as_str();
    if !is_plain_name(agent) {
        return None;
    }
    if let Some(found) = installed_spec(root, agent, &spec) {
        return Some(found);
    }
    std::fs::read_dir(agent_dir(root, agent))
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| read_install(&e.path(), agent, &spec.package))
        .max_by(|a, b| compare_versions(&a.version, &b.version))
}

/// Semver-style ordering: numeric `major.minor.patch`, then a release sorts
/// after its pre-releases, pre-release identifiers compared per semver.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn split(v: &str) -> (Vec<u64>, Option<&str>) {
        let v = v.split('+').next().unwrap_or(v);
        let (core, pre) = match v.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (v, None),
        };
        (core.split('.').map(|n| n.parse().unwrap_or(0)).collect(), pre)
    }
    let (ca, pa) = split(a);
    let (cb, pb) = split(b);
    ca.cmp(&cb).then_with(|| match (pa, pb) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let (mut xs, mut ys) = (x.split('.'), y.split('.'));
            loop {
                match (xs.next(), ys.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(p), Some(q)) => {
                        let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                            (Ok(m), Ok(n)) => m.cmp(&n),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => p.cmp(q),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering() {
        assert_eq!(compare_versions("2.1.197", "2.1.330"), Ordering::Less);
        assert_eq!(compare_versions("2.10.0", "2.9.9"), Ordering::Greater);
        assert_eq!(compare_versions("0.170.0-linux-x64", "0.169.0-linux-x64"), Ordering::Greater);
        assert_eq!(compare_versions("1.0.0", "1.0.0-rc.1"), Ordering::Greater);
        assert_eq!(compare_versions("1.0.0-rc.2", "1.0.0-rc.10"), Ordering::Less);
        assert_eq!(compare_versions("0.0.1790142911-g7618fb", "0.0.1790000000-gabc"), Ordering::Greater);
    }

    #[test]
    fn roots_and_dirs() {
        let data = Path::new("/data");
        assert_eq!(root_from(data, None), PathBuf::from("/data/agents"));
        assert_eq!(root_from(data, Some("".into())), PathBuf::from("/data/agents"));
        assert_eq!(root_from(data, Some("/cache".into())), PathBuf::from("/cache"));
        let root = Path::new("/r");
        assert_eq!(version_dir(root, "codex", "0.169.0-linux-x64"), Some("/r/codex/0.169.0-linux-x64".into()));
        assert_eq!(version_dir(root, "codex", "../x"), None);
        assert_eq!(version_dir(root, "codex", ".tmp"), None);
        assert_eq!(version_dir(root, "codex", "a/b"), None);
    }
}
