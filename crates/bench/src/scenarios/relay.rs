//! Relay: replay-agent deltas through the daemon to SSE clients, as fast as possible or at a
//! steady rate, to one client, many clients of one session, or many sessions at once.

use anyhow::Result;
use serde_json::{json, Value};

use super::{create_replay_session, header, merge, run_turn, Params};
use crate::replay::Turn;
use crate::Bench;

/// `sessions` sessions with `clients` clients each, one turn of `turn` in every session, on a
/// daemon of its own (when the bench starts them).
async fn relay(bench: &Bench, what: &str, sessions: u64, clients: u64, turn: Turn) -> Result<Value> {
    let daemon = bench.daemon().await?;
    let client = daemon.client();
    let mut ids = Vec::new();
    for _ in 0..sessions {
        ids.push(create_replay_session(bench, &client, what).await?);
    }
    let probe = daemon.probe();
    let sampler = daemon.sample_rss();
    let run = run_turn(bench, &daemon, &ids, clients, turn).await?;
    let usage = probe.finish();
    let rss_timeline = sampler.stop(10).await;
    bench.finish(daemon, &ids).await?;
    let params = header(json!({
        "deltas": turn.deltas, "rate": turn.rate, "per_message": turn.per_message,
        "sessions": sessions, "clients_per_session": clients,
        // The daemon's RSS (KiB) at ten even points of the run: flat when events live in the store.
        "rss_timeline_kb": (!rss_timeline.is_empty()).then_some(rss_timeline),
    }));
    merge(params, run.summarize(turn.deltas, usage))
}

fn turn(deltas: u64, rate: u64) -> Turn {
    Turn { deltas, rate, per_message: 1000 }
}

/// Scenario 1: one session, one client, N deltas as fast as the agent can write them.
pub async fn burst(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for &n in &params.relay {
        out.push(relay(bench, "relay", 1, 1, turn(n, 0)).await?);
    }
    Ok(out)
}

/// Latency at a steady rate (the agent is not the one flooding the pipe).
pub async fn paced(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let (n, rate) = params.paced;
    Ok(vec![relay(bench, "paced", 1, 1, turn(n, rate)).await?])
}

/// Scenario 2: one session, many clients.
pub async fn fanout(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for &clients in &params.fanout_clients {
        out.push(relay(bench, "fanout", 1, clients, turn(params.fanout_deltas, 0)).await?);
    }
    Ok(out)
}

/// Scenario 3b: many sessions streaming at once, one client each.
pub async fn concurrent(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let (sessions, n) = params.concurrent;
    Ok(vec![relay(bench, "concurrent", sessions, 1, turn(n, 0)).await?])
}
