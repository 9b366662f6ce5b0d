//! Real agent CLIs (installed by our own installer) driven by the daemon against the model
//! stub: no network, no fake of the agent. Every wait has a timeout.

#[path = "../api/common.rs"]
#[allow(dead_code)]
mod common;

#[macro_use]
mod scenarios;
mod acp;
mod attachments;
mod claude;
mod cluster;
mod codex;
mod mcp;
mod models;
mod opencode;
mod plan;
mod skills;
mod support;
