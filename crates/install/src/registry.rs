//! npm registry discovery: environment, `.npmrc` files, then `npm config`.
//!
//! No registry host is built in: the URL always comes from the user's npm
//! configuration, so mirrors and private registries work unchanged.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use crate::error::{Error, Result};
use crate::npmrc::{npm_config_get_registry, parse_npmrc};

/// Where to fetch packages from, with the credentials to send.
#[derive(Clone)]
pub struct Registry {
    url: Url,
    source: String,
    scopes: BTreeMap<String, Url>,
    /// npm "nerf dart" prefixes (`//host[:port]/path/`) → `Authorization` value.
    auth: Vec<(String, String)>,
    /// Extra PEM CA bundles to trust (npm `cafile`, `NODE_EXTRA_CA_CERTS`).
    ca_files: Vec<PathBuf>,
    /// npm `strict-ssl` (default true).
    strict_ssl: bool,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth: Vec<_> = self.auth.iter().map(|(k, _)| format!("{k} <redacted>")).collect();
        f.debug_struct("Registry")
            .field("url", &self.url.as_str())
            .field("source", &self.source)
            .field("scopes", &self.scopes)
            .field("auth", &auth)
            .field("ca_files", &self.ca_files)
            .field("strict_ssl", &self.strict_ssl)
            .finish()
    }
}

/// The environment discovery reads. [`DiscoverEnv::from_process`] is the real
/// one; tests build their own so they never touch the process environment.
#[derive(Clone, Debug, Default)]
pub struct DiscoverEnv {
    /// Environment variables (for `NPM_CONFIG_*` and `${VAR}` expansion).
    pub vars: HashMap<String, String>,
    /// Home directory (`$HOME/.npmrc`).
    pub home: Option<PathBuf>,
    /// Global npmrc (`$PREFIX/etc/npmrc`), if known.
    pub global_npmrc: Option<PathBuf>,
    /// `npm` executable for the last-resort `npm config get registry`; `None` skips it.
    pub npm: Option<OsString>,
    pub npm_timeout: Duration,
}

impl DiscoverEnv {
    pub fn from_process() -> Self {
        let vars: HashMap<String, String> =
            std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
        let home = vars.get("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        let mut env = DiscoverEnv {
            vars,
            home,
            global_npmrc: None,
            npm: Some("npm".into()),
            npm_timeout: Duration::from_secs(10),
        };
        env.global_npmrc = env.default_global_npmrc();
        env
    }

    /// `npm_config_<name>` (npm's own spelling) or `NPM_CONFIG_<NAME>`, non-empty.
    fn config_var(&self, name: &str) -> Option<&str> {
        let lower = format!("npm_config_{name}");
        let upper = lower.to_ascii_uppercase();
        [lower, upper].iter().filter_map(|k| self.vars.get(k)).map(|v| v.trim()).find(|v| !v.is_empty())
    }

    fn default_global_npmrc(&self) -> Option<PathBuf> {
        if let Some(p) = self.config_var("globalconfig") {
            return Some(PathBuf::from(p));
        }
        if let Some(prefix) = self.config_var("prefix") {
            return Some(Path::new(prefix).join("etc/npmrc"));
        }
        // npm's default prefix is the parent of the directory holding `node`.
        let path = self.vars.get("PATH")?;
        let node = std::env::split_paths(path).map(|d| d.join("node")).find(|p| p.is_file())?;
        let node = std::fs::canonicalize(&node).unwrap_or(node);
        Some(node.parent()?.parent()?.join("etc/npmrc"))
    }
}

impl Registry {
    /// A registry at an explicit URL, without credentials.
    pub fn new(url: &str) -> Result<Self> {
        Ok(Registry {
            url: parse_registry_url(url, "Registry::new")?,
            source: "explicit".into(),
            scopes: BTreeMap::new(),
            auth: Vec::new(),
            ca_files: Vec::new(),
            strict_ssl: true,
        })
    }

    /// Use `url` for packages in `scope` (`@scope`).
    pub fn with_scope(mut self, scope: &str, url: &str) -> Result<Self> {
        let url = parse_registry_url(url, scope)?;
        self.scopes.insert(normalize_scope(scope), url);
        Ok(self)
    }

    /// Send `Bearer token` to every URL under `url_prefix` (`http://host/path/`
    /// or npm's `//host/path/` form).
    pub fn with_token(mut self, url_prefix: &str, token: &str) -> Self {
        let key =
            url_prefix.split_once("//").map(|(_, rest)| format!("//{rest}")).unwrap_or_else(|| url_prefix.to_string());
        self.add_auth(key, format!("Bearer {token}"));
        self
    }

