//! A pseudo-terminal pair and a program started on it as a session leader with the PTY as its
//! controlling terminal, so Ctrl-C, job control and `stty size` behave as in a real terminal.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::Stdio;

/// A new PTY: (master, slave), the master non-blocking and close-on-exec, at `cols`×`rows`.
pub fn open(cols: u16, rows: u16) -> io::Result<(OwnedFd, OwnedFd)> {
    // SAFETY: plain syscalls; every fd is owned right after it is returned.
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        if master < 0 {
            return Err(io::Error::last_os_error());
        }
        let master = OwnedFd::from_raw_fd(master);
        if libc::grantpt(master.as_raw_fd()) != 0 || libc::unlockpt(master.as_raw_fd()) != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut name = [0 as libc::c_char; 128];
        if libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()) != 0 {
            return Err(io::Error::last_os_error());
        }
        let slave = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        if slave < 0 {
            return Err(io::Error::last_os_error());
        }
        let slave = OwnedFd::from_raw_fd(slave);
        let flags = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
        if flags < 0 || libc::fcntl(master.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
        resize(&master, cols, rows)?;
        Ok((master, slave))
    }
}

/// Sets the window size (the program gets SIGWINCH).
pub fn resize(master: &OwnedFd, cols: u16, rows: u16) -> io::Result<()> {
    let size = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCSWINSZ reads the struct we pass.
    if unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Starts `cmd` with the slave as its stdio and controlling terminal, in a new session (its
/// pid is its process group). It gets SIGKILL if the daemon dies.
pub fn spawn(mut cmd: tokio::process::Command, slave: &OwnedFd) -> io::Result<tokio::process::Child> {
    let stdio = || slave.try_clone().map(Stdio::from);
    cmd.stdin(stdio()?).stdout(stdio()?).stderr(stdio()?).kill_on_drop(false);
    // SAFETY: only async-signal-safe syscalls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            // stdin is the slave: make it the controlling terminal of the new session.
            if libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(io::Error::last_os_error());
            }
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// SIGKILL to every process of the session `sid` (the terminal's leader's pid): its own group
/// and the groups an interactive shell makes for its jobs. A process that left the session
/// (`setsid`, a daemon) is not reached.
pub fn kill_session(sid: u32) {
    // SAFETY: signals to a group and processes of a session we made.
    unsafe {
        libc::killpg(sid as libc::pid_t, libc::SIGKILL);
    }
    for pid in session_members(sid) {
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}

/// The pids whose session is `sid`, from `/proc/<pid>/stat`.
pub fn session_members(sid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
            // `pid (comm) state ppid pgrp session …`; comm may hold spaces and parentheses.
            let fields: Vec<&str> =
                stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
            fields.first() != Some(&"Z") && fields.get(3).and_then(|s| s.parse::<u32>().ok()) == Some(sid)
        })
        .collect()
}
