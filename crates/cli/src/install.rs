//! `sandbox-agent install-agent`: install agent binaries locally, without a daemon.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Args;
use sandbox_agent_agents::install::{self, AgentKind, InstallOptions, Progress};
use sandbox_agent_server::config::default_data_dir;

#[derive(Args)]
pub struct InstallArgs {
    /// claude, codex, opencode or amp (several may be given).
    #[arg(required = true)]
    agents: Vec<AgentKind>,
    /// A version other than the pinned one.
    #[arg(long)]
    version: Option<String>,
    /// Download again even if installed.
    #[arg(short, long)]
    reinstall: bool,
    /// Install root [default: $SANDBOX_AGENT_AGENTS_DIR, else <data dir>/agents].
    #[arg(long)]
    agents_dir: Option<PathBuf>,
    /// Data dir whose `agents/` to use when --agents-dir is not given.
    #[arg(short, long, env = "SANDBOX_AGENT_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

/// Prints progress lines to stderr, downloads at most every half second.
fn reporter(agent: AgentKind) -> impl Fn(Progress) + Send + Sync {
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    move |p| {
        let line = match p {
            Progress::WaitingForLock => format!("{agent}: waiting for another install to finish"),
            Progress::Resolving { package, version } => format!("{agent}: resolving {package}@{version}"),
            Progress::Downloading { received, total } => {
                let mut last = last.lock().unwrap();
                if last.elapsed() < Duration::from_millis(500) && total != Some(received) {
                    return;
                }
                *last = Instant::now();
                let mb = |b: u64| b as f64 / 1_048_576.0;
                match total {
                    Some(total) => format!("{agent}: downloading {:.1}/{:.1} MB", mb(received), mb(total)),
                    None => format!("{agent}: downloading {:.1} MB", mb(received)),
                }
            }
            Progress::Verifying => format!("{agent}: verifying integrity"),
            Progress::Unpacking => format!("{agent}: unpacking"),
            Progress::Done { .. } => return,
        };
        eprintln!("{line}");
    }
}

pub async fn run(args: InstallArgs) -> ExitCode {
    let root =
        args.agents_dir.unwrap_or_else(|| install::default_root(&args.data_dir.unwrap_or_else(default_data_dir)));
    let mut failed = false;
    for agent in args.agents {
        let options = InstallOptions { version: args.version.clone(), reinstall: args.reinstall };
        match sandbox_agent_agents::install_agent(root.clone(), &agent.package(), options, reporter(agent)).await {
            Ok(done) => println!("{agent} {} installed at {}", done.version, done.path.display()),
            Err(err) => {
                eprintln!("error: installing {agent}: {err}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
