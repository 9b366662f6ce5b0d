//! One task per session owns its state: sequence numbers, item ids, the current turn, pending
//! questions and permissions, and the agent. Handlers talk to it with [`Command`]s; the agent
//! talks to it through its output channel. No global lock.
//!
//! The actor is split by job, each an `impl Actor` block of its own: `lifecycle` (start,
//! terminate, suspend, delete), `turn` (messages and turn ends), `agent` (starting the agent,
//! its output and its exit), `hitl` (permissions and questions), `effects` (what an event does
//! to the session's state), `recorder` (stamp, serialize, batch, commit, the commit gate),
//! `supervision` (turn and stall timeouts) and `recovery` (after a daemon restart).

mod agent;
mod coder;
mod effects;
mod hitl;
mod lifecycle;
mod looping;
mod recorder;
mod recovery;
mod supervision;
mod turn;

use std::sync::Arc;

use sandbox_agent_agents::{Agent, AgentHandle, AgentOutput};
use sandbox_agent_schema::{
    EventData, Participant, ParticipantRole, PermissionReply, Principal, RepoInfo, SessionStatus, TaskFailedData,
    UpdateSessionRequest,
};
use sandbox_agent_store::Store;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::handle::Shared;
use crate::items::ItemTracker;
use crate::state::SessionState;
use crate::SessionError;
use recorder::Recorder;
pub use supervision::Limits;
use supervision::TurnClock;

/// How many agent outputs the actor takes before committing them as one batch.
const MAX_BATCH: usize = 512;

pub type Reply<T> = oneshot::Sender<Result<T, SessionError>>;

/// What handlers ask of a session. `by` is who asked.
pub enum Command {
    /// `prepare`: a task session, whose agent starts once its workspace is ready ([`Prep`]).
    Start {
        prepare: bool,
        reply: Reply<()>,
    },
    /// What the workspace preparation tells the session.
    Prepare {
        step: Prep,
        reply: Reply<()>,
    },
    /// Label, tags, metadata (checked by the manager).
    Update {
        update: UpdateSessionRequest,
        by: Principal,
        reply: Reply<()>,
    },
    Archive {
        by: Principal,
        reply: Reply<()>,
    },
    /// Start a paused session's agent now; answers with the status after.
    Resume {
        by: Principal,
        reply: Reply<SessionStatus>,
    },
    /// An event stream attached.
    Join {
        name: String,
        transport: sandbox_agent_schema::ParticipantTransport,
        /// Asked to watch only (a controller's credentials may observe).
        observe: bool,
        by: Principal,
        reply: Reply<Participant>,
    },
    /// It went away.
    Leave {
        participant_id: String,
    },
    IssueToken {
        name: String,
        role: ParticipantRole,
        expires_at_ms: u64,
        hash: String,
        reply: Reply<Participant>,
    },
    RevokeToken {
        participant_id: String,
        reply: Reply<()>,
    },
    /// A daemon event about the session from outside it (a run in its workspace).
    Record {
        data: EventData,
        reply: Reply<()>,
    },
    /// A contract check of the turn `turn_id` is done.
    Checked {
        turn_id: String,
        outcome: Box<crate::coder::contract::Outcome>,
    },
    /// Answers with the sequence of the turn's `turn.started`.
    Message {
        text: String,
        attachments: Vec<sandbox_agent_agents::Attachment>,
        by: Principal,
        reply: Reply<u64>,
    },
    /// Answered when the turn has ended (or at once if none runs).
    Interrupt {
        by: Principal,
        reply: Reply<()>,
    },
    Permission {
        id: String,
        reply: PermissionReply,
        by: Principal,
        resp: Reply<()>,
    },
    /// `answers: None` rejects the question.
    Question {
        id: String,
        answers: Option<Vec<Vec<String>>>,
        by: Principal,
        resp: Reply<()>,
    },
    Terminate {
        by: Principal,
        resp: Reply<()>,
    },
    Delete {
        by: Principal,
        resp: Reply<()>,
    },
    /// Daemon shutdown: stop the agent gracefully (it may save its state) and wait for it;
    /// the session is `paused` and resumes on the next daemon.
    Suspend {
        resp: Reply<()>,
    },
    /// Another node owns the session now (its lease was lost): stop the agent and write
    /// nothing more; the session goes on there.
    Release {
        resp: Reply<()>,
    },
}

