//! The environment a child starts from (nothing is inherited beyond it).

use std::path::Path;

/// The environment every agent process starts from: the daemon's PATH, locale, TZ, TMPDIR and
/// TLS trust settings, the given HOME, TERM=dumb, and nothing else (credentials and provider
/// settings are added per agent).
pub fn base_env(home: &Path) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .collect();
    env.push(("HOME".into(), home.display().to_string()));
    env.push(("TERM".into(), "dumb".into()));
    env
}

/// True when the daemon runs as root (some agents refuse bypass modes as root unless told
/// they are in a sandbox).
pub fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_env_sets_home_and_term_and_keeps_only_known_keys() {
        let env = base_env(Path::new("/state/home"));
        let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.iter().all(|k| {
            ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "HOME", "TERM"].contains(k)
        }));
        assert!(env.contains(&("HOME".into(), "/state/home".into())));
        assert!(env.contains(&("TERM".into(), "dumb".into())));
    }
}