    /// Discover the registry from the process environment and npm config files.
    /// May run `npm config get registry` (bounded by a timeout), so call it
    /// from `spawn_blocking` inside async code.
    pub fn discover(project_dir: Option<&Path>) -> Result<Self> {
        Self::discover_with(project_dir, &DiscoverEnv::from_process())
    }

    /// Precedence, highest first: `npm_config_registry`/`NPM_CONFIG_REGISTRY`,
    /// `<project_dir>/.npmrc`, the user npmrc (`$NPM_CONFIG_USERCONFIG` or
    /// `$HOME/.npmrc`), the global npmrc, then `npm config get registry`.
    /// Scoped registries and `//host/:_authToken` lines merge the same way.
    pub fn discover_with(project_dir: Option<&Path>, env: &DiscoverEnv) -> Result<Self> {
        let mut files: Vec<PathBuf> = Vec::new(); // lowest precedence first
        files.extend(env.global_npmrc.clone());
        match env.config_var("userconfig") {
            Some(p) => files.push(PathBuf::from(p)),
            None => files.extend(env.home.as_ref().map(|h| h.join(".npmrc"))),
        }
        files.extend(project_dir.map(|d| d.join(".npmrc")));

        // key → (value, file it came from); later files override earlier ones.
        let mut merged: BTreeMap<String, (String, String)> = BTreeMap::new();
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            tracing::debug!(file = %file.display(), "reading npmrc");
            for (k, v) in parse_npmrc(&text, &env.vars) {
                merged.insert(k, (v, file.display().to_string()));
            }
        }

        let (url, source) = if let Some(u) = env.config_var("registry") {
            (u.to_string(), "NPM_CONFIG_REGISTRY".to_string())
        } else if let Some((u, file)) = merged.get("registry") {
            (u.clone(), file.clone())
        } else {
            let mut tried: Vec<String> = vec!["NPM_CONFIG_REGISTRY".into()];
            tried.extend(files.iter().rev().map(|f| f.display().to_string()));
            match &env.npm {
                Some(npm) => match npm_config_get_registry(npm, project_dir, env.npm_timeout) {
                    Ok(u) => (u, "`npm config get registry`".to_string()),
                    Err(e) => {
                        tried.push(format!("`npm config get registry` ({e})"));
                        return Err(Error::NoRegistry { tried: format!("tried {}", tried.join(", ")) });
                    }
                },
                None => return Err(Error::NoRegistry { tried: format!("tried {}", tried.join(", ")) }),
            }
        };

