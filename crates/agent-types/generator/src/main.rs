//! Generates `crates/agent-types/src/{claude,codex,codex_exec,opencode}.rs` from the schemas in
//! `resources/agent-schemas/` (extracted from the pinned agents by `extract.sh`):
//!
//! 1. load the input schemas and gather their definitions (`schema.rs`), keeping only those the
//!    converters' root types reach, after the few rewrites typify needs;
//! 2. typify turns the definitions into Rust types;
//! 3. each root union (a stdout line, an SSE event, a JSON-RPC notification) gets a dispatch enum
//!    whose `from_value` picks the member by its discriminator fields (`dispatch.rs`);
//! 4. the file is written with a header recording the SHA-256 of its inputs (the schemas and this
//!    generator's own source) and of its body, which `crates/agent-types` checks in a test.
//!
//! Run from anywhere: `cargo run --manifest-path crates/agent-types/generator/Cargo.toml`.

mod dispatch;
mod rewrite;
mod schema;
mod specs;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..").canonicalize().expect("repository root");
    let only: Vec<String> = std::env::args().skip(1).collect();
    for spec in specs::all() {
        if !only.is_empty() && !only.iter().any(|m| m == spec.module) {
            continue;
        }
        let body = generate(&root, &spec).unwrap_or_else(|e| panic!("{}: {e}", spec.module));
        let out = root.join(format!("crates/agent-types/src/{}.rs", spec.module));
        let text = with_header(&root, &spec, &body);
        std::fs::write(&out, text).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        eprintln!("wrote {} ({} lines)", out.display(), body.lines().count());
    }
}

fn generate(root: &Path, spec: &specs::Spec) -> Result<String, String> {
    let bundle = schema::Bundle::load(root, spec)?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_struct_builder(false).with_map_type("::std::collections::BTreeMap".to_string());
    for u in bundle.unions.iter().filter(|u| u.nested) {
        // typify looks replacements up by its Pascal-case name of the definition.
        if !u.name.chars().all(|c| c.is_ascii_alphanumeric()) || !u.name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Err(format!("nested union {} needs a Pascal-case name", u.name));
        }
        settings.with_replacement(&u.name, &u.name, std::iter::empty());
    }
    let mut space = typify::TypeSpace::new(&settings);
    space.add_ref_types(bundle.schemas()?).map_err(|e| format!("typify: {e}"))?;
    // Every inline type has a unique title (rewrite::name_inline_types); check anyway.
    let mut names: Vec<String> = space.iter_types().map(|t| t.name()).collect();
    names.sort();
    let clashes: Vec<&String> = names.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
    if !clashes.is_empty() {
        return Err(format!("typify gave two types the same name: {clashes:?}"));
    }
    if space.uses_regress() || space.uses_chrono() || space.uses_uuid() {
        return Err("the generated types would need regress, chrono or uuid; strip the formats in schema.rs".into());
    }
    let types = space.to_stream();
    let unions = bundle.unions.iter().map(|u| dispatch::emit(&mut space, u)).collect::<Result<Vec<_>, _>>()?;
    let file: syn::File = syn::parse2(quote::quote! {
        #types
        #(#unions)*
    })
    .map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Files whose content decides the output, relative to the repository root: the schemas, then
/// the generator itself (so a generator change without regenerating is caught too).
fn inputs(root: &Path, spec: &specs::Spec) -> Vec<String> {
    let mut files: Vec<String> = spec.inputs.iter().map(|s| s.to_string()).collect();
    let gen = "crates/agent-types/generator";
    let mut own: Vec<PathBuf> =
        std::fs::read_dir(root.join(gen).join("src")).unwrap().map(|e| e.unwrap().path()).collect();
    own.sort();
    files.extend(own.iter().map(|p| format!("{gen}/src/{}", p.file_name().unwrap().to_string_lossy())));
    files.extend([format!("{gen}/Cargo.toml"), format!("{gen}/Cargo.lock")]);
    files
}

/// SHA-256 over each file's path and content (the same computation as the staleness test in
/// `crates/agent-types/src/lib.rs`).
fn inputs_hash(root: &Path, files: &[String]) -> String {
    let mut hash = Sha256::new();
    for f in files {
        let content = std::fs::read(root.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        hash.update(f.as_bytes());
        hash.update([0]);
        hash.update(&content);
        hash.update([0]);
    }
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn with_header(root: &Path, spec: &specs::Spec, body: &str) -> String {
    let files = inputs(root, spec);
    let mut header = String::new();
    header.push_str(&format!("//! {}\n//!\n", spec.doc));
    for patch in spec.patches {
        header.push_str(&format!("//! Patched: `{}` is `{}`: {}.\n//!\n", patch.def, patch.schema, patch.why));
    }
    header.push_str(
        "//! @generated by crates/agent-types/generator from the schemas in resources/agent-schemas: do not\n",
    );
    header.push_str("//! edit. Regenerate with `cargo run --manifest-path crates/agent-types/generator/Cargo.toml`.\n");
    header.push_str(&format!("// inputs: {}\n", files.join(" ")));
    header.push_str(&format!("// inputs-sha256: {}\n", inputs_hash(root, &files)));
    let body = format!("#![allow(clippy::all, clippy::pedantic, missing_docs, unused_imports, dead_code, non_camel_case_types)]\n{body}");
    header.push_str(&format!("// body-sha256: {}\n", hex(&Sha256::digest(body.as_bytes()))));
    format!("{header}{body}")
}
