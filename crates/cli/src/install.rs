//! `sandbox-agent install-agent`: install agent binaries locally, without a daemon.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Args;
use sandbox_agent_agents::install::{self, InstallOptions, Progress};
use sandbox_agent_agents::{configured_agents, AgentsConfig};
use sandbox_agent_server::config::default_data_dir;

#[derive(Args)]
pub struct InstallArgs {
    /// Agent ids: claude, codex, opencode, amp, the built-in ACP agents (opencode-acp,
    /// codex-acp) or one of `--agent-config` (several may be given).
    #[arg(required = true)]
    agents: Vec<String>,
    /// Agents defined in configuration (a TOML file, as `server --agent-config`).
    #[arg(long, value_name = "FILE")]
    agent_config: Option<PathBuf>,
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
fn reporter(agent: String) -> impl Fn(Progress) + Send + Sync {
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
    let config = AgentsConfig { agents_dir: root.clone(), ..Default::default() };
    let registry = match configured_agents(&config, args.agent_config.as_deref()) {
        Ok(registry) => registry,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for agent in args.agents {
        // The built-ins' other spellings (`claude-code`, any case).
        let agent = agent.parse::<install::AgentKind>().map(|k| k.as_str().to_string()).unwrap_or(agent);
        let Some(package) = registry.package(&agent) else {
            eprintln!(
                "error: {agent} is not an agent that installs (known: claude, codex, opencode, amp, the ACP agents)"
            );
            failed = true;
            continue;
        };
        let options = InstallOptions { version: args.version.clone(), reinstall: args.reinstall };
        match sandbox_agent_agents::install_agent(root.clone(), package, options, reporter(agent.clone())).await {
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
