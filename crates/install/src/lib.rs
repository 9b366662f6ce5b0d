//! Install coding-agent CLIs (claude, codex, opencode, amp) as native
//! binaries straight from their npm platform packages, so no node is needed
//! at runtime.
//!
//! ```no_run
//! # async fn demo() -> sandbox_agent_install::Result<()> {
//! use sandbox_agent_install::*;
//! let registry = tokio::task::spawn_blocking(|| Registry::discover(None)).await.unwrap()?;
//! let installer = Installer::new(default_root("/var/lib/sandbox-agent".as_ref()), registry)?;
//! let agent = installer
//!     .install(&AgentKind::Claude.package(), InstallOptions::default(), |p| eprintln!("{p:?}"))
//!     .await?;
//! println!("claude {} at {}", agent.version, agent.path.display());
//! # Ok(()) }
//! ```
//!
//! Installs are idempotent, verified against the registry's `dist.integrity`,
//! unpacked into a staging directory and renamed into place, and serialized
//! per agent by an exclusive lock file (safe across threads and processes).

mod dependencies;
mod download;
mod error;
mod npmrc;
mod packages;
mod registry;
mod store;
mod unpack;

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use error::{Error, Result};
pub use packages::{pinned, spec_for, AgentKind, PackageDescriptor, PackageSpec, Platform};
pub use registry::{DiscoverEnv, Registry};
pub use store::{
    compare_versions, default_root, installed, installed_for, InstallRecord, InstalledAgent, AGENTS_DIR_ENV,
};

use error::IoContext;
use store::{agent_dir, installed_spec, read_install, version_dir, PACKAGE_DIR, RECORD_FILE};

/// What [`Installer::install`] should do.
#[derive(Clone, Debug, Default)]
pub struct InstallOptions {
    /// npm version to install instead of the pinned one.
    pub version: Option<String>,
    /// Download and replace even if this version is already installed.
    pub reinstall: bool,
}

/// Progress reports from [`Installer::install`], in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Another install of the same agent holds the lock; waiting for it.
    WaitingForLock,
    /// Looking up the package version in the registry.
    Resolving {
        package: String,
        version: String,
    },
    /// Tarball bytes received so far (`total` from `Content-Length`).
    Downloading {
        received: u64,
        total: Option<u64>,
    },
    /// Download complete; checking its hash.
    Verifying,
    Unpacking,
    /// Finished; `downloaded` is false when an existing install was reused.
    Done {
        path: PathBuf,
        downloaded: bool,
    },
}

/// Downloads and installs agent binaries under one root directory.
#[derive(Clone, Debug)]
pub struct Installer {
    root: PathBuf,
    registry: Registry,
    http: reqwest::Client,
    platform: Platform,
    stall_timeout: Duration,
}

impl Installer {
    /// Installer for `root` (see [`default_root`]) on the current platform,
    /// using [`Registry::http_client`].
    pub fn new(root: impl Into<PathBuf>, registry: Registry) -> Result<Self> {
        let http = registry.http_client()?;
        Ok(Installer {
            root: root.into(),
            registry,
            http,
            platform: Platform::current(),
            stall_timeout: Duration::from_secs(60),
        })
    }

    /// Use a caller-configured HTTP client (proxies, custom CAs, timeouts).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Install packages for another platform (tests, cross-provisioning).
    pub fn with_platform(mut self, platform: Platform) -> Self {
        self.platform = platform;
        self
    }

    /// Abort a download when no bytes arrive for this long (default 60 s).
    pub fn with_stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The package that `install` would fetch for `package` and `version`.
    pub fn spec(&self, package: &PackageDescriptor, version: Option<&str>) -> Result<PackageSpec> {
        package.spec(self.platform, version)
    }

    /// Already installed binary of `package` (no network); see [`installed`].
    pub fn installed(&self, package: &PackageDescriptor) -> Option<InstalledAgent> {
        installed_for(&self.root, package, self.platform)
    }

