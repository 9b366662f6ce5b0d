//! The actor's side of coder sessions: what the workspace preparation tells it, the task's
//! start and end, app-level updates, archive and resume, participants and their tokens.

use sandbox_agent_schema::*;

use super::{Actor, Command, Prep};
use crate::coder::contract;
use crate::coder::tokens::{rfc3339_ms, TokenRecord};
use crate::SessionError;

/// Participant records kept per session; the oldest finished attachments go first.
const MAX_PARTICIPANTS: usize = 256;

impl Actor {
    pub(super) async fn coder_command(&mut self, cmd: Command) {
        match cmd {
            Command::Prepare { step, reply } => {
                let result = self.prepared(step).await;
                self.rec.reply(reply, result);
            }
            Command::Update { update, by, reply } => {
                self.active(&by);
                let result = self.update_fields(update, &by);
                self.rec.reply(reply, result);
            }
            Command::Archive { by, reply } => {
                tracing::debug!(session = %self.shared.id, by = by.id(), "archive");
                self.archive();
                self.rec.reply(reply, Ok(()));
            }
            Command::Resume { by, reply } => {
                self.active(&by);
                let result = self.resume().await;
                self.rec.reply(reply, result);
            }
            Command::Join { name, transport, observe, by, reply } => {
                let role = match &by {
                    _ if observe => ParticipantRole::Observer,
                    Principal::Participant { role, .. } => *role,
                    Principal::Daemon => ParticipantRole::Controller,
                };
                let participant = self.join(name, role, transport, by.id().to_string(), None);
                self.rec.reply(reply, Ok(participant));
            }
            Command::Leave { participant_id } => self.leave(&participant_id),
            Command::IssueToken { name, role, expires_at_ms, hash, reply } => {
                let result = if self.is_over() {
                    Err(SessionError::Ended(self.shared.id.clone()))
                } else {
                    let id = new_participant_id();
                    let record = TokenRecord { participant_id: id.clone(), hash, role, expires_at_ms, revoked: false };
                    self.update(|s| s.tokens.push(record));
                    Ok(self.join_as(
                        id.clone(),
                        name,
                        role,
                        ParticipantTransport::Token,
                        id,
                        Some(rfc3339_ms(expires_at_ms)),
                    ))
                };
                self.rec.reply(reply, result);
            }
            Command::RevokeToken { participant_id, reply } => {
                let result = self.revoke(&participant_id);
                self.rec.reply(reply, result);
            }
            Command::Checked { turn_id, outcome } => self.checked(turn_id, *outcome).await,
            Command::Record { data, reply } => {
                let result = if self.is_over() {
                    Err(SessionError::Ended(self.shared.id.clone()))
                } else {
                    self.record_daemon(data);
                    Ok(())
                };
                self.rec.reply(reply, result);
            }
            _ => unreachable!("not a coder command"),
        }
    }

    /// The preparation's news: record it, or start the task, or end the session.
    async fn prepared(&mut self, step: Prep) -> Result<(), SessionError> {
        if self.is_over() {
            return Err(SessionError::Ended(self.shared.id.clone()));
        }
        match step {
            Prep::Event(data) => self.record_daemon(data),
            Prep::Failed(failed) => {
                self.update(|s| s.preparing = false);
                self.fail_task(failed);
            }
            Prep::Ready { repos } => {
                self.update(|s| {
                    s.preparing = false;
                    s.repos = repos;
                });
                if let Err(err) = self.spawn_agent(sandbox_agent_agents::Start::Fresh).await {
                    let message = format!("the agent could not start: {err}");
                    self.fail_task(TaskFailedData {
                        reason: TaskFailReason::AgentFailed,
                        message,
                        output: None,
                        turn_id: None,
                    });
                    return Ok(());
                }
                self.update(|s| s.status = SessionStatus::Idle);
                if let Some(task) = self.shared.settings.task.clone() {
                    let label = self.shared.state.lock().unwrap().label.clone().unwrap_or_default();
                    self.record_daemon(EventData::TaskStarted(TaskStartedData { task: task.clone(), label }));
                    // The agent reads the contract it will be held to with the task.
                    let message = match self.contract() {
                        Some(contract) => format!("{task}{}", contract::instructions(&contract)),
                        None => task,
                    };
                    self.loop_begin();
                    let seq = self.message(message, Vec::new()).await?;
                    self.update(|s| s.task_turn_id = Some(format!("turn_{seq}")));
                }
            }
        }
        Ok(())
    }

