//! The scenarios. Each returns JSON objects, one per configuration it ran.

mod cluster;
mod ingest;
mod listing;
mod relay;
mod runs;
mod sessions;
mod startup;

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures_util::future::try_join_all;
use sandbox_agent_client::Client;
use sandbox_agent_schema::CreateSessionRequest;
use serde::Serialize;
use serde_json::Value;

use crate::daemon::{Daemon, DaemonUsage};
use crate::measure::{load_average, now_ns, self_cpu_s, Histogram, Latency};
use crate::replay::{Turn, TurnReport};
use crate::sse::{per_second, Received, Stream};
use crate::Bench;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// One session, one SSE client, N deltas as fast as possible.
    Relay,
    /// One session, one SSE client, deltas at a steady rate.
    Paced,
    /// One session, 1/10/100 SSE clients.
    Fanout,
    /// Many idle sessions: daemon memory per session.
    Idle,
    /// Many sessions streaming at once.
    Concurrent,
    /// Daemon start-up and time to a session's first event.
    Startup,
    /// Events committed to the store per second, with and without SSE readers.
    Ingest,
    /// The session list's filters and pages over many finished sessions.
    List,
    /// One-shot runs: the overhead of `POST /v1/run`, isolated and not, and runs at once.
    Run,
    /// Three nodes on one nats-server: deltas from the agent on one node to SSE clients on the others.
    ClusterRelay,
    /// Three nodes: kill -9 of a session's node, to the next turn served by another.
    Failover,
}

impl Scenario {
    pub const ALL: [Scenario; 11] = [
        Scenario::Startup,
        Scenario::Relay,
        Scenario::Paced,
        Scenario::Fanout,
        Scenario::Concurrent,
        Scenario::Idle,
        Scenario::Ingest,
        Scenario::List,
        Scenario::Run,
        Scenario::ClusterRelay,
        Scenario::Failover,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Relay => "relay",
            Scenario::Paced => "paced",
            Scenario::Fanout => "fanout",
            Scenario::Idle => "idle",
            Scenario::Concurrent => "concurrent",
            Scenario::Startup => "startup",
            Scenario::Ingest => "ingest",
            Scenario::List => "list",
            Scenario::Run => "run",
            Scenario::ClusterRelay => "cluster-relay",
            Scenario::Failover => "failover",
        }
    }
}

/// Sizes of every scenario.
#[derive(Debug, Clone)]
pub struct Params {
    /// Deltas per relay run.
    pub relay: Vec<u64>,
    /// Deltas and rate (per second) of the paced run.
    pub paced: (u64, u64),
    /// Client counts of the fan-out runs, and deltas per run.
    pub fanout_clients: Vec<u64>,
    pub fanout_deltas: u64,
    /// Idle mock sessions, and idle replay-agent (claude) sessions, each process a child.
    pub idle_mock: u64,
    pub idle_claude: u64,
    /// Sessions streaming at once, and deltas per session.
    pub concurrent: (u64, u64),
    /// Runs of each start-up measurement, and of the real Claude Code one.
    pub startup_runs: usize,
    pub startup_claude_runs: usize,
    /// Deltas per ingest run, and the reader counts.
    pub ingest_deltas: u64,
    pub ingest_readers: Vec<u64>,
    /// Finished sessions to list, and runs of each list query.
    pub list_sessions: u64,
    pub list_runs: usize,
    /// Sequential runs of `true` per isolation, and runs at once.
    pub run_runs: usize,
    pub run_concurrent: usize,
    /// Deltas per cross-node relay run, and the client counts (spread over the other nodes).
    pub cluster_deltas: u64,
    pub cluster_clients: Vec<u64>,
    /// Owners killed in the failover scenario.
    pub failover_kills: usize,
}

impl Params {
    /// The figures of docs/performance.md.
    pub fn full() -> Params {
        Params {
            relay: vec![10_000, 100_000, 1_000_000],
            paced: (50_000, 10_000),
            fanout_clients: vec![1, 10, 100],
            fanout_deltas: 100_000,
            idle_mock: 1000,
            idle_claude: 100,
            concurrent: (100, 10_000),
            startup_runs: 20,
            startup_claude_runs: 3,
            ingest_deltas: 300_000,
            ingest_readers: vec![0, 1, 10],
            list_sessions: 10_000,
            list_runs: 50,
            run_runs: 200,
            run_concurrent: 20,
            cluster_deltas: 100_000,
            cluster_clients: vec![1, 10],
            failover_kills: 20,
        }
    }

