//! Output contracts checked by the daemon after each turn: the report read and validated, the
//! verification command run by the daemon itself (real bwrap), claims checked against git.

use sandbox_agent_schema::*;
use sandbox_agent_test_support::git::{file_url, Repo};

use crate::common::*;

const GOOD: &str = r#"{"status": "completed", "changedFiles": ["src/app.txt"], "commandsRun": ["edit"],
"verification": {"command": "grep -q changed src/app.txt", "passed": true, "outputExcerpt": ""}, "blockers": []}"#;

/// A mock task that edits `src/app.txt` in a real repo and writes `report` as `report.json`.
fn task(report: &str) -> String {
    format!("write src/app.txt\nchanged\nEOF\nwrite report.json\n{}\nEOF", report.replace('\n', " "))
}

fn contract(verify: Option<&str>) -> JsonObject {
    let mut c = serde_json::json!({"path": "report.json"});
    if let Some(command) = verify {
        c["verify"] = serde_json::json!({"command": command});
    }
    c.as_object().unwrap().clone()
}

struct Setup {
    d: Daemon,
    _src: tempfile::TempDir,
    url: String,
}

async fn setup() -> Setup {
    let d = Daemon::start().await;
    let src = tempfile::tempdir().unwrap();
    let repo = Repo::init(src.path().join("app"), "main");
    repo.commit(&[("src/app.txt", "original\n"), ("README.md", "app\n")], "first");
    let url = file_url(&repo.bare_clone(src.path().join("app.git")));
    Setup { d, _src: src, url }
}

impl Setup {
    /// Create the task session and wait for its outcome; the events up to it.
    async fn run(
        &self,
        task: &str,
        contract: Option<JsonObject>,
        metadata: Option<JsonObject>,
    ) -> (String, Vec<UniversalEvent>) {
        let req = CreateSessionRequest {
            task: Some(task.into()),
            repo: Some(RepoRequest { url: self.url.clone(), ..Default::default() }),
            output_contract: contract,
            metadata,
            ..mock()
        };
        let c = self.d.client();
        let id = c.create_session(&req).await.unwrap().session_id;
        let events = sse_until(&c, &id, 0, outcome).await;
        (id, events)
    }
}

fn outcome(e: &UniversalEvent) -> bool {
    matches!(e.data, EventData::TaskCompleted(_) | EventData::TaskBlocked(_) | EventData::TaskFailed(_))
}

fn failed_kinds(events: &[UniversalEvent]) -> Vec<(ContractErrorKind, Option<String>)> {
    events
        .iter()
        .find_map(|e| match &e.data {
            EventData::ContractFailed(f) => Some(f.errors.iter().map(|e| (e.kind, e.path.clone())).collect()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no contract.failed in {:?}", types(events)))
}

#[tokio::test]
async fn a_report_that_holds_passes_and_the_result_says_so() {
    let s = setup().await;
    let (id, events) = s.run(&task(GOOD), Some(contract(Some("grep -q changed src/app.txt"))), None).await;
    let kinds = types(&events);
    let at = |t: &str| kinds.iter().position(|k| *k == t).unwrap_or_else(|| panic!("no {t} in {kinds:?}"));
    assert!(at("turn.ended") < at("contract.passed") && at("contract.passed") < at("task.completed"), "{kinds:?}");
    let r = s.d.client().result(&id).await.unwrap();
    assert_eq!((r.status, r.iteration, r.validation.valid), (ResultStatus::Completed, 1, true), "{r:?}");
    let v = r.verification.unwrap();
    assert_eq!((v.exit_code, v.command.as_str()), (Some(0), "grep -q changed src/app.txt"));
    let report = r.report.unwrap();
    assert_eq!(report["changedFiles"][0], "src/app.txt");
    // The report as read is kept in the store, named in the result.
    assert_eq!(r.artifact.as_deref(), Some("report-1.json"));
    let listed = s.d.client().artifacts(&id).await.unwrap().artifacts;
    let bytes = s.d.client().artifact(&id, "report-1.json").await.unwrap();
    assert_eq!(
        listed.iter().map(|a| (a.name.as_str(), a.size)).collect::<Vec<_>>(),
        [("report-1.json", bytes.len() as u64)]
    );
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(), report);
    let (code, out, _) = s.d.cli(&["sessions", "artifact", &id, "report-1.json"]).await;
    assert_eq!((code, out.as_bytes()), (0, &bytes[..]));
    let (code, out, _) = s.d.cli(&["sessions", "artifacts", &id]).await;
    assert!(code == 0 && out.starts_with(&format!("report-1.json\t{}\t", bytes.len())), "{out}");
    for name in ["report-2.json", "..%2Fsessions.db", "%2Fetc%2Fpasswd"] {
        let missing = s.d.client().artifact(&id, name).await.unwrap_err();
        assert_eq!(missing.problem().map(|p| p.status), Some(404), "{name}: {missing:?}");
    }
    // The agent was told the contract with its task.
    let transcript = s.d.client().transcript(&id, &Default::default()).await.unwrap();
    let prompt = transcript.entries.iter().find(|e| e.type_ == TranscriptEntryType::UserPrompt).unwrap();
    let prompt = prompt.text.as_deref().unwrap();
    assert!(prompt.contains("Write:\n- report.json") && prompt.contains("Stop when:"), "{prompt}");
    assert!(prompt.contains("`grep -q changed src/app.txt`"), "{prompt}");
}

#[tokio::test]
async fn a_missing_an_invalid_and_a_misshapen_report_fail_the_task() {
    let s = setup().await;
    let (_, events) = s.run("echo no report", Some(contract(None)), None).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::Missing, None)]);
    let EventData::TaskFailed(f) = &events.last().unwrap().data else { panic!() };
    assert_eq!(f.reason, TaskFailReason::ContractFailed);
    let (id, events) = s.run(&task("{not json"), Some(contract(None)), None).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::InvalidJson, None)]);
    // What the agent wrote is kept even when it does not parse: the first thing to look at.
    let kept = s.d.client().artifact(&id, "report-1.json").await.unwrap();
    assert_eq!(String::from_utf8_lossy(&kept).trim(), "{not json");
    let (id, events) = s.run(&task(&GOOD.replace("completed", "done")), Some(contract(None)), None).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::Schema, Some("/status".into()))]);
    let r = s.d.client().result(&id).await.unwrap();
    assert_eq!((r.status, r.validation.valid), (ResultStatus::Failed, false));
}

