//! `sandbox-agent api terminals <verb>`: terminals in a session's workspace. `attach` copies
//! stdin to the terminal and its output to stdout, and exits with the program's code.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;
use sandbox_agent_client::{Client, ClientError, TerminalEvent};
use sandbox_agent_schema::*;
use tokio::io::AsyncReadExt;

use crate::output::Out;

#[derive(Subcommand)]
pub enum TerminalsCmd {
    /// POST /v1/sessions/{id}/terminals (default: an interactive shell)
    Create {
        session: String,
        #[arg(long)]
        cols: Option<u16>,
        #[arg(long)]
        rows: Option<u16>,
        /// Relative to the workspace.
        #[arg(long)]
        cwd: Option<String>,
        /// The program and its arguments, after `--`.
        #[arg(last = true)]
        command: Vec<String>,
    },
    /// GET /v1/sessions/{id}/terminals
    List { session: String },
    /// GET /v1/sessions/{id}/terminals/{terminal_id}
    Get { session: String, terminal: String },
    /// DELETE /v1/sessions/{id}/terminals/{terminal_id}
    Kill { session: String, terminal: String },
    /// GET /v1/sessions/{id}/terminals/{terminal_id}/ws: stdin in, output out, the program's exit code
    Attach { session: String, terminal: String },
}

fn line(t: &TerminalInfo) -> String {
    let state = match (t.status, t.exit_code, t.signal) {
        (TerminalStatus::Running, ..) => "running".to_string(),
        (_, Some(code), _) => format!("exited {code}"),
        (_, _, Some(signal)) => format!("killed by signal {signal}"),
        _ => "exited".to_string(),
    };
    format!("{} pid {} {}x{} {state}: {}", t.terminal_id, t.pid, t.cols, t.rows, t.command.join(" "))
}

pub async fn run(client: &Client, out: Out, cmd: TerminalsCmd) -> Result<ExitCode, ClientError> {
    match cmd {
        TerminalsCmd::Create { session, cols, rows, cwd, command } => {
            let req = CreateTerminalRequest { command, cwd, cols, rows, ..Default::default() };
            out.value(&client.create_terminal(&session, &req).await?, line);
        }
        TerminalsCmd::List { session } => out.value(&client.list_terminals(&session).await?, |l| {
            l.terminals.iter().map(line).collect::<Vec<_>>().join("\n")
        }),
        TerminalsCmd::Get { session, terminal } => out.value(&client.get_terminal(&session, &terminal).await?, line),
        TerminalsCmd::Kill { session, terminal } => {
            client.kill_terminal(&session, &terminal).await?;
            out.done(&format!("{terminal} killed"));
        }
        TerminalsCmd::Attach { session, terminal } => return attach(client, &session, &terminal).await,
    }
    Ok(ExitCode::SUCCESS)
}

async fn attach(client: &Client, session: &str, terminal: &str) -> Result<ExitCode, ClientError> {
    let mut conn = client.attach_terminal(session, terminal).await?;
    let mut stdin = tokio::io::stdin();
    let mut buf = vec![0u8; 8192];
    let mut input_open = true;
    let mut stdout = std::io::stdout();
    loop {
        tokio::select! {
            read = stdin.read(&mut buf), if input_open => match read {
                Ok(0) | Err(_) => input_open = false,
                Ok(n) => conn.send(buf[..n].to_vec()).await?,
            },
            event = conn.next() => match event {
                Some(Ok(TerminalEvent::Output(bytes))) => {
                    let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
                }
                Some(Ok(TerminalEvent::Error(message))) => eprintln!("sandbox-agent: {message}"),
                Some(Ok(TerminalEvent::Exit { exit_code, signal })) => {
                    let code = exit_code.or(signal.map(|s| 128 + s)).unwrap_or(1);
                    return Ok(ExitCode::from(code.clamp(0, 255) as u8));
                }
                Some(Err(err)) => return Err(err),
                None => return Ok(ExitCode::FAILURE),
            },
        }
    }
}
