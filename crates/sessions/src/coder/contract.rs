//! The output contract, checked by the daemon after each completed turn of a task session:
//! read the report (bounded, never through a symlink out of the workspace), validate it
//! against its JSON Schema, run the verification command itself in the sandbox, and check the
//! claims it can (`verification.passed` against the real exit code, `changedFiles` against git).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sandbox_agent_runner::{Runner, Workdir};
use sandbox_agent_schema::*;

/// The largest report read.
pub const MAX_REPORT_BYTES: u64 = 256 * 1024;
pub const DEFAULT_VERIFY_TIMEOUT: Duration = Duration::from_secs(300);
/// The end of the verification's output kept in the result.
const EXCERPT_BYTES: usize = 2048;

/// What one check needs.
pub struct Check {
    pub contract: OutputContract,
    /// The agent's directory: the report path and the verification are relative to it.
    pub dir: PathBuf,
    /// The workspace: nothing is read from outside it.
    pub root: PathBuf,
    /// Each repo's root in the workspace, for `changedFiles`.
    pub repos: Vec<PathBuf>,
    pub runner: Option<Arc<Runner>>,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: ResultStatus,
    pub report: Option<serde_json::Value>,
    /// The report's bytes as read, parsed or not (kept as an artifact).
    pub raw: Option<Vec<u8>>,
    pub errors: Vec<ContractError>,
    pub verification: Option<Verification>,
    pub blockers: Vec<String>,
}

fn error(kind: ContractErrorKind, path: Option<&str>, message: impl Into<String>) -> ContractError {
    ContractError { kind, path: path.map(str::to_string), message: message.into() }
}

