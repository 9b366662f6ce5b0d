//! After a daemon restart the agent is gone: a turn that was running has ended. Its open items
//! are found again from the store so they can be closed properly.

use sandbox_agent_schema::{TurnEndReason, UniversalEvent};

use super::Actor;

impl Actor {
    pub async fn recover(&mut self) {
        self.rec.attach(&self.shared).await;
        let turn = self.shared.state.lock().unwrap().current_turn_id.clone();
        let Some(turn) = turn else { return };
        tracing::info!(session = %self.shared.id, %turn, "failing the interrupted turn");
        let mut after = turn.trim_start_matches("turn_").parse::<u64>().unwrap_or(1).saturating_sub(1);
        loop {
            let page = match self.rec.store().read_events(self.shared.id.clone(), after, 4096).await {
                Ok(page) if !page.is_empty() => page,
                Ok(_) => break,
                Err(err) => {
                    tracing::error!(session = %self.shared.id, %err, "reading the interrupted turn failed");
                    break;
                }
            };
            for ev in &page {
                after = ev.sequence;
                if matches!(ev.event_type, "item.started" | "item.completed") {
                    if let Ok(event) = serde_json::from_slice::<UniversalEvent>(&ev.json) {
                        self.items.replay(&event.data);
                    }
                }
            }
        }
        // The restart cut this turn, not the task: a loop goes on (the manager resumes it).
        self.suspending = true;
        self.end_turn(TurnEndReason::Error, Some("the daemon restarted during this turn".into()));
        self.suspending = false;
        self.rec.flush(&self.shared).await;
    }
}
