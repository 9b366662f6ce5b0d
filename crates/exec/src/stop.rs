//! Ending a child and everything it started.

use std::time::Duration;

use crate::spawn::Process;

/// How long a process gets to exit by itself (and save its state) once its stdin closes.
pub const GRACE: Duration = Duration::from_secs(3);

/// SIGKILL the process group led by `pid` (the child and everything it started).
pub fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid {
        // SAFETY: plain syscall; a stale pid group only yields ESRCH.
        unsafe {
            libc::killpg(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}

impl Process {
    /// Stop gracefully: close stdin (most CLIs then save and exit), wait up to [`GRACE`], then
    /// SIGKILL the whole process group, so nothing it started outlives it.
    pub async fn stop(&mut self) {
        self.stop_within(GRACE).await
    }

    /// [`Process::stop`] with another grace period.
    pub async fn stop_within(&mut self, grace: Duration) {
        self.close_stdin();
        let exited = tokio::time::timeout(grace, self.child.wait()).await.is_ok();
        // Either way: also whatever it left behind in its group.
        kill_group(self.pid);
        if !exited {
            let _ = self.child.wait().await;
        }
    }

    /// SIGKILL the process group now (nothing to save) and reap the process.
    pub async fn kill(&mut self) {
        kill_group(self.pid);
        let _ = self.child.wait().await;
    }
}
