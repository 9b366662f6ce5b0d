//! Child processes, and nothing but: how the daemon runs a program (agent CLIs, servers, and
//! later sandboxed one-shot commands).
//!
//! - [`SpawnSpec`] → [`Process`]: its own process group, exactly the given environment,
//!   `PR_SET_PDEATHSIG`, stdin and stdout piped, stderr always drained into a
//!   [`StderrExcerpt`]. A [`Wrapper`] is where a sandbox policy wraps the command.
//! - [`Process::stop`] (close stdin, wait [`GRACE`], SIGKILL the group), [`Process::kill`],
//!   [`kill_group`].
//! - [`run`]: the one stdio loop. A [`LineProtocol`] turns stdout lines and inputs into
//!   [`Step`]s; the loop performs them and ends with an [`Outcome`].
//! - [`ExitReport`]: how a process went away, built once by [`Process::exit_report`].
//! - [`SpawnSpec::spawn_raw`] → [`RawProcess`]: the same start, the pipes as bytes, under
//!   [`ChildLimits`] (rlimits, a cgroup) for one-shot commands.
//!
//! It knows nothing of agents or events: outputs and inputs are the protocol's own types.

mod env;
mod excerpt;
mod exit;
mod lines;
mod spawn;
mod stdio;
mod stop;

pub use env::{base_env, running_as_root};
pub use excerpt::{StderrExcerpt, STDERR_HEAD, STDERR_TAIL};
pub use exit::{ExitReport, STDERR_WAIT};
pub use lines::Lines;
pub use spawn::{ChildLimits, LineSink, Process, RawProcess, SpawnSpec, Wrapper};
pub use stdio::{run, write_json_line, LineProtocol, Outcome, Step, Stop};
pub use stop::{kill_group, GRACE};