/// A step of a task session's preparation.
pub enum Prep {
    /// `setup.*`, recorded as it comes.
    Event(EventData),
    /// The workspace is ready: start the agent and give it the task.
    Ready { repos: Vec<RepoInfo> },
    /// A step failed: the session ends.
    Failed(TaskFailedData),
}

pub struct Actor {
    shared: Arc<Shared>,
    agent: Arc<dyn Agent>,
    running: Option<(AgentHandle, mpsc::Receiver<AgentOutput>)>,
    items: ItemTracker,
    clock: TurnClock,
    rec: Recorder,
    interrupt_waiters: Vec<Reply<()>>,
    /// Its own command channel, for background work (contract checks) to answer on.
    pub(crate) own: Option<mpsc::WeakSender<Command>>,
    /// The daemon is shutting down (or recovering from a restart): a turn it cuts short does
    /// not stop a loop.
    suspending: bool,
    /// When the loop started, on the monotonic clock (the wall clock may step back).
    loop_started: Option<Instant>,
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
            agent,
            running: None,
            items: ItemTracker::default(),
            clock: TurnClock::new(limits),
            rec: Recorder::new(store, last_sequence),
            interrupt_waiters: Vec::new(),
            own: None,
            suspending: false,
            loop_started: None,
        }
    }

    /// Tail the store into the feed from `after` rather than from the last stored sequence.
    pub(crate) fn tailing_after(mut self, after: u64) -> Self {
        self.rec.tail_after = after;
        self
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    pub async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        self.rec.attach(&self.shared).await;
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
                    self.clock.heard();
                    self.agent_output(out);
                    // Take whatever else is ready into the same commit.
                    while self.rec.pending() < MAX_BATCH {
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
            self.rec.flush(&self.shared).await;
        }
    }

    /// Handle one command; true when the actor should stop.
    async fn command(&mut self, cmd: Command) -> bool {
        match cmd {
            Command::Start { prepare, reply } => {
                let result = self.start(prepare).await;
                self.rec.reply(reply, result);
            }
            Command::Message { text, attachments, by, reply } => {
                tracing::debug!(session = %self.shared.id, by = by.id(), attachments = attachments.len(), "message");
                self.active(&by);
                self.loop_on_message();
                let result = self.message(text, attachments).await;
                self.rec.reply(reply, result);
            }
            Command::Interrupt { by, reply } => {
                tracing::debug!(session = %self.shared.id, by = by.id(), "interrupt");
                self.loop_cancel("interrupted");
                self.interrupt(reply);
            }
            Command::Permission { id, reply, by, resp } => {
                self.active(&by);
                let result = self.permission_reply(id, reply, &by);
                self.rec.reply(resp, result);
            }
            Command::Question { id, answers, by, resp } => {
                self.active(&by);
                let result = self.question_reply(id, answers, &by);
                self.rec.reply(resp, result);
            }
            Command::Terminate { by, resp } => {
                tracing::debug!(session = %self.shared.id, by = by.id(), "terminate");
                self.loop_cancel("terminated");
                self.terminate_by_request();
                self.rec.reply(resp, Ok(()));
            }
            Command::Suspend { resp } => {
                self.suspend().await;
                self.rec.reply(resp, Ok(()));
            }
            cmd @ (Command::Prepare { .. }
            | Command::Update { .. }
            | Command::Archive { .. }
            | Command::Resume { .. }
            | Command::Join { .. }
            | Command::Leave { .. }
            | Command::IssueToken { .. }
            | Command::RevokeToken { .. }
            | Command::Record { .. }
            | Command::Checked { .. }) => self.coder_command(cmd).await,
            Command::Release { resp } => {
                self.shared.stop_preparation();
                self.stop_agent();
                self.rec.discard();
                let _ = resp.send(Ok(()));
                return true;
            }
            Command::Delete { by, resp } => {
                tracing::debug!(session = %self.shared.id, by = by.id(), "delete");
                self.delete().await;
                let _ = resp.send(Ok(()));
                return true;
            }
        }
        false
    }

    fn status(&self) -> SessionStatus {
        self.shared.state.lock().unwrap().status
    }

    fn is_over(&self) -> bool {
        matches!(self.status(), SessionStatus::Ended | SessionStatus::Archived)
    }

    /// Change the session's state; it is stored with the next commit.
    fn update(&mut self, f: impl FnOnce(&mut SessionState)) {
        let mut state = self.shared.state.lock().unwrap();
        f(&mut state);
        state.updated_at = crate::now();
        self.rec.state_changed();
    }
}
