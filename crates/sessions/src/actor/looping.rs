//! Loop mode: after each check of the output contract the session goes on by itself — the
//! daemon sends a continuation that quotes what failed — until the contract holds, the report
//! says blocked, the iterations run out, or a client stops it.

use sandbox_agent_schema::*;

use super::Actor;
use crate::coder::contract::Outcome;

impl Actor {
    fn loop_status(&self) -> Option<LoopStatus> {
        self.shared.state.lock().unwrap().loop_state.as_ref().map(|l| l.status)
    }

    /// Move the loop to `to`, recording `loop.status_changed`.
    fn loop_to(&mut self, to: LoopStatus, reason: Option<String>, next_action: Option<&str>) {
        let Some(from) = self.loop_status() else { return };
        let now = crate::now();
        let ends = matches!(to, LoopStatus::Completed | LoopStatus::Cancelled | LoopStatus::Blocked);
        self.update(|s| {
            if let Some(l) = &mut s.loop_state {
                l.status = to;
                l.next_action = next_action.map(str::to_string);
                l.updated_at = now.clone();
                if reason.is_some() {
                    l.summary = reason.clone();
                }
                if ends {
                    l.completed_at = Some(now.clone());
                }
                l.started_at.get_or_insert(now);
            }
        });
        if from != to {
            self.record_daemon(EventData::LoopStatusChanged(LoopStatusChangedData { from, to, reason }));
        }
    }

    /// An iteration starts: count it and record `loop.iteration`.
    fn loop_iteration(&mut self) {
        let mut counted = None;
        self.update(|s| {
            if let Some(l) = &mut s.loop_state {
                l.iteration += 1;
                counted = Some((l.iteration, l.max_iterations));
            }
        });
        if let Some((iteration, max_iterations)) = counted {
            self.record_daemon(EventData::LoopIteration(LoopIterationData { iteration, max_iterations }));
        }
    }

    /// The task is about to be sent: the first iteration.
    pub(super) fn loop_begin(&mut self) {
        if self.loop_status() == Some(LoopStatus::Starting) {
            self.loop_started = Some(tokio::time::Instant::now());
            self.loop_to(LoopStatus::Running, None, Some("the task's turn"));
            self.loop_iteration();
        }
    }

    /// A client's message: while the loop waits for one, it continues the loop.
    pub(super) fn loop_on_message(&mut self) {
        if self.loop_status() == Some(LoopStatus::AwaitingInput) {
            self.loop_to(LoopStatus::Running, Some("a message continues the loop".into()), None);
            self.loop_iteration();
        }
    }

    /// A client stopped it (interrupt, archive, terminate).
    pub(super) fn loop_cancel(&mut self, why: &str) {
        if matches!(self.loop_status(), Some(LoopStatus::Running | LoopStatus::AwaitingInput | LoopStatus::Starting)) {
            self.loop_to(LoopStatus::Cancelled, Some(why.to_string()), None);
        }
    }

    /// A turn of a running loop ended without completing. One cut by the daemon's shutdown is
    /// resumed by the next daemon; an interrupt cancels the loop; anything else blocks it.
    pub(super) fn loop_turn_failed(&mut self, ended: &TurnEndedData) {
        if self.loop_status() != Some(LoopStatus::Running) || self.suspending {
            return;
        }
        match ended.reason {
            TurnEndReason::Interrupted => self.loop_cancel("interrupted"),
            reason => {
                let why = ended.message.clone().unwrap_or_else(|| format!("{reason:?}").to_lowercase());
                self.loop_to(LoopStatus::Blocked, Some(format!("the turn ended: {why}")), None);
            }
        }
    }

