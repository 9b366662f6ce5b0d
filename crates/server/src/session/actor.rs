//! One task per session owns its state: sequence numbers, item ids, the current turn,
//! pending questions and permissions, and the agent. HTTP handlers talk to it with
//! [`Command`]s; the agent talks to it through its output channel. No global lock.

use std::sync::Arc;

use bytes::Bytes;
use sandbox_agent_agents::{Agent, AgentEvent, AgentExit, AgentHandle, AgentInput, AgentOutput, SessionSpec};
use sandbox_agent_schema::*;
use sandbox_agent_store::{Store, StoredEvent, WriteOp};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Duration, Instant};

use super::items::{item_id_for, ItemTracker};
use super::Shared;
use crate::error::{ApiError, ApiResult};

/// How many agent outputs the actor takes before committing them as one batch.
const MAX_BATCH: usize = 512;
const AGENT_OUTPUT_DEPTH: usize = 1024;

pub type Reply<T> = oneshot::Sender<ApiResult<T>>;

pub enum Command {
    Start {
        reply: Reply<()>,
    },
    /// Answers with the sequence of the turn's `turn.started`.
    Message {
        text: String,
        reply: Reply<u64>,
    },
    /// Answered when the turn has ended (or at once if none runs).
    Interrupt {
        reply: Reply<()>,
    },
    Permission {
        id: String,
        reply: PermissionReply,
        resp: Reply<()>,
    },
    /// `answers: None` rejects the question.
    Question {
        id: String,
        answers: Option<Vec<Vec<String>>>,
        resp: Reply<()>,
    },
    Terminate {
        resp: Reply<()>,
    },
    Delete {
        resp: Reply<()>,
    },
    /// Daemon shutdown: stop the agent gracefully (it may save its state) and wait for it;
    /// the session is `paused` and resumes on the next daemon.
    Suspend {
        resp: Reply<()>,
    },
}

/// How long a suspended agent gets to finish (beyond the adapter's own grace period).
const SUSPEND_WAIT: Duration = Duration::from_secs(5);

/// Per-turn supervision limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A turn may run at most this long.
    pub turn_timeout: Option<Duration>,
    /// A turn may go this long without any agent output (not counting time spent waiting
    /// for a human to answer a permission or question).
    pub stall_timeout: Option<Duration>,
    /// How long an agent gets to end a timed-out turn before the daemon stops it.
    pub interrupt_grace: Duration,
}

pub struct Actor {
    shared: Arc<Shared>,
    limits: Limits,
    /// When the running turn started, and when the agent last said anything.
    turn_started: Option<Instant>,
    last_output: Instant,
    /// Set once a timeout interrupted the turn: past this, the daemon ends it itself.
    force_at: Option<Instant>,
    store: Arc<dyn Store>,
    agent: Arc<dyn Agent>,
    running: Option<(AgentHandle, mpsc::Receiver<AgentOutput>)>,
    next_seq: u64,
    items: ItemTracker,
    batch: Vec<Arc<StoredEvent>>,
    meta_dirty: bool,
    interrupt_waiters: Vec<Reply<()>>,
    /// Replies held back until the events recorded before them are committed, so a client
    /// that gets an answer can always read the events its request produced.
    after_commit: Vec<Box<dyn FnOnce() + Send>>,
}

impl Actor {
    pub fn new(
        shared: Arc<Shared>,
        store: Arc<dyn Store>,
        agent: Arc<dyn Agent>,
        last_sequence: u64,
        limits: Limits,
    ) -> Self {
        Actor {
            shared,
            limits,
            turn_started: None,
            last_output: Instant::now(),
            force_at: None,
            store,
            agent,
            running: None,
            next_seq: last_sequence + 1,
            items: ItemTracker::default(),
            batch: Vec::new(),
            meta_dirty: false,
            interrupt_waiters: Vec::new(),
            after_commit: Vec::new(),
        }
    }

