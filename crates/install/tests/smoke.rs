//! Real-network smoke test (ignored by default; ~74 MB download (~235 MB unpacked)):
//! `cargo test -p sandbox-agent-install -- --ignored --nocapture`
//! Installs claude; set `SANDBOX_AGENT_SMOKE_AGENT=codex|opencode|amp` to try
//! another agent's real package instead.

use std::time::Duration;

use sandbox_agent_install::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "downloads the real pinned claude package (~74 MB tarball) from the configured npm registry"]
async fn installs_real_pinned_claude() {
    let registry = tokio::task::spawn_blocking(|| Registry::discover(None)).await.unwrap().unwrap();
    eprintln!("registry {} (from {})", registry.url(), registry.source());
    let root = tempfile::tempdir().unwrap();
    let installer = Installer::new(root.path(), registry).unwrap();
    let kind: AgentKind =
        std::env::var("SANDBOX_AGENT_SMOKE_AGENT").unwrap_or_else(|_| "claude".into()).parse().unwrap();
    let kind = &kind.package();
    let spec = installer.spec(kind, None).unwrap();

    let last = std::sync::Mutex::new(0u64);
    let agent = tokio::time::timeout(
        Duration::from_secs(900),
        installer.install(kind, InstallOptions::default(), |p| {
            if let Progress::Downloading { received, total } = &p {
                let mut last = last.lock().unwrap();
                if *received < *last + 50 * 1024 * 1024 {
                    return;
                }
                *last = *received;
                eprintln!("downloading {received} / {total:?}");
            } else {
                eprintln!("{p:?}");
            }
        }),
    )
    .await
    .expect("install timed out")
    .unwrap();

    assert_eq!(agent.version, spec.version);
    assert_eq!(agent.path, root.path().join(&kind.agent).join(&spec.version).join("package").join(&spec.binary));

    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(&agent.path).arg("--version").kill_on_drop(true).output(),
    )
    .await
    .expect("--version timed out")
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{} --version: {stdout}", kind.agent);
    assert!(out.status.success(), "{out:?}");
    // codex prints `codex-cli 0.169.0` for npm version `0.169.0-linux-x64`.
    let plain = spec.version.split('-').next().unwrap();
    assert!(stdout.contains(plain), "{stdout}");

    // Idempotent: the second call finds it without downloading.
    let again = installer.install(kind, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(again, agent);
    assert_eq!(installer.installed(kind), Some(agent));
}
