//! The coder fields of a create request, checked and turned into a [`Plan`] (what to prepare)
//! and what the session shows (label, tags, metadata, repos without credentials).

use std::path::{Component, Path};
use std::time::Duration;

use sandbox_agent_schema::{
    CreateSessionRequest, JsonObject, LoopState, LoopStatus, RepoInfo, RepoRequest, WorkflowMode,
};

use crate::SessionError;

pub const MAX_TAGS: usize = 32;
pub const MAX_TAG_LEN: usize = 64;
pub const MAX_METADATA_BYTES: usize = 64 * 1024;
pub const MAX_LABEL_CHARS: usize = 200;
/// A label made from a task is its first line, cut to this many characters.
pub const LABEL_FROM_TASK_CHARS: usize = 60;
pub const DEFAULT_SETUP_TIMEOUT: Duration = Duration::from_secs(600);

/// One repository to clone. Not `Debug`: it holds the token.
pub struct CloneSpec {
    /// Without user or password.
    pub url: String,
    pub token: Option<String>,
    pub branch: Option<String>,
    pub commit: Option<String>,
    /// Relative to the workspace.
    pub path: String,
}

/// What a session's workspace needs before its agent starts.
#[derive(Default)]
pub struct Plan {
    pub clones: Vec<CloneSpec>,
    pub setup: Vec<String>,
    pub setup_timeout: Duration,
}

impl Plan {
    /// Whether the session prepares a workspace at all (a task, a repo or a setup command).
    pub fn is_needed(req: &CreateSessionRequest) -> bool {
        req.task.is_some() || req.repo.is_some() || !req.repos.is_empty() || !req.setup.is_empty()
    }
}

fn invalid(message: impl Into<String>) -> SessionError {
    SessionError::InvalidField(message.into())
}

pub fn check_tags(tags: &[String]) -> Result<(), SessionError> {
    if tags.len() > MAX_TAGS {
        return Err(invalid(format!("at most {MAX_TAGS} tags")));
    }
    for tag in tags {
        let ok = !tag.is_empty()
            && tag.len() <= MAX_TAG_LEN
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'-'));
        if !ok {
            return Err(invalid(format!("tag {tag:?}: use 1-{MAX_TAG_LEN} characters of A-Z a-z 0-9 . _ : / -")));
        }
    }
    Ok(())
}

pub fn check_metadata(metadata: Option<&JsonObject>) -> Result<(), SessionError> {
    let size = metadata.map_or(0, |m| serde_json::to_vec(m).map_or(usize::MAX, |v| v.len()));
    if size > MAX_METADATA_BYTES {
        return Err(invalid(format!("metadata is {size} bytes; at most {MAX_METADATA_BYTES}")));
    }
    Ok(())
}