#[tokio::test]
async fn claims_are_checked_against_the_verification_and_git() {
    let s = setup().await;
    // The report says the tests passed; the daemon's own run says otherwise.
    let (_, events) = s.run(&task(GOOD), Some(contract(Some("grep -q nowhere src/app.txt"))), None).await;
    let kinds = failed_kinds(&events);
    assert!(kinds.contains(&(ContractErrorKind::VerificationFailed, None)), "{kinds:?}");
    assert!(kinds.contains(&(ContractErrorKind::ClaimMismatch, Some("/verification/passed".into()))), "{kinds:?}");
    // It claims a file it did not change and leaves out the one it did.
    let (_, events) = s.run(&task(&GOOD.replace("src/app.txt\"]", "README.md\"]")), Some(contract(None)), None).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::ClaimMismatch, Some("/changedFiles".into()))]);
    let EventData::ContractFailed(f) =
        events.iter().find(|e| e.data.event_type() == "contract.failed").unwrap().data.clone()
    else {
        unreachable!()
    };
    assert!(f.errors[0].message.contains("README.md") && f.errors[0].message.contains("src/app.txt"), "{f:?}");
}

#[tokio::test]
async fn a_custom_schema_a_blocked_report_and_the_expected_report_path() {
    let s = setup().await;
    let schema = serde_json::json!({"type": "object", "required": ["ok"], "properties": {"ok": {"const": true}}});
    let custom = serde_json::json!({"path": "report.json", "schema": schema}).as_object().unwrap().clone();
    let (_, events) = s.run(&task(r#"{"ok": true}"#), Some(custom.clone()), None).await;
    assert!(matches!(events.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", &events[events.len() - 2..]);
    let (_, events) = s.run(&task(r#"{"ok": false}"#), Some(custom), None).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::Schema, Some("/ok".into()))]);
    // Blocked, and honest about its failing verification: that is no contract failure.
    let blocked = GOOD
        .replace("\"completed\"", "\"blocked\"")
        .replace("\"passed\": true", "\"passed\": false")
        .replace("\"blockers\": []", "\"blockers\": [\"no API key\"]");
    let (id, events) = s.run(&task(&blocked), Some(contract(Some("false"))), None).await;
    let EventData::TaskBlocked(b) = &events.last().unwrap().data else { panic!("{:?}", &events[events.len() - 2..]) };
    assert_eq!(b.blockers, ["no API key"]);
    assert_eq!(s.d.client().result(&id).await.unwrap().status, ResultStatus::Blocked);
    // No outputContract, but metadata.expectedReportPath names a JSON report: the default contract.
    let metadata = serde_json::json!({"expectedReportPath": "out/r.json"}).as_object().unwrap().clone();
    let (id, events) = s.run("echo nothing written", None, Some(metadata)).await;
    assert_eq!(failed_kinds(&events), [(ContractErrorKind::Missing, None)]);
    let info = s.d.client().get_session(&id).await.unwrap();
    assert_eq!(info.output_contract.unwrap()["path"], "out/r.json");
}

#[tokio::test]
async fn each_turn_is_checked_again_and_bad_contracts_are_refused() {
    let s = setup().await;
    let c = s.d.client();
    let (id, events) = s.run("echo not yet", Some(contract(None)), None).await;
    failed_kinds(&events);
    let after = events.last().unwrap().sequence;
    c.send_message(&id, &task(GOOD)).await.unwrap();
    let second = sse_until(&c, &id, after, outcome).await;
    assert!(matches!(second.last().unwrap().data, EventData::TaskCompleted(_)), "{:?}", types(&second));
    assert_eq!(c.result(&id).await.unwrap().iteration, 2);
    // A session without a contract has no result.
    new_session(&c, "plain").await;
    let none = c.result("plain").await.unwrap_err().problem().cloned().unwrap();
    assert_eq!((none.status, none.code()), (404, "not_found"));
    let http = reqwest::Client::new();
    for bad in [
        serde_json::json!({"path": "../x.json"}),
        serde_json::json!({"path": "r.json", "schema": {"type": 5}}),
        serde_json::json!({"path": "r.json", "verify": {"command": []}}),
        serde_json::json!({"path": "r.json", "extra": 1}),
    ] {
        let body = serde_json::json!({"agent": "mock", "task": "t", "outputContract": bad});
        let resp = http.post(format!("{}/v1/sessions", s.d.url)).json(&body).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
    }
    let body = serde_json::json!({"agent": "mock", "outputContract": {"path": "r.json"}});
    let resp = http.post(format!("{}/v1/sessions", s.d.url)).json(&body).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 422, "a contract needs a task");
}
