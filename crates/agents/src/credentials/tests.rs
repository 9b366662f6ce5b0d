use super::*;
use std::collections::HashMap;

const ANT: &str = "sk-ant-api03-AAAAmiddle-of-the-anthropic-keyZZZZ";
const OAI: &str = "sk-proj-BBBBmiddle-of-the-openai-keyYYYY";

fn write(home: &Path, rel: &str, text: &str) {
    let path = home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn find(home: &Path, env: &[(&str, &str)]) -> Credentials {
    let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    discover(home, &move |k| env.get(k).cloned())
}

fn summary(creds: &Credentials) -> Vec<(String, Kind, String, String)> {
    creds.found.iter().map(|c| (c.provider.clone(), c.kind, c.source.clone(), c.value.expose().to_string())).collect()
}

fn skipped(creds: &Credentials, source_part: &str) -> String {
    creds.skipped.iter().find(|s| s.source.contains(source_part)).map(|s| s.reason.clone()).unwrap_or_default()
}

#[test]
fn nothing_anywhere_is_empty_but_says_where_it_looked() {
    let home = tempfile::tempdir().unwrap();
    let creds = find(home.path(), &[]);
    assert!(creds.is_empty() && creds.skipped.is_empty());
    for place in [
        "env:ANTHROPIC_API_KEY",
        "env:CODEX_API_KEY",
        "~/.claude.json",
        "~/.codex/auth.json",
        "~/.local/share/amp/secrets.json",
    ] {
        assert!(creds.searched.iter().any(|s| s == place), "{place} in {:?}", creds.searched);
    }
}

#[test]
fn environment_variables_and_their_fallbacks() {
    let home = tempfile::tempdir().unwrap();
    let creds = find(
        home.path(),
        &[
            ("CLAUDE_API_KEY", "ck-1234567890"),
            ("CODEX_API_KEY", "cx-1234567890"),
            ("AMP_API_KEY", "sgamp_x1234567"),
            ("OPENAI_API_KEY", "  "),
        ],
    );
    assert_eq!(
        summary(&creds),
        vec![
            ("anthropic".into(), Kind::ApiKey, "env:CLAUDE_API_KEY".into(), "ck-1234567890".into()),
            ("openai".into(), Kind::ApiKey, "env:CODEX_API_KEY".into(), "cx-1234567890".into()),
            ("amp".into(), Kind::ApiKey, "env:AMP_API_KEY".into(), "sgamp_x1234567".into()),
        ]
    );
    let creds = find(
        home.path(),
        &[
            ("ANTHROPIC_API_KEY", "a-primary-123"),
            ("CLAUDE_API_KEY", "b-second-123"),
            ("CLAUDE_CODE_OAUTH_TOKEN", "sk-ant-oat01-xyz"),
        ],
    );
    let s = summary(&creds);
    assert_eq!((s[0].2.as_str(), s[0].3.as_str()), ("env:ANTHROPIC_API_KEY", "a-primary-123"));
    assert_eq!((s[1].1, s[1].2.as_str()), (Kind::OAuth, "env:CLAUDE_CODE_OAUTH_TOKEN"));
}

#[test]
fn claude_json_keys_must_look_like_anthropic_keys() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".claude.json",
        &format!(r#"{{"primaryApiKey":"not-a-key","customApiKey":"{ANT}","apiKey":7,"projects":{{}}}}"#),
    );
    let creds = find(home.path(), &[]);
    assert_eq!(
        summary(&creds),
        vec![("anthropic".into(), Kind::ApiKey, "~/.claude.json#customApiKey".into(), ANT.into())]
    );
    assert!(skipped(&creds, "#primaryApiKey").contains("does not look like"), "{:?}", creds.skipped);
    assert_eq!(skipped(&creds, "#apiKey"), "not a string");
    assert!(!format!("{:?}", creds.skipped).contains("not-a-key"), "a skip reason never holds the value");
}