pub async fn check(c: Check) -> Outcome {
    let mut errors = Vec::new();
    let raw = match read_report(&c) {
        Ok(raw) => raw,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let report = match raw.as_deref().map(serde_json::from_slice::<serde_json::Value>) {
        Some(Ok(report)) => Some(report),
        Some(Err(e)) => {
            errors.push(error(ContractErrorKind::InvalidJson, None, e.to_string()));
            None
        }
        None => None,
    };
    if let Some(report) = &report {
        let schema = c.contract.schema.clone().unwrap_or_else(default_report_schema);
        match jsonschema::validator_for(&schema) {
            Ok(validator) => errors.extend(validator.iter_errors(report).map(|e| {
                let at = e.instance_path().to_string();
                error(ContractErrorKind::Schema, Some(if at.is_empty() { "/" } else { &at }), e.to_string())
            })),
            Err(e) => errors.push(error(ContractErrorKind::Schema, None, format!("the schema does not compile: {e}"))),
        }
    }
    let status = report.as_ref().and_then(|r| r.get("status")).and_then(|s| s.as_str()).unwrap_or("completed");
    let blocked = status == "blocked";
    let blockers: Vec<String> = report
        .as_ref()
        .and_then(|r| r.get("blockers"))
        .and_then(|b| b.as_array())
        .map(|b| b.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if blocked && blockers.is_empty() {
        errors.push(error(ContractErrorKind::Schema, Some("/blockers"), "a blocked report must name its blockers"));
    }
    let verification = match &c.contract.verify {
        Some(verify) => Some(run_verification(&c, verify).await),
        None => None,
    };
    if let Some(v) = &verification {
        let ok = v.exit_code == Some(0) && !v.timed_out;
        if !ok && !blocked {
            let message = format!("`{}` {}", v.command, ended(v));
            errors.push(error(ContractErrorKind::VerificationFailed, None, message));
        }
        let claimed = report.as_ref().and_then(|r| r.pointer("/verification/passed")).and_then(|p| p.as_bool());
        if let Some(claimed) = claimed.filter(|claimed| *claimed != ok) {
            let message = format!("the report says passed: {claimed}, but `{}` {}", v.command, ended(v));
            errors.push(error(ContractErrorKind::ClaimMismatch, Some("/verification/passed"), message));
        }
    }
    if let Some(claimed) = report.as_ref().and_then(|r| r.get("changedFiles")).and_then(|f| f.as_array()) {
        if let Some(e) = check_changed_files(&c, claimed).await {
            errors.push(e);
        }
    }
    let status = match (errors.is_empty(), blocked) {
        (false, _) => ResultStatus::Failed,
        (true, true) => ResultStatus::Blocked,
        (true, false) => ResultStatus::Completed,
    };
    Outcome { status, report, raw, errors, verification, blockers }
}

/// The report's bytes, or why there are none to check. `Ok(None)`: missing, and not required.
fn read_report(c: &Check) -> Result<Option<Vec<u8>>, ContractError> {
    let path = c.dir.join(&c.contract.path);
    let missing = |message: String| error(ContractErrorKind::Missing, None, message);
    let Ok(meta) = std::fs::metadata(&path) else {
        return match c.contract.required {
            Some(false) => Ok(None),
            _ => Err(missing(format!("no report at {}", c.contract.path))),
        };
    };
    let inside = match (path.canonicalize(), c.root.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    };
    if !inside || !meta.is_file() {
        return Err(missing(format!("{} is not a file inside the workspace", c.contract.path)));
    }
    if meta.len() > MAX_REPORT_BYTES {
        let message = format!("the report is {} bytes; at most {MAX_REPORT_BYTES}", meta.len());
        return Err(error(ContractErrorKind::InvalidJson, None, message));
    }
    std::fs::read(&path).map(Some).map_err(|e| missing(format!("{}: {e}", c.contract.path)))
}

async fn run_verification(c: &Check, verify: &ContractVerify) -> Verification {
    let command = verify.command.display();
    let Some(runner) = &c.runner else {
        return Verification {
            command,
            exit_code: None,
            timed_out: false,
            output_excerpt: "no runner".into(),
            duration_ms: 0,
        };
    };
    let timeout = verify.timeout_ms.unwrap_or(DEFAULT_VERIFY_TIMEOUT.as_millis() as u64);
    let req = RunRequest { command: verify.command.argv(), timeout_ms: Some(timeout), ..Default::default() };
    match runner.run(req, Workdir::Session(c.dir.clone())).await {
        Ok(r) => {
            let mut output = r.stdout;
            output.push_str(&r.stderr);
            Verification {
                command,
                exit_code: r.exit_code,
                timed_out: r.timed_out,
                output_excerpt: super::workspace::last_bytes(&output, EXCERPT_BYTES).to_string(),
                duration_ms: r.duration_ms,
            }
        }
        Err(err) => Verification {
            command,
            exit_code: None,
            timed_out: false,
            output_excerpt: format!("the verification could not run: {err}"),
            duration_ms: 0,
        },
    }
}

/// How a verification ended, in words.
pub fn ended(v: &Verification) -> String {
    match (v.exit_code, v.timed_out) {
        (_, true) => "timed out".to_string(),
        (Some(code), _) => format!("exited {code}"),
        (None, _) => "did not run".to_string(),
    }
}

/// `changedFiles` against what git says changed in the repos (the report itself aside).
async fn check_changed_files(c: &Check, claimed: &[serde_json::Value]) -> Option<ContractError> {
    if c.repos.is_empty() {
        return None;
    }
    let mut actual = BTreeSet::new();
    for repo in &c.repos {
        let prefix = repo.strip_prefix(&c.dir).ok().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        for file in git_changes(repo).await? {
            actual.insert(if prefix.is_empty() { file } else { format!("{prefix}/{file}") });
        }
    }
    actual.remove(c.contract.path.trim_start_matches("./"));
    let claimed: BTreeSet<String> =
        claimed.iter().filter_map(|f| f.as_str()).map(|f| f.trim_start_matches("./").to_string()).collect();
    if claimed == actual {
        return None;
    }
    let unchanged: Vec<&String> = claimed.difference(&actual).collect();
    let unclaimed: Vec<&String> = actual.difference(&claimed).collect();
    let message = format!("claimed but not changed: {unchanged:?}; changed but not claimed: {unclaimed:?}");
    Some(error(ContractErrorKind::ClaimMismatch, Some("/changedFiles"), message))
}

/// Paths changed in a repo's work tree (modified, added, deleted, untracked), relative to it.
async fn git_changes(repo: &Path) -> Option<Vec<String>> {
    use super::workspace::{self, run_step, Sink};
    let git = workspace::find_git()?;
    let args = ["status", "--porcelain=v1", "-z", "--untracked-files=all"];
    let spec = workspace::git(&git, &args, repo, &sandbox_agent_exec::base_env(repo), None);
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    if !run_step(spec, deadline, Sink::Capture(&mut text)).await.ok() {
        return None;
    }
    let mut files = Vec::new();
    // Entries end with NUL (the capture adds a newline after the last).
    let mut entries = text.split('\0').map(|e| e.trim_end_matches('\n')).filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        let (code, path) = entry.split_at(entry.len().min(3));
        files.push(path.to_string());
        // A rename names its source next: that path changed too.
        if code.starts_with('R') || code.starts_with('C') {
            if let Some(from) = entries.next() {
                files.push(from.to_string());
            }
        }
    }
    Some(files)
}

/// The contract as the task message states it to the agent, in the seed's words.
pub fn instructions(contract: &OutputContract) -> String {
    let shape = match &contract.schema {
        None => DEFAULT_SHAPE.to_string(),
        Some(schema) => format!("(JSON Schema)\n{}", serde_json::to_string_pretty(schema).unwrap_or_default()),
    };
    let mut text = format!("\n\nWrite:\n- {}\n\nContract shape:\n{shape}\n", contract.path);
    if let Some(verify) = &contract.verify {
        text.push_str(&format!(
            "\nVerification:\n- The daemon runs `{}` itself after your turn and compares its exit code with verification.passed.\n",
            verify.command.display()
        ));
    }
    text.push_str(
        "\nSuccess criteria:\n- The report matches the contract shape and lists every changed file and command run.\n- The verification passes.\n\nStop when:\n- Success criteria pass, or a blocker is proven with a file path, command, or API response (status \"blocked\", with blockers).\n",
    );
    text
}

const DEFAULT_SHAPE: &str = r#"{
  "status": "completed" | "blocked",
  "changedFiles": string[],
  "commandsRun": string[],
  "verification": {
    "command": string,
    "passed": boolean,
    "outputExcerpt": string
  },
  "blockers": string[]
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn check_of(dir: &Path, contract: OutputContract) -> Check {
        Check { contract, dir: dir.into(), root: dir.into(), repos: Vec::new(), runner: None }
    }

    fn contract(path: &str) -> OutputContract {
        OutputContract { path: path.into(), schema: None, verify: None, required: None }
    }

    #[tokio::test]
    async fn a_report_is_read_validated_and_judged() {
        let dir = tempfile::tempdir().unwrap();
        let missing = check(check_of(dir.path(), contract("r.json"))).await;
        assert_eq!((missing.status, missing.errors[0].kind), (ResultStatus::Failed, ContractErrorKind::Missing));
        std::fs::write(dir.path().join("r.json"), "{not json").unwrap();
        let bad = check(check_of(dir.path(), contract("r.json"))).await;
        assert_eq!(bad.errors[0].kind, ContractErrorKind::InvalidJson);
        std::fs::write(dir.path().join("r.json"), r#"{"status": "done"}"#).unwrap();
        let wrong = check(check_of(dir.path(), contract("r.json"))).await;
        assert!(wrong.errors.iter().all(|e| e.kind == ContractErrorKind::Schema), "{wrong:?}");
        assert!(wrong.errors.iter().any(|e| e.path.as_deref() == Some("/status")), "{wrong:?}");
        let good = r#"{"status": "completed", "changedFiles": [], "commandsRun": ["true"],
            "verification": {"command": "true", "passed": true, "outputExcerpt": ""}, "blockers": []}"#;
        std::fs::write(dir.path().join("r.json"), good).unwrap();
        let passed = check(check_of(dir.path(), contract("r.json"))).await;
        assert_eq!((passed.status, passed.errors.len()), (ResultStatus::Completed, 0), "{passed:?}");
        let blocked = good
            .replace(r#""status": "completed""#, r#""status": "blocked""#)
            .replace(r#""blockers": []"#, r#""blockers": ["no credentials"]"#);
        std::fs::write(dir.path().join("r.json"), blocked).unwrap();
        let b = check(check_of(dir.path(), contract("r.json"))).await;
        assert_eq!((b.status, b.blockers.as_slice()), (ResultStatus::Blocked, &["no credentials".to_string()][..]));
    }

    #[tokio::test]
    async fn a_report_behind_a_symlink_out_of_the_workspace_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("r.json"), "{}").unwrap();
        std::os::unix::fs::symlink(outside.path().join("r.json"), dir.path().join("r.json")).unwrap();
        let out = check(check_of(dir.path(), contract("r.json"))).await;
        assert_eq!(out.errors[0].kind, ContractErrorKind::Missing, "{out:?}");
        assert!(out.report.is_none());
    }

    #[test]
    fn the_instructions_name_the_path_the_shape_and_the_stop_rule() {
        let mut c = contract("out/result.json");
        c.verify = Some(ContractVerify { command: CommandLine::Shell("make test".into()), timeout_ms: None });
        let text = instructions(&c);
        for part in
            ["Write:\n- out/result.json", "Contract shape:", "\"changedFiles\": string[]", "`make test`", "Stop when:"]
        {
            assert!(text.contains(part), "{part} in {text}");
        }
    }
}
