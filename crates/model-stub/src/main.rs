//! `model-stub`: run the scripted model server standalone (offline demos,
//! manual runs of real agent CLIs).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use sandbox_agent_model_stub::{ModelStub, Reply};

/// Scripted local model API server (Anthropic Messages, OpenAI Responses,
/// Chat Completions, Gemini).
#[derive(Parser)]
#[command(name = "model-stub")]
struct Args {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// JSON array of replies, e.g. `[{"tool":{"shell":{"command":"ls"}}},{"text":"done"}]`.
    /// When exhausted (or absent) the default conversation-driven replies apply.
    #[arg(long)]
    script: Option<PathBuf>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let replies: Vec<Reply> = match &args.script {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("parsing {} as a JSON array of replies", path.display()))?
        }
        None => Vec::new(),
    };
    let stub = ModelStub::bind((args.host.as_str(), args.port))
        .with_context(|| format!("binding {}:{}", args.host, args.port))?;
    stub.extend(replies);
    // Scripts wait for this line to learn the port, so flush it at once.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {}", stub.url())?;
    stdout.flush()?;
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    Ok(())
}
