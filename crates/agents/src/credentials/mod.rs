//! Credential discovery: the model-provider keys and tokens the user already has, found in
//! the daemon's environment and in the files the agent CLIs keep under the user's home, so a
//! session's agent can use them without the key being passed in the session's `env`.
//!
//! [`discover`] is pure over a home directory and an environment lookup. Sources, in order
//! (for each provider the first one found wins, see [`Credentials::first`]):
//!
//! 1. The environment: `ANTHROPIC_API_KEY`, else `CLAUDE_API_KEY` (anthropic, API key);
//!    `CLAUDE_CODE_OAUTH_TOKEN` (anthropic, OAuth); `OPENAI_API_KEY`, else `CODEX_API_KEY`
//!    (openai, API key); `AMP_API_KEY` (amp).
//! 2. Claude Code: `~/.claude.json` (`$CLAUDE_CONFIG_DIR/.claude.json`) `primaryApiKey`,
//!    `apiKey`, `anthropicApiKey`, `customApiKey` when they start with `sk-ant-`; then the OAuth
//!    login in `~/.claude/.credentials.json` (`$CLAUDE_CONFIG_DIR/.credentials.json`),
//!    `claudeAiOauth.accessToken`, unless `expiresAt` is past. (On macOS Claude Code keeps its
//!    login in the Keychain, which is not read.)
//! 3. Codex: `~/.codex/auth.json` (`$CODEX_HOME/auth.json`): `OPENAI_API_KEY`, else the
//!    ChatGPT login's `tokens.access_token` (OAuth).
//! 4. OpenCode: `~/.local/share/opencode/auth.json` (`$XDG_DATA_HOME/opencode/auth.json`), per
//!    provider (in name order) `{"type":"api","key"}` or `{"type":"oauth","access","expires"}`
//!    (ms).
//! 5. Amp: `~/.local/share/amp/secrets.json` (`$XDG_DATA_HOME/amp/secrets.json`), the access
//!    token stored by `amp login` under `apiKey@<amp url>` (`$AMP_URL`, else
//!    `https://ampcode.com/`).
//!
//! A missing file is not an error. A file that cannot be read or parsed, a field of the wrong
//! type, a key that does not look like one and an expired token are listed in
//! [`Credentials::skipped`] with a reason, never a panic. Values are wrapped in [`Secret`], whose
//! `Debug` and `Display` print a redacted form only.
//!
//! [`inject`] adds the credential for an agent's provider to the agent's environment, only
//! where the daemon's and the session's environment leave it unset (see [`env_for`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// Files larger than this are skipped (`~/.claude.json` grows with project history).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Amp's server when `AMP_URL` is not set; its token is stored under `apiKey@<this>`.
const AMP_DEFAULT_URL: &str = "https://ampcode.com/";

/// Environment variables that move the files the agents keep their credentials in. A caller
/// that points discovery at another home (`sandbox-agent credentials --home`) hides these.
pub const DIR_VARS: &[&str] = &["CLAUDE_CONFIG_DIR", "CODEX_HOME", "XDG_DATA_HOME"];

/// How a credential authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A provider API key (`sk-ant-…`, `sk-…`, `sgamp_…`).
    ApiKey,
    /// An OAuth access token from a subscription login.
    OAuth,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ApiKey => "api_key",
            Kind::OAuth => "oauth",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secret value. `Debug` and `Display` print [`redact`]ed text; only [`Secret::expose`]
/// gives the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the agent's environment or `credentials --reveal`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The first 4 and the last 4 characters, `…` between; `****` for 8 characters or fewer.
pub fn redact(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// One credential found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// `anthropic`, `openai`, `amp`, or another OpenCode provider id.
    pub provider: String,
    pub kind: Kind,
    /// Where it was found: `env:ANTHROPIC_API_KEY`, `~/.codex/auth.json`,
    /// `~/.claude.json#primaryApiKey`, `~/.local/share/opencode/auth.json#openai`.
    pub source: String,
    pub value: Secret,
}

/// `provider kind source redacted-value`; never the value.
impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} {}", self.provider, self.kind, self.source, self.value)
    }
}

/// Something that was there but not usable, and why (the reason never holds a value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

