//! One module per command group.

pub mod plan;
pub mod plugin;
pub mod unit;
