//! Which npm package (and which file inside it) holds each agent's native
//! binary, per platform, plus the pinned default versions.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use crate::error::{Error, Result};

/// The built-in catalog: the coding agents whose packages this crate knows. Anything else is
/// installed from a [`PackageDescriptor`] of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgentKind {
    Claude,
    Codex,
    Opencode,
    Amp,
}

impl AgentKind {
    pub const ALL: [AgentKind; 4] = [Self::Claude, Self::Codex, Self::Opencode, Self::Amp];

    /// Lower-case name, also used as the directory name under the install root.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Claude => "claude",
            Self::Codex => "codex",
            Self::Opencode => "opencode",
            Self::Amp => "amp",
        }
    }

    /// The version installed when none is asked for.
    pub fn pinned_version(self) -> &'static str {
        match self {
            Self::Claude => CLAUDE_VERSION,
            Self::Codex => CODEX_VERSION,
            Self::Opencode => OPENCODE_VERSION,
            Self::Amp => AMP_VERSION,
        }
    }

    /// This agent's distribution, as the installer takes it.
    pub fn package(self) -> PackageDescriptor {
        PackageDescriptor::new(self.as_str(), self.pinned_version(), move |platform, version| {
            spec_for(self, platform, Some(version))
        })
    }
}

type Resolve = dyn Fn(Platform, &str) -> Result<PackageSpec> + Send + Sync;

/// One agent's npm distribution: its name (the agent id, and its directory under the install
/// root), its pinned version, and which package holds the binary for a platform and version.
/// The built-in agents' come from [`AgentKind::package`]; an agent defined in configuration
/// brings its own, usually [`PackageDescriptor::npm`].
#[derive(Clone)]
pub struct PackageDescriptor {
    pub agent: String,
    pub pinned: String,
    resolve: Arc<Resolve>,
}

impl PackageDescriptor {
    pub fn new(
        agent: impl Into<String>,
        pinned: impl Into<String>,
        resolve: impl Fn(Platform, &str) -> Result<PackageSpec> + Send + Sync + 'static,
    ) -> Self {
        PackageDescriptor { agent: agent.into(), pinned: pinned.into(), resolve: Arc::new(resolve) }
    }

    /// One package, the same on every platform, with its executable at `binary` inside it.
    pub fn npm(agent: &str, package: &str, pinned: &str, binary: &str) -> Self {
        let (package, binary) = (package.to_string(), PathBuf::from(binary));
        PackageDescriptor::new(agent, pinned, move |_, version| {
            Ok(PackageSpec {
                package: package.clone(),
                version: version.to_string(),
                binary: binary.clone(),
                dependencies: false,
            })
        })
    }

    /// The package for `platform` at `version` (the pinned one if `None` or blank).
    pub fn spec(&self, platform: Platform, version: Option<&str>) -> Result<PackageSpec> {
        let version = version.map(str::trim).filter(|v| !v.is_empty()).unwrap_or(&self.pinned);
        (self.resolve)(platform, version)
    }
}

impl fmt::Debug for PackageDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackageDescriptor").field("agent", &self.agent).field("pinned", &self.pinned).finish()
    }
}

impl From<AgentKind> for PackageDescriptor {
    fn from(kind: AgentKind) -> Self {
        kind.package()
    }
}

impl fmt::Display for AgentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AgentKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "claude" | "claude-code" => Ok(Self::Claude),
            "codex" => Ok(Self::Codex),
            "opencode" => Ok(Self::Opencode),
            "amp" => Ok(Self::Amp),
            _ => Err(Error::UnknownAgent(s.to_string())),
        }
    }
}

/// Host platform, as far as npm platform packages care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    /// `std::env::consts::OS` spelling: "linux", "macos", "windows", …
    pub os: &'static str,
    /// `std::env::consts::ARCH` spelling: "x86_64", "aarch64", …
    pub arch: &'static str,
    /// Linux with musl libc (Alpine): selects the `-musl` packages.
    pub musl: bool,
    /// x86_64 CPU without AVX2: selects opencode's `-baseline` build.
    pub baseline: bool,
}

impl Platform {
    pub const LINUX_X64: Platform = Platform::new("linux", "x86_64");
    pub const LINUX_ARM64: Platform = Platform::new("linux", "aarch64");
    pub const MACOS_X64: Platform = Platform::new("macos", "x86_64");
    pub const MACOS_ARM64: Platform = Platform::new("macos", "aarch64");

