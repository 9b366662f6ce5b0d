//! Human in the loop: answers to the agent's permission requests and questions, forwarded to
//! the agent and recorded as resolved; requests nobody can answer any more are voided.

use sandbox_agent_agents::AgentInput;
use sandbox_agent_schema::*;
use serde_json::json;

use super::Actor;
use crate::SessionError;

impl Actor {
    fn unknown_request(&self, what: &'static str, id: String) -> SessionError {
        SessionError::UnknownRequest { session_id: self.shared.id.clone(), what, id }
    }

    /// An archived session takes no answers (its requests were voided when it ended).
    fn writable(&self) -> Result<(), SessionError> {
        match self.status() {
            SessionStatus::Archived => Err(SessionError::Archived(self.shared.id.clone())),
            _ => Ok(()),
        }
    }

    fn forward(&mut self, input: AgentInput) -> Result<(), SessionError> {
        match &self.running {
            Some((handle, _)) if handle.input.send(input).is_ok() => Ok(()),
            _ => Err(SessionError::AgentNotRunning(self.shared.id.clone())),
        }
    }

    pub(super) fn permission_reply(
        &mut self,
        id: String,
        reply: PermissionReply,
        by: &Principal,
    ) -> Result<(), SessionError> {
        self.writable()?;
        let pending =
            self.shared.state.lock().unwrap().pending_permissions.iter().find(|p| p.permission_id == id).cloned();
        let Some(mut permission) = pending else { return Err(self.unknown_request("permission", id)) };
        tracing::debug!(session = %self.shared.id, permission = %id, by = by.id(), "permission answered");
        self.forward(AgentInput::PermissionReply { permission_id: id, reply })?;
        permission.status = reply.status();
        let mut meta = permission.metadata.take().unwrap_or(serde_json::Value::Null);
        if let Some(obj) = meta.as_object_mut() {
            obj.insert("reply".into(), json!(reply));
        } else {
            meta = json!({"reply": reply});
        }
        permission.metadata = Some(meta);
        permission.answered_by = Some(by.id().to_string());
        self.record_daemon(EventData::PermissionResolved(permission));
        Ok(())
    }

    pub(super) fn question_reply(
        &mut self,
        id: String,
        answers: Option<Vec<Vec<String>>>,
        by: &Principal,
    ) -> Result<(), SessionError> {
        self.writable()?;
        let pending = self.shared.state.lock().unwrap().pending_questions.iter().find(|q| q.question_id == id).cloned();
        let Some(mut question) = pending else { return Err(self.unknown_request("question", id)) };
        tracing::debug!(session = %self.shared.id, question = %id, by = by.id(), "question answered");
        let input = match answers.clone() {
            Some(answers) => AgentInput::QuestionReply { question_id: id, answers },
            None => AgentInput::QuestionReject { question_id: id },
        };
        self.forward(input)?;
        question.status = if answers.is_some() { QuestionStatus::Answered } else { QuestionStatus::Rejected };
        question.response = answers.and_then(|a| a.into_iter().flatten().next());
        question.answered_by = Some(by.id().to_string());
        self.record_daemon(EventData::QuestionResolved(question));
        Ok(())
    }

    /// Resolve every pending request as denied/rejected (the turn they belong to is over).
    pub(super) fn void_pending(&mut self) {
        let (permissions, questions) = {
            let state = self.shared.state.lock().unwrap();
            (state.pending_permissions.clone(), state.pending_questions.clone())
        };
        for mut p in permissions {
            p.status = PermissionStatus::Denied;
            self.record_daemon(EventData::PermissionResolved(p));
        }
        for mut q in questions {
            q.status = QuestionStatus::Rejected;
            self.record_daemon(EventData::QuestionResolved(q));
        }
    }

    /// Whether the agent's own resolution of a request is for one still pending.
    pub(super) fn is_pending(&self, data: &EventData) -> bool {
        let state = self.shared.state.lock().unwrap();
        match data {
            EventData::PermissionResolved(p) => {
                state.pending_permissions.iter().any(|x| x.permission_id == p.permission_id)
            }
            EventData::QuestionResolved(q) => state.pending_questions.iter().any(|x| x.question_id == q.question_id),
            _ => false,
        }
    }
}
