//! Error type of the crate.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown agent {0:?} (expected one of: claude, codex, opencode, amp)")]
    UnknownAgent(String),

    #[error("invalid version {0:?}")]
    InvalidVersion(String),

    #[error("invalid agent name {0:?} (letters, digits and . _ - + only)")]
    InvalidAgentName(String),

    #[error("{0} has no npm package to install from (its configuration names none); put its binary on PATH or give an absolute `command`")]
    NoPackage(String),

    #[error("{agent} has no native npm package for platform {platform}")]
    UnsupportedPlatform { agent: String, platform: String },

    #[error(
        "no npm registry configured ({tried}); set NPM_CONFIG_REGISTRY=<url>, \
         add a `registry=<url>` line to ~/.npmrc or the project's .npmrc, \
         or install npm so `npm config get registry` works"
    )]
    NoRegistry { tried: String },

    #[error("invalid npm registry URL {url:?} (from {source_name}): {reason}")]
    InvalidRegistryUrl { url: String, source_name: String, reason: String },

    #[error("cannot reach the npm registry at {url}: {detail}{}", tls_hint(detail))]
    RegistryUnreachable { url: String, detail: String },

    #[error("package {package} not found in the npm registry at {registry} (HTTP 404)")]
    PackageNotFound { package: String, registry: String },

    #[error("version {version} of {package} not found in the npm registry at {registry}{}",
        latest.as_deref().map(|l| format!(" (latest is {l})")).unwrap_or_default())]
    VersionNotFound { package: String, version: String, registry: String, latest: Option<String> },

    #[error("HTTP {status} from {url}{}", auth_hint(*status))]
    Http { url: String, status: u16 },

    #[error("download of {url} failed: {detail}")]
    Download { url: String, detail: String },

    #[error("bad registry metadata for {package}: {detail}")]
    BadMetadata { package: String, detail: String },

    #[error("integrity check failed: expected {expected}, got {actual}")]
    IntegrityMismatch { expected: String, actual: String },

    #[error("installing the dependencies of {package} with npm failed: {detail}")]
    Dependencies { package: String, detail: String },

    #[error("refusing to unpack unsafe tarball entry {path:?}")]
    UnsafeTarEntry { path: String },

    #[error("package {package} does not contain the expected binary {binary}")]
    MissingBinary { package: String, binary: PathBuf },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn tls_hint(detail: &str) -> &'static str {
    if detail.contains("certificate") {
        " (if a proxy intercepts TLS, point npm's `cafile=` or NODE_EXTRA_CA_CERTS at its CA bundle)"
    } else {
        ""
    }
}

fn auth_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => " (check the registry auth token (`//host/:_authToken=`) in .npmrc)",
        _ => "",
    }
}

/// Attach a context message to an `io::Error`.
pub(crate) trait IoContext<T> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> IoContext<T> for std::result::Result<T, std::io::Error> {
    fn ctx(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| Error::Io { context: context(), source })
    }
}

/// Render an error with its whole `source()` chain ("a: b: c"), because
/// reqwest's top-level message alone ("error sending request") says little.
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = e.source();
    }
    out
}
