//! ACP (Agent Client Protocol) agents: the converter (`convert`), and the process adapter
//! that runs any ACP agent (`agent`), built-in or defined in configuration.

mod agent;
pub mod builtin;
pub mod convert;

pub use agent::{AcpAgent, AcpProfile, Setup};
