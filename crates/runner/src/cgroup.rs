//! Cgroups per run, where the machine offers writable ones: `pids` caps the processes a run may
//! have (a fork bomb stays contained), `memory` caps its memory (the kernel's OOM killer then
//! SIGKILLs it), and either names every process of the run, so all can be killed at its end
//! whatever escaped the process group.

use std::path::{Path, PathBuf};

/// The kind of hierarchy a run's cgroups are in.
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

/// Where new run cgroups go, per controller.
#[derive(Debug, Clone, Default)]
pub struct Parents {
    pub kind: Option<Kind>,
    pub pids: Option<PathBuf>,
    pub memory: Option<PathBuf>,
}

/// This process's cgroup path in the hierarchy named `controller` (v1), or in the unified one.
fn own(controller: Option<&str>) -> Option<String> {
    let text = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        let hit = match controller {
            Some(c) => names.split(',').any(|n| n == c),
            None => names.is_empty(),
        };
        hit.then(|| path.trim_start_matches('/').to_string())
    })
}

/// A v1 hierarchy's directory for new run cgroups, below this process's own cgroup in it.
fn v1(controller: &str) -> Option<PathBuf> {
    let root = Path::new("/sys/fs/cgroup").join(controller);
    let dir = root.join(own(Some(controller))?);
    (dir.join("cgroup.procs").is_file() && writable(&dir)).then(|| dir.join("sandbox-agent"))
}

/// Writable cgroups of each controller: a v1 hierarchy per controller, else this process's
/// own v2 cgroup where the controller is delegated to its children.
pub fn find_parents() -> Parents {
    let (pids, memory) = (v1("pids"), v1("memory"));
    if pids.is_some() || memory.is_some() {
        return Parents { kind: Some(Kind::V1), pids, memory };
    }
    let Some(rel) = own(None) else { return Parents::default() };
    let dir = Path::new("/sys/fs/cgroup").join(rel);
    let delegated = std::fs::read_to_string(dir.join("cgroup.subtree_control")).unwrap_or_default();
    if !writable(&dir) {
        return Parents::default();
    }
    let has = |c: &str| delegated.split_whitespace().any(|d| d == c).then(|| dir.join("sandbox-agent"));
    let (pids, memory) = (has("pids"), has("memory"));
    Parents { kind: (pids.is_some() || memory.is_some()).then_some(Kind::V2), pids, memory }
}

fn writable(dir: &Path) -> bool {
    // SAFETY: access(2) on a NUL-terminated path.
    std::ffi::CString::new(dir.as_os_str().as_encoded_bytes())
        .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
}

/// One run's cgroups (one per v1 hierarchy, or one v2 cgroup); emptied and removed on drop.
pub struct RunGroup {
    dirs: Vec<PathBuf>,
    memory: Option<PathBuf>,
    pub kind: Kind,
}

impl RunGroup {
    pub fn create(parents: &Parents, id: &str, pids: Option<u64>, memory: Option<u64>) -> std::io::Result<RunGroup> {
        let kind = parents.kind.unwrap_or(Kind::V1);
        let mut group = RunGroup { dirs: Vec::new(), memory: None, kind };
        for parent in [&parents.pids, &parents.memory].into_iter().flatten() {
            let dir = parent.join(id);
            if group.dirs.contains(&dir) {
                continue;
            }
            std::fs::create_dir_all(parent)?;
            std::fs::create_dir(&dir)?;
            group.dirs.push(dir);
        }
        if let (Some(max), Some(parent)) = (pids, &parents.pids) {
            std::fs::write(parent.join(id).join("pids.max"), max.to_string())?;
        }
        if let (Some(bytes), Some(parent)) = (memory, &parents.memory) {
            let dir = parent.join(id);
            match kind {
                Kind::V1 => {
                    std::fs::write(dir.join("memory.limit_in_bytes"), bytes.to_string())?;
                    // No swapping past the limit, where swap accounting exists.
                    let _ = std::fs::write(dir.join("memory.memsw.limit_in_bytes"), bytes.to_string());
                }
                Kind::V2 => {
                    std::fs::write(dir.join("memory.max"), bytes.to_string())?;
                    let _ = std::fs::write(dir.join("memory.swap.max"), "0");
                }
            }
            group.memory = Some(dir);
        }
        Ok(group)
    }

    /// The files a child writes its pid to, to join every cgroup of the run.
    pub fn procs(&self) -> Vec<PathBuf> {
        self.dirs.iter().map(|d| d.join("cgroup.procs")).collect()
    }

    /// Whether the kernel's OOM killer killed a process of the run.
    pub fn oom_killed(&self) -> bool {
        let Some(dir) = &self.memory else { return false };
        let file = match self.kind {
            Kind::V1 => "memory.oom_control",
            Kind::V2 => "memory.events",
        };
        std::fs::read_to_string(dir.join(file)).is_ok_and(|text| {
            text.lines()
                .filter_map(|l| l.strip_prefix("oom_kill "))
                .any(|n| n.trim().parse::<u64>().is_ok_and(|n| n > 0))
        })
    }

    /// SIGKILL every process of the run until none is left (bounded: a fork bomb capped by
    /// `pids.max` runs dry in a few rounds).
    pub fn kill_all(&self) {
        let Some(first) = self.dirs.first() else { return };
        for _ in 0..100 {
            let Ok(text) = std::fs::read_to_string(first.join("cgroup.procs")) else { return };
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
        tracing::warn!(cgroup = %first.display(), "processes still in the run's cgroup after 100 rounds of SIGKILL");
    }
}

impl Drop for RunGroup {
    fn drop(&mut self) {
        self.kill_all();
        // A cgroup can be removed once empty; killed processes leave it as they are reaped.
        for dir in &self.dirs {
            let removed = (0..200).any(|_| {
                let gone = std::fs::remove_dir(dir).is_ok() || !dir.exists();
                if !gone {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                gone
            });
            if !removed {
                tracing::warn!(cgroup = %dir.display(), "could not remove the run's cgroup");
            }
        }
    }
}