/// MCP servers: names agents can put in tool names, a program or an http(s) URL each.
pub fn check_mcp(
    servers: &std::collections::BTreeMap<String, sandbox_agent_schema::McpServer>,
) -> Result<(), SessionError> {
    use sandbox_agent_schema::McpServer;
    for (name, server) in servers {
        if !sandbox_agent_schema::valid_mcp_name(name) {
            return Err(invalid(format!("mcp: server name {name:?}: 1-64 of A-Z a-z 0-9 _ -")));
        }
        match server {
            McpServer::Stdio { command, .. } if command.trim().is_empty() => {
                return Err(invalid(format!("mcp.{name}: command is empty")));
            }
            McpServer::Http { url, .. } if !(url.starts_with("http://") || url.starts_with("https://")) => {
                return Err(invalid(format!("mcp.{name}: url must be http:// or https://")));
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn check_label(label: &str) -> Result<(), SessionError> {
    if label.trim().is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return Err(invalid(format!("label: 1-{MAX_LABEL_CHARS} characters")));
    }
    Ok(())
}

/// The task's first non-empty line, trimmed and cut to [`LABEL_FROM_TASK_CHARS`].
pub fn label_from_task(task: &str) -> String {
    let line = task.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let cut: String = line.chars().take(LABEL_FROM_TASK_CHARS).collect();
    cut.trim_end().to_string()
}

/// The plan of a create request with a task, repos or setup, and the repos as shown.
pub fn plan(req: &mut CreateSessionRequest) -> Result<(Plan, Vec<RepoInfo>), SessionError> {
    if req.task.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(invalid("task must not be empty"));
    }
    let repos: Vec<RepoRequest> = req.repo.take().into_iter().chain(std::mem::take(&mut req.repos)).collect();
    if !repos.is_empty() && req.directory.is_some() {
        return Err(invalid("a session with repos gets a fresh workspace; do not give a directory"));
    }
    let mut clones = Vec::with_capacity(repos.len());
    for repo in repos {
        let spec = clone_spec(repo)?;
        if clones.iter().any(|c: &CloneSpec| c.path == spec.path) {
            return Err(invalid(format!("two repos would be cloned into {:?}; give each its own path", spec.path)));
        }
        clones.push(spec);
    }
    if req.setup.iter().any(|c| c.trim().is_empty()) {
        return Err(invalid("setup commands must not be empty"));
    }
    let setup_timeout = match req.setup_timeout_ms {
        Some(0) => return Err(invalid("setupTimeoutMs must be positive")),
        Some(ms) => Duration::from_millis(ms),
        None => DEFAULT_SETUP_TIMEOUT,
    };
    let shown = clones
        .iter()
        .map(|c| RepoInfo { url: c.url.clone(), branch: c.branch.clone(), commit: None, path: c.path.clone() })
        .collect();
    Ok((Plan { clones, setup: std::mem::take(&mut req.setup), setup_timeout }, shown))
}

/// The session's output contract: `outputContract` as given (checked), else a JSON
/// `metadata.expectedReportPath` with the default schema; stored as the effective one.
pub fn contract(req: &CreateSessionRequest) -> Result<Option<JsonObject>, SessionError> {
    let contract = match &req.output_contract {
        Some(obj) => {
            serde_json::from_value::<sandbox_agent_schema::OutputContract>(serde_json::Value::Object(obj.clone()))
                .map_err(|e| invalid(format!("outputContract: {e}")))?
        }
        None => {
            let path = req.metadata.as_ref().and_then(|m| m.get("expectedReportPath")).and_then(|p| p.as_str());
            match path {
                Some(path) if path.ends_with(".json") => sandbox_agent_schema::OutputContract {
                    path: path.to_string(),
                    schema: None,
                    verify: None,
                    required: None,
                },
                _ => return Ok(None),
            }
        }
    };
    if req.task.is_none() {
        return Err(invalid("an output contract needs a task"));
    }
    check_relative("outputContract.path", &contract.path)?;
    if let Some(schema) = &contract.schema {
        jsonschema::validator_for(schema).map_err(|e| invalid(format!("outputContract.schema: {e}")))?;
    }
    if let Some(verify) = &contract.verify {
        if verify.command.argv().first().is_none_or(|p| p.trim().is_empty()) {
            return Err(invalid("outputContract.verify.command must name a program"));
        }
        if verify.timeout_ms.is_some_and(|ms| ms == 0 || ms > 3_600_000) {
            return Err(invalid("outputContract.verify.timeoutMs must be 1..=3600000"));
        }
    }
    match serde_json::to_value(&contract) {
        Ok(serde_json::Value::Object(obj)) => Ok(Some(obj)),
        _ => Err(invalid("outputContract could not be stored")),
    }
}

pub const DEFAULT_MAX_ITERATIONS: u32 = 5;
pub const MAX_ITERATIONS: u32 = 100;

/// A loop session's first state, or None when the session does not loop. A loop needs an
/// output contract: its check is what decides each iteration.
pub fn loop_state(req: &CreateSessionRequest, now: &str) -> Result<Option<LoopState>, SessionError> {
    if req.workflow_mode != Some(WorkflowMode::Loop) {
        return Ok(None);
    }
    if req.output_contract.is_none() {
        return Err(invalid(
            "workflowMode loop needs an output contract (outputContract or metadata.expectedReportPath)",
        ));
    }
    if let Some(b) = &req.budget {
        if b.max_turns == Some(0) || b.max_wall_ms == Some(0) || b.max_output_tokens == Some(0) {
            return Err(invalid("budget limits must be positive"));
        }
    }
    let config = req.loop_.clone().unwrap_or_default();
    let max = config.max_iterations.unwrap_or(DEFAULT_MAX_ITERATIONS);
    if max == 0 || max > MAX_ITERATIONS {
        return Err(invalid(format!("loop.maxIterations must be 1..={MAX_ITERATIONS}")));
    }
    Ok(Some(LoopState {
        status: LoopStatus::Starting,
        iteration: 0,
        max_iterations: max,
        auto_continue: config.auto_continue.unwrap_or(true),
        goal: config.goal,
        summary: None,
        next_action: None,
        started_at: None,
        updated_at: now.to_string(),
        completed_at: None,
    }))
}

fn clone_spec(repo: RepoRequest) -> Result<CloneSpec, SessionError> {
    if repo.url.trim().is_empty() {
        return Err(invalid("repo url must not be empty"));
    }
    let (url, in_url) = strip_credentials(&repo.url);
    let token = repo.auth.map(|a| a.token).or(in_url);
    for (what, value) in [("branch", &repo.branch), ("commit", &repo.commit)] {
        if value.as_deref().is_some_and(|v| v.is_empty() || v.starts_with('-') || v.contains(char::is_whitespace)) {
            return Err(invalid(format!("repo {what} is not a valid git name")));
        }
    }
    let path = match repo.path {
        Some(path) => check_relative("repo path", &path)?,
        None => check_relative("repo path", &repo_name(&url))?,
    };
    Ok(CloneSpec { url, token, branch: repo.branch, commit: repo.commit, path })
}

/// A workspace path: relative, made of plain components (no `..`, no `.`-only path).
fn check_relative(what: &str, path: &str) -> Result<String, SessionError> {
    let p = Path::new(path);
    let plain = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || path.contains('\0') {
        return Err(invalid(format!("{what} {path:?} must be relative, without .. (inside the workspace)")));
    }
    Ok(p.components().collect::<std::path::PathBuf>().display().to_string())
}

/// `https://host/org/name.git` → `name`.
fn repo_name(url: &str) -> String {
    let last = url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or("");
    last.strip_suffix(".git").unwrap_or(last).to_string()
}

/// The URL without `user:password@`, and the password (or a lone user, as GitHub tokens are
/// often given) taken out of it.
pub fn strip_credentials(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_string(), None) };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return (url.to_string(), None) };
    let userinfo = &rest[..at];
    let secret = match userinfo.split_once(':') {
        Some((_, password)) => password,
        None => userinfo,
    };
    (format!("{scheme}://{}", &rest[at + 1..]), (!secret.is_empty()).then(|| secret.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_tags_and_paths() {
        assert_eq!(label_from_task("\n  Fix the bug in parser.rs  \nthen more"), "Fix the bug in parser.rs");
        assert_eq!(label_from_task(&"é".repeat(100)).chars().count(), 60);
        assert!(check_tags(&["a.b_c:d/e-1".into()]).is_ok());
        for bad in ["", "a b", "ü", &"x".repeat(65)] {
            assert!(check_tags(&[bad.to_string()]).is_err(), "{bad}");
        }
        assert!(check_tags(&vec!["t".to_string(); 33]).is_err());
        assert_eq!(check_relative("p", "a/./b").unwrap(), "a/b");
        for bad in ["../x", "/abs", "a/../../b", "", "."] {
            assert!(check_relative("p", bad).is_err(), "{bad}");
        }
        assert_eq!(repo_name("https://h/org/name.git/"), "name");
        assert_eq!(repo_name("git@h:org/name.git"), "name");
        assert_eq!(repo_name("/srv/repos/local"), "local");
    }

    #[test]
    fn credentials_leave_the_url() {
        assert_eq!(strip_credentials("https://x:tok@h/r.git"), ("https://h/r.git".into(), Some("tok".into())));
        assert_eq!(strip_credentials("https://tok@h/r.git"), ("https://h/r.git".into(), Some("tok".into())));
        assert_eq!(strip_credentials("https://h/a@b"), ("https://h/a@b".into(), None));
        assert_eq!(strip_credentials("/local/path"), ("/local/path".into(), None));
    }

    #[test]
    fn metadata_is_bounded() {
        let mut big = JsonObject::new();
        big.insert("k".into(), "x".repeat(MAX_METADATA_BYTES).into());
        assert!(check_metadata(Some(&big)).is_err());
        assert!(check_metadata(None).is_ok());
    }
}
