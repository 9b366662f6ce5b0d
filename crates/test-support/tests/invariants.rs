//! The layering rules of ARCHITECTURE.md ("What each layer must never do"), checked against
//! `cargo metadata`: a new dependency that breaks one fails here, with the rule it breaks.

use std::collections::{BTreeMap, BTreeSet};

/// Per crate: the crates it must never depend on, directly or through other workspace crates
/// (workspace crates), or directly (outside crates), and why.
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "sandbox-agent-schema",
        &["sandbox-agent-*", "tokio", "reqwest", "rusqlite", "axum", "libc"],
        "schema: no I/O and no workspace dependency",
    ),
    (
        "sandbox-agent-exec",
        &["sandbox-agent-*", "axum", "rusqlite", "reqwest"],
        "exec: processes only; it knows nothing of agents, events or sessions",
    ),
    (
        "sandbox-agent-agents",
        &[
            "sandbox-agent-store",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "sandbox-agent-client",
            "axum",
            "rusqlite",
        ],
        "agents: never store, sessions or server",
    ),
    (
        "sandbox-agent-store",
        &[
            "sandbox-agent-agents",
            "sandbox-agent-agent-types",
            "sandbox-agent-exec",
            "sandbox-agent-install",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "sandbox-agent-client",
            "sandbox-agent-cluster",
            "axum",
            "reqwest",
            "tower",
            "hyper",
            "async-nats",
        ],
        "store: no HTTP, no agents, no sessions (a shared backend is its own crate)",
    ),
    (
        "sandbox-agent-sessions",
        &[
            "sandbox-agent-server",
            "sandbox-agent-client",
            "sandbox-agent-cluster",
            "axum",
            "tower",
            "tower-http",
            "utoipa-axum",
            "rusqlite",
            "async-nats",
        ],
        "sessions: no HTTP, and the store only through its trait",
    ),
    (
        "sandbox-agent-runner",
        &[
            "sandbox-agent-store",
            "sandbox-agent-agents",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "sandbox-agent-client",
            "axum",
            "rusqlite",
            "reqwest",
        ],
        "runner: one-shot commands only; no HTTP, no sessions, no store",
    ),
    (
        "sandbox-agent-fs",
        &[
            "sandbox-agent-store",
            "sandbox-agent-agents",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "axum",
            "reqwest",
        ],
        "fs: paths and files only; no HTTP, no sessions",
    ),
    (
        "sandbox-agent-terminals",
        &[
            "sandbox-agent-store",
            "sandbox-agent-agents",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "axum",
            "reqwest",
        ],
        "terminals: PTYs and their watchers only; no HTTP, no sessions",
    ),
    (
        "sandbox-agent-cluster",
        &["sandbox-agent-server", "sandbox-agent-client", "axum", "tower", "rusqlite"],
        "cluster: NATS and the session layer's cluster API only; no HTTP",
    ),
    ("sandbox-agent-server", &["sandbox-agent-client", "rusqlite"], "server: HTTP only; the store behind its trait"),
    (
        "sandbox-agent-client",
        &[
            "sandbox-agent-store",
            "sandbox-agent-agents",
            "sandbox-agent-exec",
            "sandbox-agent-sessions",
            "sandbox-agent-server",
            "sandbox-agent-install",
            "sandbox-agent-agent-types",
        ],
        "client: depends only on schema",
    ),
    ("sandbox-agent-install", &["sandbox-agent-*"], "install: no workspace dependency"),
    ("sandbox-agent-agent-types", &["sandbox-agent-*"], "agent-types: no workspace dependency"),
    ("sandbox-agent-model-stub", &["sandbox-agent-*"], "model-stub: no workspace dependency"),
];

/// Crates only tests may use.
const DEV_ONLY: &[&str] = &["sandbox-agent-test-support"];

struct Workspace {
    /// Normal (non-dev, non-build) dependencies of each workspace crate, by name.
    deps: BTreeMap<String, BTreeSet<String>>,
}

impl Workspace {
    fn load() -> Workspace {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut deps = BTreeMap::new();
        for package in meta["packages"].as_array().unwrap() {
            let normal = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            deps.insert(package["name"].as_str().unwrap().to_string(), normal);
        }
        Workspace { deps }
    }

    /// What `name` depends on: its direct dependencies, and everything reachable through the
    /// workspace crates among them.
    fn reach(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(next) = todo.pop() {
            for dep in self.deps.get(&next).into_iter().flatten() {
                if seen.insert(dep.clone()) && self.deps.contains_key(dep) {
                    todo.push(dep.clone());
                }
            }
        }
        seen
    }
}

fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

fn violations(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for (krate, forbidden, rule) in RULES {
        assert!(ws.deps.contains_key(*krate), "no crate {krate} in the workspace: update RULES");
        let reach = ws.reach(krate);
        let direct = &ws.deps[*krate];
        for dep in &reach {
            let in_workspace = ws.deps.contains_key(dep);
            // Outside crates are checked where they are named; through a workspace crate they
            // are that crate's business (sessions reaches hyper through agents' reqwest).
            if !in_workspace && !direct.contains(dep) {
                continue;
            }
            if forbidden.iter().any(|p| matches(p, dep)) {
                out.push(format!("{krate} depends on {dep}: {rule}"));
            }
        }
    }
    for (krate, direct) in &ws.deps {
        for dep in direct.iter().filter(|d| DEV_ONLY.contains(&d.as_str())) {
            out.push(format!("{krate} depends on {dep} outside its tests: it is a dev-dependency only"));
        }
    }
    out
}

#[test]
fn no_crate_depends_on_what_its_layer_must_never() {
    let ws = Workspace::load();
    let found = violations(&ws);
    assert!(found.is_empty(), "layering rules broken:\n{}", found.join("\n"));
}

/// The check itself can fail: a workspace where agents depends on store, and schema on tokio.
#[test]
fn a_forbidden_dependency_is_reported() {
    let mut ws = Workspace::load();
    ws.deps.get_mut("sandbox-agent-agents").unwrap().insert("sandbox-agent-store".into());
    ws.deps.get_mut("sandbox-agent-schema").unwrap().insert("tokio".into());
    ws.deps.get_mut("sandbox-agent-exec").unwrap().insert("sandbox-agent-test-support".into());
    let found = violations(&ws);
    assert!(found.iter().any(|v| v.starts_with("sandbox-agent-agents depends on sandbox-agent-store")), "{found:?}");
    assert!(found.iter().any(|v| v.starts_with("sandbox-agent-schema depends on tokio")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("dev-dependency only")), "{found:?}");
}
