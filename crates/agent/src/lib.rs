//! The machine side of flotta: what fleet delegated to systemd. Runs the
//! `[Service]` subset `flotta-unit-spec` types, with systemd's state names,
//! and keeps each unit's output in a bounded on-disk [`journal`].
//!
//! # Example: run a unit, read its state and journal
//!
//! ```
//! use std::time::Duration;
//! use flotta_agent::journal::Journal;
//! use flotta_agent::supervisor::{ActiveState, Supervisor};
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::service::ServiceConfig;
//! use flotta_unit_spec::specifier::SpecifierContext;
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let dir = tempfile::tempdir()?;
//! let file = UnitFile::parse("[Service]\nType=oneshot\nExecStart=/bin/echo hello from %n\n")?;
//! let name = UnitName::parse("hello.service")?;
//! let config = ServiceConfig::from_unit(&file, &SpecifierContext::for_unit(&name))?;
//! let journal = Journal::open(dir.path().join("journal"), 1 << 20)?;
//! let sup = Supervisor::new(journal, dir.path().join("run"), Vec::new());
//!
//! let unit = sup.supervise("hello.service", config)?;
//! unit.start();
//! // A oneshot unit has done its job once its process exited successfully.
//! let done = unit
//!     .wait_until(Duration::from_secs(20), |s| s.starts == 1 && s.active == ActiveState::Inactive)
//!     .await
//!     .ok_or("the unit did not finish")?;
//! assert_eq!(done.result, "success");
//!
//! // What it printed, timestamped (`flotta journal hello.service`).
//! for entry in sup.journal().read("hello.service", Some(10), None)? {
//!     println!("{} {}: {}", entry.timestamp(), entry.stream, entry.text);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })
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
mod reaper;
pub mod supervisor;

pub use error::AgentError;
