//! The session's agent: starting (or resuming) it, taking its output, and its exit.

use sandbox_agent_agents::{AgentEvent, AgentExit, AgentInput, AgentOutput, SessionSpec, Start};
use sandbox_agent_schema::*;
use serde_json::json;
use tokio::sync::mpsc;

use super::Actor;
use crate::SessionError;

/// Agent outputs queued before the adapter waits (backpressure from the store to the agent).
const AGENT_OUTPUT_DEPTH: usize = 1024;

impl Actor {
    /// Start the agent for a paused or new-to-this-daemon session, resuming its conversation.
    pub(super) async fn resume_agent(&mut self) -> Result<(), SessionError> {
        let native_session_id = self.shared.state.lock().unwrap().native_session_id.clone().filter(|id| !id.is_empty());
        self.spawn_agent(Start::Resume { native_session_id }).await
    }

    pub(super) async fn spawn_agent(&mut self, start: Start) -> Result<(), SessionError> {
        let settings = &self.shared.settings;
        let spec = SessionSpec {
            session_id: settings.session_id.clone(),
            agent_mode: settings.agent_mode.clone(),
            permission_mode: settings.permission_mode.clone(),
            model: settings.model.clone(),
            variant: settings.variant.clone(),
            directory: settings.directory.clone().into(),
            state_dir: self.shared.state_dir.clone(),
            env: settings.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            mcp: settings.mcp.clone(),
            skills: settings.skills.clone(),
            start,
        };
        let (tx, rx) = mpsc::channel(AGENT_OUTPUT_DEPTH);
        let handle = self.agent.start(spec, tx).await.map_err(|error| SessionError::AgentStart {
            session_id: self.shared.id.clone(),
            agent: self.agent.id().to_string(),
            error,
        })?;
        if let Some(native) = handle.native_session_id.clone() {
            self.update(|s| s.native_session_id = Some(native));
        }
        self.running = Some((handle, rx));
        Ok(())
    }

    pub(super) fn stop_agent(&mut self) {
        if let Some((handle, _)) = self.running.take() {
            let _ = handle.input.send(AgentInput::Shutdown);
        }
    }

    /// One output of the agent; `None` when its channel closed.
    pub(super) fn agent_output(&mut self, out: Option<AgentOutput>) {
        match out {
            Some(AgentOutput::Event(ev)) => self.agent_event(ev),
            Some(AgentOutput::NativeSessionId(id)) => self.update(|s| s.native_session_id = Some(id)),
            Some(AgentOutput::Exited(exit)) => self.agent_exited(exit),
            None => self.agent_exited(AgentExit {
                exit_code: None,
                message: "the agent stopped".into(),
                stderr: None,
                resumable: true,
            }),
        }
    }

    fn agent_exited(&mut self, exit: AgentExit) {
        self.running = None;
        if self.is_over() {
            return;
        }
        self.end_turn(TurnEndReason::Error, Some(exit.message.clone()));
        if exit.resumable {
            // Say so even between turns: clients learn the agent is gone and will be resumed.
            let details = json!({"exitCode": exit.exit_code, "stderr": exit.stderr, "resumable": true});
            let error = ErrorData { message: exit.message, code: Some("agent_exited".into()), details: Some(details) };
            self.record_daemon(EventData::Error(error));
            self.update(|s| s.status = SessionStatus::Paused);
        } else {
            let data = SessionEndedData {
                reason: SessionEndReason::Error,
                terminated_by: TerminatedBy::Agent,
                message: Some(exit.message),
                exit_code: exit.exit_code,
                stderr: exit.stderr,
            };
            self.record_daemon(EventData::SessionEnded(data));
        }
    }

    fn agent_event(&mut self, ev: AgentEvent) {
        let AgentEvent { data, synthetic, raw } = ev;
        match data {
            EventData::TurnEnded(ended) => self.close_turn(ended, synthetic, raw),
            EventData::SessionEnded(_) if self.status() == SessionStatus::Ended => {}
            EventData::SessionEnded(data) => {
                self.end_turn(TurnEndReason::Completed, None);
                self.running = None;
                self.record(EventData::SessionEnded(data), synthetic, raw);
            }
            // The agent's own resolution counts only for a request still pending.
            data @ (EventData::PermissionResolved(_) | EventData::QuestionResolved(_)) => {
                if self.is_pending(&data) {
                    self.record(data, synthetic, raw);
                }
            }
            EventData::AgentUnparsed(u) => self.record(EventData::AgentUnparsed(u), true, raw),
            other => {
                let events = self.items.normalize(other, self.rec.next_seq());
                let last = events.len().saturating_sub(1);
                let mut raw = raw;
                for (i, data) in events.into_iter().enumerate() {
                    // Only the event that carries the agent's payload keeps its raw (moved, not
                    // cloned: a deep copy of every native line cost ~6% of the daemon's CPU).
                    let is_native = i == last;
                    let raw = if is_native { raw.take() } else { None };
                    self.record(data, synthetic || !is_native, raw);
                }
            }
        }
    }
}