    pub async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        loop {
            let deadline = self.deadline();
            let output = async {
                match &mut self.running {
                    Some((_, rx)) => rx.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    self.on_deadline();
                }
                cmd = commands.recv() => {
                    let Some(cmd) = cmd else { break };
                    if self.command(cmd).await {
                        break;
                    }
                }
                out = output => {
                    self.last_output = Instant::now();
                    self.agent_output(out);
                    // Take whatever else is ready into the same commit.
                    while self.batch.len() < MAX_BATCH {
                        let Some((_, rx)) = &mut self.running else { break };
                        match rx.try_recv() {
                            Ok(out) => self.agent_output(Some(out)),
                            Err(mpsc::error::TryRecvError::Empty) => break,
                            Err(mpsc::error::TryRecvError::Disconnected) => {
                                self.agent_output(None);
                                break;
                            }
                        }
                    }
                }
            }
            self.flush().await;
        }
    }

    /// The next moment supervision must act, while a turn runs.
    fn deadline(&self) -> Option<Instant> {
        let started = self.turn_started?;
        if self.force_at.is_some() {
            return self.force_at;
        }
        let waiting_on_human = {
            let info = self.shared.info.lock().unwrap();
            !info.pending_permissions.is_empty() || !info.pending_questions.is_empty()
        };
        let turn = self.limits.turn_timeout.map(|t| started + t);
        let stall = self.limits.stall_timeout.filter(|_| !waiting_on_human).map(|t| self.last_output + t);
        [turn, stall].into_iter().flatten().min()
    }

    fn on_deadline(&mut self) {
        let now = Instant::now();
        if let Some(force_at) = self.force_at {
            if now >= force_at {
                // The agent ignored the interrupt: end the turn here and stop the agent; the
                // session resumes with a fresh process on the next message.
                self.end_turn(TurnEndReason::Error, Some("the agent did not stop the turn after its timeout".into()));
                self.stop_agent();
                if !matches!(self.status(), SessionStatus::Ended | SessionStatus::Archived) {
                    self.update(|i| i.status = SessionStatus::Paused);
                }
            }
            return;
        }
        let over_time = self.turn_started.zip(self.limits.turn_timeout).is_some_and(|(s, t)| now >= s + t);
        let (code, message) = if over_time {
            ("turn_timeout", format!("the turn ran longer than {:?}", self.limits.turn_timeout.unwrap_or_default()))
        } else {
            ("turn_stalled", format!("the agent said nothing for {:?}", self.limits.stall_timeout.unwrap_or_default()))
        };
        self.record(EventData::Error(ErrorData { message, code: Some(code.into()), details: None }), true, None);
        if let Some((handle, _)) = &self.running {
            let _ = handle.input.send(AgentInput::Interrupt);
        }
        self.force_at = Some(now + self.limits.interrupt_grace);
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Answer once everything recorded so far is committed.
    fn reply<T: Send + 'static>(&mut self, reply: Reply<T>, result: ApiResult<T>) {
        self.after_commit.push(Box::new(move || {
            let _ = reply.send(result);
        }));
    }

    /// Run the held-back replies when the watermark reaches the last recorded event.
    fn release_after_commit(&mut self) {
        if self.after_commit.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.after_commit);
        let target = self.next_seq - 1;
        let mut watermark = self.shared.feed.subscribe();
        tokio::spawn(async move {
            // A failed commit never reaches the target; answer anyway rather than hang.
            let wait = watermark.wait_for(|w| *w >= target);
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), wait).await;
            for f in pending {
                f();
            }
        });
    }

    fn status(&self) -> SessionStatus {
        self.shared.info.lock().unwrap().status
    }

    fn update(&mut self, f: impl FnOnce(&mut SessionInfo)) {
        let mut info = self.shared.info.lock().unwrap();
        f(&mut info);
        info.updated_at = super::now();
        self.meta_dirty = true;
    }

    /// After a daemon restart: the agent is gone; a turn that was running has ended.
    pub async fn recover(&mut self) {
        let turn = self.shared.info.lock().unwrap().current_turn_id.clone();
        let Some(turn) = turn else { return };
        let mut after = turn.trim_start_matches("turn_").parse::<u64>().unwrap_or(1).saturating_sub(1);
        loop {
            let page = match self.store.read_events(&self.shared.id, after, 4096) {
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
        self.end_turn(TurnEndReason::Error, Some("the daemon restarted during this turn".into()));
        self.flush().await;
    }

    /// Handle one command; true when the actor should stop.
    async fn command(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Start { reply } => {
                let info = self.shared.info.lock().unwrap().clone();
                let metadata = json!({
                    "agent": info.agent, "agentMode": info.agent_mode, "permissionMode": info.permission_mode,
                    "model": info.model, "variant": info.variant,
                });
                self.record(EventData::SessionStarted(SessionStartedData { metadata: Some(metadata) }), true, None);
                let result = self.spawn_agent(None).await;
                if result.is_ok() {
                    self.update(|i| i.status = SessionStatus::Idle);
                }
                self.reply(reply, result);
            }
            Command::Message { text, reply } => {
                let result = self.message(text).await;
                self.reply(reply, result);
            }
            Command::Interrupt { reply } => match (&self.running, self.current_turn()) {
                (Some((handle, _)), Some(_)) => {
                    let _ = handle.input.send(AgentInput::Interrupt);
                    self.interrupt_waiters.push(reply);
                }
                _ => self.reply(reply, Ok(())),
            },
            Command::Permission { id, reply, resp } => {
                let result = self.permission_reply(id, reply);
                self.reply(resp, result);
            }
            Command::Question { id, answers, resp } => {
                let result = self.question_reply(id, answers);
                self.reply(resp, result);
            }
            Command::Terminate { resp } => {
                self.terminate(SessionEndReason::Terminated, TerminatedBy::Daemon, "terminated by request");
                self.reply(resp, Ok(()));
            }
            Command::Suspend { resp } => {
                if let Some((handle, mut rx)) = self.running.take() {
                    let _ = handle.input.send(AgentInput::Shutdown);
                    // Keep what the agent still says; it is done when it drops its sender.
                    let drain = async {
                        while let Some(out) = rx.recv().await {
                            if !matches!(out, AgentOutput::Exited(_)) {
                                self.agent_output(Some(out));
                            }
                        }
                    };
                    let _ = tokio::time::timeout(SUSPEND_WAIT, drain).await;
                    if !matches!(self.status(), SessionStatus::Ended | SessionStatus::Archived) {
                        self.end_turn(TurnEndReason::Interrupted, Some("the daemon is shutting down".into()));
                        self.update(|i| i.status = SessionStatus::Paused);
                    }
                }
                self.reply(resp, Ok(()));
            }
            Command::Delete { resp } => {
                self.stop_agent();
                self.batch.clear();
                self.shared.feed.close();
                let _ = self.store.writer().submit(WriteOp::DeleteSession { id: self.shared.id.clone() }).await;
                let _ = resp.send(Ok(()));
                return true;
            }
        }
        false
    }

    fn current_turn(&self) -> Option<String> {
        self.shared.info.lock().unwrap().current_turn_id.clone()
    }

    fn ended_error(&self) -> ApiError {
        let id = &self.shared.id;
        ApiError::session(ErrorType::SessionEnded, id, format!("session {id} has ended"))
    }

    async fn spawn_agent(&mut self, resume: Option<String>) -> ApiResult<()> {
        let info = self.shared.info.lock().unwrap().clone();
        let spec = SessionSpec {
            session_id: info.session_id.clone(),
            agent_mode: info.agent_mode.clone(),
            permission_mode: info.permission_mode.clone(),
            model: info.model.clone(),
            variant: info.variant.clone(),
            directory: info.directory.clone().into(),
            state_dir: self.shared.state_dir.clone(),
            env: self.shared.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            start: match resume {
                None => sandbox_agent_agents::Start::Fresh,
                Some(id) => {
                    sandbox_agent_agents::Start::Resume { native_session_id: Some(id).filter(|id| !id.is_empty()) }
                }
            },
        };
        let (tx, rx) = mpsc::channel(AGENT_OUTPUT_DEPTH);
        let handle = self.agent.start(spec, tx).await.map_err(|err| {
            let kind = match err {
                sandbox_agent_agents::AgentError::NotInstalled(_) => ErrorType::AgentNotInstalled,
                sandbox_agent_agents::AgentError::NotImplemented(_) => ErrorType::NotImplemented,
                sandbox_agent_agents::AgentError::Spawn(_) => ErrorType::AgentProcessExited,
            };
            ApiError::session(kind, &self.shared.id, err.to_string()).with_agent(self.agent.id())
        })?;
        if let Some(native) = handle.native_session_id.clone() {
            self.update(|i| i.native_session_id = Some(native));
        }
        self.running = Some((handle, rx));
        Ok(())
    }

    async fn message(&mut self, text: String) -> ApiResult<u64> {
        match self.status() {
            SessionStatus::Ended | SessionStatus::Archived => return Err(self.ended_error()),
            SessionStatus::Running => {
                let id = &self.shared.id;
                return Err(ApiError::session(
                    ErrorType::TurnInProgress,
                    id,
                    format!("a turn is already running in session {id}"),
                ));
            }
            _ => {}
        }
        if self.running.is_none() {
            let native = self.shared.info.lock().unwrap().native_session_id.clone();
            self.spawn_agent(Some(native.unwrap_or_default())).await?;
        }
        // Events the agent sent before this message belong before the turn.
        while let Some(Ok(out)) = self.running.as_mut().map(|(_, rx)| rx.try_recv()) {
            self.agent_output(Some(out));
        }
        let seq = self.next_seq;
        let turn_id = format!("turn_{seq}");
        self.turn_started = Some(Instant::now());
        self.last_output = Instant::now();
        self.update(|i| {
            i.status = SessionStatus::Running;
            i.current_turn_id = Some(turn_id.clone());
        });
        self.record(EventData::TurnStarted(TurnStartedData { turn_id: turn_id.clone() }), true, None);
        self.user_message(&text);
        let sent = match &self.running {
            Some((handle, _)) => handle.input.send(AgentInput::Message { turn_id, text }).is_ok(),
            None => false,
        };
        if !sent {
            self.agent_output(None);
        }
        Ok(seq)
    }

    /// The user's message as an item: started → delta → completed.
    fn user_message(&mut self, text: &str) {
        let mut item = UniversalItem::new(ItemKind::Message, Some(ItemRole::User), vec![ContentPart::text(text)]);
        item.item_id = item_id_for(self.next_seq);
        self.record(EventData::ItemStarted(ItemEventData { item: item.clone() }), true, None);
        let delta = ItemDeltaData { item_id: item.item_id.clone(), native_item_id: None, delta: text.to_string() };
        self.record(EventData::ItemDelta(delta), true, None);
        item.status = ItemStatus::Completed;
        self.record(EventData::ItemCompleted(ItemEventData { item }), true, None);
    }

    fn unknown_request(&self, what: &str, id: &str) -> ApiError {
        ApiError::session(
            ErrorType::InvalidRequest,
            &self.shared.id,
            format!("no pending {what} {id} (unknown, or already resolved)"),
        )
    }

    fn forward(&mut self, input: AgentInput) -> ApiResult<()> {
        match &self.running {
            Some((handle, _)) if handle.input.send(input).is_ok() => Ok(()),
            _ => Err(ApiError::session(
                ErrorType::AgentProcessExited,
                &self.shared.id,
                "the agent is not running; its pending requests can no longer be answered",
            )),
        }
    }

    fn permission_reply(&mut self, id: String, reply: PermissionReply) -> ApiResult<()> {
        let pending =
            self.shared.info.lock().unwrap().pending_permissions.iter().find(|p| p.permission_id == id).cloned();
        let Some(mut permission) = pending else { return Err(self.unknown_request("permission", &id)) };
        self.forward(AgentInput::PermissionReply { permission_id: id, reply })?;
        permission.status = reply.status();
        let mut meta = permission.metadata.take().unwrap_or(serde_json::Value::Null);
        if let Some(obj) = meta.as_object_mut() {
            obj.insert("reply".into(), json!(reply));
        } else {
            meta = json!({"reply": reply});
        }
        permission.metadata = Some(meta);
        self.record(EventData::PermissionResolved(permission), true, None);
        Ok(())
    }

    fn question_reply(&mut self, id: String, answers: Option<Vec<Vec<String>>>) -> ApiResult<()> {
        let pending = self.shared.info.lock().unwrap().pending_questions.iter().find(|q| q.question_id == id).cloned();
        let Some(mut question) = pending else { return Err(self.unknown_request("question", &id)) };
        let input = match answers.clone() {
            Some(answers) => AgentInput::QuestionReply { question_id: id, answers },
            None => AgentInput::QuestionReject { question_id: id },
        };
        self.forward(input)?;
        question.status = if answers.is_some() { QuestionStatus::Answered } else { QuestionStatus::Rejected };
        question.response = answers.and_then(|a| a.into_iter().flatten().next());
        self.record(EventData::QuestionResolved(question), true, None);
        Ok(())
    }

    /// Stop the agent and end the session for good.
    fn terminate(&mut self, reason: SessionEndReason, by: TerminatedBy, message: &str) {
        if matches!(self.status(), SessionStatus::Ended | SessionStatus::Archived) {
            return;
        }
        self.stop_agent();
        self.end_turn(TurnEndReason::Interrupted, Some(message.to_string()));
        let data = SessionEndedData {
            reason,
            terminated_by: by,
            message: Some(message.into()),
            exit_code: None,
            stderr: None,
        };
        self.record(EventData::SessionEnded(data), true, None);
    }

    fn stop_agent(&mut self) {
        if let Some((handle, _)) = self.running.take() {
            let _ = handle.input.send(AgentInput::Shutdown);
        }
    }

    /// Record a daemon-made `turn.ended` for the current turn.
    fn end_turn(&mut self, reason: TurnEndReason, message: Option<String>) {
        self.close_turn(TurnEndedData { turn_id: String::new(), reason, usage: None, message }, true, None);
    }

    /// Record `turn.ended` for the current turn (with the current turn's id), first closing
    /// items and voiding requests nobody can finish or answer now.
    fn close_turn(&mut self, mut ended: TurnEndedData, synthetic: bool, raw: Option<Box<serde_json::value::RawValue>>) {
        let Some(turn_id) = self.current_turn() else { return };
        for data in self.items.close_open() {
            self.record(data, true, None);
        }
        self.void_pending();
        ended.turn_id = turn_id;
        self.record(EventData::TurnEnded(ended), synthetic, raw);
    }

    fn void_pending(&mut self) {
        let (permissions, questions) = {
            let info = self.shared.info.lock().unwrap();
            (info.pending_permissions.clone(), info.pending_questions.clone())
        };
        for mut p in permissions {
            p.status = PermissionStatus::Denied;
            self.record(EventData::PermissionResolved(p), true, None);
        }
        for mut q in questions {
            q.status = QuestionStatus::Rejected;
            self.record(EventData::QuestionResolved(q), true, None);
        }
    }

    fn agent_output(&mut self, out: Option<AgentOutput>) {
        match out {
            Some(AgentOutput::Event(ev)) => self.agent_event(ev),
            Some(AgentOutput::NativeSessionId(id)) => self.update(|i| i.native_session_id = Some(id)),
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
        if matches!(self.status(), SessionStatus::Ended | SessionStatus::Archived) {
            return;
        }
        self.end_turn(TurnEndReason::Error, Some(exit.message.clone()));
        if exit.resumable {
            // Say so even between turns: clients learn the agent is gone and will be resumed.
            let details = json!({"exitCode": exit.exit_code, "stderr": exit.stderr, "resumable": true});
            let error = ErrorData { message: exit.message, code: Some("agent_exited".into()), details: Some(details) };
            self.record(EventData::Error(error), true, None);
            self.update(|i| i.status = SessionStatus::Paused);
        } else {
            let data = SessionEndedData {
                reason: SessionEndReason::Error,
                terminated_by: TerminatedBy::Agent,
                message: Some(exit.message),
                exit_code: exit.exit_code,
                stderr: exit.stderr,
            };
            self.record(EventData::SessionEnded(data), true, None);
        }
    }

    fn agent_event(&mut self, ev: AgentEvent) {
        let AgentEvent { data, synthetic, raw } = ev;
        match data {
            EventData::TurnEnded(ended) => self.close_turn(ended, synthetic, raw),
            EventData::SessionEnded(_) if matches!(self.status(), SessionStatus::Ended) => {}
            EventData::SessionEnded(data) => {
                self.end_turn(TurnEndReason::Completed, None);
                self.running = None;
                self.record(EventData::SessionEnded(data), synthetic, raw);
            }
            EventData::PermissionResolved(p) => {
                let pending = self
                    .shared
                    .info
                    .lock()
                    .unwrap()
                    .pending_permissions
                    .iter()
                    .any(|x| x.permission_id == p.permission_id);
                if pending {
                    self.record(EventData::PermissionResolved(p), synthetic, raw);
                }
            }
            EventData::QuestionResolved(q) => {
                let pending =
                    self.shared.info.lock().unwrap().pending_questions.iter().any(|x| x.question_id == q.question_id);
                if pending {
                    self.record(EventData::QuestionResolved(q), synthetic, raw);
                }
            }
            EventData::AgentUnparsed(u) => self.record(EventData::AgentUnparsed(u), true, raw),
            other => {
                let events = self.items.normalize(other, self.next_seq);
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

    /// Stamp an event, apply its effect on session state and queue it for the store.
    fn record(&mut self, data: EventData, synthetic: bool, raw: Option<Box<serde_json::value::RawValue>>) {
        self.effect(&data);
        let seq = self.next_seq;
        self.next_seq += 1;
        let event = UniversalEvent {
            event_id: format!("evt_{seq}"),
            sequence: seq,
            time: super::now(),
            session_id: self.shared.id.clone(),
            native_session_id: self.shared.info.lock().unwrap().native_session_id.clone(),
            synthetic,
            source: if synthetic { EventSource::Daemon } else { EventSource::Agent },
            data,
            raw: None,
        };
        let stored = StoredEvent {
            sequence: seq,
            event_type: event.data.event_type(),
            json: serialize(&event),
            // The native text as is: no re-serializing on the hot path.
            raw: raw.map(|r| Bytes::from(Box::<str>::from(r).into_boxed_bytes())),
        };
        self.batch.push(Arc::new(stored));
    }

    fn effect(&mut self, data: &EventData) {
        match data {
            EventData::TurnEnded(_) => {
                self.turn_started = None;
                self.force_at = None;
                self.update(|i| {
                    i.current_turn_id = None;
                    if i.status == SessionStatus::Running {
                        i.status = SessionStatus::Idle;
                    }
                });
                for waiter in std::mem::take(&mut self.interrupt_waiters) {
                    self.reply(waiter, Ok(()));
                }
            }
            EventData::SessionEnded(ended) => {
                let ended = ended.clone();
                self.update(|i| {
                    i.status = SessionStatus::Ended;
                    i.end = Some(ended);
                    i.current_turn_id = None;
                });
                for waiter in std::mem::take(&mut self.interrupt_waiters) {
                    self.reply(waiter, Ok(()));
                }
            }
            EventData::PermissionRequested(p) => {
                let p = p.clone();
                self.update(|i| i.pending_permissions.push(p));
            }
            EventData::PermissionResolved(p) => {
                let id = p.permission_id.clone();
                self.update(|i| i.pending_permissions.retain(|x| x.permission_id != id));
            }
            EventData::QuestionRequested(q) => {
                let q = q.clone();
                self.update(|i| i.pending_questions.push(q));
            }
            EventData::QuestionResolved(q) => {
                let id = q.question_id.clone();
                self.update(|i| i.pending_questions.retain(|x| x.question_id != id));
            }
            _ => {}
        }
    }

    async fn flush(&mut self) {
        let session = if std::mem::take(&mut self.meta_dirty) {
            let info = self.shared.info.lock().unwrap().clone();
            let record = super::SessionRecord { info, env: self.shared.env.clone() };
            Some(serde_json::to_string(&record).expect("session record serializes"))
        } else {
            None
        };
        if session.is_some() || !self.batch.is_empty() {
            let op = WriteOp::Append {
                session_id: self.shared.id.clone(),
                events: std::mem::take(&mut self.batch),
                session,
                listener: self.shared.feed.clone(),
            };
            if self.store.writer().submit(op).await.is_err() {
                tracing::error!(session = %self.shared.id, "store writer gone; events dropped");
            }
        }
        self.release_after_commit();
    }
}

fn serialize(event: &UniversalEvent) -> Bytes {
    Bytes::from(serde_json::to_vec(event).expect("events serialize"))
}
