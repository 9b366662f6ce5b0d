//! ACP (Agent Client Protocol) agents. Only the converter exists so far; the process adapter
//! that spawns a generic ACP agent comes later.

pub mod convert;
