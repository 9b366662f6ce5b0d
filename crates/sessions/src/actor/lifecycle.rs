//! A session's life: started, terminated on request, suspended at daemon shutdown, deleted.

use sandbox_agent_agents::{AgentInput, AgentOutput};
use sandbox_agent_schema::*;
use serde_json::json;
use tokio::time::Duration;

use super::Actor;
use crate::SessionError;

/// How long a suspended agent gets to finish (beyond the adapter's own grace period).
const SUSPEND_WAIT: Duration = Duration::from_secs(5);

impl Actor {
    /// `session.started`, then the agent; the session is `idle` once it runs. A task session
    /// (`prepare`) stays `starting`: its agent starts when the workspace is ready.
    pub(super) async fn start(&mut self, prepare: bool) -> Result<(), SessionError> {
        let s = &self.shared.settings;
        let metadata = json!({
            "agent": s.agent, "agentMode": s.agent_mode, "permissionMode": s.permission_mode,
            "model": s.model, "variant": s.variant,
        });
        self.record_daemon(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) }));
        if prepare {
            self.update(|s| s.preparing = true);
            return Ok(());
        }
        let result = self.spawn_agent(sandbox_agent_agents::Start::Fresh).await;
        if result.is_ok() {
            self.update(|s| s.status = SessionStatus::Idle);
        }
        result
    }

    pub(super) fn terminate_by_request(&mut self) {
        self.terminate(SessionEndReason::Terminated, TerminatedBy::Daemon, "terminated by request");
    }

    /// Stop the agent and end the session for good.
    pub(super) fn terminate(&mut self, reason: SessionEndReason, by: TerminatedBy, message: &str) {
        if self.is_over() {
            return;
        }
        self.shared.stop_preparation();
        self.stop_agent();
        self.end_turn(TurnEndReason::Interrupted, Some(message.to_string()));
        let data = SessionEndedData {
            reason,
            terminated_by: by,
            message: Some(message.into()),
            exit_code: None,
            stderr: None,
        };
        self.record_daemon(EventData::SessionEnded(data));
    }

    /// Stop the agent gracefully, keeping what it still says (bounded); the session is `paused`.
    pub(super) async fn suspend(&mut self) {
        // A preparation cut short here ends the session on the next daemon, saying so.
        self.shared.stop_preparation();
        self.suspending = true;
        let Some((handle, mut rx)) = self.running.take() else { return };
        let _ = handle.input.send(AgentInput::Shutdown);
        // It is done when it drops its sender.
        let drain = async {
            while let Some(out) = rx.recv().await {
                if !matches!(out, AgentOutput::Exited(_)) {
                    self.agent_output(Some(out));
                }
            }
        };
        let _ = tokio::time::timeout(SUSPEND_WAIT, drain).await;
        if !self.is_over() {
            self.end_turn(TurnEndReason::Interrupted, Some("the daemon is shutting down".into()));
            self.update(|s| s.status = SessionStatus::Paused);
        }
    }

    /// Stop the agent, drop what is not committed, end the streams and delete the stored session.
    pub(super) async fn delete(&mut self) {
        self.shared.stop_preparation();
        self.stop_agent();
        self.rec.discard();
        self.shared.feed.close();
        if let Err(err) = self.rec.store().delete_session(self.shared.id.clone()).await {
            tracing::error!(session = %self.shared.id, %err, "could not delete the stored session");
        }
    }
}
