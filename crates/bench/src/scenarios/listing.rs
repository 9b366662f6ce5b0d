//! Listing many sessions: a history of finished tasks, and the list's filters and pages over
//! it, timed from the client (HTTP, the query and the JSON of one page).

use anyhow::{bail, Context, Result};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use sandbox_agent_client::Client;
use sandbox_agent_schema::{CreateSessionRequest, SessionListQuery};
use serde_json::{json, Value};

use super::{header, Params};
use crate::measure::{now_ns, Spread};
use crate::Bench;

/// Sessions created at once.
const IN_FLIGHT: usize = 8;

/// Session `i`'s tags: ten batches, and one session in a hundred `rare`.
fn tags(i: u64) -> Vec<String> {
    let mut tags = vec![format!("batch:{}", i % 10), "team/core".to_string()];
    if i % 100 == 7 {
        tags.push("rare".into());
    }
    tags
}

/// A session whose task is the mock's `end`: it runs and ends, as a finished task does, so the
/// store holds `sessions` of them while the daemon runs none.
async fn create(bench: &Bench, client: &Client, i: u64) -> Result<String> {
    let id = bench.session_id("list");
    let req = CreateSessionRequest {
        agent: "mock".into(),
        task: Some(format!("end\nfix issue {i} in the parser")),
        label: Some(format!("issue {i}")),
        tags: tags(i),
        ..Default::default()
    };
    client.create_session_with_id(&id, &req).await.with_context(|| format!("creating {id}"))?;
    Ok(id)
}

/// Scenario 8: `list_sessions` finished sessions, then each query `list_runs` times.
pub async fn listing(bench: &Bench, params: &Params) -> Result<Vec<Value>> {
    let daemon = bench.daemon().await?;
    let client = daemon.client();
    let n = params.list_sessions;
    let start = now_ns();
    let ids: Vec<String> =
        stream::iter(0..n).map(|i| create(bench, &client, i)).buffer_unordered(IN_FLIGHT).try_collect().await?;
    let create_s = (now_ns() - start) as f64 / 1e9;
    all_ended(&client, n).await?;
    let rare = (0..n).filter(|i| i % 100 == 7).count() as u64;
    let queries: [(&str, SessionListQuery, u64); 6] = [
        ("first_page", SessionListQuery::default(), n),
        ("deep_page", SessionListQuery { offset: Some(n.saturating_sub(50)), ..Default::default() }, n),
        (
            "one_tag",
            SessionListQuery { tag: Some(vec!["batch:3".into()]), ..Default::default() },
            n / 10 + u64::from(n % 10 > 3),
        ),
        (
            "rare_tag",
            SessionListQuery { tag: Some(vec!["rare".into(), "team/core".into()]), ..Default::default() },
            rare,
        ),
        ("search", SessionListQuery { search: Some(format!("issue {} in", n / 2)), ..Default::default() }, 1),
        (
            "status_and_agent",
            SessionListQuery { status: Some("ended".into()), agent: Some("mock".into()), ..Default::default() },
            n,
        ),
    ];
    let mut timings = serde_json::Map::new();
    for (name, query, want) in queries {
        let mut ms = Vec::new();
        for _ in 0..params.list_runs {
            let t0 = now_ns();
            let page = client.list_sessions(&query).await?;
            ms.push((now_ns() - t0) as f64 / 1e6);
            if page.total != want {
                bail!("{name}: total {} where {want} sessions match", page.total);
            }
        }
        timings.insert(format!("{name}_ms"), json!(Spread::of(&ms)));
    }
    let usage = daemon.rss();
    bench.finish(daemon, &ids).await?;
    let mut out = json!({
        "sessions": n,
        "sessions_created_per_s": (n as f64 / create_s).round(),
        "rss_kb": usage.map(|r| r.rss_kb),
    });
    out.as_object_mut().unwrap().extend(timings);
    Ok(vec![header(out)])
}

/// Wait (bounded) until every session's task has run and ended.
async fn all_ended(client: &Client, n: u64) -> Result<()> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(300);
    let ended = SessionListQuery { status: Some("ended".into()), limit: Some(1), ..Default::default() };
    loop {
        if client.list_sessions(&ended).await?.total == n {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the sessions' tasks did not all end");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