    pub const fn new(os: &'static str, arch: &'static str) -> Self {
        Platform { os, arch, musl: false, baseline: false }
    }

    /// The platform this process runs on (musl and AVX2 are probed at runtime).
    pub fn current() -> Self {
        let mut p = Platform::new(std::env::consts::OS, std::env::consts::ARCH);
        p.musl = p.os == "linux" && host_is_musl(p.arch);
        p.baseline = p.arch == "x86_64" && !has_avx2();
        p
    }

    /// npm's `os-cpu` spelling, e.g. `linux-x64`, `darwin-arm64`.
    pub fn npm_os_cpu(&self) -> Option<String> {
        let os = match self.os {
            "linux" => "linux",
            "macos" => "darwin",
            _ => return None,
        };
        let cpu = match self.arch {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            _ => return None,
        };
        Some(format!("{os}-{cpu}"))
    }

    /// Rust target triple of codex's vendored build.
    fn codex_triple(&self) -> Option<&'static str> {
        Some(match (self.os, self.arch) {
            ("linux", "x86_64") => "x86_64-unknown-linux-musl",
            ("linux", "aarch64") => "aarch64-unknown-linux-musl",
            ("macos", "x86_64") => "x86_64-apple-darwin",
            ("macos", "aarch64") => "aarch64-apple-darwin",
            _ => return None,
        })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.os, self.arch)?;
        if self.musl {
            f.write_str("-musl")?;
        }
        Ok(())
    }
}

/// musl host: a musl loader exists and no glibc loader does.
fn host_is_musl(arch: &str) -> bool {
    let exists = |p: &str| std::path::Path::new(p).exists();
    let musl = exists(&format!("/lib/ld-musl-{arch}.so.1"));
    let glibc = match arch {
        "x86_64" => exists("/lib64/ld-linux-x86-64.so.2") || exists("/lib/ld-linux-x86-64.so.2"),
        "aarch64" => exists("/lib/ld-linux-aarch64.so.1"),
        _ => true,
    };
    musl && !glibc
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// One npm package holding an agent's native binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSpec {
    /// npm package name, e.g. `@anthropic-ai/claude-code-linux-x64`.
    pub package: String,
    /// Exact npm version, e.g. `2.1.197` (codex: `0.169.0-linux-x64`).
    pub version: String,
    /// Path of the executable relative to the package root (the tarball's
    /// `package/` directory), e.g. `claude` or `bin/opencode`.
    pub binary: PathBuf,
    /// A node package whose `dependencies` must be installed beside it (by `npm install` in the
    /// unpacked package, from the same registry); native packages have none.
    pub dependencies: bool,
}

/// Pinned versions, verified to work (see the crate docs).
const CLAUDE_VERSION: &str = "2.1.197";
const CODEX_VERSION: &str = "0.169.0";
const OPENCODE_VERSION: &str = "1.18.33";
const AMP_VERSION: &str = "0.0.1790142911-g7618fb";

/// The pinned package for the built-in `kind` on `platform`.
pub fn pinned(kind: AgentKind, platform: Platform) -> Result<PackageSpec> {
    spec_for(kind, platform, None)
}