        let mut reg = Registry {
            url: parse_registry_url(&url, &source)?,
            source,
            scopes: BTreeMap::new(),
            auth: Vec::new(),
            ca_files: Vec::new(),
            strict_ssl: true,
        };
        for (key, (value, file)) in &merged {
            if let Some(scope) = key.strip_suffix(":registry").filter(|s| s.starts_with('@')) {
                reg.scopes.insert(normalize_scope(scope), parse_registry_url(value, file)?);
            } else if let Some(prefix) = key.strip_suffix(":_authToken").filter(|k| k.starts_with("//")) {
                reg.add_auth(prefix.to_string(), format!("Bearer {value}"));
            } else if let Some(prefix) = key.strip_suffix(":_auth").filter(|k| k.starts_with("//")) {
                reg.add_auth(prefix.to_string(), format!("Basic {value}"));
            }
        }
        // TLS settings, so registries behind TLS-intercepting proxies work
        // the way they do for npm.
        let setting =
            |name: &str| env.config_var(name).map(str::to_string).or_else(|| merged.get(name).map(|(v, _)| v.clone()));
        reg.ca_files.extend(setting("cafile").map(PathBuf::from));
        reg.ca_files.extend(env.vars.get("NODE_EXTRA_CA_CERTS").filter(|v| !v.is_empty()).map(PathBuf::from));
        reg.strict_ssl = setting("strict-ssl")
            .or_else(|| env.config_var("strict_ssl").map(str::to_string))
            .is_none_or(|v| v.trim() != "false");
        tracing::debug!(registry = ?reg, "discovered npm registry");
        Ok(reg)
    }

    /// Also trust the CA certificates in this PEM file.
    pub fn with_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_files.push(path.into());
        self
    }

    /// Extra CA bundles from npm's `cafile` and `NODE_EXTRA_CA_CERTS`.
    pub fn ca_files(&self) -> &[PathBuf] {
        &self.ca_files
    }

    /// `false` when npm's `strict-ssl=false` is set (certificates unchecked).
    pub fn strict_ssl(&self) -> bool {
        self.strict_ssl
    }

    /// An HTTP client that trusts the built-in roots plus [`Self::ca_files`]
    /// and honours `strict-ssl`. Unreadable CA files are skipped with a warning.
    pub fn http_client(&self) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("sandbox-agent-install/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(30));
        for file in &self.ca_files {
            let certs = std::fs::read(file)
                .map_err(|e| e.to_string())
                .and_then(|pem| reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string()));
            match certs {
                Ok(certs) => {
                    tracing::debug!(file = %file.display(), count = certs.len(), "trusting extra CA certificates");
                    for cert in certs {
                        builder = builder.add_root_certificate(cert);
                    }
                }
                Err(e) => {
                    tracing::warn!(file = %file.display(), "ignoring unreadable CA file: {e}")
                }
            }
        }
        if !self.strict_ssl {
            tracing::warn!("npm strict-ssl=false: registry TLS certificates are not verified");
            builder = builder.danger_accept_invalid_certs(true);
        }
        builder.build().map_err(|e| Error::Io {
            context: "building the HTTP client".into(),
            source: std::io::Error::other(crate::error::chain(&e)),
        })
    }

    /// The default registry URL (always ends with `/`).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// Where the URL came from (env var name, npmrc path, or the npm command).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Registry base URL for `package`, honouring `@scope:registry`.
    pub fn url_for(&self, package: &str) -> &Url {
        package
            .split_once('/')
            .filter(|(scope, _)| scope.starts_with('@'))
            .and_then(|(scope, _)| self.scopes.get(scope))
            .unwrap_or(&self.url)
    }

    /// `GET` URL of the packument (`@scope/name` → `@scope%2fname`).
    pub fn packument_url(&self, package: &str) -> Result<Url> {
        let base = self.url_for(package);
        let raw = format!("{}{}", base.as_str(), package.replace('/', "%2f"));
        Url::parse(&raw).map_err(|e| Error::BadMetadata {
            package: package.to_string(),
            detail: format!("bad packument URL {raw}: {e}"),
        })
    }

    /// `Authorization` header value for `url`: the longest matching
    /// `//host[:port]/path/` prefix from the npm config, if any.
    pub fn authorization(&self, url: &Url) -> Option<&str> {
        let nerf = nerf_dart(url)?;
        self.auth
            .iter()
            .filter(|(prefix, _)| nerf.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, v)| v.as_str())
    }

    fn add_auth(&mut self, mut prefix: String, value: String) {
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        self.auth.retain(|(p, _)| *p != prefix);
        self.auth.push((prefix, value));
    }
}

fn normalize_scope(scope: &str) -> String {
    let s = scope.trim();
    if s.starts_with('@') {
        s.to_string()
    } else {
        format!("@{s}")
    }
}

fn parse_registry_url(raw: &str, source: &str) -> Result<Url> {
    let invalid =
        |reason: String| Error::InvalidRegistryUrl { url: raw.to_string(), source_name: source.to_string(), reason };
    let mut url = Url::parse(raw.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("expected an http(s) URL".into()));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// npm's "nerf dart": `//host[:port]/dir/` of a URL (no scheme, no file name).
fn nerf_dart(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path();
    let dir = &path[..=path.rfind('/').unwrap_or(0)];
    Some(format!("//{host}{port}{dir}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_auth() {
        let r = Registry::new("http://reg.test:8080/npm")
            .unwrap()
            .with_scope("corp", "http://corp.test/")
            .unwrap()
            .with_token("http://reg.test:8080/npm/", "t1")
            .with_token("//reg.test:8080/", "t0");
        assert_eq!(r.url(), "http://reg.test:8080/npm/");
        assert_eq!(r.packument_url("@a/b").unwrap().as_str(), "http://reg.test:8080/npm/@a%2fb");
        assert_eq!(r.packument_url("@corp/x").unwrap().as_str(), "http://corp.test/@corp%2fx");
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(r.authorization(&u("http://reg.test:8080/npm/x/-/x-1.tgz")), Some("Bearer t1"));
        assert_eq!(r.authorization(&u("http://reg.test:8080/other")), Some("Bearer t0"));
        assert_eq!(r.authorization(&u("http://reg.test:9999/npm/x")), None);
        assert_eq!(r.authorization(&u("http://corp.test/x")), None);
        assert!(!format!("{r:?}").contains("t1"));
        assert!(Registry::new("ftp://x/").is_err());
    }
}
