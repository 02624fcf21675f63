//! systemd unit files for clusters.
//!
//! `flotta-unit-spec` reads the unit files that flotta schedules: a lossless
//! parser and writer for the systemd.syntax(5) format, unit names with
//! systemd's rules, specifier expansion (`%p`, `%i`, ...), `Exec*=` command
//! lines, and typed views of the `[Unit]`, `[Service]`, `[X-Fleet]` and
//! `[X-Flotta]` sections.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod escape;
pub mod exec;
pub mod fleet;
pub mod flotta_options;
pub mod glob;
pub mod hash;
pub mod name;
pub mod options;
pub mod service;
pub mod specifier;
pub mod syntax;
pub mod timespan;
pub mod verify;
pub use escape::{EscapeError, SystemdEscape};
pub use exec::{ExecCommand, ExecError, ExecPrefixes};
pub use name::{NameError, UnitKind, UnitName, UnitType};
pub use specifier::{SpecifierContext, SpecifierError, expand, expand_fleet};
pub use timespan::{TimeSpan, TimeSpanError, parse_timespan};
