//! One-shot runs: what `POST /v1/run` adds to a command (`true`), isolated in bubblewrap and
//! not, and many runs at once.

use anyhow::{bail, Result};
use sandbox_agent_schema::RunRequest;
use serde_json::{json, Value};

use super::{header, Params};
use crate::measure::{now_ns, Spread};
use crate::Bench;

fn truth(isolate: bool) -> RunRequest {
    RunRequest { command: vec!["true".into()], isolate: Some(isolate), ..Default::default() }
}

/// Scenario 9: `run_runs` sequential runs of `true` isolated, then unisolated (p50 and max
/// from the client: HTTP, the sandbox, the process, the answer), then `run_concurrent` at once.
pub async fn runs(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let daemon =
        bench.daemon_with(&["--allow-unisolated-run", "--max-runs", &params.run_concurrent.to_string()]).await?;
    let client = daemon.client();
    let mut out = Vec::new();
    for isolate in [true, false] {
        client.run(&truth(isolate)).await?; // the sandbox probe and first spawn are one-offs
        let mut ms = Vec::new();
        for _ in 0..params.run_runs {
            let t0 = now_ns();
            let r = client.run(&truth(isolate)).await?;
            ms.push((now_ns() - t0) as f64 / 1e6);
            if r.exit_code != Some(0) {
                bail!("`true` exited {:?}: {}", r.exit_code, r.stderr);
            }
        }
        out.push(header(json!({
            "measure": "sequential",
            "isolation": if isolate { "bwrap" } else { "none" },
            "run_ms": Spread::of(&ms),
            "p99_ms": p99(&ms),
        })));
    }
    let t0 = now_ns();
    let tasks: Vec<_> = (0..params.run_concurrent)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let t = now_ns();
                client.run(&truth(true)).await.map(|r| (r.exit_code, (now_ns() - t) as f64 / 1e6))
            })
        })
        .collect();
    let mut each = Vec::new();
    for task in tasks {
        let (code, ms) = task.await??;
        if code != Some(0) {
            bail!("a concurrent `true` exited {code:?}");
        }
        each.push(ms);
    }
    let wall_ms = (now_ns() - t0) as f64 / 1e6;
    out.push(header(json!({
        "measure": "concurrent",
        "isolation": "bwrap",
        "runs": params.run_concurrent,
        "wall_ms": (wall_ms * 100.0).round() / 100.0,
        "run_ms": Spread::of(&each),
    })));
    bench.finish(daemon, &[]).await?;
    Ok(out)
}

fn p99(ms: &[f64]) -> Option<f64> {
    let mut v = ms.to_vec();
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 * 0.99).ceil() as usize).checked_sub(1)?;
    v.get(i).map(|x| (x * 100.0).round() / 100.0)
}