/// Everything [`discover`] found, in source order.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub found: Vec<Credential>,
    pub skipped: Vec<Skipped>,
    /// The environment variables (`env:NAME`) and files (`~/…` under the home searched) looked
    /// at, for "nothing found" messages.
    pub searched: Vec<String>,
}

impl Credentials {
    /// The first credential of `provider` (the environment's, else the first file's), of one
    /// of `kinds`.
    pub fn first(&self, provider: &str, kinds: &[Kind]) -> Option<&Credential> {
        self.found.iter().find(|c| c.provider == provider && kinds.contains(&c.kind))
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

/// Discover credentials under `home` and in `env` (an environment lookup).
pub fn discover(home: &Path, env: &dyn Fn(&str) -> Option<String>) -> Credentials {
    discover_at(Some(home), env, SystemTime::now())
}

/// What an agent started by the daemon may use: the daemon's own `HOME` and environment (not
/// the private `HOME` the adapters give the agent). Called once per agent spawn. The crate's
/// unit tests never read the host's files: there it finds nothing.
pub fn for_daemon() -> Credentials {
    if cfg!(test) {
        return Credentials::default();
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    discover_at(home.as_deref(), &|k| std::env::var(k).ok(), SystemTime::now())
}

/// [`discover`] at a given time (for expiry); without a home only the environment is read.
pub fn discover_at(home: Option<&Path>, env: &dyn Fn(&str) -> Option<String>, now: SystemTime) -> Credentials {
    let mut d = Discovery { creds: Credentials::default(), home: home.map(Path::to_path_buf), now };
    let var = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let dir = |k: &str| var(k).map(PathBuf::from).filter(|p| p.is_absolute());

    // 1. The environment.
    for (provider, kind, names) in [
        ("anthropic", Kind::ApiKey, &["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"][..]),
        ("anthropic", Kind::OAuth, &["CLAUDE_CODE_OAUTH_TOKEN"][..]),
        ("openai", Kind::ApiKey, &["OPENAI_API_KEY", "CODEX_API_KEY"][..]),
        ("amp", Kind::ApiKey, &["AMP_API_KEY"][..]),
    ] {
        d.creds.searched.extend(names.iter().map(|n| format!("env:{n}")));
        if let Some((name, value)) = names.iter().find_map(|n| var(n).map(|v| (*n, v))) {
            d.found(provider, kind, format!("env:{name}"), value);
        }
    }
    let Some(home) = home else { return d.creds };

    // 2. Claude Code.
    let claude_dir = dir("CLAUDE_CONFIG_DIR");
    let claude_json = claude_dir.clone().unwrap_or_else(|| home.to_path_buf()).join(".claude.json");
    if let Some(json) = d.read_json(&claude_json) {
        for field in ["primaryApiKey", "apiKey", "anthropicApiKey", "customApiKey"] {
            let source = format!("{}#{field}", d.show(&claude_json));
            match json.get(field) {
                None | Some(Value::Null) => {}
                Some(Value::String(key)) if key.starts_with("sk-ant-") => {
                    d.found("anthropic", Kind::ApiKey, source, key.clone())
                }
                Some(Value::String(_)) => d.skip(source, "does not look like an Anthropic API key (sk-ant-…)"),
                Some(_) => d.skip(source, "not a string"),
            }
        }
    }
    let claude_creds = claude_dir.unwrap_or_else(|| home.join(".claude")).join(".credentials.json");
    if let Some(json) = d.read_json(&claude_creds) {
        let source = format!("{}#claudeAiOauth", d.show(&claude_creds));
        match json.get("claudeAiOauth") {
            None | Some(Value::Null) => {}
            Some(oauth) => match oauth.get("accessToken") {
                Some(Value::String(token)) if !token.is_empty() => match expiry(oauth.get("expiresAt")) {
                    Some(at) if at <= d.now => d.skip(source, "the OAuth token has expired (expiresAt is past)"),
                    _ => d.found("anthropic", Kind::OAuth, source, token.clone()),
                },
                _ => d.skip(source, "no accessToken string"),
            },
        }
    }

    // 3. Codex.
    let codex_auth = dir("CODEX_HOME").unwrap_or_else(|| home.join(".codex")).join("auth.json");
    if let Some(json) = d.read_json(&codex_auth) {
        let source = d.show(&codex_auth);
        match json.get("OPENAI_API_KEY") {
            Some(Value::String(key)) if !key.is_empty() => {
                d.found("openai", Kind::ApiKey, format!("{source}#OPENAI_API_KEY"), key.clone())
            }
            None | Some(Value::Null) | Some(Value::String(_)) => match json.pointer("/tokens/access_token") {
                Some(Value::String(token)) if !token.is_empty() => {
                    d.found("openai", Kind::OAuth, format!("{source}#tokens.access_token"), token.clone())
                }
                None | Some(Value::Null) => {}
                Some(_) => d.skip(format!("{source}#tokens.access_token"), "not a non-empty string"),
            },
            Some(_) => d.skip(format!("{source}#OPENAI_API_KEY"), "not a string"),
        }
    }

    // 4. OpenCode.
    let data_home = dir("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
    let opencode_auth = data_home.join("opencode/auth.json");
    if let Some(json) = d.read_json(&opencode_auth) {
        let shown = d.show(&opencode_auth);
        match json.as_object() {
            None => d.skip(shown, "not a JSON object"),
            Some(providers) => {
                for (provider, entry) in providers {
                    let source = format!("{shown}#{provider}");
                    let str_of =
                        |k: &str| entry.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
                    match entry.get("type").and_then(Value::as_str) {
                        Some("api") => match str_of("key") {
                            Some(key) => d.found(provider, Kind::ApiKey, source, key),
                            None => d.skip(source, "no key string"),
                        },
                        Some("oauth") => match (str_of("access"), expiry(entry.get("expires"))) {
                            (None, _) => d.skip(source, "no access string"),
                            (Some(_), Some(at)) if at <= d.now => {
                                d.skip(source, "the OAuth token has expired (expires is past)")
                            }
                            (Some(token), _) => d.found(provider, Kind::OAuth, source, token),
                        },
                        Some(other) => d.skip(source, &format!("auth type {other:?} is not supported")),
                        None => d.skip(source, "no type"),
                    }
                }
            }
        }
    }

    // 5. Amp.
    let amp_secrets = data_home.join("amp/secrets.json");
    if let Some(json) = d.read_json(&amp_secrets) {
        let url = var("AMP_URL").unwrap_or_else(|| AMP_DEFAULT_URL.to_string());
        let trimmed = url.trim_end_matches('/');
        let names = [format!("apiKey@{trimmed}/"), format!("apiKey@{trimmed}")];
        if let Some((name, value)) = names.iter().find_map(|n| json.get(n).map(|v| (n, v))) {
            let source = format!("{}#{name}", d.show(&amp_secrets));
            match value {
                Value::String(key) if !key.is_empty() => d.found("amp", Kind::ApiKey, source, key.clone()),
                _ => d.skip(source, "not a non-empty string"),
            }
        }
    }
    d.creds
}

struct Discovery {
    creds: Credentials,
    home: Option<PathBuf>,
    now: SystemTime,
}

impl Discovery {
    fn found(&mut self, provider: &str, kind: Kind, source: String, value: String) {
        let value = value.trim().to_string();
        self.creds.found.push(Credential { provider: provider.to_string(), kind, source, value: Secret(value) });
    }

    fn skip(&mut self, source: String, reason: &str) {
        self.creds.skipped.push(Skipped { source, reason: reason.to_string() });
    }

    /// `~/…` for paths under the home directory.
    fn show(&self, path: &Path) -> String {
        match self.home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rest) => format!("~/{}", rest.display()),
            None => path.display().to_string(),
        }
    }

    /// The file's JSON; `None` when it is absent (silently) or unusable (with a reason).
    fn read_json(&mut self, path: &Path) -> Option<Value> {
        let shown = self.show(path);
        self.creds.searched.push(shown.clone());
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.skip(shown, &format!("cannot read: {e}"));
                return None;
            }
        };
        if !meta.is_file() {
            self.skip(shown, "not a regular file");
            return None;
        }
        if meta.len() > MAX_FILE {
            self.skip(shown, "larger than 64 MiB");
            return None;
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.skip(shown, &format!("cannot read: {e}"));
                return None;
            }
        };
        // Parsed as an untyped value, so an error names a position, never a value.
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value) if value.is_object() => Some(value),
            Ok(_) => {
                self.skip(shown, "not a JSON object");
                None
            }
            Err(e) => {
                self.skip(shown, &format!("invalid JSON ({e})"));
                None
            }
        }
    }
}