    /// `task.failed`, then the session ends: nothing is left running.
    pub(super) fn fail_task(&mut self, failed: TaskFailedData) {
        let message = failed.message.clone();
        self.record_daemon(EventData::TaskFailed(failed));
        self.stop_agent();
        let data = SessionEndedData {
            reason: SessionEndReason::Error,
            terminated_by: TerminatedBy::Daemon,
            message: Some(message),
            exit_code: None,
            stderr: None,
        };
        self.record_daemon(EventData::SessionEnded(data));
    }

    /// After a turn ended: if it carried the task, the task is over too.
    pub(super) fn task_turn_ended(&mut self, ended: &TurnEndedData) {
        let is_task = self.shared.state.lock().unwrap().task_turn_id.as_deref() == Some(ended.turn_id.as_str());
        let contract = self.contract();
        if is_task {
            self.update(|s| s.task_turn_id = None);
        }
        // With a contract, every completed turn is checked, and the check decides the outcome.
        if let (Some(contract), TurnEndReason::Completed) = (contract, ended.reason) {
            self.start_check(contract, ended.turn_id.clone());
            return;
        }
        self.loop_turn_failed(ended);
        if !is_task {
            return;
        }
        let data = match ended.reason {
            TurnEndReason::Completed => EventData::TaskCompleted(TaskCompletedData { turn_id: ended.turn_id.clone() }),
            reason => EventData::TaskFailed(TaskFailedData {
                reason: TaskFailReason::TurnFailed,
                message: ended
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("the task's turn ended: {reason:?}").to_lowercase()),
                output: None,
                turn_id: Some(ended.turn_id.clone()),
            }),
        };
        self.record_daemon(data);
    }

    /// The session's output contract (checked when it was created).
    fn contract(&self) -> Option<OutputContract> {
        let obj = self.shared.settings.output_contract.clone()?;
        serde_json::from_value(serde_json::Value::Object(obj)).ok()
    }

    /// Check the contract in the background; the answer comes back as `Command::Checked`.
    fn start_check(&mut self, contract: OutputContract, turn_id: String) {
        let Some(own) = self.own.clone() else { return };
        let settings = &self.shared.settings;
        let root = std::path::PathBuf::from(settings.workspace.clone().unwrap_or_else(|| settings.directory.clone()));
        let dir = std::path::PathBuf::from(&settings.directory);
        let repos = self.shared.state.lock().unwrap().repos.iter().map(|r| root.join(&r.path)).collect();
        let check = contract::Check { contract, dir, root, repos, runner: self.shared.runner.clone() };
        tokio::spawn(async move {
            let outcome = Box::new(contract::check(check).await);
            if let Some(tx) = own.upgrade() {
                let _ = tx.send(Command::Checked { turn_id, outcome }).await;
            }
        });
    }

    /// Record a check: `contract.passed` or `contract.failed`, then the task's outcome.
    async fn checked(&mut self, turn_id: String, outcome: contract::Outcome) {
        if self.is_over() {
            return;
        }
        let Some(contract) = self.contract() else { return };
        let iteration = self.shared.state.lock().unwrap().contract_result.as_ref().map_or(0, |r| r.iteration) + 1;
        let path = contract.path.clone();
        let verification = outcome.verification.clone();
        let artifact = match &outcome.raw {
            Some(raw) => self.keep_artifact(format!("report-{iteration}.json"), raw.clone()).await,
            None => None,
        };
        let result = SessionResult {
            session_id: self.shared.id.clone(),
            status: outcome.status,
            path: path.clone(),
            report: outcome.report.clone(),
            validation: Validation { valid: outcome.errors.is_empty(), errors: outcome.errors.clone() },
            verification: verification.clone(),
            checked_at: Some(crate::now()),
            iteration,
            artifact,
        };
        self.update(|s| s.contract_result = Some(result));
        if outcome.errors.is_empty() {
            let status = if outcome.status == ResultStatus::Blocked { "blocked" } else { "completed" }.to_string();
            self.record_daemon(EventData::ContractPassed(ContractPassedData { path, status, iteration, verification }));
        } else {
            let errors = outcome.errors.clone();
            self.record_daemon(EventData::ContractFailed(ContractFailedData { path, errors, iteration, verification }));
        }
        let data = match outcome.status {
            ResultStatus::Completed | ResultStatus::Pending => EventData::TaskCompleted(TaskCompletedData { turn_id }),
            ResultStatus::Blocked => {
                EventData::TaskBlocked(TaskBlockedData { blockers: outcome.blockers.clone(), turn_id: Some(turn_id) })
            }
            ResultStatus::Failed => {
                let message = outcome.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
                let reason = TaskFailReason::ContractFailed;
                EventData::TaskFailed(TaskFailedData { reason, message, output: None, turn_id: Some(turn_id) })
            }
        };
        self.record_daemon(data);
        self.loop_after_check(&outcome, &contract.path).await;
    }

    /// Keep `bytes` in the store as the session's artifact `name` (listed in its state once
    /// stored); its name, or `None` when the store refused it.
    async fn keep_artifact(&mut self, name: String, bytes: Vec<u8>) -> Option<String> {
        let size = bytes.len() as u64;
        let stored = match self.rec.store().put_artifact(self.shared.id.clone(), name.clone(), bytes).await {
            Ok(receipt) => receipt.wait().await,
            Err(err) => Err(err),
        };
        if let Err(err) = stored {
            tracing::warn!(session = %self.shared.id, artifact = %name, %err, "artifact not kept");
            return None;
        }
        let artifact = Artifact { name: name.clone(), size, created_at: crate::now() };
        self.update(|s| {
            s.artifacts.retain(|a| a.name != artifact.name);
            s.artifacts.push(artifact);
        });
        Some(name)
    }

    /// A session whose preparation a daemon restart cut short ends, saying so.
    pub fn end_interrupted_preparation(&mut self) {
        self.update(|s| s.preparing = false);
        let message = "the daemon stopped while the workspace was being prepared".to_string();
        self.fail_task(TaskFailedData { reason: TaskFailReason::Interrupted, message, output: None, turn_id: None });
    }

    fn update_fields(&mut self, update: UpdateSessionRequest, by: &Principal) -> Result<(), SessionError> {
        if self.status() == SessionStatus::Archived {
            return Err(SessionError::Archived(self.shared.id.clone()));
        }
        let mut fields = Vec::new();
        let UpdateSessionRequest { label, tags, metadata } = update;
        if label.is_some() {
            fields.push("label".to_string());
        }
        if tags.is_some() {
            fields.push("tags".to_string());
        }
        if metadata.is_some() {
            fields.push("metadata".to_string());
        }
        if fields.is_empty() {
            return Ok(());
        }
        let (l, t, m) = (label.clone(), tags.clone(), metadata.clone());
        self.update(|s| {
            if let Some(label) = l {
                s.label = Some(label);
            }
            if let Some(tags) = t {
                s.tags = tags;
            }
            if let Some(metadata) = m {
                s.metadata = metadata;
            }
        });
        let metadata = metadata.map(|m| m.map_or(serde_json::Value::Null, serde_json::Value::Object));
        let data = SessionUpdatedData { fields, label, tags, metadata, updated_by: by.id().to_string() };
        self.record_daemon(EventData::SessionUpdated(data));
        Ok(())
    }

    /// Stop the agent and end the session if it still lives; then it is read-only and hidden.
    fn archive(&mut self) {
        if self.status() == SessionStatus::Archived {
            return;
        }
        self.shared.stop_preparation();
        self.loop_cancel("archived");
        if !self.is_over() {
            self.terminate(SessionEndReason::Terminated, TerminatedBy::Daemon, "archived");
        }
        self.update(|s| {
            s.status = SessionStatus::Archived;
            s.archived = true;
        });
    }

    async fn resume(&mut self) -> Result<SessionStatus, SessionError> {
        match self.status() {
            SessionStatus::Archived => return Err(SessionError::Archived(self.shared.id.clone())),
            SessionStatus::Ended => return Err(SessionError::Ended(self.shared.id.clone())),
            _ => {}
        }
        if self.running.is_none() && !self.shared.state.lock().unwrap().preparing {
            self.resume_agent().await?;
            self.update(|s| s.status = SessionStatus::Idle);
        }
        Ok(self.status())
    }

    fn join(
        &mut self,
        name: String,
        role: ParticipantRole,
        transport: ParticipantTransport,
        principal: String,
        expires: Option<String>,
    ) -> Participant {
        self.join_as(new_participant_id(), name, role, transport, principal, expires)
    }

    fn join_as(
        &mut self,
        id: String,
        name: String,
        role: ParticipantRole,
        transport: ParticipantTransport,
        principal: String,
        expires_at: Option<String>,
    ) -> Participant {
        let now = crate::now();
        let participant = Participant {
            id,
            name,
            role,
            transport,
            principal,
            connected_at: now.clone(),
            disconnected_at: None,
            last_activity_at: now.clone(),
            expires_at,
        };
        let p = participant.clone();
        self.update(|s| {
            s.last_activity_at = Some(now);
            s.participants.push(p);
            if s.participants.len() > MAX_PARTICIPANTS {
                let gone = s.participants.iter().position(|p| p.disconnected_at.is_some());
                s.participants.remove(gone.unwrap_or(0));
            }
        });
        // Nothing follows `session.ended`: a stream attached to an ended session only reads.
        if !self.is_over() {
            self.record_daemon(EventData::ParticipantJoined(ParticipantEventData { participant: participant.clone() }));
        }
        participant
    }

    fn leave(&mut self, participant_id: &str) {
        let Some(participant) = self.disconnect(participant_id) else { return };
        if !self.is_over() {
            self.record_daemon(EventData::ParticipantLeft(ParticipantEventData { participant }));
        }
    }

    /// Mark a participant gone; the record as it is now, if it was there.
    fn disconnect(&mut self, participant_id: &str) -> Option<Participant> {
        let now = crate::now();
        let mut found = None;
        self.update(|s| {
            if let Some(p) = s.participants.iter_mut().find(|p| p.id == participant_id && p.disconnected_at.is_none()) {
                p.disconnected_at = Some(now.clone());
                p.last_activity_at = now;
                found = Some(p.clone());
            }
        });
        found
    }

    fn revoke(&mut self, participant_id: &str) -> Result<(), SessionError> {
        let mut known = false;
        self.update(|s| {
            if let Some(t) = s.tokens.iter_mut().find(|t| t.participant_id == participant_id) {
                t.revoked = true;
                known = true;
            }
        });
        if !known {
            return Err(SessionError::UnknownParticipant {
                session_id: self.shared.id.clone(),
                id: participant_id.to_string(),
            });
        }
        self.leave(participant_id);
        Ok(())
    }

    /// Someone acted on the session: its (and their) last activity is now.
    pub(super) fn active(&mut self, by: &Principal) {
        let now = crate::now();
        let who = by.id().to_string();
        self.update(|s| {
            if let Some(p) = s.participants.iter_mut().find(|p| p.id == who) {
                p.last_activity_at = now.clone();
            }
            s.last_activity_at = Some(now);
        });
    }
}

fn new_participant_id() -> String {
    format!("par_{}", &uuid::Uuid::new_v4().simple().to_string()[..16])
}
