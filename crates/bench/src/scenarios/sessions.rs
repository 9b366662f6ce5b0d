//! Many idle sessions: what each costs the daemon in resident memory.

use anyhow::{Context, Result};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use sandbox_agent_client::Client;
use sandbox_agent_schema::CreateSessionRequest;
use serde_json::{json, Value};

use super::{create_replay_session, header, Params};
use crate::measure::now_ns;
use crate::Bench;

/// Sessions created at once.
const IN_FLIGHT: usize = 8;

/// Scenario 3a: `idle_mock` mock sessions (the agent lives in the daemon), then
/// `idle_claude` replay-agent sessions (one child process each, not counted in the daemon's
/// memory), each on a fresh daemon.
pub async fn idle(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    Ok(vec![idle_run(bench, "mock", params.idle_mock).await?, idle_run(bench, "claude", params.idle_claude).await?])
}

async fn create(bench: &Bench, client: &Client, agent: &str) -> Result<String> {
    if agent == "claude" {
        return create_replay_session(bench, client, "idle").await;
    }
    let id = bench.session_id("idle");
    let req = CreateSessionRequest { agent: agent.into(), ..Default::default() };
    client.create_session_with_id(&id, &req).await.with_context(|| format!("creating {id}"))?;
    Ok(id)
}

async fn idle_run(bench: &Bench, agent: &str, sessions: u64) -> Result<Value> {
    let daemon = bench.daemon().await?;
    let client = daemon.client();
    // One session first, so what every daemon allocates once (the agent registry, the first
    // statement caches, the first process spawn) is not charged to the others.
    let first = create(bench, &client, agent).await?;
    let before = daemon.rss();
    let start = now_ns();
    let ids: Vec<String> = stream::iter(1..sessions)
        .map(|_| create(bench, &client, agent))
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await?;
    let create_s = (now_ns() - start) as f64 / 1e9;
    let after = daemon.rss();
    let created = ids.len() as u64;
    let per_session_kb = before.zip(after).map(|(b, a)| (a.rss_kb as f64 - b.rss_kb as f64) / created.max(1) as f64);
    let listed = client.list_sessions(&Default::default()).await?.sessions.len();
    let mut ids = ids;
    ids.push(first);
    bench.finish(daemon, &ids).await?;
    Ok(header(json!({
        "agent": agent,
        "sessions": created + 1,
        "listed": listed,
        "rss_before_kb": before.map(|r| r.rss_kb),
        "rss_after_kb": after.map(|r| r.rss_kb),
        "rss_per_session_kb": per_session_kb.map(|kb| (kb * 10.0).round() / 10.0),
        "sessions_created_per_s": (created as f64 / create_s).round(),
    })))
}
