//! One ACP session's pump: the daemon session's events, in order, from where the client
//! attached, become the server's outbound messages; its turn endings answer prompts.

use std::sync::Arc;

use sandbox_agent_schema::{EventData, UniversalEvent};
use sandbox_agent_sessions::Catchup;

use super::updates::{Out, Translator};
use super::AcpServer;
use crate::AppState;

const PAGE: usize = 512;

pub async fn run(state: AppState, server: Arc<AcpServer>, session_id: String, mut after: u64) {
    let Ok(session) = state.sessions.get(&session_id) else { return };
    let feed = session.shared.feed.clone();
    let mut watermark = feed.subscribe();
    let mut closed = server.closed();
    let mut translator = Translator::new(&session_id);
    loop {
        let upto = *watermark.borrow_and_update();
        if upto > after {
            let events = match feed.after(after, upto, PAGE) {
                Catchup::Ring(events) => events,
                Catchup::Store => match state.sessions.store().read_events(session_id.clone(), after, PAGE).await {
                    Ok(events) => events.into_iter().map(Arc::new).collect(),
                    Err(err) => {
                        tracing::error!(%err, session = %session_id, "ACP: reading events failed");
                        return;
                    }
                },
            };
            if events.is_empty() {
                after = upto;
            }
            for stored in events.iter().filter(|e| e.sequence <= upto) {
                after = stored.sequence;
                let Ok(event) = serde_json::from_slice::<UniversalEvent>(&stored.json) else { continue };
                for out in translator.event(&event) {
                    match out {
                        Out::Notify(message) => server.send(&message),
                        Out::Ask(permission_id, params) => server.ask(&session_id, permission_id, params),
                    }
                }
                if let EventData::TurnEnded(ended) = event.data {
                    server.turn_ended(&session_id, stored.sequence, ended);
                }
            }
            continue;
        }
        if feed.is_closed() || (feed.is_ended() && *watermark.borrow() <= after) {
            return;
        }
        tokio::select! {
            changed = watermark.changed() => if changed.is_err() { return },
            _ = closed.changed() => return,
        }
    }
}
