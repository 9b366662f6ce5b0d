//! `sandbox-agent api <resource> <verb>`: one subcommand per HTTP endpoint, same names.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use sandbox_agent_client::{Client, ClientError, DEFAULT_ENDPOINT};
use sandbox_agent_schema::*;

use crate::output::Out;

#[derive(Args)]
pub struct ApiArgs {
    /// Daemon base URL.
    #[arg(short, long, global = true, env = "SANDBOX_AGENT_ENDPOINT", default_value = DEFAULT_ENDPOINT)]
    endpoint: String,
    /// Bearer token.
    #[arg(short, long, global = true, env = "SANDBOX_AGENT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Print JSON (one document, or one event per line for streams) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    resource: Resource,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once")]
enum Resource {
    /// GET /v1/health
    Health,
    /// GET /v1/openapi.json
    Openapi,
    /// The cluster this daemon is a node of
    #[command(subcommand)]
    Cluster(ClusterCmd),
    #[command(subcommand)]
    Agents(AgentsCmd),
    #[command(subcommand)]
    Sessions(crate::sessions::SessionsCmd),
    /// Terminals: /v1/sessions/{id}/terminals
    #[command(subcommand)]
    Terminals(crate::terminals::TerminalsCmd),
    /// The files API: /v1/fs/*
    #[command(subcommand)]
    Fs(crate::fs::FsCmd),
    /// ACP over HTTP: /v1/acp/{serverId}
    #[command(subcommand)]
    Acp(crate::acp::AcpCmd),
    /// POST /v1/run (prints the command's output; exits with its code)
    Run(crate::run::RunCmd),
}

#[derive(Subcommand)]
enum ClusterCmd {
    /// GET /v1/cluster/nodes (one line per node: id, alive, sessions/max, then its session ids)
    Nodes,
}

#[derive(Subcommand)]
enum AgentsCmd {
    /// GET /v1/agents
    List,
    /// POST /v1/agents/{agent}/install
    Install {
        agent: String,
        #[arg(short, long)]
        reinstall: bool,
        #[arg(long)]
        version: Option<String>,
    },
    /// GET /v1/agents/{agent}/modes
    Modes { agent: String },
    /// GET /v1/agents/{agent}/models
    Models { agent: String },
}

pub async fn run(args: ApiArgs) -> ExitCode {
    let client = Client::new(args.endpoint, args.token);
    let out = Out { json: args.json };
    let result = match args.resource {
        Resource::Run(cmd) => crate::run::execute(&client, args.json, cmd).await,
        Resource::Terminals(cmd) => crate::terminals::run(&client, out, cmd).await,
        resource => dispatch(&client, out, resource).await.map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(ClientError::Api(problem)) => {
            eprintln!("{}", serde_json::to_string_pretty(&problem).unwrap_or_default());
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn parse_env(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {raw:?}")),
    }
}

pub(crate) fn usage(msg: String) -> ClientError {
    ClientError::Decode(msg)
}

async fn dispatch(client: &Client, out: Out, resource: Resource) -> Result<(), ClientError> {
    match resource {
        Resource::Health => out.value(&client.health().await?, |h| h.status.clone()),
        Resource::Openapi => out.json_only(&client.openapi().await?),
        Resource::Cluster(ClusterCmd::Nodes) => out.value(&client.cluster_nodes().await?, |r| {
            let line = |n: &ClusterNode| {
                let alive = if n.alive { "alive" } else { "gone" };
                format!("{}\t{alive}\t{}/{}\t{}", n.id, n.sessions, n.max_sessions, n.session_ids.join(","))
            };
            r.nodes.iter().map(line).collect::<Vec<_>>().join("\n")
        }),
        Resource::Agents(cmd) => agents(client, out, cmd).await?,
        Resource::Sessions(cmd) => crate::sessions::run(client, out, cmd).await?,
        Resource::Fs(cmd) => crate::fs::run(client, out, cmd).await?,
        Resource::Acp(cmd) => crate::acp::run(client, out, cmd).await?,
        Resource::Run(_) | Resource::Terminals(_) => unreachable!("answered with an exit code of their own in run()"),
    }
    Ok(())
}

async fn agents(client: &Client, out: Out, cmd: AgentsCmd) -> Result<(), ClientError> {
    match cmd {
        AgentsCmd::List => out.value(&client.list_agents().await?, |list| {
            list.agents
                .iter()
                .map(|a| {
                    let state = if a.installed {
                        a.version.clone().unwrap_or_else(|| "installed".into())
                    } else {
                        "not installed".into()
                    };
                    let mut line = format!("{:<10} {state}", a.id);
                    if let (Some(source), Some(path)) = (a.source, &a.path) {
                        line.push_str(&format!(
                            " ({} {path})",
                            serde_json::to_value(source).unwrap_or_default().as_str().unwrap_or("")
                        ));
                    }
                    if let Some(warning) = &a.warning {
                        line.push_str(&format!("\n           warning: {warning}"));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        AgentsCmd::Install { agent, reinstall, version } => {
            let req = AgentInstallRequest { reinstall: reinstall.then_some(true), version };
            client.install_agent(&agent, &req).await?;
            out.done(&format!("{agent} installed"));
        }
        AgentsCmd::Modes { agent } => out.value(&client.agent_modes(&agent).await?, |m| {
            m.modes.iter().map(|m| format!("{:<10} {}", m.id, m.description)).collect::<Vec<_>>().join("\n")
        }),
        AgentsCmd::Models { agent } => out.value(&client.agent_models(&agent).await?, print_models),
    }
    Ok(())
}

/// One line per model: id (`*` marks the default), name, variants.
fn print_models(list: &AgentModelsResponse) -> String {
    let mut lines: Vec<String> = list
        .models
        .iter()
        .map(|m| {
            let mark = if m.default { "*" } else { " " };
            let variants = if m.variants.is_empty() { String::new() } else { format!("  [{}]", m.variants.join(", ")) };
            format!("{mark} {:<28} {}{variants}", m.id, m.name)
        })
        .collect();
    if let Some(note) = &list.note {
        lines.push(note.clone());
    }
    lines.join("\n")
}
