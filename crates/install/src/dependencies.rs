//! A node package's dependencies, installed beside it by npm itself: resolving a dependency tree
//! (ranges, peers, platform-specific optional packages) is npm's job, and it reads the same
//! `.npmrc` (scopes, credentials) this crate does. The package's own tarball was fetched and
//! verified by the installer; npm checks each dependency against the registry's integrity.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The longest npm output kept for an error.
const KEPT: usize = 2000;

/// `npm install` of `dir`'s `package.json` dependencies (not its dev ones, no scripts).
pub fn install(dir: &Path, registry: &str, package: &str) -> Result<()> {
    let fail = |detail: String| Error::Dependencies { package: package.to_string(), detail };
    let output = Command::new("npm")
        .args(["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock"])
        .args(["--loglevel=error", "--registry", registry])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(format!("running npm: {e} (a node package needs npm to install)")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: String = stderr.chars().rev().take(KEPT).collect::<Vec<_>>().into_iter().rev().collect();
    Err(fail(format!("{}: {}", output.status, tail.trim())))
}
