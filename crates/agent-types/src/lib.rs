//! The agents' native message types, generated from the schemas the agents themselves publish
//! (`resources/agent-schemas/`, see its README) by `generator/`. The converters in
//! `sandbox-agent-agents` deserialize every native message into these before converting it.
//! Never edit the modules by hand: `generated_modules_are_current` fails when one was edited or
//! when its inputs changed since it was generated.
//!
//! Each module has the generated types plus, for each root union, an enum with
//! `from_value(&serde_json::Value)`, which picks the member by the discriminator fields (`type`,
//! `subtype`, `method`) and deserializes only that one.

// Formatted by the generator (prettyplease); rustfmt would change the bodies' hashes.
#[rustfmt::skip]
pub mod acp;
#[rustfmt::skip]
pub mod claude;
#[rustfmt::skip]
pub mod codex;
#[rustfmt::skip]
pub mod codex_exec;
#[rustfmt::skip]
pub mod opencode;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use sha2::{Digest, Sha256};

    const MODULES: [&str; 5] = ["acp", "claude", "codex", "codex_exec", "opencode"];
    const REGENERATE: &str = "cargo run --manifest-path crates/agent-types/generator/Cargo.toml";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn header<'a>(text: &'a str, key: &str) -> &'a str {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("// {key}: ")))
            .unwrap_or_else(|| panic!("no `// {key}:` line"))
    }

    /// The header records the SHA-256 of the generator's inputs (the schemas and the generator's
    /// own source, by path and content) and of the body below it; both must still hold.
    #[test]
    fn generated_modules_are_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for module in MODULES {
            let text = std::fs::read_to_string(root.join(format!("crates/agent-types/src/{module}.rs"))).unwrap();
            let mut inputs = Sha256::new();
            for file in header(&text, "inputs").split(' ') {
                let content = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{module}: input {file}: {e}"));
                inputs.update(file.as_bytes());
                inputs.update([0]);
                inputs.update(&content);
                inputs.update([0]);
            }
            assert_eq!(
                hex(&inputs.finalize()),
                header(&text, "inputs-sha256"),
                "{module}.rs is stale: its schemas or the generator changed; run `{REGENERATE}`"
            );
            let body_start =
                text.find("// body-sha256: ").and_then(|i| text[i..].find('\n').map(|n| i + n + 1)).unwrap();
            assert_eq!(
                hex(&Sha256::digest(&text.as_bytes()[body_start..])),
                header(&text, "body-sha256"),
                "{module}.rs was edited by hand; change the generator instead and run `{REGENERATE}`"
            );
        }
    }
}
