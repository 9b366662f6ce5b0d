//! Loop mode with the mock agent scripted by the test (`turns`): the daemon checks the output
//! contract after each turn and continues, waits, stops or resumes as the check says.

use sandbox_agent_schema::*;

use crate::common::*;

/// A mock script: each section is one turn's message.
fn script(sections: &[&str]) -> String {
    format!("turns\n{}", sections.join("\n---\n"))
}

fn report(json: &str) -> String {
    format!("write report.json\n{json}\nEOF")
}

fn ok_schema() -> JsonObject {
    let schema = serde_json::json!({"type": "object", "required": ["ok"], "properties": {"ok": {"const": true}}});
    serde_json::json!({"path": "report.json", "schema": schema}).as_object().unwrap().clone()
}

fn looping(task: String, contract: JsonObject, config: LoopConfig) -> CreateSessionRequest {
    CreateSessionRequest {
        task: Some(task),
        output_contract: Some(contract),
        workflow_mode: Some(WorkflowMode::Loop),
        loop_: Some(config),
        ..mock()
    }
}

fn ends_loop(e: &UniversalEvent) -> bool {
    matches!(&e.data, EventData::LoopStatusChanged(c)
        if matches!(c.to, LoopStatus::Completed | LoopStatus::Blocked | LoopStatus::Cancelled | LoopStatus::AwaitingInput))
}

fn statuses(events: &[UniversalEvent]) -> Vec<LoopStatus> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::LoopStatusChanged(c) => Some(c.to),
            _ => None,
        })
        .collect()
}