#[test]
fn claude_oauth_is_used_until_it_expires() {
    let home = tempfile::tempdir().unwrap();
    // Claude Code writes milliseconds; an RFC 3339 string is understood too.
    write(
        home.path(),
        ".claude/.credentials.json",
        r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-live-token","refreshToken":"r","expiresAt":7258118400000}}"#,
    );
    let creds = find(home.path(), &[]);
    assert_eq!(
        summary(&creds),
        vec![(
            "anthropic".into(),
            Kind::OAuth,
            "~/.claude/.credentials.json#claudeAiOauth".into(),
            "sk-ant-oat01-live-token".into()
        )]
    );
    for expired in ["1000000000000", r#""2001-09-09T01:46:40Z""#] {
        write(
            home.path(),
            ".claude/.credentials.json",
            &format!(r#"{{"claudeAiOauth":{{"accessToken":"sk-ant-oat01-old","expiresAt":{expired}}}}}"#),
        );
        let creds = find(home.path(), &[]);
        assert!(creds.is_empty(), "{expired}: {:?}", summary(&creds));
        assert!(skipped(&creds, ".credentials.json").contains("expired"), "{:?}", creds.skipped);
    }
    write(
        home.path(),
        ".claude/.credentials.json",
        r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-future","expiresAt":"2200-01-01T00:00:00Z"}}"#,
    );
    assert_eq!(find(home.path(), &[]).found.len(), 1);
}

#[test]
fn claude_config_dir_moves_both_files() {
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(home.path(), ".claude.json", &format!(r#"{{"primaryApiKey":"{ANT}"}}"#));
    write(elsewhere.path(), ".claude.json", r#"{"primaryApiKey":"sk-ant-from-config-dir"}"#);
    write(elsewhere.path(), ".credentials.json", r#"{"claudeAiOauth":{"accessToken":"sk-ant-oat01-cfg"}}"#);
    let dir = elsewhere.path().display().to_string();
    let s = summary(&find(home.path(), &[("CLAUDE_CONFIG_DIR", &dir)]));
    assert_eq!(s.iter().map(|c| c.3.as_str()).collect::<Vec<_>>(), ["sk-ant-from-config-dir", "sk-ant-oat01-cfg"]);
    assert!(s[0].2.starts_with(&dir), "{}", s[0].2);
}

#[test]
fn codex_api_key_else_the_chatgpt_token() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".codex/auth.json",
        &format!(r#"{{"auth_mode":"apikey","OPENAI_API_KEY":"{OAI}","tokens":{{"access_token":"eyJ-token"}}}}"#),
    );
    assert_eq!(
        summary(&find(home.path(), &[])),
        vec![("openai".into(), Kind::ApiKey, "~/.codex/auth.json#OPENAI_API_KEY".into(), OAI.into())]
    );
    write(
        home.path(),
        ".codex/auth.json",
        r#"{"OPENAI_API_KEY":null,"tokens":{"id_token":"i","access_token":"eyJ-access-token","refresh_token":"r"}}"#,
    );
    assert_eq!(
        summary(&find(home.path(), &[])),
        vec![(
            "openai".into(),
            Kind::OAuth,
            "~/.codex/auth.json#tokens.access_token".into(),
            "eyJ-access-token".into()
        )]
    );
    let other = tempfile::tempdir().unwrap();
    write(other.path(), "auth.json", r#"{"OPENAI_API_KEY":"sk-from-codex-home"}"#);
    let creds = find(home.path(), &[("CODEX_HOME", &other.path().display().to_string())]);
    assert_eq!(summary(&creds)[0].3, "sk-from-codex-home");
}

#[test]
fn opencode_providers_api_and_oauth() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".local/share/opencode/auth.json",
        &format!(
            r#"{{"openai":{{"type":"api","key":"{OAI}"}},
            "anthropic":{{"type":"oauth","refresh":"r","access":"sk-ant-oat01-oc","expires":7258118400000}},
            "openrouter":{{"type":"api","key":"sk-or-v1-abcdefgh"}},
            "github-copilot":{{"type":"oauth","refresh":"r","access":"gho_old","expires":1000}},
            "corp":{{"type":"wellknown","key":"k","token":"t"}},
            "broken":{{"type":"api"}}}}"#
        ),
    );
    let s = summary(&find(home.path(), &[]));
    let got: Vec<(&str, Kind)> = s.iter().map(|c| (c.0.as_str(), c.1)).collect();
    assert_eq!(
        got,
        [("anthropic", Kind::OAuth), ("openai", Kind::ApiKey), ("openrouter", Kind::ApiKey)],
        "in provider name order"
    );
    assert_eq!(s[1].2, "~/.local/share/opencode/auth.json#openai");
    let creds = find(home.path(), &[]);
    assert!(skipped(&creds, "#github-copilot").contains("expired"));
    assert!(skipped(&creds, "#corp").contains("not supported"));
    assert_eq!(skipped(&creds, "#broken"), "no key string");
    // XDG_DATA_HOME moves it.
    let data = tempfile::tempdir().unwrap();
    write(data.path(), "opencode/auth.json", r#"{"openai":{"type":"api","key":"sk-from-xdg-data"}}"#);
    let creds = find(home.path(), &[("XDG_DATA_HOME", &data.path().display().to_string())]);
    assert_eq!(summary(&creds)[0].3, "sk-from-xdg-data");
}

#[test]
fn amp_secrets_file() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".local/share/amp/secrets.json",
        r#"{"apiKey@https://ampcode.com/":"sgamp_user_01ABCDEF_0123456789"}"#,
    );
    assert_eq!(
        summary(&find(home.path(), &[])),
        vec![(
            "amp".into(),
            Kind::ApiKey,
            "~/.local/share/amp/secrets.json#apiKey@https://ampcode.com/".into(),
            "sgamp_user_01ABCDEF_0123456789".into()
        )]
    );
    // Another Amp server's token is stored under its URL.
    write(
        home.path(),
        ".local/share/amp/secrets.json",
        r#"{"apiKey@https://ampcode.com/":"sgamp_a_default_x","apiKey@https://amp.corp.example":"sgamp_corp_1234567"}"#,
    );
    let creds = find(home.path(), &[("AMP_URL", "https://amp.corp.example/")]);
    assert_eq!(summary(&creds)[0].3, "sgamp_corp_1234567");
}

