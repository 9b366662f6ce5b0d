//! `bench`: measure the daemon's event path and print one JSON object per line per scenario
//! run (a short human summary goes to stderr). See docs/performance.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sandbox_agent_bench::daemon::{built_sibling, daemon_binary, install_replay_agent};
use sandbox_agent_bench::scenarios::{self, Params, Scenario};
use sandbox_agent_bench::Bench;
use serde_json::Value;

#[derive(Parser)]
#[command(
    about = "Benchmark sandbox-agent: relay latency and throughput, fan-out, many sessions, start-up, durable ingest, listing, one-shot runs"
)]
struct Args {
    /// Scenarios to run (repeatable) [default: all].
    #[arg(short, long, value_enum)]
    scenario: Vec<Scenario>,
    /// Smaller sizes: about a minute in all.
    #[arg(long)]
    quick: bool,
    /// Deltas of the relay runs (comma-separated), instead of 10k, 100k, 1M.
    #[arg(long, value_delimiter = ',')]
    deltas: Vec<u64>,
    /// The paced run: this many deltas at `--rate` per second [default: 50k at 10k/s].
    #[arg(long)]
    paced_deltas: Option<u64>,
    #[arg(long)]
    rate: Option<u64>,
    /// Use this running daemon instead of starting fresh ones. It must find the replay agent
    /// as `claude`: start it with `--agents-dir DIR` after `bench --prepare-agents DIR`.
    #[arg(long)]
    target: Option<String>,
    /// The target's pid, to report its memory and CPU.
    #[arg(long, requires = "target")]
    target_pid: Option<u32>,
    /// Leave the sessions the runs created on the target.
    #[arg(long, requires = "target")]
    keep_sessions: bool,
    /// The `sandbox-agent` binary [default: next to this one, built first when run by cargo].
    #[arg(long)]
    daemon: Option<PathBuf>,
    /// The replay agent [default: `bench-claude` next to this binary].
    #[arg(long)]
    replay: Option<PathBuf>,
    /// Lay out the replay agent as `claude` under DIR (for a `--target` daemon) and exit.
    #[arg(long, value_name = "DIR")]
    prepare_agents: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let replay = match args.replay {
        Some(path) => path,
        None => built_sibling("sandbox-agent-bench", "bench-claude")?,
    };
    if let Some(dir) = args.prepare_agents {
        let path = install_replay_agent(&dir, &replay)?;
        eprintln!("bench: the replay agent is installed as {}", path.display());
        return Ok(());
    }
    let daemon = match (args.daemon, &args.target) {
        (Some(path), _) => path,
        (None, Some(_)) => PathBuf::from("sandbox-agent"), // only the cold-start run uses it; skipped
        (None, None) => daemon_binary()?,
    };
    let mut bench = Bench::new(daemon, replay, args.target.map(|url| (url, args.target_pid)))?;
    bench.keep_sessions = args.keep_sessions;
    let mut params = if args.quick { Params::quick() } else { Params::full() };
    params.paced = (args.paced_deltas.unwrap_or(params.paced.0), args.rate.unwrap_or(params.paced.1).max(1));
    if !args.deltas.is_empty() {
        params.relay = args.deltas;
    }
    let chosen = if args.scenario.is_empty() { Scenario::ALL.to_vec() } else { args.scenario };
    for scenario in chosen {
        eprintln!("bench: {} …", scenario.name());
        for result in scenarios::run(&bench, &params, scenario).await? {
            println!("{}", line(&result));
            eprintln!("  {}", summary(&result));
        }
    }
    Ok(())
}

/// The object as one line, `scenario` first.
fn line(result: &Value) -> String {
    let mut rest = result.clone();
    let name = rest.as_object_mut().and_then(|o| o.remove("scenario")).unwrap_or(Value::Null);
    let rest = rest.to_string();
    match rest.strip_prefix('{') {
        Some(tail) if tail != "}" => format!("{{\"scenario\":{name},{tail}"),
        _ => format!("{{\"scenario\":{name}}}"),
    }
}

/// One readable line for stderr.
fn summary(r: &Value) -> String {
    let f = |path: &str| {
        r.pointer(path)
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .unwrap_or_else(|| "-".into())
    };
    match r["scenario"].as_str().unwrap_or("") {
        "relay" | "paced" | "fanout" | "concurrent" => format!(
            "{} deltas × {} session(s) × {} client(s): {} deltas/s, latency p50 {} µs p99 {} µs max {} µs, lost {}, peak RSS {} KiB",
            f("/deltas"),
            f("/sessions"),
            f("/clients_per_session"),
            f("/deltas_per_s"),
            f("/latency_us/p50"),
            f("/latency_us/p99"),
            f("/latency_us/max"),
            f("/delivered/lost"),
            f("/load/daemon/rss_peak_kb"),
        ),
        "idle" => format!("{} {} sessions: {} KiB each", f("/sessions"), f("/agent"), f("/rss_per_session_kb")),
        "run" => format!(
            "{} {}: p50 {} ms, max {} ms{}",
            f("/measure"),
            f("/isolation"),
            f("/run_ms/p50"),
            f("/run_ms/max"),
            r.get("wall_ms").map(|w| format!(", {} runs in {w} ms", f("/runs"))).unwrap_or_default()
        ),
        "list" => format!(
            "{} sessions: first page p50 {} ms, search p50 {} ms, rare tag p50 {} ms",
            f("/sessions"),
            f("/first_page_ms/p50"),
            f("/search_ms/p50"),
            f("/rare_tag_ms/p50")
        ),
        "ingest" => format!("{} deltas, {} readers: {} events/s committed", f("/deltas"), f("/readers"), f("/events_per_s")),
        "startup" => {
            let spreads: Vec<String> = r
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, v)| k.ends_with("_ms") && v.get("p50").is_some())
                .map(|(k, v)| format!("{k} p50 {}", v["p50"]))
                .collect();
            format!("{}: {}", f("/measure"), if spreads.is_empty() { f("/skipped") } else { spreads.join(", ") })
        }
        _ => line(r),
    }
}
