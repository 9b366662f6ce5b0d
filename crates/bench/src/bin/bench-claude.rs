//! The replay agent, laid out as an installed `claude` for the daemon under test (see
//! `sandbox_agent_bench::replay`).

fn main() {
    sandbox_agent_bench::replay::main();
}
