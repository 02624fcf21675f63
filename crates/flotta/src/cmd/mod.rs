//! One module per command group.

pub mod agent;
pub mod agent_config;
pub mod balance;
pub mod confd;
pub mod control;
pub mod demo;
pub mod dev_api;
pub mod docs;
pub mod journal;
pub mod kv;
pub mod machine;
pub mod plan;
pub mod plugin;
pub mod unit;
