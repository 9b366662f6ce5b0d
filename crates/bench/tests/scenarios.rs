//! Every scenario at tiny sizes, against the real daemon binary and the replay agent: the JSON
//! has its fields and the counts are exact. Timings are never asserted.

use std::path::PathBuf;

use sandbox_agent_bench::daemon::daemon_binary;
use sandbox_agent_bench::scenarios::{self, Params, Scenario};
use sandbox_agent_bench::Bench;
use serde_json::Value;

async fn run(scenario: Scenario) -> (Params, Vec<Value>) {
    let replay = PathBuf::from(env!("CARGO_BIN_EXE_bench-claude"));
    let daemon = daemon_binary().expect("the sandbox-agent binary next to the test's target dir");
    let bench = Bench::new(daemon, replay, None).unwrap();
    let params = Params::tiny();
    let timeout = std::time::Duration::from_secs(120);
    let results =
        tokio::time::timeout(timeout, scenarios::run(&bench, &params, scenario)).await.expect("in time").unwrap();
    for r in &results {
        assert_eq!(r["scenario"], scenario.name(), "{r}");
        assert!(r.get("load_average").is_some(), "{r}");
    }
    (params, results)
}

fn u(v: &Value, path: &str) -> u64 {
    v.pointer(path).and_then(Value::as_u64).unwrap_or_else(|| panic!("{path} in {v}"))
}

/// Events a client sees for one turn of `deltas`: turn.started, the user message (started,
/// delta, completed), claude's session.started, per message of 1000 deltas its
/// item.started and item.completed, and turn.ended.
fn events_per_turn(deltas: u64) -> u64 {
    deltas + 2 * deltas.div_ceil(1000) + 6
}

/// A relay result: everything delivered once, in order, to every client.
fn check_relay(r: &Value, deltas: u64, sessions: u64, clients: u64) {
    let streams = sessions * clients;
    assert_eq!((u(r, "/deltas"), u(r, "/sessions"), u(r, "/clients_per_session")), (deltas, sessions, clients), "{r}");
    assert_eq!(u(r, "/delivered/lost"), 0, "{r}");
    assert_eq!(u(r, "/delivered/duplicates"), 0, "{r}");
    assert_eq!(u(r, "/delivered/sequence_errors"), 0, "{r}");
    assert_eq!(u(r, "/delivered/completed_turns"), streams, "{r}");
    assert_eq!(u(r, "/delivered/deltas"), deltas * streams, "{r}");
    assert_eq!(u(r, "/delivered/events"), events_per_turn(deltas) * streams, "{r}");
    assert_eq!(u(r, "/latency_us/samples"), deltas * streams, "{r}");
    assert!(r["deltas_per_s"].as_f64().unwrap() > 0.0, "{r}");
    assert!(u(r, "/load/daemon/rss_peak_kb") >= u(r, "/load/daemon/rss_before_kb"), "{r}");
    assert!(r["load"]["agent_cpu_s"].is_number() && r["load"]["client_cpu_s"].is_number(), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_and_paced_deliver_every_delta() {
    let (p, results) = run(Scenario::Relay).await;
    assert_eq!(results.len(), p.relay.len());
    check_relay(&results[0], p.relay[0], 1, 1);
    let (p, results) = run(Scenario::Paced).await;
    check_relay(&results[0], p.paced.0, 1, 1);
    assert_eq!(u(&results[0], "/rate"), p.paced.1);
    // The agent wrote at the asked pace: 200 deltas at 2000/s take about 0.1 s.
    assert!(results[0]["load"]["agent_write_s"].as_f64().unwrap() >= 0.099, "{}", results[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fanout_and_concurrent_sessions_deliver_to_every_client() {
    let (p, results) = run(Scenario::Fanout).await;
    check_relay(&results[0], p.fanout_deltas, 1, p.fanout_clients[0]);
    let (p, results) = run(Scenario::Concurrent).await;
    check_relay(&results[0], p.concurrent.1, p.concurrent.0, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_are_counted() {
    let (p, results) = run(Scenario::Idle).await;
    let agents: Vec<(&str, u64)> = results.iter().map(|r| (r["agent"].as_str().unwrap(), u(r, "/sessions"))).collect();
    assert_eq!(agents, [("mock", p.idle_mock), ("claude", p.idle_claude)]);
    for r in &results {
        assert_eq!(u(r, "/listed"), u(r, "/sessions"), "{r}");
        assert!(r["rss_per_session_kb"].is_number() && u(r, "/rss_after_kb") > 0, "{r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_measures_each_run() {
    let (p, results) = run(Scenario::Startup).await;
    let measures: Vec<&str> = results.iter().map(|r| r["measure"].as_str().unwrap()).collect();
    assert_eq!(measures, ["cold_start", "first_event"], "no real Claude Code run at tiny sizes");
    let runs = p.startup_runs as u64;
    for path in ["/exec_to_listening_ms/runs", "/exec_to_health_ms/runs"] {
        assert_eq!(u(&results[0], path), runs);
    }
    assert!(
        results[0]["exec_to_health_ms"]["min"].as_f64().unwrap()
            >= results[0]["exec_to_listening_ms"]["min"].as_f64().unwrap()
    );
    for key in
        ["mock_create_ms", "mock_create_to_first_event_ms", "replay_create_ms", "replay_create_to_first_delta_ms"]
    {
        assert_eq!(u(&results[1], &format!("/{key}/runs")), runs, "{key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_commits_every_event() {
    let (p, results) = run(Scenario::Ingest).await;
    let readers: Vec<u64> = results.iter().map(|r| u(r, "/readers")).collect();
    assert_eq!(readers, p.ingest_readers);
    for r in &results {
        assert_eq!(u(r, "/committed_events"), events_per_turn(p.ingest_deltas), "{r}");
        assert_eq!(u(r, "/readers_lost"), 0, "{r}");
        assert!(r["events_per_s"].as_f64().unwrap() > 0.0, "{r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_times_every_query_over_finished_sessions() {
    let (p, results) = run(Scenario::List).await;
    let r = &results[0];
    assert_eq!(u(r, "/sessions"), p.list_sessions, "{r}");
    for query in ["first_page", "deep_page", "one_tag", "rare_tag", "search", "status_and_agent"] {
        assert_eq!(u(r, &format!("/{query}_ms/runs")), p.list_runs as u64, "{query}: {r}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_times_runs_isolated_and_not_and_at_once() {
    let (p, results) = run(Scenario::Run).await;
    let got: Vec<(&str, &str)> =
        results.iter().map(|r| (r["measure"].as_str().unwrap(), r["isolation"].as_str().unwrap())).collect();
    assert_eq!(got, [("sequential", "bwrap"), ("sequential", "none"), ("concurrent", "bwrap")]);
    assert_eq!(u(&results[0], "/run_ms/runs"), p.run_runs as u64);
    assert_eq!(u(&results[2], "/run_ms/runs"), p.run_concurrent as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_relays_to_other_nodes_and_fails_over() {
    let (p, results) = run(Scenario::ClusterRelay).await;
    assert_eq!(results.len(), p.cluster_clients.len());
    check_relay(&results[0], p.cluster_deltas, 1, p.cluster_clients[0]);
    assert_eq!(u(&results[0], "/nodes"), 3);
    let (p, results) = run(Scenario::Failover).await;
    assert_eq!(u(&results[0], "/kills"), p.failover_kills as u64);
    assert_eq!(u(&results[0], "/kill_to_turn_us/samples"), p.failover_kills as u64, "{}", results[0]);
    assert!(u(&results[0], "/kill_to_new_owner_us/samples") >= 1, "{}", results[0]);
}
