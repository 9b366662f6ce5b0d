//! `sandbox-agent run [opts] -- CMD ARGS…` (and `api run`): one command in the daemon's sandbox.
//! Its stdout and stderr are streamed out as they come (bytes, `POST /v1/run/stream`), or the
//! whole result printed as JSON with `--json` (`POST /v1/run`), and the CLI exits with the
//! command's own code (128 + the signal when one ended it).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine;
use clap::Args;
use sandbox_agent_client::{Client, ClientError, RunEvent, DEFAULT_ENDPOINT};
use sandbox_agent_schema::*;

use crate::api::parse_env;

/// What to run and how.
#[derive(Args, Debug)]
pub struct RunCmd {
    /// Relative to the work directory.
    #[arg(long)]
    cwd: Option<String>,
    /// KEY=VALUE for the command (repeatable); nothing else of the caller's environment goes.
    #[arg(short = 'E', long = "env", value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// Text given on the command's stdin.
    #[arg(long, conflicts_with = "stdin_file")]
    stdin: Option<String>,
    /// A file whose bytes are the command's stdin.
    #[arg(long)]
    stdin_file: Option<PathBuf>,
    /// REMOTE=LOCAL: the local file's bytes at REMOTE in the work directory (repeatable).
    #[arg(long = "file", value_parser = parse_env)]
    files: Vec<(String, String)>,
    /// A glob of files to bring back (repeatable); written under `--out`.
    #[arg(long)]
    collect: Vec<String>,
    /// Where collected files are written [default: the current directory].
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    timeout_ms: Option<u64>,
    #[arg(long)]
    max_output_bytes: Option<u64>,
    /// Let the command reach the network.
    #[arg(long)]
    network: bool,
    /// Run without the sandbox (the daemon must allow it).
    #[arg(long)]
    no_isolate: bool,
    #[arg(long)]
    memory_bytes: Option<u64>,
    #[arg(long)]
    pids: Option<u64>,
    #[arg(long)]
    cpu_seconds: Option<u64>,
    #[arg(long)]
    file_size_bytes: Option<u64>,
    /// Run in this session's workspace.
    #[arg(long)]
    session: Option<String>,
    /// The command and its arguments.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

/// `sandbox-agent run`: the same, with its own connection options.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Daemon base URL.
    #[arg(short, long, env = "SANDBOX_AGENT_ENDPOINT", default_value = DEFAULT_ENDPOINT)]
    endpoint: String,
    /// Bearer token.
    #[arg(short, long, env = "SANDBOX_AGENT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print the whole result as JSON (`POST /v1/run`) instead of streaming the command's
    /// output (`POST /v1/run/stream`).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    cmd: RunCmd,
}

pub async fn run(args: RunArgs) -> ExitCode {
    let client = Client::new(args.endpoint, args.token);
    match execute(&client, args.json, args.cmd).await {
        Ok(code) => code,
        Err(ClientError::Api(problem)) => {
            eprintln!("{}", serde_json::to_string_pretty(&problem).unwrap_or_default());
            ExitCode::from(125)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(125)
        }
    }
}

/// Run and print; the exit code is the command's (125 is ours, as `env` and `timeout` do).
pub async fn execute(client: &Client, json: bool, cmd: RunCmd) -> Result<ExitCode, ClientError> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut files = Vec::new();
    for (remote, local) in &cmd.files {
        files.push(RunFileInput {
            path: remote.clone(),
            content: b64(&read(&PathBuf::from(local)).map_err(ClientError::Decode)?),
            mode: None,
        });
    }
    let (stdin, stdin_encoding) = match (&cmd.stdin, &cmd.stdin_file) {
        (Some(text), _) => (Some(text.clone()), Encoding::Utf8),
        (None, Some(path)) => (Some(b64(&read(path).map_err(ClientError::Decode)?)), Encoding::Base64),
        (None, None) => (None, Encoding::Utf8),
    };
    let limits = RunLimits {
        memory_bytes: cmd.memory_bytes,
        pids: cmd.pids,
        cpu_seconds: cmd.cpu_seconds,
        file_size_bytes: cmd.file_size_bytes,
    };
    let req = RunRequest {
        command: cmd.command,
        cwd: cmd.cwd,
        env: cmd.env.into_iter().collect(),
        stdin,
        stdin_encoding,
        files,
        collect: cmd.collect,
        timeout_ms: cmd.timeout_ms,
        max_output_bytes: cmd.max_output_bytes,
        network: cmd.network.then_some(true),
        isolate: cmd.no_isolate.then_some(false),
        limits: (limits != RunLimits::default()).then_some(limits),
        session_id: cmd.session,
    };
    let result = if json {
        let result = client.run(&req).await?;
        println!("{}", serde_json::to_string_pretty(&result).unwrap_or_default());
        result
    } else {
        let result = stream(client, &req).await?;
        let out = cmd.out.unwrap_or_else(|| PathBuf::from("."));
        for file in &result.files {
            let dest = out.join(&file.path);
            if let Some(parent) = dest.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let content = base64::engine::general_purpose::STANDARD.decode(&file.content).unwrap_or_default();
            std::fs::write(&dest, content).map_err(|e| ClientError::Decode(format!("{}: {e}", dest.display())))?;
        }
        if result.timed_out {
            eprintln!("sandbox-agent: timed out after {} ms", result.duration_ms);
        } else if result.oom_killed {
            eprintln!("sandbox-agent: killed: out of memory (limits.memoryBytes)");
        }
        result
    };
    let code = match (result.exit_code, result.signal) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 125,
    };
    Ok(ExitCode::from(code.clamp(0, 255) as u8))
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Write the run's output as it comes; how it ended.
async fn stream(client: &Client, req: &RunRequest) -> Result<RunResponse, ClientError> {
    use futures_util::StreamExt;
    let bytes = |chunk: &RunOutputChunk| match chunk.encoding {
        Encoding::Utf8 => chunk.data.as_bytes().to_vec(),
        Encoding::Base64 => base64::engine::general_purpose::STANDARD.decode(&chunk.data).unwrap_or_default(),
    };
    let mut events = client.run_stream(req).await?;
    while let Some(event) = events.next().await {
        match event? {
            RunEvent::Stdout(chunk) => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(&bytes(&chunk));
                let _ = out.flush();
            }
            RunEvent::Stderr(chunk) => {
                let _ = std::io::stderr().write_all(&bytes(&chunk));
            }
            RunEvent::Exit(result) => return Ok(*result),
            RunEvent::Error(problem) => return Err(ClientError::Api(*problem)),
        }
    }
    Err(ClientError::Decode("the run's stream ended without its exit".into()))
}
