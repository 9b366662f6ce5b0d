//! `sandbox-agent`: the daemon (`server`), a CLI that mirrors every HTTP endpoint (`api`),
//! `install-agent`, `credentials` and `openapi`.

mod acp;
mod api;
mod credentials;
mod fs;
mod install;
mod output;
mod run;
mod server;
mod sessions;
mod skills;
mod terminals;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "sandbox-agent", version, about = "Coding-agent CLIs as durable sessions behind one HTTP + SSE API")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once")]
enum Command {
    /// Run the daemon.
    Server(server::ServerArgs),
    /// Call the HTTP API of a running daemon (one subcommand per endpoint).
    Api(api::ApiArgs),
    /// Run one command in the daemon's sandbox: `sandbox-agent run [opts] -- CMD ARGS…` (exits
    /// with the command's code).
    Run(run::RunArgs),
    /// Install agent binaries from the npm registry (no daemon needed).
    InstallAgent(install::InstallArgs),
    /// List the model-provider credentials the daemon would find and give its agents (redacted).
    Credentials(credentials::CredentialsArgs),
    /// Print the OpenAPI document (the same as GET /v1/openapi.json).
    Openapi,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Server(_)) {
        quiet_on_closed_pipe();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match cli.command {
        Command::Server(args) => runtime.block_on(server::run(args)),
        Command::Api(args) => runtime.block_on(api::run(args)),
        Command::Run(args) => runtime.block_on(run::run(args)),
        Command::InstallAgent(args) => runtime.block_on(install::run(args)),
        Command::Credentials(args) => credentials::run(args),
        Command::Openapi => {
            print!("{}", sandbox_agent_server::openapi_json());
            std::process::ExitCode::SUCCESS
        }
    }
}

/// A command that prints ends quietly when its reader goes away (`sandbox-agent openapi | head`),
/// as Unix tools do, instead of panicking in `println!` on EPIPE. Not for the daemon: it writes
/// to its agents' pipes, and a closed one must be an error there, not the end of the process.
fn quiet_on_closed_pipe() {
    // SAFETY: called before any thread is started; SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