    /// After a check: done, blocked, continue (a continuation message), wait, or out of
    /// iterations.
    pub(super) async fn loop_after_check(&mut self, outcome: &Outcome, path: &str) {
        let Some(l) = self.shared.state.lock().unwrap().loop_state.clone() else { return };
        if l.status != LoopStatus::Running {
            return;
        }
        let exhausted = self.budget_exhausted(&l);
        match outcome.status {
            ResultStatus::Completed | ResultStatus::Pending => self.loop_to(
                LoopStatus::Completed,
                Some(format!("the contract holds after {} iteration(s)", l.iteration)),
                None,
            ),
            ResultStatus::Blocked => {
                let why = format!("the report says blocked: {}", outcome.blockers.join("; "));
                self.loop_to(LoopStatus::Blocked, Some(why), None);
            }
            ResultStatus::Failed if exhausted.is_some() => {
                let which = exhausted.unwrap_or_default();
                self.loop_to(LoopStatus::Blocked, Some(format!("budget_exhausted: {which}")), None);
            }
            ResultStatus::Failed if l.iteration >= l.max_iterations => {
                let why = format!("maxIterations ({}) reached without the contract holding", l.max_iterations);
                self.loop_to(LoopStatus::Blocked, Some(why), None);
            }
            ResultStatus::Failed if !l.auto_continue => {
                let why = summary(outcome);
                self.loop_to(LoopStatus::AwaitingInput, Some(why), Some("a message continues the loop"));
            }
            ResultStatus::Failed => {
                self.update(|s| {
                    if let Some(l) = &mut s.loop_state {
                        l.summary = Some(summary(outcome));
                        l.next_action = Some("the daemon continues".into());
                    }
                });
                self.loop_iteration();
                let text = continuation(outcome, path, l.iteration + 1, l.max_iterations, l.goal.as_deref());
                if let Err(err) = self.message(text, Vec::new()).await {
                    self.loop_to(LoopStatus::Blocked, Some(format!("the continuation could not be sent: {err}")), None);
                }
            }
        }
    }
}

impl Actor {
    /// Which of the session's budget limits the loop has reached, if any.
    fn budget_exhausted(&mut self, l: &LoopState) -> Option<String> {
        let budget = self.shared.settings.budget.clone()?;
        if let Some(max) = budget.max_turns.filter(|max| l.iteration >= *max) {
            return Some(format!("maxTurns ({max})"));
        }
        // A loop resumed after a restart counts from its stored start, by the wall clock once.
        let started = *self.loop_started.get_or_insert_with(|| {
            let at = l.started_at.as_deref().and_then(|t| humantime::parse_rfc3339_weak(t).ok());
            let ago = at.and_then(|t| std::time::SystemTime::now().duration_since(t).ok()).unwrap_or_default();
            let now = tokio::time::Instant::now();
            now.checked_sub(ago).unwrap_or(now)
        });
        if let Some(max) = budget.max_wall_ms.filter(|max| started.elapsed().as_millis() as u64 >= *max) {
            return Some(format!("maxWallMs ({max})"));
        }
        let used = self.shared.state.lock().unwrap().output_tokens;
        budget.max_output_tokens.filter(|max| used >= *max).map(|max| format!("maxOutputTokens ({max}, {used} used)"))
    }
}

fn summary(outcome: &Outcome) -> String {
    let first = outcome.errors.first().map_or("the contract does not hold".to_string(), |e| e.message.clone());
    match outcome.errors.len() {
        0 | 1 => first,
        n => format!("{first} (and {} more)", n - 1),
    }
}

/// The message that continues a loop: what failed, exactly, and what to do.
pub fn continuation(outcome: &Outcome, path: &str, iteration: u32, max: u32, goal: Option<&str>) -> String {
    let mut text = format!("The output contract is not met yet. This is iteration {iteration} of {max}.\n");
    if let Some(goal) = goal {
        text.push_str(&format!("Goal: {goal}\n"));
    }
    text.push_str(&format!("\nWhat the daemon found in {path}:\n"));
    for e in &outcome.errors {
        let at = e.path.as_deref().map(|p| format!(" (at {p})")).unwrap_or_default();
        let kind = serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        text.push_str(&format!("- {kind}: {}{at}\n", e.message));
    }
    if let Some(v) = &outcome.verification {
        let end = crate::coder::contract::ended(v);
        text.push_str(&format!("\nVerification `{}` {end}. Its output ends with:\n{}\n", v.command, v.output_excerpt));
    }
    text.push_str(&format!("\nFix this, write {path} again, and stop when the contract holds.\n"));
    text
}