    /// Install `package` (pinned version unless `opts.version`) and return the
    /// binary. Reuses an existing install unless `opts.reinstall`. Concurrent
    /// calls for the same agent, in any process, are serialized.
    pub async fn install<F>(
        &self,
        package: &PackageDescriptor,
        opts: InstallOptions,
        progress: F,
    ) -> Result<InstalledAgent>
    where
        F: Fn(Progress) + Send + Sync,
    {
        let agent = package.agent.clone();
        if !store::is_plain_name(&agent) {
            return Err(Error::InvalidAgentName(agent));
        }
        let spec = self.spec(package, opts.version.as_deref())?;
        let final_dir = version_dir(&self.root, &agent, &spec.version)
            .ok_or_else(|| Error::InvalidVersion(spec.version.clone()))?;
        let reuse = |progress: &F| {
            let found = installed_spec(&self.root, &agent, &spec)?;
            progress(Progress::Done { path: found.path.clone(), downloaded: false });
            Some(found)
        };
        if !opts.reinstall {
            if let Some(found) = reuse(&progress) {
                return Ok(found);
            }
        }

        let dir = agent_dir(&self.root, &agent);
        let lock = lock_agent(&dir, &progress).await?;
        // Whoever held the lock before us may have just installed it.
        if !opts.reinstall {
            if let Some(found) = reuse(&progress) {
                return Ok(found);
            }
        }
        let stale = dir.clone();
        blocking(move || {
            remove_stale_temps(&stale);
            Ok(())
        })
        .await?;

        tracing::info!(%agent, package = %spec.package, version = %spec.version, "installing agent");
        progress(Progress::Resolving { package: spec.package.clone(), version: spec.version.clone() });
        let dist = download::resolve(&self.http, &self.registry, &spec.package, &spec.version).await?;

        let tgz = TempPath::new(&dir, ".tgz");
        let on_bytes = |received, total| progress(Progress::Downloading { received, total });
        let on_verify = || progress(Progress::Verifying);
        download::download(&self.http, &self.registry, &dist, tgz.0.clone(), self.stall_timeout, &on_bytes, &on_verify)
            .await?;

        progress(Progress::Unpacking);
        let record = InstallRecord {
            agent: agent.clone(),
            package: spec.package.clone(),
            version: spec.version.clone(),
            integrity: dist.integrity.expected(),
            binary: Path::new(PACKAGE_DIR).join(&spec.binary),
            installed_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        };
        // The lock moves into the task: if this future is dropped mid-way, the
        // lock is still held until the unpack/rename finishes.
        let deps = spec.dependencies.then(|| self.registry.url().to_string());
        let agent = blocking(move || {
            let result = place(&dir, &final_dir, &tgz.0, &record, deps.as_deref());
            drop(tgz);
            drop(lock);
            result
        })
        .await?;
        tracing::info!(agent = %agent.agent, path = %agent.path.display(), "agent installed");
        progress(Progress::Done { path: agent.path.clone(), downloaded: true });
        Ok(agent)
    }
}

/// Take `{dir}/.lock` exclusively (blocking work runs on the blocking pool).
/// The lock is released when the returned file is dropped.
async fn lock_agent(dir: &Path, progress: &(dyn Fn(Progress) + Send + Sync)) -> Result<File> {
    let dir = dir.to_path_buf();
    let path = dir.join(".lock");
    let ctx = move || format!("locking {}", path.display());
    let (file, locked) = blocking(move || {
        fs::create_dir_all(&dir).ctx(|| format!("creating {}", dir.display()))?;
        let path = dir.join(".lock");
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .ctx(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok((file, true)),
            Err(TryLockError::WouldBlock) => Ok((file, false)),
            Err(TryLockError::Error(e)) => Err(e).ctx(|| format!("locking {}", path.display())),
        }
    })
    .await?;
    if locked {
        return Ok(file);
    }
    progress(Progress::WaitingForLock);
    blocking(move || {
        file.lock().ctx(ctx)?;
        Ok(file)
    })
    .await
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Io { context: "blocking task".into(), source: std::io::Error::other(e.to_string()) })?
}

/// Unpack into a staging dir next to `final_dir` (with its dependencies, from `registry`, when
/// it has them), check the binary, write `install.json`, then rename into place (replacing an
/// older copy).
fn place(
    dir: &Path,
    final_dir: &Path,
    tgz: &Path,
    record: &InstallRecord,
    registry: Option<&str>,
) -> Result<InstalledAgent> {
    let staging = TempPath::new(dir, "");
    unpack::unpack_tarball(tgz, &staging.0.join(PACKAGE_DIR))?;
    if let Some(registry) = registry {
        dependencies::install(&staging.0.join(PACKAGE_DIR), registry, &record.package)?;
    }
    let bin = staging.0.join(&record.binary);
    if !fs::metadata(&bin).map(|m| m.is_file()).unwrap_or(false) {
        return Err(Error::MissingBinary {
            package: format!("{}@{}", record.package, record.version),
            binary: record.binary.strip_prefix(PACKAGE_DIR).unwrap_or(&record.binary).to_path_buf(),
        });
    }
    unpack::set_mode(&bin, 0o755)?;
    let json = serde_json::to_vec_pretty(record).expect("record serializes");
    let rec_path = staging.0.join(RECORD_FILE);
    fs::write(&rec_path, json).ctx(|| format!("writing {}", rec_path.display()))?;

    let rename = |from: &Path, to: &Path| {
        fs::rename(from, to).ctx(|| format!("renaming {} to {}", from.display(), to.display()))
    };
    if fs::symlink_metadata(final_dir).is_ok() {
        let old = TempPath::new(dir, "-old");
        rename(final_dir, &old.0)?;
        if let Err(e) = rename(&staging.0, final_dir) {
            let _ = fs::rename(&old.0, final_dir);
            return Err(e);
        }
    } else {
        rename(&staging.0, final_dir)?;
    }
    read_install(final_dir, &record.agent, &record.package)
        .ok_or_else(|| Error::MissingBinary { package: record.package.clone(), binary: record.binary.clone() })
}

/// Remove `.tmp-*` leftovers of interrupted installs (caller holds the lock).
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".tmp-") {
            tracing::debug!(path = %entry.path().display(), "removing stale temp");
            remove_path(&entry.path());
        }
    }
}

fn remove_path(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => drop(fs::remove_dir_all(path)),
        Ok(_) => drop(fs::remove_file(path)),
        Err(_) => {}
    }
}

/// A `.tmp-*` path inside the agent dir, removed on drop (if still there).
struct TempPath(PathBuf);

impl TempPath {
    fn new(dir: &Path, suffix: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        TempPath(dir.join(format!(".tmp-{}-{nanos}-{n}{suffix}", std::process::id())))
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        remove_path(&self.0);
    }
}
