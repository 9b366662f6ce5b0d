//! Turns: a message starts one (resuming a paused agent first), the agent or the daemon ends
//! it, and an interrupt asks the agent to end it now.

use sandbox_agent_agents::{AgentInput, Attachment};
use sandbox_agent_schema::*;
use serde_json::value::RawValue;

use super::{Actor, Reply};
use crate::items::item_id_for;
use crate::SessionError;

impl Actor {
    pub(super) async fn message(&mut self, text: String, attachments: Vec<Attachment>) -> Result<u64, SessionError> {
        match self.status() {
            SessionStatus::Archived => return Err(SessionError::Archived(self.shared.id.clone())),
            SessionStatus::Ended => return Err(SessionError::Ended(self.shared.id.clone())),
            SessionStatus::Running => return Err(SessionError::TurnInProgress(self.shared.id.clone())),
            SessionStatus::Starting if self.shared.state.lock().unwrap().preparing => {
                return Err(SessionError::Preparing(self.shared.id.clone()))
            }
            _ => {}
        }
        let caps = self.agent.capabilities();
        let refused = attachments.iter().find(|a| if a.is_image() { !caps.images } else { !caps.file_attachments });
        if let Some(a) = refused {
            let what = if a.is_image() { "image attachments" } else { "file attachments" };
            return Err(SessionError::Unsupported { agent: self.agent.id().to_string(), what });
        }
        if self.running.is_none() {
            self.resume_agent().await?;
        }
        // Events the agent sent before this message belong before the turn.
        while let Some(Ok(out)) = self.running.as_mut().map(|(_, rx)| rx.try_recv()) {
            self.agent_output(Some(out));
        }
        let seq = self.rec.next_seq();
        let turn_id = format!("turn_{seq}");
        self.clock.turn_started();
        self.update(|s| {
            s.status = SessionStatus::Running;
            s.current_turn_id = Some(turn_id.clone());
        });
        self.record_daemon(EventData::TurnStarted(TurnStartedData { turn_id: turn_id.clone() }));
        self.user_message(&text, &attachments);
        let sent = match &self.running {
            Some((handle, _)) => handle.input.send(AgentInput::Message { turn_id, text, attachments }).is_ok(),
            None => false,
        };
        if !sent {
            self.agent_output(None);
        }
        Ok(seq)
    }

    /// The user's message as an item: started → delta → completed; attachments are `image` and
    /// `file_ref` parts after the text.
    fn user_message(&mut self, text: &str, attachments: &[Attachment]) {
        let mut content = vec![ContentPart::text(text)];
        content.extend(attachments.iter().map(|a| {
            let path = a.path.to_string_lossy().into_owned();
            if a.is_image() {
                ContentPart::Image { path, mime: Some(a.mime.clone()) }
            } else {
                ContentPart::FileRef { path, action: FileAction::Read, diff: None }
            }
        }));
        let mut item = UniversalItem::new(ItemKind::Message, Some(ItemRole::User), content);
        item.item_id = item_id_for(self.rec.next_seq());
        self.record_daemon(EventData::ItemStarted(ItemEventData { item: item.clone() }));
        let delta = ItemDeltaData { item_id: item.item_id.clone(), native_item_id: None, delta: text.to_string() };
        self.record_daemon(EventData::ItemDelta(delta));
        item.status = ItemStatus::Completed;
        self.record_daemon(EventData::ItemCompleted(ItemEventData { item }));
    }

    /// Ask the agent to end the running turn; answered when it has ended (at once if none runs).
    pub(super) fn interrupt(&mut self, reply: Reply<()>) {
        match (&self.running, self.current_turn()) {
            (Some((handle, _)), Some(_)) => {
                let _ = handle.input.send(AgentInput::Interrupt);
                self.interrupt_waiters.push(reply);
            }
            _ => self.rec.reply(reply, Ok(())),
        }
    }

    pub(super) fn current_turn(&self) -> Option<String> {
        self.shared.state.lock().unwrap().current_turn_id.clone()
    }

    /// Record a daemon-made `turn.ended` for the current turn.
    pub(super) fn end_turn(&mut self, reason: TurnEndReason, message: Option<String>) {
        self.close_turn(TurnEndedData { turn_id: String::new(), reason, usage: None, message }, true, None);
    }

    /// Record `turn.ended` for the current turn (with the current turn's id), first closing
    /// items and voiding requests nobody can finish or answer now.
    pub(super) fn close_turn(&mut self, mut ended: TurnEndedData, synthetic: bool, raw: Option<Box<RawValue>>) {
        let Some(turn_id) = self.current_turn() else { return };
        for data in self.items.close_open() {
            self.record_daemon(data);
        }
        self.void_pending();
        ended.turn_id = turn_id;
        if let Some(tokens) = ended.usage.as_ref().and_then(|u| u.output_tokens) {
            self.update(|s| s.output_tokens += tokens);
        }
        let task_end = ended.clone();
        self.record(EventData::TurnEnded(ended), synthetic, raw);
        self.task_turn_ended(&task_end);
    }
}
