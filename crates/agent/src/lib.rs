//! The machine side of flotta: what fleet delegated to systemd. Runs the
//! `[Service]` subset `flotta-unit-spec` types, with systemd's state names,
//! and keeps each unit's output in a bounded on-disk [`journal`].
//!
//! ```no_run
//! use flotta_agent::journal::Journal;
//! use flotta_agent::supervisor::Supervisor;
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::service::ServiceConfig;
//! use flotta_unit_spec::specifier::SpecifierContext;
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let file = UnitFile::parse("[Service]\nExecStart=/bin/sleep 60\n")?;
//! let name = UnitName::parse("sleeper.service")?;
//! let config = ServiceConfig::from_unit(&file, &SpecifierContext::for_unit(&name))?;
//! let sup = Supervisor::new(Journal::open("/tmp/journal", 1 << 20)?, "/tmp/run", Vec::new());
//! let unit = sup.supervise("sleeper.service", config);
//! unit.start();
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod agent;
mod cgroup;
pub mod dev;
pub mod error;
pub mod journal;
pub mod machine;
pub mod supervisor;

pub use error::AgentError;
