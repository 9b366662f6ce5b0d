//! Black-box tests over real HTTP: one test binary (to keep link time down)
//! with a module per API.

mod anthropic;
mod chat;
mod responses;
mod server;
mod support;
