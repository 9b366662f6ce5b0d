//! The agent × capability table in the README, rendered from the same `capabilities()` that
//! `GET /v1/agents` serves, so the two cannot drift.

use crate::AgentRegistry;

/// A Markdown table: one row per capability flag, one column per agent.
pub fn markdown_table(agents: &AgentRegistry) -> String {
    let columns: Vec<(String, serde_json::Map<String, serde_json::Value>)> = agents
        .all()
        .map(|a| {
            let flags = serde_json::to_value(a.capabilities()).expect("capabilities serialize");
            (a.id().to_string(), flags.as_object().cloned().unwrap_or_default())
        })
        .collect();
    let mut out = String::from("| capability |");
    for (id, _) in &columns {
        out.push_str(&format!(" {id} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    let flags: Vec<String> = columns.first().map(|(_, f)| f.keys().cloned().collect()).unwrap_or_default();
    for flag in flags {
        out.push_str(&format!("| `{flag}` |"));
        for (_, values) in &columns {
            let on = values.get(&flag).and_then(|v| v.as_bool()).unwrap_or(false);
            out.push_str(if on { " ✓ |" } else { " – |" });
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{builtin_agents, AgentsConfig};

    const START: &str = "<!-- capabilities:start -->\n";
    const END: &str = "<!-- capabilities:end -->";

    /// The README's table is the generated one (`UPDATE_README=1` rewrites it).
    #[test]
    fn readme_table_is_current() {
        let config = AgentsConfig { agents_dir: "/nonexistent".into(), ..Default::default() };
        let table = super::markdown_table(&builtin_agents(&config).unwrap());
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
            panic!("README.md lacks the capabilities markers");
        };
        let current = &readme[start + START.len()..end];
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        assert!(
            current == table,
            "README.md's capability table is stale: run `UPDATE_README=1 cargo test -p sandbox-agent-agents readme`"
        );
    }
}