fn iterations(events: &[UniversalEvent]) -> Vec<u32> {
    events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::LoopIteration(i) => Some(i.iteration),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn fail_fail_pass_completes_at_the_third_iteration_with_continuations_that_quote_the_failure() {
    let d = Daemon::start().await;
    let c = d.client();
    let task = script(&[&report(r#"{"ok": false}"#), &report(r#"{"ok": false}"#), &report(r#"{"ok": true}"#)]);
    let id = c.create_session(&looping(task, ok_schema(), LoopConfig::default())).await.unwrap().session_id;
    let events = sse_until(&c, &id, 0, ends_loop).await;
    assert_eq!(statuses(&events), [LoopStatus::Running, LoopStatus::Completed], "{:?}", types(&events));
    assert_eq!(iterations(&events), [1, 2, 3]);
    assert_eq!((count(&events, "contract.failed"), count(&events, "contract.passed")), (2, 1));
    let state = c.loop_state(&id).await.unwrap().loop_.unwrap();
    assert_eq!((state.status, state.iteration, state.max_iterations), (LoopStatus::Completed, 3, 5));
    assert!(state.completed_at.is_some() && state.summary.unwrap().contains("3 iteration"));
    // The daemon's continuations quote exactly what failed.
    let transcript = c.transcript(&id, &Default::default()).await.unwrap();
    let prompts: Vec<&str> = transcript
        .entries
        .iter()
        .filter(|e| e.type_ == TranscriptEntryType::UserPrompt)
        .filter_map(|e| e.text.as_deref())
        .collect();
    assert_eq!(prompts.len(), 3, "{prompts:?}");
    for (i, prompt) in prompts[1..].iter().enumerate() {
        assert!(prompt.contains(&format!("iteration {} of 5", i + 2)), "{prompt}");
        assert!(prompt.contains("- schema:") && prompt.contains("(at /ok)"), "{prompt}");
    }
    assert_eq!(c.result(&id).await.unwrap().iteration, 3);
}

#[tokio::test]
async fn out_of_iterations_a_blocked_report_and_waiting_for_input() {
    let d = Daemon::start().await;
    let c = d.client();
    // Never passes: blocked once maxIterations is reached.
    let config = LoopConfig { max_iterations: Some(2), ..Default::default() };
    let id = c.create_session(&looping(report(r#"{"ok": false}"#), ok_schema(), config)).await.unwrap().session_id;
    let events = sse_until(&c, &id, 0, ends_loop).await;
    assert_eq!(statuses(&events).last(), Some(&LoopStatus::Blocked));
    assert_eq!(iterations(&events), [1, 2]);
    let state = c.loop_state(&id).await.unwrap().loop_.unwrap();
    assert!(state.summary.unwrap().contains("maxIterations (2)"));

    // A report that says blocked stops the loop at once.
    let blocked = r#"{"status": "blocked", "changedFiles": [], "commandsRun": [], "verification": {"command": "", "passed": false, "outputExcerpt": ""}, "blockers": ["needs a key"]}"#;
    let default = serde_json::json!({"path": "report.json"}).as_object().unwrap().clone();
    let id = c.create_session(&looping(report(blocked), default, LoopConfig::default())).await.unwrap().session_id;
    let events = sse_until(&c, &id, 0, ends_loop).await;
    assert_eq!(statuses(&events), [LoopStatus::Running, LoopStatus::Blocked]);
    assert!(c.loop_state(&id).await.unwrap().loop_.unwrap().summary.unwrap().contains("needs a key"));

    // autoContinue off: the loop waits, and a message continues it.
    let config = LoopConfig { auto_continue: Some(false), ..Default::default() };
    let task = script(&[&report(r#"{"ok": false}"#), &report(r#"{"ok": true}"#)]);
    let id = c.create_session(&looping(task, ok_schema(), config)).await.unwrap().session_id;
    let events = sse_until(&c, &id, 0, ends_loop).await;
    assert_eq!(statuses(&events).last(), Some(&LoopStatus::AwaitingInput));
    let state = c.loop_state(&id).await.unwrap().loop_.unwrap();
    assert_eq!((state.iteration, state.next_action.as_deref()), (1, Some("a message continues the loop")));
    let after = events.last().unwrap().sequence;
    c.send_message(&id, "try again").await.unwrap();
    let rest = sse_until(&c, &id, after, ends_loop).await;
    assert_eq!(statuses(&rest), [LoopStatus::Running, LoopStatus::Completed]);
    assert_eq!(c.loop_state(&id).await.unwrap().loop_.unwrap().iteration, 2);
}

#[tokio::test]
async fn an_interrupt_cancels_a_loop_and_a_restart_resumes_one() {
    let d = Daemon::start().await;
    let c = d.client();
    let task = script(&[&report(r#"{"ok": false}"#), "slow 60000"]);
    let id = c.create_session(&looping(task, ok_schema(), LoopConfig::default())).await.unwrap().session_id;
    sse_until(&c, &id, 0, |e| matches!(&e.data, EventData::ItemDelta(d) if d.delta == ".")).await;
    c.interrupt(&id).await.unwrap();
    let state = c.loop_state(&id).await.unwrap().loop_.unwrap();
    assert_eq!((state.status, state.iteration), (LoopStatus::Cancelled, 2));

    // Cut by a restart in its second iteration: the next daemon goes on with it. The
    // verification passes from its second run on, which the cut turn never reached.
    let count = "n=$(cat .checks 2>/dev/null || echo 0); n=$((n+1)); echo $n > .checks; [ $n -ge 2 ]";
    let contract =
        serde_json::json!({"path": "report.json", "schema": {"type": "object"}, "verify": {"command": count}});
    let task = script(&[&report("{}"), "slow 60000"]);
    let req = looping(task, contract.as_object().unwrap().clone(), LoopConfig::default());
    let id = c.create_session(&req).await.unwrap().session_id;
    let slow = |e: &UniversalEvent| matches!(&e.data, EventData::ItemDelta(d) if d.delta == ".");
    let before = sse_until(&c, &id, 0, slow).await;
    assert_eq!(iterations(&before), [1, 2]);
    let mut d = d;
    d.kill9().await;
    let d = d.restart().await;
    let c = d.client();
    let events = sse_until(&c, &id, before.last().unwrap().sequence, ends_loop).await;
    assert_eq!(statuses(&events), [LoopStatus::Completed], "{:?}", types(&events));
    let prompts = c.transcript(&id, &Default::default()).await.unwrap();
    let last_prompt = prompts.entries.iter().rev().find(|e| e.type_ == TranscriptEntryType::UserPrompt).unwrap();
    assert!(last_prompt.text.as_deref().unwrap().contains("The daemon restarted"), "{last_prompt:?}");
}

#[tokio::test]
async fn a_loop_needs_a_contract_and_sane_iterations() {
    let d = Daemon::start().await;
    let http = reqwest::Client::new();
    for body in [
        serde_json::json!({"agent": "mock", "task": "t", "workflowMode": "loop"}),
        serde_json::json!({"agent": "mock", "task": "t", "workflowMode": "loop", "outputContract": {"path": "r.json"}, "loop": {"maxIterations": 101}}),
        serde_json::json!({"agent": "mock", "task": "t", "workflowMode": "loop", "outputContract": {"path": "r.json"}, "loop": {"maxIterations": 0}}),
    ] {
        let resp = http.post(format!("{}/v1/sessions", d.url)).json(&body).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
    }
    new_session(&d.client(), "plain").await;
    let r = d.client().loop_state("plain").await.unwrap();
    assert_eq!((r.workflow_mode, r.loop_), (WorkflowMode::Standard, None));
}

#[tokio::test]
async fn a_budget_ends_the_loop_blocked_and_says_which() {
    let d = Daemon::start().await;
    let c = d.client();
    // The second iteration's turn takes 40 ms (the mock's own sleep), past a 20 ms budget.
    let slow_second = script(&[&report(r#"{"ok": false}"#), "slow 40"]);
    for (budget, task, which) in [
        (
            Budget { max_turns: Some(2), ..Default::default() },
            report(r#"{"ok": false}"#),
            "budget_exhausted: maxTurns (2)",
        ),
        (Budget { max_wall_ms: Some(20), ..Default::default() }, slow_second, "budget_exhausted: maxWallMs (20)"),
    ] {
        let req = CreateSessionRequest { budget: Some(budget), ..looping(task, ok_schema(), LoopConfig::default()) };
        let id = c.create_session(&req).await.unwrap().session_id;
        let events = sse_until(&c, &id, 0, ends_loop).await;
        let reason = events.iter().rev().find_map(|e| match &e.data {
            EventData::LoopStatusChanged(s) if s.to == LoopStatus::Blocked => s.reason.clone(),
            _ => None,
        });
        assert_eq!(reason.as_deref(), Some(which), "{:?}", types(&events));
        assert_eq!(c.get_session(&id).await.unwrap().budget, req.budget);
    }
    let http = reqwest::Client::new();
    let body = serde_json::json!({"agent": "mock", "task": "t", "workflowMode": "loop", "outputContract": {"path": "r.json"}, "budget": {"maxTurns": 0}});
    let resp = http.post(format!("{}/v1/sessions", d.url)).json(&body).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 422);
}
