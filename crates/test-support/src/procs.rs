//! Processes as the tests see them through `/proc`: finding them, and waiting (without
//! polling) for them to be gone.

use std::path::Path;
use std::time::Duration;

/// Every process id on the machine.
fn pids() -> impl Iterator<Item = i32> {
    std::fs::read_dir("/proc").into_iter().flatten().filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
}

/// True while `pid` runs (not gone, not a zombie waiting to be reaped).
pub fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
}

/// Live processes with `arg` as one of their arguments (a marker a test put there).
pub fn with_arg(arg: &str) -> Vec<i32> {
    pids()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == arg.as_bytes()))
        })
        .filter(|pid| alive(*pid))
        .collect()
}

/// Processes whose environment mentions `dir` (agents get their HOME under the data dir).
pub fn processes_mentioning(dir: &Path) -> Vec<i32> {
    let needle = dir.display().to_string();
    pids()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .collect()
}

/// Wait until every process in `pids` has exited (pidfd: woken by the exit, no polling);
/// those still running at `within` are the error.
pub async fn all_exit(pids: Vec<i32>, within: Duration) -> Result<(), Vec<i32>> {
    let wait = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + within;
        let mut left = Vec::new();
        for pid in pids {
            // SAFETY: plain syscalls on a pid; a pid that is already gone gives ESRCH.
            let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) } as i32;
            if fd < 0 {
                continue; // already exited
            }
            let ms = deadline.saturating_duration_since(std::time::Instant::now()).as_millis() as i32;
            let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
            unsafe { libc::close(fd) };
            if ready != 1 {
                left.push(pid);
            }
        }
        if left.is_empty() {
            Ok(())
        } else {
            Err(left)
        }
    });
    wait.await.unwrap()
}