    /// A minute or so in all.
    pub fn quick() -> Params {
        Params {
            relay: vec![10_000, 100_000],
            paced: (20_000, 10_000),
            fanout_clients: vec![1, 10],
            fanout_deltas: 20_000,
            idle_mock: 200,
            idle_claude: 20,
            concurrent: (20, 2_000),
            startup_runs: 5,
            startup_claude_runs: 1,
            ingest_deltas: 50_000,
            ingest_readers: vec![0, 1],
            list_sessions: 2_000,
            list_runs: 20,
            run_runs: 50,
            run_concurrent: 20,
            cluster_deltas: 20_000,
            cluster_clients: vec![1, 10],
            failover_kills: 5,
        }
    }

    /// Seconds, for tests of the bench itself (numbers mean nothing at this size).
    pub fn tiny() -> Params {
        Params {
            relay: vec![1_500],
            paced: (200, 2_000),
            fanout_clients: vec![3],
            fanout_deltas: 500,
            idle_mock: 10,
            idle_claude: 2,
            concurrent: (3, 300),
            startup_runs: 2,
            startup_claude_runs: 0,
            ingest_deltas: 1_000,
            ingest_readers: vec![0, 2],
            list_sessions: 50,
            list_runs: 3,
            run_runs: 3,
            run_concurrent: 4,
            cluster_deltas: 500,
            cluster_clients: vec![2],
            failover_kills: 1,
        }
    }
}

/// Run one scenario; each configuration's result is one JSON object.
pub async fn run(bench: &Bench, params: &Params, scenario: Scenario) -> Result<Vec<Value>> {
    let results = match scenario {
        Scenario::Relay => relay::burst(bench, params).await,
        Scenario::Paced => relay::paced(bench, params).await,
        Scenario::Fanout => relay::fanout(bench, params).await,
        Scenario::Concurrent => relay::concurrent(bench, params).await,
        Scenario::Idle => sessions::idle(bench, params).await,
        Scenario::Startup => startup::startup(bench, params).await,
        Scenario::Ingest => ingest::ingest(bench, params).await,
        Scenario::List => listing::listing(bench, params).await,
        Scenario::Run => runs::runs(bench, params).await,
        Scenario::ClusterRelay => cluster::relay(bench, params).await,
        Scenario::Failover => cluster::failover(bench, params).await,
    }
    .with_context(|| format!("scenario {}", scenario.name()))?;
    Ok(results
        .into_iter()
        .map(|mut v| {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("scenario".into(), scenario.name().into());
            }
            v
        })
        .collect())
}

/// A replay-agent (`claude`) session that reports to its own file.
async fn create_replay_session(bench: &Bench, client: &Client, what: &str) -> Result<String> {
    let id = bench.session_id(what);
    let mut env = BTreeMap::new();
    env.insert("BENCH_REPORT".to_string(), bench.report_path(&id).display().to_string());
    let req = CreateSessionRequest { agent: "claude".into(), env, ..Default::default() };
    client.create_session_with_id(&id, &req).await.with_context(|| format!("creating session {id}"))?;
    Ok(id)
}

/// The replay agent's report of its last turn in `session` (None when the daemon runs
/// elsewhere and the file is not here).
fn last_report(bench: &Bench, session: &str) -> Option<TurnReport> {
    let text = std::fs::read_to_string(bench.report_path(session)).ok()?;
    serde_json::from_str(text.lines().last()?).ok()
}

/// One turn in each of `sessions`, watched by `clients` SSE clients per session.
struct TurnRun {
    sessions: usize,
    /// Per client, in session order.
    received: Vec<Received>,
    reports: Vec<TurnReport>,
    /// From the message POSTs to the last client's `turn.ended`.
    wall_s: f64,
    /// The bench's own CPU time over the run.
    client_cpu_s: f64,
}

async fn run_turn(bench: &Bench, daemon: &Daemon, sessions: &[String], clients: u64, turn: Turn) -> Result<TurnRun> {
    run_turn_across(bench, daemon, &[daemon], sessions, clients, turn).await
}

/// [`run_turn`] with the messages posted to `daemon` and the clients spread over `readers`
/// (other nodes of a cluster).
async fn run_turn_across(
    bench: &Bench,
    daemon: &Daemon,
    readers_at: &[&Daemon],
    sessions: &[String],
    clients: u64,
    turn: Turn,
) -> Result<TurnRun> {
    let client = daemon.client();
    let cpu0 = self_cpu_s();
    let mut readers = Vec::new();
    for id in sessions {
        let after = client.get_session(id).await?.event_count;
        for n in 0..clients {
            let at = readers_at[n as usize % readers_at.len()];
            let stream = Stream::open(&bench.http, &at.url, id, after).await?;
            readers.push(tokio::spawn(stream.until_turn_end(turn.deltas)));
        }
    }
    let prompt = turn.prompt();
    let start = now_ns();
    try_join_all(sessions.iter().map(|id| client.send_message(id, &prompt))).await.context("sending the turn")?;
    let mut received = Vec::new();
    for reader in readers {
        received.push(reader.await.context("client task")??);
    }
    let wall_s = (now_ns() - start) as f64 / 1e9;
    let reports = sessions.iter().filter_map(|id| last_report(bench, id)).collect();
    Ok(TurnRun { sessions: sessions.len(), received, reports, wall_s, client_cpu_s: self_cpu_s() - cpu0 })
}

