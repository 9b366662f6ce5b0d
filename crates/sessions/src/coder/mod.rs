//! Coder sessions, above the session actor: a task in a fresh workspace (`validate` checks the
//! request into a plan, `workspace` runs git and setup steps, `prepare` drives a session through
//! them with commands), the output contract checked after each turn (`contract`), session tokens
//! (`tokens`), and the transcript (`transcript`). The actor's
//! side of it — recording what the preparation tells it, starting the task, participants — is
//! `actor/coder.rs`; the task's end is noticed where turns end.

pub mod contract;
pub mod manage;
pub mod prepare;
pub mod tokens;
pub mod transcript;
pub mod validate;
pub mod workspace;
