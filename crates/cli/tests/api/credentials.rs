//! `sandbox-agent credentials` against a fake home: redacted by default, `--reveal`, `--json`.

use std::path::Path;

use crate::common::*;

const KEY: &str = "sk-proj-ABCDsecret-middle-of-the-keyWXYZ";

/// Run `sandbox-agent credentials` with `HOME=home` and no credential variables.
async fn credentials(home: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = tokio::process::Command::new(bin());
    cmd.arg("credentials").args(args).env("HOME", home);
    for var in [
        "ANTHROPIC_API_KEY",
        "CLAUDE_API_KEY",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "OPENAI_API_KEY",
        "CODEX_API_KEY",
        "AMP_API_KEY",
        "AMP_URL",
        "CLAUDE_CONFIG_DIR",
        "CODEX_HOME",
        "XDG_DATA_HOME",
    ] {
        cmd.env_remove(var);
    }
    let out = tokio::time::timeout(WAIT, cmd.output()).await.expect("credentials in time").unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fake_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".codex")).unwrap();
    std::fs::write(
        home.path().join(".codex/auth.json"),
        format!(r#"{{"auth_mode":"apikey","OPENAI_API_KEY":"{KEY}"}}"#),
    )
    .unwrap();
    std::fs::write(home.path().join(".claude.json"), "{not json").unwrap();
    home
}

#[tokio::test]
async fn lists_redacted_by_default() {
    let home = fake_home();
    let (code, out, err) = credentials(home.path(), &[]).await;
    assert_eq!(code, 0, "{err}");
    let fields: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(fields, ["openai", "api_key", "~/.codex/auth.json#OPENAI_API_KEY", "sk-p…WXYZ"], "{out}");
    assert!(!out.contains("middle") && !err.contains("middle"));
    assert!(err.contains("skipped ~/.claude.json: invalid JSON"), "{err}");
}

#[tokio::test]
async fn reveal_prints_the_value() {
    let home = fake_home();
    let (code, out, _) = credentials(home.path(), &["--reveal"]).await;
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.trim_end().ends_with(KEY), "{out}");
}

#[tokio::test]
async fn json_for_machines() {
    let home = fake_home();
    let (code, out, _) = credentials(home.path(), &["--json"]).await;
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found = doc["credentials"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["provider"], "openai");
    assert_eq!(found[0]["kind"], "api_key");
    assert_eq!(found[0]["source"], "~/.codex/auth.json#OPENAI_API_KEY");
    assert_eq!(found[0]["value"], "sk-p…WXYZ");
    assert_eq!(found[0]["redacted"], true);
    assert_eq!(doc["skipped"][0]["source"], "~/.claude.json");
    assert!(!out.contains("middle"));
    let (_, out, _) = credentials(home.path(), &["--json", "--reveal"]).await;
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (doc["credentials"][0]["value"].as_str(), doc["credentials"][0]["redacted"].as_bool()),
        (Some(KEY), Some(false))
    );
}

#[tokio::test]
async fn nothing_found_exits_zero_and_says_where_it_looked() {
    let empty = tempfile::tempdir().unwrap();
    let (code, out, _) = credentials(empty.path(), &[]).await;
    assert_eq!(code, 0);
    assert!(out.starts_with("no credentials found\n"), "{out}");
    assert!(
        out.contains("env:ANTHROPIC_API_KEY")
            && out.contains("~/.codex/auth.json")
            && out.contains("~/.local/share/amp/secrets.json"),
        "{out}"
    );
    let (_, out, _) = credentials(empty.path(), &["--json"]).await;
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["credentials"], serde_json::json!([]));
    assert!(doc["searched"].as_array().unwrap().len() > 5);
}

#[tokio::test]
async fn home_flag_looks_elsewhere() {
    let empty = tempfile::tempdir().unwrap();
    let other = fake_home();
    let dir = other.path().display().to_string();
    let (code, out, _) = credentials(empty.path(), &["--home", &dir]).await;
    assert_eq!(code, 0);
    assert!(out.starts_with("openai ") && out.contains("sk-p…WXYZ"), "{out}");
}
