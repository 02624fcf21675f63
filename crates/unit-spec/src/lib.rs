//! systemd unit files for clusters.
//!
//! `flotta-unit-spec` reads the unit files that flotta schedules and runs: a
//! lossless parser and writer for the systemd.syntax(5) format, unit names with
//! systemd's rules and `systemd-escape`, specifier expansion (`%p`, `%i`, `%H`, …),
//! `Exec*=` command lines, and typed views of the `[Unit]`, `[Service]`,
//! `[X-Fleet]` and `[X-Flotta]` sections, plus fleet's JSON option list and
//! content hash.
//!
//! # Example: one template, many instances
//!
//! ```
//! use flotta_unit_spec::fleet::FleetOptions;
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::service::ServiceConfig;
//! use flotta_unit_spec::specifier::SpecifierContext;
//! use flotta_unit_spec::syntax::UnitFile;
//! use flotta_unit_spec::verify::verify;
//!
//! let text = "\
//! [Unit]
//! Description=sample-application
//!
//! [Service]
//! ExecStart=/usr/bin/docker run --name %p -p %i:8080 sample-app
//!
//! [X-Fleet]
//! Conflicts=*@%i.service
//! ";
//! let template = UnitName::parse("sample.application@.service").unwrap();
//! let unit = UnitFile::parse(text).unwrap();
//! assert_eq!(unit.to_string(), text); // lossless
//! assert!(verify(&unit, Some(&template)).is_empty());
//!
//! let instance = template.instantiate("8080").unwrap();
//! assert_eq!(instance.as_str(), "sample.application@8080.service");
//!
//! let fleet = FleetOptions::from_unit(&unit, Some(&instance)).unwrap();
//! assert_eq!(fleet.conflicts, ["*@8080.service"]);
//!
//! let service = ServiceConfig::from_unit(&unit, &SpecifierContext::for_unit(&instance)).unwrap();
//! assert_eq!(service.exec_start[0].argv[3], "sample.application");
//!
//! // fleet's API carries units as an option list and identifies them by hash.
//! let json = serde_json::to_string(&unit).unwrap();
//! let back: UnitFile = serde_json::from_str(&json).unwrap();
//! assert_eq!(back.hash(), unit.hash());
//! ```
//!
//! # Design
//!
//! - **Lossless, then logical.** [`syntax::UnitFile`] keeps the input text and
//!   spans into it, so printing is a copy and a value is a slice of the text
//!   unless a continuation joined lines. Typed views are computed from it on
//!   demand; nothing is normalised behind the caller's back.
//! - **systemd first, fleet where fleet defined it.** Syntax, names, escaping,
//!   specifiers and `Exec*=` quoting follow systemd (each module says where
//!   go-systemd differed). `[X-Fleet]` follows fleet exactly, including its
//!   quirks, and says where flotta refuses what fleet ignored.
//! - **Errors a person can act on.** Every error carries the line and column (or
//!   the key) and says how to fix it; [`verify::verify`] collects all of them.
//!   No input makes the parser panic (property-tested on arbitrary bytes).
//! - **Fast enough for a million instances.** Parsing the seed template, reading
//!   its placement options and expanding specifiers takes about a microsecond
//!   (`cargo bench -p flotta-unit-spec`).
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
pub mod host;
pub mod name;
pub mod options;
pub mod service;
pub mod specifier;
pub mod syntax;
pub mod timespan;
pub mod verify;
pub use escape::{EscapeError, SystemdEscape};
pub use exec::{ExecCommand, ExecError, ExecPrefixes};
pub use host::{HostError, parse_host_port, validate_host};
pub use name::{NameError, UnitKind, UnitName, UnitType};
pub use specifier::{SpecifierContext, SpecifierError, expand, expand_fleet};
pub use timespan::{TimeSpan, TimeSpanError, parse_timespan};
