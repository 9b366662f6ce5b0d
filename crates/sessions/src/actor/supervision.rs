//! Supervision of a running turn: a turn may run at most so long, and may go at most so long
//! without agent output (time spent waiting for a human does not count). Past a limit the turn
//! is interrupted; an agent that ignores the interrupt is stopped and the turn ended here.

use sandbox_agent_agents::AgentInput;
use sandbox_agent_schema::{ErrorData, EventData, SessionStatus, TurnEndReason};
use tokio::time::{Duration, Instant};

use super::Actor;

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

/// When the running turn started, when the agent last said anything, and when the daemon
/// ends a timed-out turn itself.
pub(super) struct TurnClock {
    limits: Limits,
    turn_started: Option<Instant>,
    last_output: Instant,
    force_at: Option<Instant>,
}

impl TurnClock {
    pub fn new(limits: Limits) -> Self {
        TurnClock { limits, turn_started: None, last_output: Instant::now(), force_at: None }
    }

    pub fn turn_started(&mut self) {
        self.turn_started = Some(Instant::now());
        self.last_output = Instant::now();
    }

    pub fn turn_ended(&mut self) {
        self.turn_started = None;
        self.force_at = None;
    }

    /// The agent said something.
    pub fn heard(&mut self) {
        self.last_output = Instant::now();
    }
}

impl Actor {
    /// The next moment supervision must act, while a turn runs.
    pub(super) fn deadline(&self) -> Option<Instant> {
        let clock = &self.clock;
        let started = clock.turn_started?;
        if clock.force_at.is_some() {
            return clock.force_at;
        }
        let waiting_on_human = {
            let state = self.shared.state.lock().unwrap();
            !state.pending_permissions.is_empty() || !state.pending_questions.is_empty()
        };
        let turn = clock.limits.turn_timeout.map(|t| started + t);
        let stall = clock.limits.stall_timeout.filter(|_| !waiting_on_human).map(|t| clock.last_output + t);
        [turn, stall].into_iter().flatten().min()
    }

    pub(super) fn on_deadline(&mut self) {
        let now = Instant::now();
        if let Some(force_at) = self.clock.force_at {
            if now >= force_at {
                // The agent ignored the interrupt: end the turn here and stop the agent; the
                // session resumes with a fresh process on the next message.
                self.end_turn(TurnEndReason::Error, Some("the agent did not stop the turn after its timeout".into()));
                self.stop_agent();
                if !self.is_over() {
                    self.update(|s| s.status = SessionStatus::Paused);
                }
            }
            return;
        }
        let limits = self.clock.limits;
        let over_time = self.clock.turn_started.zip(limits.turn_timeout).is_some_and(|(s, t)| now >= s + t);
        let (code, message) = if over_time {
            ("turn_timeout", format!("the turn ran longer than {:?}", limits.turn_timeout.unwrap_or_default()))
        } else {
            ("turn_stalled", format!("the agent said nothing for {:?}", limits.stall_timeout.unwrap_or_default()))
        };
        self.record_daemon(EventData::Error(ErrorData { message, code: Some(code.into()), details: None }));
        if let Some((handle, _)) = &self.running {
            let _ = handle.input.send(AgentInput::Interrupt);
        }
        self.clock.force_at = Some(now + limits.interrupt_grace);
    }
}
