//! `sandbox-agent credentials`: the model-provider credentials the daemon would find and give
//! its agents (see `sandbox_agent_agents::credentials`), redacted unless `--reveal`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Args;
use sandbox_agent_agents::credentials::{self, Credential, Credentials};
use serde_json::json;

#[derive(Args)]
pub struct CredentialsArgs {
    /// Print the values themselves instead of their first and last 4 characters.
    #[arg(long)]
    reveal: bool,
    /// One JSON document: {"credentials": [...], "skipped": [...], "searched": [...]}.
    #[arg(long)]
    json: bool,
    /// Look for the agents' files under DIR instead of $HOME (CLAUDE_CONFIG_DIR, CODEX_HOME and
    /// XDG_DATA_HOME are then ignored; the key variables of the environment are still read).
    #[arg(long, value_name = "DIR")]
    home: Option<PathBuf>,
}

pub fn run(args: CredentialsArgs) -> ExitCode {
    let creds = match &args.home {
        Some(home) => {
            let env = |k: &str| if credentials::DIR_VARS.contains(&k) { None } else { std::env::var(k).ok() };
            credentials::discover_at(Some(home), &env, SystemTime::now())
        }
        None => {
            let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
            credentials::discover_at(home.as_deref(), &|k| std::env::var(k).ok(), SystemTime::now())
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&creds, args.reveal)).expect("json"));
    } else {
        print!("{}", to_text(&creds, args.reveal, args.home.as_deref()));
        for s in &creds.skipped {
            eprintln!("skipped {}: {}", s.source, s.reason);
        }
    }
    ExitCode::SUCCESS
}

fn value(c: &Credential, reveal: bool) -> String {
    if reveal {
        c.value.expose().to_string()
    } else {
        c.value.redacted()
    }
}

fn to_json(creds: &Credentials, reveal: bool) -> serde_json::Value {
    json!({
        "credentials": creds.found.iter().map(|c| json!({
            "provider": c.provider,
            "kind": c.kind.as_str(),
            "source": c.source,
            "value": value(c, reveal),
            "redacted": !reveal,
        })).collect::<Vec<_>>(),
        "skipped": creds.skipped.iter().map(|s| json!({"source": s.source, "reason": s.reason})).collect::<Vec<_>>(),
        "searched": creds.searched,
    })
}

/// One line per credential, in columns: provider, kind, source, value.
fn to_text(creds: &Credentials, reveal: bool, home: Option<&Path>) -> String {
    if creds.found.is_empty() {
        let tilde = home.map(|h| format!(" (~ is {})", h.display())).unwrap_or_default();
        let places: String = creds.searched.iter().map(|s| format!("  {s}\n")).collect();
        return format!("no credentials found\nlooked in{tilde}:\n{places}");
    }
    let rows: Vec<[String; 4]> = creds
        .found
        .iter()
        .map(|c| [c.provider.clone(), c.kind.to_string(), c.source.clone(), value(c, reveal)])
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    rows.iter().map(|[p, k, s, v]| format!("{p:<w0$}  {k:<w1$}  {s:<w2$}  {v}\n")).collect()
}
