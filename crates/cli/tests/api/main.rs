//! Integration tests: the real `sandbox-agent` binary, over real HTTP, with real SQLite.
//! Every wait has a timeout; nothing sleeps to synchronize.

mod common;

mod acp;
mod attachments;
mod auth;
mod bad_input;
mod cli;
mod cluster;
mod coder;
mod coder_access;
mod coder_manage;
mod coder_prep;
mod concurrency;
mod contract;
mod credentials;
mod durability;
mod fs;
mod hub;
mod looping;
mod mock_contract;
mod routes;
mod run;
mod sse;
mod terminals;
mod ui;
