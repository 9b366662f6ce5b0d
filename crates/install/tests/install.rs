//! End-to-end installs against the in-process fake registry.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use common::*;
use sandbox_agent_install::*;

#[tokio::test]
async fn installs_binary_and_record() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let root = tempfile::tempdir().unwrap();
    let (log, progress) = recorder();

    let agent =
        within(installer(root.path(), &reg).install(&AgentKind::Claude.package(), InstallOptions::default(), progress))
            .await
            .unwrap();

    let dir = root.path().join("claude/2.1.197");
    assert_eq!(agent.path, dir.join("package/claude"));
    assert_eq!(agent.version, "2.1.197");
    assert_eq!(agent.package, CLAUDE_PKG);
    assert_eq!(std::fs::read(&agent.path).unwrap(), FAKE_CLAUDE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&agent.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
        let out = std::process::Command::new(&agent.path).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "fake-claude 2.1.197");
    }
    assert!(dir.join("package/package.json").is_file());

    let rec: InstallRecord = serde_json::from_slice(&std::fs::read(dir.join("install.json")).unwrap()).unwrap();
    assert_eq!(rec.agent, "claude");
    assert_eq!(rec.package, CLAUDE_PKG);
    assert_eq!(rec.version, "2.1.197");
    assert_eq!(rec.integrity, sri(&claude_tarball()));
    assert_eq!(rec.binary, Path::new("package/claude"));
    assert!(rec.installed_at.ends_with('Z'), "{}", rec.installed_at);

    // No temp files left behind.
    assert_eq!(agent_entries(root.path(), "claude"), vec!["2.1.197"]);

    // Progress in order: Resolving, Downloading…, Verifying, Unpacking, Done.
    let log = log.lock().unwrap().clone();
    assert!(
        matches!(&log[0], Progress::Resolving { package, version } if package == CLAUDE_PKG && version == "2.1.197")
    );
    let len = claude_tarball().len() as u64;
    assert!(log.contains(&Progress::Downloading { received: len, total: Some(len) }), "{log:?}");
    let tail = &log[log.len() - 3..];
    assert_eq!(tail[0], Progress::Verifying);
    assert_eq!(tail[1], Progress::Unpacking);
    assert_eq!(tail[2], Progress::Done { path: agent.path.clone(), downloaded: true });

    // The packument was asked for in the abbreviated format.
    let accept = reg.shared.accept.lock().unwrap().clone();
    assert!(accept[0].starts_with("application/vnd.npm.install-v1+json"), "{accept:?}");

    // Lookup without installing.
    let found = installed_for(root.path(), &AgentKind::Claude.package(), Platform::LINUX_X64).unwrap();
    assert_eq!(found, agent);
}

#[tokio::test]
async fn second_install_is_a_no_op_and_reinstall_downloads_again() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let root = tempfile::tempdir().unwrap();
    let inst = installer(root.path(), &reg);

    let first = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();
    assert_eq!((reg.packument_hits(), reg.tarball_hits()), (1, 1));

    let (log, progress) = recorder();
    let second = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), progress)).await.unwrap();
    assert_eq!(second, first);
    assert_eq!((reg.packument_hits(), reg.tarball_hits()), (1, 1), "no network on the second install");
    assert_eq!(*log.lock().unwrap(), vec![Progress::Done { path: first.path.clone(), downloaded: false }]);

    // Damage the binary; reinstall replaces the whole directory.
    std::fs::write(&first.path, b"broken").unwrap();
    std::fs::write(first.dir.join("package/extra-file"), b"stale").unwrap();
    let opts = InstallOptions { reinstall: true, ..Default::default() };
    let third = within(inst.install(&AgentKind::Claude.package(), opts, |_| {})).await.unwrap();
    assert_eq!(reg.tarball_hits(), 2);
    assert_eq!(std::fs::read(&third.path).unwrap(), FAKE_CLAUDE);
    assert!(!third.dir.join("package/extra-file").exists());
    assert_eq!(agent_entries(root.path(), "claude"), vec!["2.1.197"]);
}

#[tokio::test]
async fn missing_binary_counts_as_not_installed() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let root = tempfile::tempdir().unwrap();
    let inst = installer(root.path(), &reg);
    let first = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();
    std::fs::remove_file(&first.path).unwrap();
    assert_eq!(inst.installed(&AgentKind::Claude.package()), None);
    let again = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();
    assert_eq!(reg.tarball_hits(), 2);
    assert!(again.path.is_file());
}