/// What the clients got, against what they should have.
#[derive(Debug, Serialize)]
pub struct Delivered {
    /// Deltas each client should get, and the distinct ones all clients got.
    pub expected_per_client: u64,
    pub deltas: u64,
    pub events: u64,
    /// Deltas some client never got (must be 0).
    pub lost: u64,
    pub duplicates: u64,
    pub sequence_errors: u64,
    /// Clients whose stream ended with a `completed` turn.
    pub completed_turns: u64,
}

/// Who did the work: the daemon, and the load (replay agents and SSE clients).
#[derive(Debug, Serialize)]
pub struct Load {
    pub wall_s: f64,
    pub daemon: Option<DaemonUsage>,
    /// CPU of the bench process (the SSE clients and HTTP calls).
    pub client_cpu_s: f64,
    /// CPU of the replay agents (None when their reports are not readable here).
    pub agent_cpu_s: Option<f64>,
    /// First to last delta write, longest over the agents.
    pub agent_write_s: Option<f64>,
    /// Daemon CPU per delta written by the agents, in microseconds: what one delta costs,
    /// whatever else the machine is doing.
    pub daemon_cpu_us_per_delta: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct RelayResult {
    pub delivered: Delivered,
    /// Deltas received by all clients per second, first write to last arrival.
    pub deltas_per_s: f64,
    pub events_per_s: f64,
    pub latency_us: Option<Latency>,
    pub load: Load,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl TurnRun {
    fn summarize(&self, expected: u64, daemon: Option<DaemonUsage>) -> RelayResult {
        let r = &self.received;
        let mut latency = Histogram::default();
        r.iter().for_each(|c| latency.merge(&c.latency));
        let first = r.iter().map(|c| c.first_write_ns).filter(|t| *t > 0).min().unwrap_or(0);
        let last = r.iter().map(|c| c.last_receipt_ns).max().unwrap_or(0);
        let deltas: u64 = r.iter().map(|c| c.deltas).sum();
        let events: u64 = r.iter().map(|c| c.events).sum();
        let delivered = Delivered {
            expected_per_client: expected,
            deltas,
            events,
            lost: r.iter().map(|c| expected.saturating_sub(c.deltas)).sum(),
            duplicates: r.iter().map(|c| c.duplicates).sum(),
            sequence_errors: r.iter().map(|c| c.sequence_errors).sum(),
            completed_turns: r.iter().filter(|c| c.turn_completed).count() as u64,
        };
        let reports = &self.reports;
        let agents_known = !reports.is_empty();
        let written = expected * self.sessions as u64;
        let load = Load {
            wall_s: round3(self.wall_s),
            daemon_cpu_us_per_delta: daemon.as_ref().map(|d| (d.cpu_s * 1e7 / written.max(1) as f64).round() / 10.0),
            daemon,
            client_cpu_s: round3(self.client_cpu_s),
            agent_cpu_s: agents_known.then(|| round3(reports.iter().map(|r| r.cpu_s).sum())),
            agent_write_s: agents_known.then(|| {
                round3(reports.iter().map(|r| (r.last_write_ns - r.first_write_ns) as f64 / 1e9).fold(0.0, f64::max))
            }),
        };
        RelayResult {
            delivered,
            deltas_per_s: per_second(deltas, first, last),
            events_per_s: per_second(events, first, last),
            latency_us: latency.summary_us(),
            load,
        }
    }
}

/// `params` and `result` as one flat object.
fn merge(params: Value, result: impl Serialize) -> Result<Value> {
    let mut out = params;
    let Value::Object(extra) = serde_json::to_value(result)? else { bail!("results are objects") };
    out.as_object_mut().context("params are an object")?.extend(extra);
    Ok(out)
}

/// The parameters of a result, plus the machine's load when it ran.
fn header(mut fields: Value) -> Value {
    if let Some(obj) = fields.as_object_mut() {
        obj.insert("load_average".into(), load_average().into());
    }
    fields
}

/// Poll a session until its turn ended, then wait until everything it recorded is committed
/// (any command is answered only after that; `interrupt` with no turn running does nothing).
async fn wait_committed(client: &Client, session: &str) -> Result<()> {
    let deadline = tokio::time::Instant::now() + crate::sse::STALL * 10;
    loop {
        let info = client.get_session(session).await?;
        if info.current_turn_id.is_none() {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the turn in {session} did not end");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    client.interrupt(session).await?;
    Ok(())
}