#[test]
fn malformed_files_are_skipped_with_a_reason() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".claude.json", "{\"primaryApiKey\": \"sk-ant-secret-in-broken-json");
    write(home.path(), ".claude/.credentials.json", "[1,2,3]");
    write(home.path(), ".codex/auth.json", r#"{"OPENAI_API_KEY": 42}"#);
    write(home.path(), ".local/share/opencode/auth.json", "");
    std::fs::create_dir_all(home.path().join(".local/share/amp/secrets.json")).unwrap();
    let creds = find(home.path(), &[]);
    assert!(creds.is_empty(), "{:?}", summary(&creds));
    assert!(skipped(&creds, "~/.claude.json").starts_with("invalid JSON"), "{:?}", creds.skipped);
    assert_eq!(skipped(&creds, ".credentials.json"), "not a JSON object");
    assert_eq!(skipped(&creds, "codex/auth.json#OPENAI_API_KEY"), "not a string");
    assert!(skipped(&creds, "opencode/auth.json").starts_with("invalid JSON"));
    assert_eq!(skipped(&creds, "amp/secrets.json"), "not a regular file");
    assert!(!format!("{:?}", creds.skipped).contains("secret-in-broken"));
}

#[test]
fn environment_wins_over_files() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".claude.json", &format!(r#"{{"primaryApiKey":"{ANT}"}}"#));
    write(home.path(), ".codex/auth.json", &format!(r#"{{"OPENAI_API_KEY":"{OAI}"}}"#));
    let creds =
        find(home.path(), &[("ANTHROPIC_API_KEY", "sk-ant-from-env-1234"), ("OPENAI_API_KEY", "sk-from-env-5678")]);
    let anthropic = creds.first("anthropic", &[Kind::ApiKey, Kind::OAuth]).unwrap();
    assert_eq!(
        (anthropic.source.as_str(), anthropic.value.expose()),
        ("env:ANTHROPIC_API_KEY", "sk-ant-from-env-1234")
    );
    assert_eq!(creds.first("openai", &[Kind::ApiKey]).unwrap().value.expose(), "sk-from-env-5678");
    assert_eq!(creds.found.len(), 4, "the files' keys are still listed");
    let env = env_for("claude", &creds);
    assert_eq!(env, vec![("ANTHROPIC_API_KEY".to_string(), "sk-ant-from-env-1234".to_string())]);
}

#[test]
fn without_a_home_only_the_environment_is_read() {
    let creds = discover_at(None, &|k| (k == "AMP_API_KEY").then(|| "sgamp_x1234567".to_string()), SystemTime::now());
    assert_eq!(creds.found.len(), 1);
    assert!(creds.searched.iter().all(|s| s.starts_with("env:")));
}

#[test]
fn redaction_never_shows_the_middle() {
    assert_eq!(redact(""), "****");
    assert_eq!(redact("12345678"), "****");
    assert_eq!(redact("123456789"), "1234…6789");
    let r = redact(ANT);
    assert_eq!(r, "sk-a…ZZZZ");
    assert!(!r.contains("middle"));
    assert_eq!(redact("ключ-ключ-ключ"), "ключ…ключ", "characters, not bytes");
    let secret = Secret::new(OAI);
    assert_eq!(secret.to_string(), "sk-p…YYYY");
    assert!(!format!("{secret:?}").contains("middle"));
}

#[test]
fn debug_and_display_of_a_credential_hide_the_value() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".claude.json", &format!(r#"{{"primaryApiKey":"{ANT}"}}"#));
    let creds = find(home.path(), &[]);
    let c = &creds.found[0];
    for shown in [format!("{c:?}"), format!("{c:#?}"), c.to_string(), format!("{creds:?}")] {
        assert!(!shown.contains(ANT) && !shown.contains("middle"), "{shown}");
    }
    assert_eq!(c.to_string(), "anthropic api_key ~/.claude.json#primaryApiKey sk-a…ZZZZ");
}

fn creds(list: &[(&str, Kind, &str)]) -> Credentials {
    Credentials {
        found: list
            .iter()
            .map(|(p, k, v)| Credential {
                provider: p.to_string(),
                kind: *k,
                source: "test".into(),
                value: Secret::new(*v),
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn env_for_uses_the_right_variable_per_agent_and_kind() {
    let all = creds(&[
        ("anthropic", Kind::OAuth, "sk-ant-oat01-t"),
        ("anthropic", Kind::ApiKey, "sk-ant-key"),
        ("openai", Kind::OAuth, "eyJ-chatgpt"),
        ("openai", Kind::ApiKey, "sk-openai"),
        ("amp", Kind::ApiKey, "sgamp_k"),
    ]);
    let vars = |agent: &str| env_for(agent, &all).into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>();
    assert_eq!(vars("claude"), ["CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-t"], "the first anthropic credential");
    assert_eq!(vars("codex"), ["OPENAI_API_KEY=sk-openai"], "never the ChatGPT token");
    assert_eq!(vars("opencode"), ["OPENAI_API_KEY=sk-openai", "ANTHROPIC_API_KEY=sk-ant-key"]);
    assert_eq!(vars("amp"), ["AMP_API_KEY=sgamp_k"]);
    assert!(vars("mock").is_empty());
    let oauth_only = creds(&[("openai", Kind::OAuth, "eyJ-chatgpt")]);
    assert!(env_for("codex", &oauth_only).is_empty());
}

#[test]
fn inject_only_fills_what_is_unset() {
    let found = creds(&[("anthropic", Kind::ApiKey, "sk-ant-found"), ("amp", Kind::ApiKey, "sgamp_found")]);
    let mut env = vec![("HOME".to_string(), "/h".to_string())];
    inject(&mut env, "claude", &found);
    assert_eq!(env.last().unwrap(), &("ANTHROPIC_API_KEY".to_string(), "sk-ant-found".to_string()));
    for set in [
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
        "CLAUDE_CODE_USE_BEDROCK",
    ] {
        let mut env = vec![(set.to_string(), String::new())];
        inject(&mut env, "claude", &found);
        assert_eq!(env.len(), 1, "{set} set (even empty): nothing added");
    }
    let mut env = vec![("AMP_API_KEY".to_string(), String::new())];
    inject(&mut env, "amp", &found);
    assert_eq!(env.len(), 1);
}