#[tokio::test]
async fn sha1_shasum_is_used_when_integrity_is_absent() {
    let reg = FakeRegistry::start().await;
    reg.publish_with(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball(), Some(""));
    let root = tempfile::tempdir().unwrap();
    let agent = install_claude(root.path(), &reg).await.unwrap();
    let rec: InstallRecord = serde_json::from_slice(&std::fs::read(agent.dir.join("install.json")).unwrap()).unwrap();
    assert_eq!(rec.integrity.len(), 40, "sha1 hex: {}", rec.integrity);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_installs_download_once_and_both_succeed() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    // Hold the tarball response until one installer is blocked on the lock,
    // so the two installs really overlap.
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    *reg.shared.gate.lock().unwrap() = Some(gate.clone());
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (installer(root.path(), &reg), installer(root.path(), &reg));
    let (log_a, log_b) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    let progress = |log: Arc<Mutex<Vec<Progress>>>| {
        let gate = gate.clone();
        move |p: Progress| {
            if p == Progress::WaitingForLock {
                gate.add_permits(1);
            }
            log.lock().unwrap().push(p);
        }
    };

    let claude = AgentKind::Claude.package();
    let (ra, rb) = within(async {
        tokio::join!(
            a.install(&claude, InstallOptions::default(), progress(log_a.clone())),
            b.install(&claude, InstallOptions::default(), progress(log_b.clone())),
        )
    })
    .await;
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra, rb);
    assert_eq!(reg.tarball_hits(), 1);
    assert_eq!(std::fs::read(&ra.path).unwrap(), FAKE_CLAUDE);
    assert_eq!(agent_entries(root.path(), "claude"), vec!["2.1.197"]);

    let done = |log: &Arc<Mutex<Vec<Progress>>>| match log.lock().unwrap().last() {
        Some(Progress::Done { downloaded, .. }) => *downloaded,
        other => panic!("last progress {other:?}"),
    };
    let (da, db) = (done(&log_a), done(&log_b));
    assert!(da != db, "exactly one of them downloaded");
    let waited = |log: &Arc<Mutex<Vec<Progress>>>| log.lock().unwrap().contains(&Progress::WaitingForLock);
    assert!(waited(&log_a) || waited(&log_b));
}

#[tokio::test]
async fn other_versions_and_lookup_preference() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    reg.publish(CLAUDE_PKG, "2.1.9", claude_tarball());
    reg.publish(CLAUDE_PKG, "2.1.330", claude_tarball());
    let root = tempfile::tempdir().unwrap();
    let inst = installer(root.path(), &reg);
    let lookup = || installed_for(root.path(), &AgentKind::Claude.package(), Platform::LINUX_X64).map(|a| a.version);
    assert_eq!(lookup(), None);

    for v in ["2.1.9", "2.1.330"] {
        let opts = InstallOptions { version: Some(v.into()), ..Default::default() };
        let a = within(inst.install(&AgentKind::Claude.package(), opts, |_| {})).await.unwrap();
        assert_eq!(a.path, root.path().join(format!("claude/{v}/package/claude")));
    }
    assert_eq!(lookup().as_deref(), Some("2.1.330"), "newest when the pinned one is absent");
    within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();
    assert_eq!(lookup().as_deref(), Some("2.1.197"), "pinned one preferred");
    // Another platform's package in the same root is not ours.
    assert_eq!(installed_for(root.path(), &AgentKind::Claude.package(), Platform::LINUX_ARM64), None);
}

#[tokio::test]
async fn codex_keeps_the_whole_package() {
    let reg = FakeRegistry::start().await;
    let tgz = tarball(&[
        ("package/vendor/x86_64-unknown-linux-musl/bin/codex", b"#!/bin/sh\n", 0o755),
        ("package/vendor/x86_64-unknown-linux-musl/codex-path/rg", b"#!/bin/sh\n", 0o755),
        ("package/package.json", b"{}", 0o644),
    ]);
    reg.publish("@openai/codex", "0.169.0-linux-x64", tgz);
    let root = tempfile::tempdir().unwrap();
    let opts = InstallOptions { version: Some("0.169.0".into()), ..Default::default() };
    let a = within(installer(root.path(), &reg).install(&AgentKind::Codex.package(), opts, |_| {})).await.unwrap();
    assert_eq!(a.version, "0.169.0-linux-x64");
    let vendor = root.path().join("codex/0.169.0-linux-x64/package/vendor/x86_64-unknown-linux-musl");
    assert_eq!(a.path, vendor.join("bin/codex"));
    assert!(vendor.join("codex-path/rg").is_file());
}

/// An agent the crate has never heard of installs from its own descriptor, as a
/// configuration-defined agent will.
#[tokio::test]
async fn installs_from_a_descriptor_of_its_own() {
    let reg = FakeRegistry::start().await;
    let script = b"#!/bin/sh\necho my-agent 0.3.1\n";
    let pkg = tarball(&[("package/bin/my-agent", script, 0o644), ("package/package.json", br#"{}"#, 0o644)]);
    reg.publish("@acme/my-agent", "0.3.1", pkg);
    let root = tempfile::tempdir().unwrap();
    let descriptor = PackageDescriptor::npm("my-agent", "@acme/my-agent", "0.3.1", "bin/my-agent");
    let agent =
        within(installer(root.path(), &reg).install(&descriptor, InstallOptions::default(), |_| {})).await.unwrap();
    assert_eq!(agent.agent, "my-agent");
    assert_eq!(agent.path, root.path().join("my-agent/0.3.1/package/bin/my-agent"));
    assert_eq!(std::fs::read(&agent.path).unwrap(), script);
    assert_eq!(installed_for(root.path(), &descriptor, Platform::LINUX_X64), Some(agent));

    // A descriptor whose name is not a plain directory name installs nothing anywhere.
    let evil = PackageDescriptor::npm("../evil", "@acme/my-agent", "0.3.1", "bin/my-agent");
    let err = within(installer(root.path(), &reg).install(&evil, InstallOptions::default(), |_| {})).await.unwrap_err();
    assert!(matches!(err, Error::InvalidAgentName(_)), "{err}");
    assert_eq!(installed_for(root.path(), &evil, Platform::LINUX_X64), None);
    assert!(!root.path().parent().unwrap().join("evil").exists());
}