/// An expiry time: milliseconds since the epoch (seconds when the number is too small to be
/// milliseconds), or an RFC 3339 string. `None` when absent or not understood (the token is
/// then kept: the agent will say if it is refused).
fn expiry(value: Option<&Value>) -> Option<SystemTime> {
    match value? {
        Value::Number(n) => {
            let n = n.as_f64()?;
            if !n.is_finite() || n < 0.0 {
                return None;
            }
            let ms = if n < 1e11 { n * 1000.0 } else { n };
            Some(UNIX_EPOCH + Duration::from_millis(ms as u64))
        }
        Value::String(s) => humantime::parse_rfc3339_weak(s.trim().trim_end_matches('Z').trim_end_matches('z')).ok(),
        _ => None,
    }
}

/// Variables that, when already in an agent's environment (from the daemon's environment or
/// the session's `env`, even empty), stop a discovered credential from being added as `var`:
/// the variable itself, the provider's other ways to authenticate, and its base URL (a
/// session that points the agent at another endpoint brings its own key; a discovered key is
/// never sent elsewhere).
fn blockers(var: &str) -> &'static [&'static str] {
    const ANTHROPIC: &[&str] = &[
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
        "CLAUDE_CODE_USE_BEDROCK",
        "CLAUDE_CODE_USE_VERTEX",
        "CLAUDE_CODE_USE_FOUNDRY",
    ];
    match var {
        "ANTHROPIC_API_KEY" | "CLAUDE_CODE_OAUTH_TOKEN" => ANTHROPIC,
        "OPENAI_API_KEY" => &["OPENAI_API_KEY", "OPENAI_BASE_URL"],
        "AMP_API_KEY" => &["AMP_API_KEY", "AMP_URL"],
        _ => &[],
    }
}

