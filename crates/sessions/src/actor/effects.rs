//! What each recorded event does to the session's state (status, current turn, pending
//! requests, how it ended), and the waiters it releases.

use sandbox_agent_schema::{EventData, SessionStatus};

use super::Actor;

impl Actor {
    pub(super) fn effect(&mut self, data: &EventData) {
        match data {
            EventData::TurnEnded(_) => {
                self.clock.turn_ended();
                self.update(|s| {
                    s.current_turn_id = None;
                    if s.status == SessionStatus::Running {
                        s.status = SessionStatus::Idle;
                    }
                });
                self.release_interrupt_waiters();
            }
            EventData::SessionEnded(ended) => {
                let ended = ended.clone();
                self.update(|s| {
                    s.status = SessionStatus::Ended;
                    s.end = Some(ended);
                    s.current_turn_id = None;
                });
                self.release_interrupt_waiters();
            }
            EventData::PermissionRequested(p) => {
                let p = p.clone();
                self.update(|s| s.pending_permissions.push(p));
            }
            EventData::PermissionResolved(p) => {
                let id = p.permission_id.clone();
                self.update(|s| s.pending_permissions.retain(|x| x.permission_id != id));
            }
            EventData::QuestionRequested(q) => {
                let q = q.clone();
                self.update(|s| s.pending_questions.push(q));
            }
            EventData::QuestionResolved(q) => {
                let id = q.question_id.clone();
                self.update(|s| s.pending_questions.retain(|x| x.question_id != id));
            }
            _ => {}
        }
    }

    fn release_interrupt_waiters(&mut self) {
        for waiter in std::mem::take(&mut self.interrupt_waiters) {
            self.rec.reply(waiter, Ok(()));
        }
    }
}
