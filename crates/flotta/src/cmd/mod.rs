//! One module per command group.

pub mod agent;
pub mod balance;
pub mod plan;
pub mod plugin;
pub mod unit;
