//! Start-up: binary exec → `/v1/health` 200, and session create → first event, for the mock,
//! the replay agent, and the real Claude Code against the model stub when it is installed.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures_util::StreamExt;
use sandbox_agent_client::{Client, EventStream, SseOptions};
use sandbox_agent_model_stub::{ModelStub, Reply};
use sandbox_agent_schema::{CreateSessionRequest, UniversalEvent};
use serde_json::{json, Value};

use super::{create_replay_session, header, Params};
use crate::daemon::{Daemon, Launch};
use crate::measure::{now_ns, Spread};
use crate::replay::Turn;
use crate::Bench;

/// A real agent's turn may take this long on a loaded machine.
const AGENT_WAIT: Duration = Duration::from_secs(120);

fn ms_since(t0: u64) -> f64 {
    (now_ns() - t0) as f64 / 1e6
}

pub async fn startup(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    if bench.target.is_none() {
        out.push(cold_start(bench, params.startup_runs).await?);
    }
    out.push(first_events(bench, params.startup_runs).await?);
    if bench.target.is_none() && params.startup_claude_runs > 0 {
        out.push(real_claude(bench, params.startup_claude_runs).await?);
    }
    Ok(out)
}

/// Exec of the binary → the `listening on` line → the first `/v1/health` 200, on a fresh data
/// dir each time.
async fn cold_start(bench: &Bench, runs: usize) -> Result<Value> {
    let (mut listening, mut healthy) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t0 = now_ns();
        let daemon = Daemon::start(&bench.launch).await?;
        listening.push(ms_since(t0));
        let health = bench.http.get(format!("{}/v1/health", daemon.url)).send().await?;
        if health.status() != 200 {
            bail!("health answered {}", health.status());
        }
        healthy.push(ms_since(t0));
        daemon.stop().await?;
    }
    Ok(header(json!({
        "measure": "cold_start",
        "exec_to_listening_ms": Spread::of(&listening),
        "exec_to_health_ms": Spread::of(&healthy),
    })))
}

/// The first event of a stream from `after` that `pick` accepts.
async fn first(stream: &mut EventStream, pick: impl Fn(&UniversalEvent) -> bool) -> Result<UniversalEvent> {
    let next = async {
        while let Some(ev) = stream.next().await {
            let ev = ev?;
            if pick(&ev) {
                return Ok(ev);
            }
        }
        bail!("the stream ended first")
    };
    tokio::time::timeout(AGENT_WAIT, next).await.context("no such event in time")?
}

async fn stream_from(client: &Client, id: &str, after: u64) -> Result<EventStream> {
    Ok(client.events_sse(id, &SseOptions { offset: Some(after), ..Default::default() }).await?)
}

/// Create → the session's first event (mock), and create → message → the replay agent's
/// first delta (a process spawn and a pipe on the way).
async fn first_events(bench: &Bench, runs: usize) -> Result<Value> {
    let daemon = bench.daemon().await?;
    let client = daemon.client();
    let (mut mock_create, mut mock_first) = (Vec::new(), Vec::new());
    let (mut replay_create, mut replay_first) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let id = bench.session_id("startup");
        let t0 = now_ns();
        client
            .create_session_with_id(&id, &CreateSessionRequest { agent: "mock".into(), ..Default::default() })
            .await?;
        mock_create.push(ms_since(t0));
        let mut events = stream_from(&client, &id, 0).await?;
        first(&mut events, |_| true).await?;
        mock_first.push(ms_since(t0));
        client.delete_session(&id).await?;

        let t0 = now_ns();
        let id = create_replay_session(bench, &client, "startup").await?;
        replay_create.push(ms_since(t0));
        let mut events = stream_from(&client, &id, client.get_session(&id).await?.event_count).await?;
        client.send_message(&id, &Turn { deltas: 1, rate: 0, per_message: 1 }.prompt()).await?;
        first(&mut events, |e| !e.synthetic && e.data.event_type() == "item.delta").await?;
        replay_first.push(ms_since(t0));
        client.delete_session(&id).await?;
    }
    bench.finish(daemon, &[]).await?;
    Ok(header(json!({
        "measure": "first_event",
        "mock_create_ms": Spread::of(&mock_create),
        "mock_create_to_first_event_ms": Spread::of(&mock_first),
        "replay_create_ms": Spread::of(&replay_create),
        "replay_create_to_first_delta_ms": Spread::of(&replay_first),
    })))
}

/// The real Claude Code (from the real-agent tests' install cache) against the model stub:
/// create, then message → its first own event, first delta and end of turn.
async fn real_claude(bench: &Bench, runs: usize) -> Result<Value> {
    let Some(agents_dir) = bench.real_agents_dir.clone() else {
        return Ok(header(
            json!({"measure": "claude_first_event", "skipped": "Claude Code is not installed (sandbox-agent install-agent claude)"}),
        ));
    };
    let version = sandbox_agent_install::installed(&agents_dir, &sandbox_agent_install::AgentKind::Claude.package())
        .map(|a| a.version);
    let launch = Launch { agents_dir, ..bench.launch.clone() };
    let daemon = Daemon::start(&launch).await?;
    let client = daemon.client();
    let stub = ModelStub::start().await;
    let (mut create, mut first_event, mut first_delta, mut turn_end) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        stub.push(Reply::text("Hello from the stub."));
        let id = bench.session_id("claude");
        let env = BTreeMap::from([
            ("ANTHROPIC_BASE_URL".to_string(), stub.url()),
            ("ANTHROPIC_API_KEY".to_string(), "sk-stub".to_string()),
            ("CLAUDE_CODE_MAX_RETRIES".to_string(), "0".to_string()),
        ]);
        let t0 = now_ns();
        client
            .create_session_with_id(&id, &CreateSessionRequest { agent: "claude".into(), env, ..Default::default() })
            .await?;
        create.push(ms_since(t0));
        let mut events = stream_from(&client, &id, client.get_session(&id).await?.event_count).await?;
        let t1 = now_ns();
        client.send_message(&id, "say hello").await?;
        first(&mut events, |e| !e.synthetic).await?;
        first_event.push(ms_since(t1));
        first(&mut events, |e| !e.synthetic && e.data.event_type() == "item.delta").await?;
        first_delta.push(ms_since(t1));
        first(&mut events, |e| e.data.event_type() == "turn.ended").await?;
        turn_end.push(ms_since(t1));
    }
    // The sessions are left to the daemon's shutdown, which waits for each CLI to exit: a CLI
    // still saving its conversation after a DELETE would write into a removed directory.
    daemon.stop().await?;
    Ok(header(json!({
        "measure": "claude_first_event",
        "claude_version": version,
        "create_ms": Spread::of(&create),
        "message_to_first_agent_event_ms": Spread::of(&first_event),
        "message_to_first_delta_ms": Spread::of(&first_delta),
        "message_to_turn_end_ms": Spread::of(&turn_end),
    })))
}