/// The package for `kind` on `platform` at `version` (the pinned one if `None`).
///
/// Codex publishes each platform build as a version of `@openai/codex` itself
/// (`0.169.0-linux-x64`); a plain `0.170.0` gets that platform suffix appended.
pub fn spec_for(kind: AgentKind, platform: Platform, version: Option<&str>) -> Result<PackageSpec> {
    let unsupported = || Error::UnsupportedPlatform { agent: kind.to_string(), platform: platform.to_string() };
    let os_cpu = platform.npm_os_cpu().ok_or_else(unsupported)?;
    let musl = if platform.musl { "-musl" } else { "" };
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let spec = match kind {
        AgentKind::Claude => PackageSpec {
            package: format!("@anthropic-ai/claude-code-{os_cpu}{musl}"),
            version: version.unwrap_or(CLAUDE_VERSION).to_string(),
            binary: PathBuf::from("claude"),
            dependencies: false,
        },
        AgentKind::Codex => {
            // Static musl builds on Linux: the same package serves glibc and musl.
            let triple = platform.codex_triple().ok_or_else(unsupported)?;
            let base = version.unwrap_or(CODEX_VERSION);
            let suffix = format!("-{os_cpu}");
            let version = if base.ends_with(&suffix) { base.to_string() } else { format!("{base}{suffix}") };
            PackageSpec {
                package: "@openai/codex".to_string(),
                version,
                binary: PathBuf::from(format!("vendor/{triple}/bin/codex")),
                dependencies: false,
            }
        }
        AgentKind::Opencode => {
            let baseline = if platform.baseline && platform.arch == "x86_64" { "-baseline" } else { "" };
            PackageSpec {
                package: format!("opencode-{os_cpu}{baseline}{musl}"),
                version: version.unwrap_or(OPENCODE_VERSION).to_string(),
                binary: PathBuf::from("bin/opencode"),
                dependencies: false,
            }
        }
        AgentKind::Amp => {
            // Amp publishes no musl build (its own installer refuses musl too).
            if platform.musl {
                return Err(unsupported());
            }
            PackageSpec {
                package: format!("@ampcode/cli-{os_cpu}"),
                version: version.unwrap_or(AMP_VERSION).to_string(),
                binary: PathBuf::from("amp"),
                dependencies: false,
            }
        }
    };
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_x64_pins() {
        let p = Platform::LINUX_X64;
        let c = pinned(AgentKind::Claude, p).unwrap();
        assert_eq!(c.package, "@anthropic-ai/claude-code-linux-x64");
        assert_eq!(c.version, "2.1.197");
        assert_eq!(c.binary, PathBuf::from("claude"));
        let x = pinned(AgentKind::Codex, p).unwrap();
        assert_eq!(x.package, "@openai/codex");
        assert_eq!(x.version, "0.169.0-linux-x64");
        assert_eq!(x.binary, PathBuf::from("vendor/x86_64-unknown-linux-musl/bin/codex"));
        let o = pinned(AgentKind::Opencode, p).unwrap();
        assert_eq!((o.package.as_str(), o.version.as_str()), ("opencode-linux-x64", "1.18.33"));
        assert_eq!(o.binary, PathBuf::from("bin/opencode"));
        let a = pinned(AgentKind::Amp, p).unwrap();
        assert_eq!(a.package, "@ampcode/cli-linux-x64");
        assert_eq!(a.version, "0.0.1790142911-g7618fb");
        assert_eq!(a.binary, PathBuf::from("amp"));
    }

    #[test]
    fn other_platforms() {
        let c = pinned(AgentKind::Claude, Platform::MACOS_ARM64).unwrap();
        assert_eq!(c.package, "@anthropic-ai/claude-code-darwin-arm64");
        let x = pinned(AgentKind::Codex, Platform::LINUX_ARM64).unwrap();
        assert_eq!(x.version, "0.169.0-linux-arm64");
        assert_eq!(x.binary, PathBuf::from("vendor/aarch64-unknown-linux-musl/bin/codex"));
        let mut musl = Platform::LINUX_X64;
        musl.musl = true;
        musl.baseline = true;
        assert_eq!(pinned(AgentKind::Claude, musl).unwrap().package, "@anthropic-ai/claude-code-linux-x64-musl");
        assert_eq!(pinned(AgentKind::Opencode, musl).unwrap().package, "opencode-linux-x64-baseline-musl");
        assert!(matches!(pinned(AgentKind::Amp, musl), Err(Error::UnsupportedPlatform { .. })));
        let win = Platform::new("windows", "x86_64");
        let err = pinned(AgentKind::Claude, win).unwrap_err();
        assert_eq!(err.to_string(), "claude has no native npm package for platform windows-x86_64");
        assert!(pinned(AgentKind::Codex, Platform::new("linux", "riscv64")).is_err());
    }

    #[test]
    fn version_override() {
        let p = Platform::LINUX_X64;
        let x = spec_for(AgentKind::Codex, p, Some("0.170.0")).unwrap();
        assert_eq!(x.version, "0.170.0-linux-x64");
        let x = spec_for(AgentKind::Codex, p, Some("0.170.0-linux-x64")).unwrap();
        assert_eq!(x.version, "0.170.0-linux-x64");
        let c = spec_for(AgentKind::Claude, p, Some("2.1.330")).unwrap();
        assert_eq!(c.version, "2.1.330");
    }

    #[test]
    fn parse_kind() {
        assert_eq!("Claude".parse::<AgentKind>().unwrap(), AgentKind::Claude);
        assert_eq!("opencode".parse::<AgentKind>().unwrap(), AgentKind::Opencode);
        assert!("gemini".parse::<AgentKind>().is_err());
    }
}
