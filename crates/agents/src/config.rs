//! Agents defined in configuration (`--agent-config FILE`, else `<data dir>/agents.toml`): any
//! ACP agent, described as data and installed from the npm registry like the built-ins.
//!
//! ```toml
//! [[agents]]
//! id = "my-agent"
//! name = "My agent"
//! command = "my-agent"        # on PATH, in the install dir, or an absolute path
//! args = ["--acp"]
//! env = { MY_AGENT_LOG = "warn" }
//! install = { npm = "@me/my-agent@1.2.3", bin = "bin/my-agent" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sandbox_agent_install::PackageDescriptor;
use serde::Deserialize;

use crate::acp::{AcpProfile, Setup};
use crate::registry::{Adapter, AgentDescriptor, BinarySource};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentsFile {
    #[serde(default)]
    agents: Vec<ConfiguredAgent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfiguredAgent {
    id: String,
    name: Option<String>,
    command: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    install: Option<Install>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Install {
    /// `package@version` (a scoped `@scope/package@version` too).
    npm: String,
    /// The executable inside the package (default: `command`).
    bin: Option<String>,
}

/// The agents `path` defines, after the built-ins (`taken`: their ids).
pub fn load(path: &Path, taken: &[&str]) -> Result<Vec<AgentDescriptor>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text, taken).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(text: &str, taken: &[&str]) -> Result<Vec<AgentDescriptor>, String> {
    let file: AgentsFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen: Vec<String> = Vec::new();
    file.agents
        .into_iter()
        .map(|agent| {
            let id = agent.id.clone();
            let valid = (1..=64).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
            if !valid {
                return Err(format!("agent id {id:?}: 1-64 of a-z 0-9 - _"));
            }
            if taken.contains(&id.as_str()) || seen.contains(&id) {
                return Err(format!("agent id {id:?} is taken"));
            }
            if agent.command.trim().is_empty() {
                return Err(format!("agent {id}: command is empty"));
            }
            seen.push(id.clone());
            descriptor(agent)
        })
        .collect()
}

fn descriptor(agent: ConfiguredAgent) -> Result<AgentDescriptor, String> {
    let id = agent.id;
    let package = match &agent.install {
        Some(install) => {
            let (name, version) = split_spec(&install.npm)
                .ok_or_else(|| format!("agent {id}: install.npm {:?} is not package@version", install.npm))?;
            let bin = install.bin.clone().unwrap_or_else(|| agent.command.clone());
            PackageDescriptor::npm(&id, name, version, &bin)
        }
        None => {
            let who = id.clone();
            PackageDescriptor::new(&id, "", move |_, _| Err(sandbox_agent_install::Error::NoPackage(who.clone())))
        }
    };
    // An absolute command is where the binary is; a name is looked up like a built-in's.
    let command = Path::new(&agent.command);
    let command = match command.is_absolute() {
        true => command.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        false => agent.command.clone(),
    };
    let profile = AcpProfile {
        args: agent.args,
        env: agent.env.into_iter().collect(),
        // Nothing is proved of an agent we have not tested.
        capabilities: Default::default(),
        setup: Setup::Plain,
    };
    Ok(AgentDescriptor {
        id,
        name: agent.name,
        adapter: Adapter::Acp(profile),
        binary: Some(BinarySource { package, command }),
        path: Path::new(&agent.command).is_absolute().then(|| PathBuf::from(&agent.command)),
    })
}

/// `pkg@1.2.3` → (`pkg`, `1.2.3`); `@scope/pkg@1.2.3` → (`@scope/pkg`, `1.2.3`).
fn split_spec(spec: &str) -> Option<(&str, &str)> {
    let at = spec.rfind('@').filter(|&i| i > 0)?;
    let (name, version) = (&spec[..at], &spec[at + 1..]);
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[agents]]
id = "echo-acp"
name = "Echo"
command = "/opt/echo/bin/echo-acp"
args = ["--stdio"]
env = { ECHO_LEVEL = "2" }

[[agents]]
id = "gem"
command = "gemini"
args = ["--experimental-acp"]
install = { npm = "@google/gemini-cli@0.9.0", bin = "dist/index.js" }
"#;

    #[test]
    fn agents_are_read_as_acp_descriptors() {
        let agents = parse(FILE, &["claude"]).unwrap();
        assert_eq!(agents.len(), 2);
        let echo = &agents[0];
        assert_eq!((echo.id.as_str(), echo.name.as_deref()), ("echo-acp", Some("Echo")));
        assert_eq!(echo.path.as_deref(), Some(Path::new("/opt/echo/bin/echo-acp")));
        let Adapter::Acp(profile) = &echo.adapter else { panic!() };
        assert_eq!(profile.args, ["--stdio"]);
        assert_eq!(profile.env, [("ECHO_LEVEL".to_string(), "2".to_string())]);
        assert_eq!(profile.capabilities, Default::default(), "nothing is claimed");
        let gem = &agents[1];
        let binary = gem.binary.as_ref().unwrap();
        assert_eq!((binary.command.as_str(), binary.package.pinned.as_str()), ("gemini", "0.9.0"));
        let spec = binary.package.spec(sandbox_agent_install::Platform::current(), None).unwrap();
        assert_eq!((spec.package.as_str(), spec.binary.to_str()), ("@google/gemini-cli", Some("dist/index.js")));
        // Without `install`, installing says what to do instead.
        let err =
            echo.binary.as_ref().unwrap().package.spec(sandbox_agent_install::Platform::current(), None).unwrap_err();
        assert!(err.to_string().contains("PATH"), "{err}");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let cases = [
            ("[[agents]]\nid = \"claude\"\ncommand = \"x\"", "taken"),
            ("[[agents]]\nid = \"Bad Id\"\ncommand = \"x\"", "a-z"),
            ("[[agents]]\nid = \"a\"\ncommand = \" \"", "command"),
            ("[[agents]]\nid = \"a\"\ncommand = \"x\"\ninstall = { npm = \"pkg\" }", "package@version"),
            ("[[agents]]\nid = \"a\"\ncommand = \"x\"\nflavour = 1", "flavour"),
            ("[[agents]]\nid = \"a\"\ncommand = \"x\"\n[[agents]]\nid = \"a\"\ncommand = \"y\"", "taken"),
        ];
        for (text, why) in cases {
            let err = parse(text, &["claude"]).unwrap_err();
            assert!(err.contains(why), "{why}: {err}");
        }
    }
}
