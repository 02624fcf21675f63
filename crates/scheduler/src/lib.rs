//! Deterministic, conflict-aware placement of units onto machines, with
//! explanations.
//!
//! `flotta-scheduler` decides where units run. It is pure: give it machines,
//! units (with fleet's `[X-Fleet]` requirements) and the current assignments,
//! and [`plan`] returns the actions to take — place, move, unschedule — each
//! with a reason, plus an [`Explanation`] for every unit that cannot be placed.
//! The same input always gives the same output.
//!
//! # Example: the seed's scenario
//!
//! ```
//! use flotta_scheduler::{Desired, Machine, Observed, UnitSpec, plan};
//!
//! let machines = ["m1", "m2", "m3"].map(Machine::new).to_vec();
//! let app = |n: u32, port: u32| {
//!     UnitSpec::new(format!("sample.application.{n}@{port}.service"))
//!         .conflicts(format!("*@{port}.service"))
//! };
//! let units = vec![app(1, 8080), app(2, 8080), app(3, 8080), app(4, 8081), app(6, 8080)];
//! let plan = plan(&Desired { machines, units }, &Observed::default());
//!
//! // Three 8080 instances on three different machines ...
//! let on = |u: &str| plan.assignments.get(u).cloned();
//! assert_eq!(on("sample.application.1@8080.service").as_deref(), Some("m1"));
//! assert_eq!(on("sample.application.2@8080.service").as_deref(), Some("m2"));
//! assert_eq!(on("sample.application.3@8080.service").as_deref(), Some("m3"));
//! // ... the 8081 instance on the least-loaded machine (ties by ID) ...
//! assert_eq!(on("sample.application.4@8081.service").as_deref(), Some("m1"));
//! // ... and a fourth 8080 instance has nowhere to go, and says why.
//! let why = plan.explain("sample.application.6@8080.service").unwrap();
//! assert_eq!(why.to_string(), "3 machines: conflicts with sample.application.1@8080.service via *@8080.service");
//! ```
//!
//! # Semantics
//!
//! fleet's rules (coreos/fleet's `engine/scheduler.go` and `AbleToRun`):
//! machines are tried least-loaded first (units placed there, global units
//! included), ties broken by machine ID; the checks run in fleet's `AbleToRun`
//! order — `MachineID` (full ID or its first 8 characters), `MachineMetadata`
//! (all keys, any listed value), `MachineOf` peers already there, `Conflicts`
//! globs in both directions (Go `path.Match` rules) — and the first machine
//! that passes wins. A plan pass first checks every existing assignment
//! (target `inactive`, machine gone, or a constraint no longer holding
//! unschedules it), then places global units on every matching machine
//! without a conflict, then places the rest.
//!
//! Where flotta deliberately differs from fleet:
//! - **Deterministic order.** fleet walked units in Go map order; flotta walks
//!   them by name, with `MachineOf` peers before their followers, so one input
//!   has one answer.
//! - **`MachineOf`.** A unit waits (unplaced, with the reason) while its peer is
//!   unplaced; a cycle is reported naming its units instead of never settling.
//! - **`Replaces`.** Placing a unit whose `Replaces=` glob matches a unit on the
//!   chosen machine moves that unit elsewhere with full checks (fleet moved it
//!   to the least-loaded other machine without checking). A unit is never
//!   placed next to a unit that declares it replaces it.
//! - **Beyond fleet.** Strategies ([`Strategy`]): `least-loaded` (default),
//!   `spread` by a metadata key, `binpack`; CPU/memory requests against machine
//!   capacity.
//!
//! # Why it scales
//!
//! Machines sit in a set ordered by (load, ID), so the least-loaded feasible
//! machine is found by walking from the front, usually stopping at the first.
//! `Conflicts=` globs are classified once per round (literal, `*suffix`,
//! `prefix*`, general) and indexed: for each distinct pattern the index knows
//! the machines holding a unit it matches and the machines holding a unit that
//! declares it, so a conflict check is a few hash lookups instead of matching
//! every glob against every unit on the machine.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod conflicts;
pub mod explain;
pub mod model;
pub mod placement;
pub mod plan;
pub mod plugin;
#[cfg(feature = "wasm")]
pub mod wasm;

pub use explain::{Explanation, Rejection};
pub use model::{Machine, Requirements, Resources, SpecError, Strategy, TargetState, UnitSpec};
pub use placement::Placement;
pub use plan::{Action, Desired, Observed, Plan, Unplaced, plan, plan_with_plugins};
pub use plugin::{FailurePolicy, PlacementPlugin, PluginError, Rejections};
