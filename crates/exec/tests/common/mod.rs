//! Helpers of the process tests: real children run by `/bin/sh`.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use sandbox_agent_exec::SpawnSpec;

/// Every wait of these tests is bounded by this.
pub const WAIT: Duration = Duration::from_secs(20);

/// `sh -c script` with only PATH in its environment.
pub fn sh(script: &str) -> SpawnSpec {
    SpawnSpec::new("sh", "/bin/sh", std::env::temp_dir()).args(["-c", script]).env(path())
}

pub fn path() -> Vec<(String, String)> {
    vec![("PATH".into(), std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()))]
}

/// True once `pid` no longer exists (or is a zombie nobody reaped yet: it runs no more).
pub fn is_gone(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid as libc::pid_t, 0) } == -1 {
        return true;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The state follows the command name, which is in parentheses.
    stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
}

/// Wait (at most [`WAIT`]) until `pid` is gone; false if it still runs then.
pub fn gone_within_wait(pid: u32) -> bool {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if is_gone(pid) {
            return true;
        }
        // The poll interval of a bounded wait for a process we cannot wait on (not our child).
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}
