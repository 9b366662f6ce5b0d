//! Installs that must fail cleanly, leaving nothing installed.

mod common;

use std::path::Path;

use common::*;
use sandbox_agent_install::*;

#[tokio::test]
async fn integrity_mismatch_installs_nothing() {
    let reg = FakeRegistry::start().await;
    let wrong = sri(b"something else");
    reg.publish_with(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball(), Some(&wrong));
    let root = tempfile::tempdir().unwrap();

    let err = install_claude(root.path(), &reg).await.unwrap_err();
    match &err {
        Error::IntegrityMismatch { expected, actual } => {
            assert_eq!(expected, &wrong);
            assert_eq!(actual, &sri(&claude_tarball()));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().starts_with("integrity check failed: expected sha512-"));
    assert_eq!(agent_entries(root.path(), "claude"), Vec::<String>::new());
    assert_eq!(installed_for(root.path(), &AgentKind::Claude.package(), Platform::LINUX_X64), None);
}

#[tokio::test]
async fn unsafe_tarball_entries_are_refused() {
    for bad in ["package/../../evil", "/tmp/sandbox-agent-install-evil"] {
        let reg = FakeRegistry::start().await;
        let tgz = tarball(&[("package/claude", FAKE_CLAUDE, 0o755), (bad, b"pwned", 0o644)]);
        reg.publish(CLAUDE_PKG, CLAUDE_VERSION, tgz);
        let root = tempfile::tempdir().unwrap();
        let err = install_claude(root.path(), &reg).await.unwrap_err();
        assert!(matches!(&err, Error::UnsafeTarEntry { path } if path == bad), "{err:?}");
        assert_eq!(agent_entries(root.path(), "claude"), Vec::<String>::new());
        assert!(!root.path().join("evil").exists());
        assert!(!Path::new("/tmp/sandbox-agent-install-evil").exists());
    }
}

#[tokio::test]
async fn tarball_without_the_binary_is_refused() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, tarball(&[("package/README.md", b"hi", 0o644)]));
    let root = tempfile::tempdir().unwrap();
    let err = install_claude(root.path(), &reg).await.unwrap_err();
    assert!(matches!(err, Error::MissingBinary { .. }), "{err:?}");
    assert_eq!(agent_entries(root.path(), "claude"), Vec::<String>::new());
}

#[tokio::test]
async fn unreachable_registry_is_reported() {
    // A port that was just free: connecting to it is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let root = tempfile::tempdir().unwrap();
    let inst = Installer::new(root.path(), Registry::new(&url).unwrap()).unwrap().with_platform(Platform::LINUX_X64);
    let err = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap_err();
    assert!(matches!(err, Error::RegistryUnreachable { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("cannot reach the npm registry at {url}: ")), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

#[tokio::test]
async fn missing_package_and_version_are_404_errors() {
    let reg = FakeRegistry::start().await;
    let root = tempfile::tempdir().unwrap();
    let inst = installer(root.path(), &reg);

    let err = within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap_err();
    assert!(matches!(err, Error::PackageNotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("package {CLAUDE_PKG} not found in the npm registry at {} (HTTP 404)", reg.url)
    );

    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let opts = InstallOptions { version: Some("9.9.9".into()), ..Default::default() };
    let err = within(inst.install(&AgentKind::Claude.package(), opts, |_| {})).await.unwrap_err();
    assert!(matches!(err, Error::VersionNotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("version 9.9.9 of {CLAUDE_PKG} not found in the npm registry at {} (latest is 2.1.197)", reg.url)
    );
    assert_eq!(reg.tarball_hits(), 0);
    assert_eq!(agent_entries(root.path(), "claude"), Vec::<String>::new());
}

#[tokio::test]
async fn unsupported_platform_is_a_clear_error() {
    let reg = FakeRegistry::start().await;
    let root = tempfile::tempdir().unwrap();
    let inst = installer(root.path(), &reg).with_platform(Platform::new("windows", "x86_64"));
    let err =
        within(inst.install(&AgentKind::Opencode.package(), InstallOptions::default(), |_| {})).await.unwrap_err();
    assert_eq!(err.to_string(), "opencode has no native npm package for platform windows-x86_64");
    assert_eq!(reg.packument_hits(), 0);
}
