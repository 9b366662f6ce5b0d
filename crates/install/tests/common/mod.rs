//! The installer's test helpers; the fake registry and tarballs come from the shared
//! test-support crate.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sandbox_agent_install::{AgentKind, InstallOptions, InstalledAgent, Installer, Platform, Progress, Registry};
pub use sandbox_agent_test_support::registry::{sri, tarball, FakeRegistry};

/// Await `fut`, failing the test after 60 s.
pub async fn within<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), fut).await.expect("timed out")
}

pub const CLAUDE_PKG: &str = "@anthropic-ai/claude-code-linux-x64";
pub const CLAUDE_VERSION: &str = "2.1.197";
pub const FAKE_CLAUDE: &[u8] = b"#!/bin/sh\necho fake-claude 2.1.197\n";

/// A tarball shaped like the real claude platform package.
pub fn claude_tarball() -> Vec<u8> {
    tarball(&[
        ("package/claude", FAKE_CLAUDE, 0o644),
        ("package/package.json", br#"{"name":"@anthropic-ai/claude-code-linux-x64"}"#, 0o644),
    ])
}

pub fn installer(root: &Path, reg: &FakeRegistry) -> Installer {
    Installer::new(root, Registry::new(&reg.url).unwrap()).unwrap().with_platform(Platform::LINUX_X64)
}

/// Install claude with default options from `reg` into `root`, within the test time limit.
pub async fn install_claude(root: &Path, reg: &FakeRegistry) -> sandbox_agent_install::Result<InstalledAgent> {
    within(installer(root, reg).install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await
}

pub fn recorder() -> (Arc<Mutex<Vec<Progress>>>, impl Fn(Progress) + Send + Sync) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    (log, move |p| sink.lock().unwrap().push(p))
}

/// Entries of `{root}/{agent}` other than the lock file.
pub fn agent_entries(root: &Path, agent: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join(agent))
        .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.retain(|n| n != ".lock");
    v.sort();
    v
}
