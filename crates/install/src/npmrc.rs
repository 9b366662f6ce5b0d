//! `.npmrc` parsing, `${VAR}` expansion and the `npm config get registry` fallback.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

/// Parse `.npmrc` (ini) text into `(key, value)` pairs, with `${VAR}` expanded
/// in keys and values. Comments (`;`, `#`), sections and array keys are skipped.
pub(crate) fn parse_npmrc(text: &str, vars: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') || line.starts_with('[') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = expand_env(key.trim(), vars);
        if key.is_empty() || key.ends_with("[]") {
            continue;
        }
        let value = value.trim();
        let value = match value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\'')))
        {
            true => &value[1..value.len() - 1],
            false => value,
        };
        out.push((key, expand_env(value, vars)));
    }
    out
}

/// npm-style `${NAME}` expansion. `${NAME?}` becomes empty when unset; an
/// unset `${NAME}` stays literal (as npm does); `\${` escapes.
pub(crate) fn expand_env(s: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        if rest[..i].ends_with('\\') {
            out.push_str(&rest[..i - 1]);
            out.push_str("${");
            rest = &rest[i + 2..];
            continue;
        }
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('}') else {
            rest = &rest[i..];
            break;
        };
        let inner = &rest[i + 2..i + end];
        let (name, optional) = match inner.strip_suffix('?') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        match vars.get(name) {
            Some(v) => out.push_str(v),
            None if optional => {}
            None => {
                tracing::warn!("npmrc references unset environment variable {name}");
                out.push_str(&rest[i..=i + end]);
            }
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Run `npm config get registry`, killing it after `timeout`.
pub(crate) fn npm_config_get_registry(npm: &OsString, cwd: Option<&Path>, timeout: Duration) -> Result<String, String> {
    use std::io::Read;
    use std::process::{Command, Stdio};

    let mut cmd = Command::new(npm);
    cmd.args(["config", "get", "registry"]).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    if let Some(dir) = cwd.filter(|d| d.is_dir()) {
        cmd.current_dir(dir);
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot run {}: {e}", npm.to_string_lossy()))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut s = String::new();
        let r = stdout.read_to_string(&mut s).map(|_| s);
        let _ = tx.send(r);
    });
    let out = match rx.recv_timeout(timeout) {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {timeout:?}"));
        }
    };
    let status = child.wait().map_err(|e| e.to_string())?;
    let out = out?;
    let url = out.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if !status.success() || url.is_empty() || url == "undefined" {
        return Err(format!("exited with {status} and printed {url:?}"));
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn expansion() {
        let v = vars(&[("TOK", "abc"), ("HOST", "h")]);
        assert_eq!(expand_env("x${TOK}y", &v), "xabcy");
        assert_eq!(expand_env("//${HOST}/:_authToken", &v), "//h/:_authToken");
        assert_eq!(expand_env("${MISSING}", &v), "${MISSING}");
        assert_eq!(expand_env("a${MISSING?}b", &v), "ab");
        assert_eq!(expand_env("\\${TOK}", &v), "${TOK}");
        assert_eq!(expand_env("${unterminated", &v), "${unterminated");
    }

    #[test]
    fn npmrc_lines() {
        let text = "; comment\n# c\nregistry = \"http://a.test/r\"\n@s:registry=http://b.test/\n\
                    //a.test/r/:_authToken=${T}\n[section]\nlist[]=1\nnoequals\n";
        let kv = parse_npmrc(text, &vars(&[("T", "tok")]));
        assert_eq!(
            kv,
            vec![
                ("registry".into(), "http://a.test/r".into()),
                ("@s:registry".into(), "http://b.test/".into()),
                ("//a.test/r/:_authToken".into(), "tok".into()),
            ]
        );
    }
}
