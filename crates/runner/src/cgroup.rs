//! A pids cgroup per run, where the machine offers a writable one: it caps the processes a
//! run may have (a fork bomb stays contained) and names every process of the run, so all can
//! be killed at its end whatever escaped the process group.

use std::path::{Path, PathBuf};

/// The kind of hierarchy a run's cgroup is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    V1,
    V2,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::V1 => "cgroup-v1",
            Kind::V2 => "cgroup-v2",
        }
    }
}

/// Where new run cgroups go: a v1 pids hierarchy, or this process's own v2 cgroup when pids is
/// delegated to its children. None when neither is writable.
pub fn find_parent() -> Option<(PathBuf, Kind)> {
    let v1 = Path::new("/sys/fs/cgroup/pids");
    if v1.join("cgroup.procs").is_file() && writable(v1) {
        return Some((v1.join("sandbox-agent"), Kind::V1));
    }
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let rel = own.lines().find_map(|l| l.strip_prefix("0::"))?.trim_start_matches('/');
    let dir = Path::new("/sys/fs/cgroup").join(rel);
    let delegated = std::fs::read_to_string(dir.join("cgroup.subtree_control")).ok()?;
    (delegated.split_whitespace().any(|c| c == "pids") && writable(&dir)).then(|| (dir.join("sandbox-agent"), Kind::V2))
}

fn writable(dir: &Path) -> bool {
    // SAFETY: access(2) on a NUL-terminated path.
    std::ffi::CString::new(dir.as_os_str().as_encoded_bytes())
        .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
}

/// One run's cgroup; removed (after killing what is left in it) on drop.
pub struct RunGroup {
    dir: PathBuf,
    pub kind: Kind,
}

impl RunGroup {
    pub fn create(parent: &Path, kind: Kind, id: &str, pids: Option<u64>) -> std::io::Result<RunGroup> {
        std::fs::create_dir_all(parent)?;
        let dir = parent.join(id);
        std::fs::create_dir(&dir)?;
        let group = RunGroup { dir, kind };
        if let Some(max) = pids {
            std::fs::write(group.dir.join("pids.max"), max.to_string())?;
        }
        Ok(group)
    }

    /// The file a child writes its pid to, to join.
    pub fn procs(&self) -> PathBuf {
        self.dir.join("cgroup.procs")
    }

    /// SIGKILL every process in the group until none is left (bounded: a fork bomb capped by
    /// `pids.max` runs dry in a few rounds).
    pub fn kill_all(&self) {
        for _ in 0..100 {
            let Ok(text) = std::fs::read_to_string(self.procs()) else { return };
            let pids: Vec<i32> = text.lines().filter_map(|l| l.trim().parse().ok()).collect();
            if pids.is_empty() {
                return;
            }
            for pid in pids {
                // SAFETY: plain syscall; a pid that is gone yields ESRCH.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        tracing::warn!(cgroup = %self.dir.display(), "processes still in the run's cgroup after 100 rounds of SIGKILL");
    }
}

impl Drop for RunGroup {
    fn drop(&mut self) {
        self.kill_all();
        // A cgroup can be removed once empty; killed processes leave it as they are reaped.
        for _ in 0..200 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        tracing::warn!(cgroup = %self.dir.display(), "could not remove the run's cgroup");
    }
}
