//! The shared test harness (crates/test-support), and a check that it runs this package's binary.

pub use sandbox_agent_test_support::*;

#[test]
fn the_harness_runs_the_binary_cargo_built_for_these_tests() {
    let expected = std::path::Path::new(env!("CARGO_BIN_EXE_sandbox-agent"));
    assert_eq!(bin().canonicalize().unwrap(), expected.canonicalize().unwrap());
}
