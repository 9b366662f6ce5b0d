//! Many sessions at once, each watched by several clients.

use futures_util::StreamExt;
use sandbox_agent_client::SseOptions;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_sessions_with_two_sse_clients_each() {
    let d = Daemon::start().await;
    let c = d.client();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let id = format!("s{i}");
            new_session(&c, &id).await;
            let watch = || async {
                let stream = c.events_sse(&id, &SseOptions::default()).await.unwrap();
                let mut out = Vec::new();
                let mut stream = Box::pin(stream);
                while let Some(ev) = stream.next().await {
                    let ev = ev.unwrap();
                    let done = ev.data.event_type() == "turn.ended";
                    out.push(ev);
                    if done {
                        break;
                    }
                }
                out
            };
            let sender = async {
                c.send_message(&id, "flood 300").await.unwrap();
            };
            let (a, b, ()) = tokio::join!(watch(), watch(), sender);
            (id, a, b)
        }));
    }
    let results =
        tokio::time::timeout(WAIT * 4, futures_util::future::join_all(tasks)).await.expect("all sessions done");
    for result in results {
        let (id, a, b) = result.unwrap();
        assert_eq!(a, b, "both clients of {id} saw the same events");
        check_contract(&a, false);
        assert_eq!(a[0].sequence, 1);
        let deltas = a.iter().filter(|e| !e.synthetic && e.data.event_type() == "item.delta").count();
        assert_eq!(deltas, 300 + 1, "{id}: greeting delta + 300 flood deltas");
        assert!(a.iter().all(|e| e.session_id == id));
    }
    assert_eq!(c.list_sessions(&Default::default()).await.unwrap().sessions.len(), 50);
}
