//! A 3-node cluster on one nats-server (loopback; `$NATS_SERVER`, else the one `scripts/test`
//! installs, else `nats-server` on `PATH`): deltas from the agent on node A to SSE clients on
//! B and C, next to the single-node figures; and failover, kill -9 of a session's node to the
//! next turn served by another node.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use sandbox_agent_schema::CreateSessionRequest;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{create_replay_session, header, merge, run_turn_across, Params};
use crate::daemon::Daemon;
use crate::measure::Histogram;
use crate::replay::Turn;
use crate::Bench;

/// The failover scenario's lease: failover takes about this plus a takeover tick.
const LEASE_TTL_MS: u64 = 2000;

fn nats_server() -> PathBuf {
    if let Some(path) = std::env::var_os("NATS_SERVER").filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let cached = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
        .join(".cache/sandbox-agent/nats/bin/nats-server");
    if cached.is_file() {
        cached
    } else {
        PathBuf::from("nats-server")
    }
}

/// A nats-server with JetStream in a temp dir, killed on drop.
struct Nats {
    _child: tokio::process::Child,
    url: String,
    _dir: tempfile::TempDir,
}

async fn start_nats() -> Result<Nats> {
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = tokio::process::Command::new(nats_server())
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("starting nats-server (scripts/test installs it; or set NATS_SERVER)")?;
    let mut lines = BufReader::new(child.stderr.take().context("nats-server stderr")?).lines();
    let ready = async {
        while let Some(line) = lines.next_line().await? {
            if line.contains("Server is ready") {
                return Ok::<_, std::io::Error>(true);
            }
        }
        Ok(false)
    };
    if !tokio::time::timeout(Duration::from_secs(30), ready).await.context("nats-server did not start in time")?? {
        bail!("nats-server exited");
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Nats { _child: child, url: format!("nats://127.0.0.1:{port}"), _dir: dir })
}

async fn node(bench: &Bench, nats: &Nats, id: &str, prefix: &str) -> Result<Daemon> {
    let ttl = LEASE_TTL_MS.to_string();
    bench
        .daemon_with(&["--cluster", &nats.url, "--node-id", id, "--cluster-prefix", prefix, "--lease-ttl-ms", &ttl])
        .await
}

/// Deltas as fast as the agent writes them, through node A, to clients on B and C.
pub async fn relay(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    if bench.target.is_some() {
        bail!("the cluster scenarios start their own nodes (no --target)");
    }
    let nats = start_nats().await?;
    let mut out = Vec::new();
    for (n, &clients) in params.cluster_clients.iter().enumerate() {
        let prefix = format!("relay{n}");
        let a = node(bench, &nats, "a", &prefix).await?;
        let b = node(bench, &nats, "b", &prefix).await?;
        let c = node(bench, &nats, "c", &prefix).await?;
        let id = create_replay_session(bench, &a.client(), "cluster-relay").await?;
        let turn = Turn { deltas: params.cluster_deltas, rate: 0, per_message: 1000 };
        let probe = a.probe();
        let run = run_turn_across(bench, &a, &[&b, &c], std::slice::from_ref(&id), clients, turn).await?;
        let usage = probe.finish();
        let params = header(json!({
            "deltas": turn.deltas, "nodes": 3, "sessions": 1, "clients_per_session": clients,
            "clients_on": "the two nodes that do not run the session",
        }));
        out.push(merge(params, run.summarize(turn.deltas, usage))?);
        for d in [a, b, c] {
            bench.finish(d, &[]).await?;
        }
    }
    Ok(out)
}

/// kill -9 of the node running a session, then the time until a turn sent to another node is
/// served (the takeover: the lease running out, a node taking it, the session restored there).
pub async fn failover(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    if bench.target.is_some() {
        bail!("the cluster scenarios start their own nodes (no --target)");
    }
    let nats = start_nats().await?;
    let ids = ["a", "b", "c"];
    let mut nodes = Vec::new();
    for id in ids {
        nodes.push(Some(node(bench, &nats, id, "failover").await?));
    }
    let mut to_turn = Histogram::default();
    let mut to_owner = Histogram::default();
    for kill in 0..params.failover_kills {
        let victim = kill % 3;
        let survivor = (victim + 1) % 3;
        let owner = nodes[victim].as_ref().context("victim")?.client();
        let session = bench.session_id("failover");
        owner
            .create_session_with_id(&session, &CreateSessionRequest { agent: "mock".into(), ..Default::default() })
            .await?;
        let served = owner.get_session(&session).await?;
        anyhow::ensure!(served.status != sandbox_agent_schema::SessionStatus::Ended, "session {session} did not start");
        let other = nodes[survivor].as_ref().context("survivor")?.client();
        let mut victim_node = nodes[victim].take().context("victim")?;
        let killed = Instant::now();
        victim_node.kill9().await?;
        // The first turn another node serves: 503 `session_unavailable` until one has taken over.
        let deadline = killed + Duration::from_millis(LEASE_TTL_MS * 10);
        let mut owned_at = None;
        loop {
            if owned_at.is_none() {
                let cluster = other.cluster_nodes().await?;
                if cluster.nodes.iter().any(|n| n.alive && n.id != ids[victim] && n.session_ids.contains(&session)) {
                    owned_at = Some(killed.elapsed());
                }
            }
            match other.send_message(&session, "echo after").await {
                Ok(()) => break,
                Err(err) if err.problem().is_some_and(|p| p.status == 503) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(err) => return Err(err).context("the turn after the kill"),
            }
        }
        to_turn.record(killed.elapsed().as_nanos() as u64);
        to_owner.record(owned_at.unwrap_or_else(|| killed.elapsed()).as_nanos() as u64);
        bench.finish(victim_node, &[]).await?;
        nodes[victim] = Some(node(bench, &nats, ids[victim], "failover").await?);
    }
    for d in nodes.into_iter().flatten() {
        bench.finish(d, &[]).await?;
    }
    Ok(vec![header(json!({
        "kills": params.failover_kills, "nodes": 3, "lease_ttl_ms": LEASE_TTL_MS, "agent": "mock",
        "kill_to_turn_us": to_turn.summary_us(),
        "kill_to_new_owner_us": to_owner.summary_us(),
    }))])
}