/// The environment variables `agent_id` would get from `creds`, before the check against
/// what is already set (see [`inject`]):
///
/// - `claude`: the first anthropic credential: an API key as `ANTHROPIC_API_KEY`, an OAuth
///   token as `CLAUDE_CODE_OAUTH_TOKEN`.
/// - `codex`: the first openai API key as `OPENAI_API_KEY` (a ChatGPT OAuth token is not an
///   API key and is never passed).
/// - `opencode`: the first openai API key as `OPENAI_API_KEY`, the first anthropic API key
///   as `ANTHROPIC_API_KEY` (OAuth tokens are not passed).
/// - `amp`: the amp access token as `AMP_API_KEY`.
pub fn env_for(agent_id: &str, creds: &Credentials) -> Vec<(String, String)> {
    let pair = |var: &str, c: &Credential| (var.to_string(), c.value.expose().to_string());
    let mut out = Vec::new();
    match agent_id {
        "claude" => {
            if let Some(c) = creds.first("anthropic", &[Kind::ApiKey, Kind::OAuth]) {
                out.push(pair(if c.kind == Kind::ApiKey { "ANTHROPIC_API_KEY" } else { "CLAUDE_CODE_OAUTH_TOKEN" }, c));
            }
        }
        "codex" => out.extend(creds.first("openai", &[Kind::ApiKey]).map(|c| pair("OPENAI_API_KEY", c))),
        "opencode" => {
            out.extend(creds.first("openai", &[Kind::ApiKey]).map(|c| pair("OPENAI_API_KEY", c)));
            out.extend(creds.first("anthropic", &[Kind::ApiKey]).map(|c| pair("ANTHROPIC_API_KEY", c)));
        }
        "amp" => out.extend(creds.first("amp", &[Kind::ApiKey]).map(|c| pair("AMP_API_KEY", c))),
        _ => {}
    }
    out
}

/// Add `agent_id`'s discovered credentials ([`env_for`]) to `env`, each only when none of
/// its [`blockers`] is in `env` already. Call it after the daemon's provider variables and
/// the session's `env` were added, so both win.
pub fn inject(env: &mut Vec<(String, String)>, agent_id: &str, creds: &Credentials) {
    for (var, value) in env_for(agent_id, creds) {
        if !blockers(&var).iter().any(|b| env.iter().any(|(k, _)| k == b)) {
            env.push((var, value));
        }
    }
}

#[cfg(test)]
mod tests;
