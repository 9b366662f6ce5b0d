//! Registry discovery (env, .npmrc layers, npm fallback) and auth headers.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use common::*;
use sandbox_agent_install::*;

struct Dirs {
    _tmp: tempfile::TempDir,
    home: std::path::PathBuf,
    project: std::path::PathBuf,
    global: std::path::PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    let global = tmp.path().join("global-npmrc");
    Dirs { home, project, global, _tmp: tmp }
}

fn env(d: &Dirs, vars: &[(&str, &str)]) -> DiscoverEnv {
    DiscoverEnv {
        vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<HashMap<_, _>>(),
        home: Some(d.home.clone()),
        global_npmrc: Some(d.global.clone()),
        npm: None,
        npm_timeout: Duration::from_secs(5),
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn precedence_env_then_project_then_home_then_global() {
    let d = dirs();
    write(&d.global, "registry=http://127.0.0.1:1/global\n");
    let e = env(&d, &[]);
    let r = Registry::discover_with(Some(&d.project), &e).unwrap();
    assert_eq!((r.url(), r.source()), ("http://127.0.0.1:1/global/", d.global.to_str().unwrap()));

    write(&d.home.join(".npmrc"), "registry=http://127.0.0.1:2/home/\n");
    let r = Registry::discover_with(Some(&d.project), &e).unwrap();
    assert_eq!(r.url(), "http://127.0.0.1:2/home/");

    write(&d.project.join(".npmrc"), "registry = http://127.0.0.1:3/project\n");
    let r = Registry::discover_with(Some(&d.project), &e).unwrap();
    assert_eq!(r.url(), "http://127.0.0.1:3/project/");
    // Without a project dir the home file wins again.
    assert_eq!(Registry::discover_with(None, &e).unwrap().url(), "http://127.0.0.1:2/home/");

    for var in ["NPM_CONFIG_REGISTRY", "npm_config_registry"] {
        let e = env(&d, &[(var, "http://127.0.0.1:4/env")]);
        let r = Registry::discover_with(Some(&d.project), &e).unwrap();
        assert_eq!((r.url(), r.source()), ("http://127.0.0.1:4/env/", "NPM_CONFIG_REGISTRY"));
    }

    // NPM_CONFIG_USERCONFIG replaces $HOME/.npmrc.
    let user = d.home.join("custom-npmrc");
    write(&user, "registry=http://127.0.0.1:5/user\n");
    let e = env(&d, &[("NPM_CONFIG_USERCONFIG", user.to_str().unwrap())]);
    assert_eq!(Registry::discover_with(None, &e).unwrap().url(), "http://127.0.0.1:5/user/");
}

#[test]
fn scoped_registries_and_env_expansion() {
    let d = dirs();
    write(
        &d.home.join(".npmrc"),
        "registry=http://127.0.0.1:${REG_PORT}/base/\n@corp:registry=http://127.0.0.1:7/corp\n\
         //127.0.0.1:7/corp/:_authToken=${CORP_TOKEN}\n",
    );
    write(&d.project.join(".npmrc"), "@anthropic-ai:registry=\"http://127.0.0.1:8/mirror/\"\n");
    let e = env(&d, &[("REG_PORT", "6"), ("CORP_TOKEN", "s3cret")]);
    let r = Registry::discover_with(Some(&d.project), &e).unwrap();
    assert_eq!(r.url(), "http://127.0.0.1:6/base/");
    assert_eq!(r.url_for("@corp/tool").as_str(), "http://127.0.0.1:7/corp/");
    assert_eq!(r.url_for("@anthropic-ai/claude-code-linux-x64").as_str(), "http://127.0.0.1:8/mirror/");
    assert_eq!(r.url_for("opencode-linux-x64").as_str(), "http://127.0.0.1:6/base/");
    assert_eq!(r.packument_url("@corp/tool").unwrap().as_str(), "http://127.0.0.1:7/corp/@corp%2ftool");
    let url = |s: &str| s.parse().unwrap();
    assert_eq!(r.authorization(&url("http://127.0.0.1:7/corp/@corp%2ftool")), Some("Bearer s3cret"));
    assert_eq!(r.authorization(&url("http://127.0.0.1:6/base/x")), None);
    assert!(!format!("{r:?}").contains("s3cret"), "Debug must redact tokens");
}

#[test]
fn no_registry_is_a_clear_error() {
    let d = dirs();
    let err = Registry::discover_with(Some(&d.project), &env(&d, &[])).unwrap_err();
    assert!(matches!(err, Error::NoRegistry { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("NPM_CONFIG_REGISTRY") && msg.contains("registry=<url>"), "{msg}");

    let mut e = env(&d, &[]);
    e.npm = Some(d.project.join("no-such-npm").into());
    let msg = Registry::discover_with(None, &e).unwrap_err().to_string();
    assert!(msg.contains("`npm config get registry` (cannot run"), "{msg}");

    write(&d.home.join(".npmrc"), "registry=not a url\n");
    let err = Registry::discover_with(None, &env(&d, &[])).unwrap_err();
    assert!(matches!(err, Error::InvalidRegistryUrl { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn falls_back_to_npm_config_get_registry() {
    use std::os::unix::fs::PermissionsExt;
    let d = dirs();
    let npm = d.project.join("npm");
    write(&npm, "#!/bin/sh\n[ \"$*\" = \"config get registry\" ] && echo http://127.0.0.1:9/from-npm/\n");
    std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A token in .npmrc still applies to the registry npm reports.
    write(&d.home.join(".npmrc"), "//127.0.0.1:9/:_authToken=tok\n");
    let mut e = env(&d, &[]);
    e.npm = Some(npm.clone().into());
    let r = Registry::discover_with(None, &e).unwrap();
    assert_eq!((r.url(), r.source()), ("http://127.0.0.1:9/from-npm/", "`npm config get registry`"));
    assert_eq!(r.authorization(&"http://127.0.0.1:9/from-npm/x".parse().unwrap()), Some("Bearer tok"));

    // A hung npm is killed after the timeout.
    let hang = d.project.join("npm-hang");
    write(&hang, "#!/bin/sh\nexec sleep 60\n");
    std::fs::set_permissions(&hang, std::fs::Permissions::from_mode(0o755)).unwrap();
    e.npm = Some(hang.into());
    e.npm_timeout = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let msg = Registry::discover_with(None, &e).unwrap_err().to_string();
    assert!(msg.contains("timed out"), "{msg}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn auth_token_from_npmrc_is_sent() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let d = dirs();
    let host = reg.url.trim_start_matches("http:");
    write(&d.project.join(".npmrc"), &format!("registry={}\n{host}:_authToken=${{NPM_TOKEN}}\n", reg.url));
    let r = Registry::discover_with(Some(&d.project), &env(&d, &[("NPM_TOKEN", "tok-123")])).unwrap();
    let root = tempfile::tempdir().unwrap();
    let inst = Installer::new(root.path(), r).unwrap().with_platform(Platform::LINUX_X64);
    within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();

    let seen = reg.shared.auth.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for (path, auth) in &seen {
        assert_eq!(auth.as_deref(), Some("Bearer tok-123"), "{path}");
    }
}

#[tokio::test]
async fn token_is_not_sent_to_other_hosts() {
    let reg = FakeRegistry::start().await;
    reg.publish(CLAUDE_PKG, CLAUDE_VERSION, claude_tarball());
    let r = Registry::new(&reg.url).unwrap().with_token("//127.0.0.1:1/", "elsewhere");
    let root = tempfile::tempdir().unwrap();
    let inst = Installer::new(root.path(), r).unwrap().with_platform(Platform::LINUX_X64);
    within(inst.install(&AgentKind::Claude.package(), InstallOptions::default(), |_| {})).await.unwrap();
    assert!(reg.shared.auth.lock().unwrap().iter().all(|(_, a)| a.is_none()));
}

#[test]
fn tls_settings_follow_npm_config() {
    let d = dirs();
    write(&d.global, "cafile=/etc/global-ca.pem\n");
    let e = env(&d, &[("NPM_CONFIG_REGISTRY", "http://127.0.0.1:1/"), ("NODE_EXTRA_CA_CERTS", "/etc/extra-ca.pem")]);
    let r = Registry::discover_with(None, &e).unwrap();
    assert_eq!(r.ca_files(), [Path::new("/etc/global-ca.pem"), Path::new("/etc/extra-ca.pem")]);
    assert!(r.strict_ssl());
    // Unreadable CA files are skipped, not fatal.
    r.http_client().unwrap();

    write(&d.home.join(".npmrc"), "cafile=/etc/home-ca.pem\nstrict-ssl=false\n");
    let r = Registry::discover_with(None, &env(&d, &[("NPM_CONFIG_REGISTRY", "http://127.0.0.1:1/")])).unwrap();
    assert_eq!(r.ca_files(), [Path::new("/etc/home-ca.pem")]);
    assert!(!r.strict_ssl());
}
