//! Durable ingest: how fast a turn's events are committed to the store, with no SSE reader
//! and with some.

use anyhow::{Context, Result};
use sandbox_agent_schema::EventsQuery;
use serde_json::{json, Value};

use super::{create_replay_session, header, last_report, round3, wait_committed, Params};
use crate::measure::{now_ns, self_cpu_s};
use crate::replay::Turn;
use crate::sse::{per_second, Stream};
use crate::Bench;

/// Scenario 5: one turn of `ingest_deltas` per reader count, each on a fresh daemon. The end
/// is when the daemon answers a command after the turn ended (answers wait for the commit).
pub async fn ingest(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for &readers in &params.ingest_readers {
        out.push(ingest_run(bench, params.ingest_deltas, readers).await?);
    }
    Ok(out)
}

async fn ingest_run(bench: &Bench, deltas: u64, readers: u64) -> Result<Value> {
    let daemon = bench.daemon().await?;
    let client = daemon.client();
    let id = create_replay_session(bench, &client, "ingest").await?;
    let before = client.get_session(&id).await?.event_count;
    let mut tasks = Vec::new();
    for _ in 0..readers {
        let stream = Stream::open(&bench.http, &daemon.url, &id, before).await?;
        tasks.push(tokio::spawn(stream.until_turn_end(deltas)));
    }
    let probe = daemon.probe();
    let cpu0 = self_cpu_s();
    let sent = now_ns();
    client.send_message(&id, &Turn { deltas, rate: 0, per_message: 1000 }.prompt()).await?;
    wait_committed(&client, &id).await?;
    let committed_at = now_ns();
    let usage = probe.finish();
    let mut lost = 0;
    for task in tasks {
        let got = task.await.context("reader task")??;
        lost += deltas.saturating_sub(got.deltas) + got.sequence_errors;
    }
    let client_cpu_s = self_cpu_s() - cpu0;
    // Readers joining and leaving are events too, but not the turn's; a reader's leave may
    // still be committing, so only presence events up to the count taken count against it.
    let total = client.get_session(&id).await?.event_count;
    let presence = EventsQuery { offset: Some(before), type_: Some("participant.*".into()), ..Default::default() };
    let presence = client.events(&id, &presence).await?.events.iter().filter(|e| e.sequence <= total).count();
    let committed = total - before - presence as u64;
    let report = last_report(bench, &id);
    // From the agent's first delta write when known, else from the message POST.
    let start = report.as_ref().map_or(sent, |r| r.first_write_ns);
    bench.finish(daemon, &[id]).await?;
    Ok(header(json!({
        "deltas": deltas,
        "readers": readers,
        "committed_events": committed,
        "events_per_s": per_second(committed, start, committed_at),
        "readers_lost": lost,
        "load": {
            "wall_s": round3((committed_at - sent) as f64 / 1e9),
            "daemon": usage,
            "client_cpu_s": round3(client_cpu_s),
            "agent_cpu_s": report.as_ref().map(|r| round3(r.cpu_s)),
        },
    })))
}
