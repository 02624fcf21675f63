//! Placement plugins: filters and scores the core does not know.
//!
//! A [`PlacementPlugin`] sees the machine table once per round
//! ([`PlacementPlugin::on_round`]) and then, per unit, a batch of candidate
//! machine indices that passed the built-in checks: [`filter`] keeps or rejects
//! each with a reason, [`score`] ranks the survivors (higher is better; the
//! scores of all plugins are added, ties go to the strategy's order). Batching
//! keeps a call per unit cheap for plugins behind a boundary, such as
//! WebAssembly.
//!
//! The built-in constraints implement the same trait ([`builtin`]) on top of
//! the very checks the core runs, so a plugin chain can be assembled from them
//! and custom plugins alike.
//!
//! A plugin that fails (returns [`PluginError`]) is handled by its
//! [`FailurePolicy`]: `FailClosed` (the default) leaves the unit unplaced with
//! the plugin's error as the reason; `FailOpen` ignores the plugin for that unit.
//!
//! [`filter`]: PlacementPlugin::filter
//! [`score`]: PlacementPlugin::score

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::placement::{MachineIdx, Placement, UnitIdx};

/// A plugin failed for a unit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("placement plugin {plugin} failed for {unit}: {message}")]
pub struct PluginError {
    /// The plugin.
    pub plugin: String,
    /// The unit being placed (empty in `on_round`).
    pub unit: String,
    /// What went wrong.
    pub message: String,
}

/// What the scheduler does when a plugin fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePolicy {
    /// The unit stays unplaced, with the error as the reason.
    #[default]
    FailClosed,
    /// The plugin is ignored for that unit.
    FailOpen,
}

/// A filter and scorer for placements.
pub trait PlacementPlugin: Send + Sync {
    /// The plugin's name, as units refer to it (`[X-Flotta] Placement=`).
    fn name(&self) -> &str;

    /// Called once per round with the placement as it stands (machine
    /// indices are stable for the round).
    ///
    /// # Errors
    /// A plugin that cannot work this round; every unit it applies to then
    /// follows the failure policy.
    fn on_round(&mut self, _view: &Placement) -> Result<(), PluginError> {
        Ok(())
    }

    /// For each candidate, `None` to keep it or `Some(reason)` to reject it.
    ///
    /// # Errors
    /// A failure, handled by the plugin's [`FailurePolicy`].
    fn filter(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Vec<Option<String>>, PluginError>;

    /// A score per candidate; higher is better. The default scores nothing.
    ///
    /// # Errors
    /// A failure, handled by the plugin's [`FailurePolicy`].
    fn score(
        &self,
        _view: &Placement,
        _unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Vec<f64>, PluginError> {
        Ok(vec![0.0; candidates.len()])
    }
}

/// A plugin with its policy and scope.
pub(crate) struct PluginSlot {
    pub(crate) plugin: Box<dyn PlacementPlugin>,
    pub(crate) policy: FailurePolicy,
    /// Applies to every unit, not only to units naming it.
    pub(crate) cluster_wide: bool,
    /// Set when `on_round` failed.
    pub(crate) broken: Option<String>,
}

impl std::fmt::Debug for PluginSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginSlot")
            .field("name", &self.plugin.name())
            .field("policy", &self.policy)
            .field("cluster_wide", &self.cluster_wide)
            .finish()
    }
}

/// The built-in constraints as plugins, over the same checks the core runs.
pub mod builtin {
    use super::*;

    macro_rules! constraint {
        ($(#[$doc:meta])* $name:ident, $label:literal, $check:ident) => {
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $name;

            impl PlacementPlugin for $name {
                fn name(&self) -> &str {
                    $label
                }

                fn filter(
                    &self,
                    view: &Placement,
                    unit: UnitIdx,
                    candidates: &[MachineIdx],
                ) -> Result<Vec<Option<String>>, PluginError> {
                    Ok(candidates
                        .iter()
                        .map(|&m| view.$check(unit, m).err().map(|r| r.to_string()))
                        .collect())
                }
            }
        };
    }

    constraint!(
        /// `MachineID=`.
        MachineIdConstraint,
        "machine-id",
        check_machine_id
    );
    constraint!(
        /// `MachineMetadata=`.
        MetadataConstraint,
        "metadata",
        check_metadata
    );
    constraint!(
        /// `MachineOf=`.
        PeerConstraint,
        "machine-of",
        check_peers
    );
    constraint!(
        /// `Conflicts=`, both directions.
        ConflictConstraint,
        "conflicts",
        check_conflicts
    );
    constraint!(
        /// CPU and memory requests against capacity.
        ResourceConstraint,
        "resources",
        check_resources
    );

    /// fleet's least-loaded ranking as a score: fewer units, higher score.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct LeastLoaded;

    impl PlacementPlugin for LeastLoaded {
        fn name(&self) -> &str {
            "least-loaded"
        }

        fn filter(
            &self,
            _view: &Placement,
            _unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Vec<Option<String>>, PluginError> {
            Ok(vec![None; candidates.len()])
        }

        fn score(
            &self,
            view: &Placement,
            _unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Vec<f64>, PluginError> {
            Ok(candidates
                .iter()
                .map(|&m| -f64::from(view.load(m)))
                .collect())
        }
    }

    /// The SDK's example rule, natively: spread instances of a template across
    /// the values of a metadata key (fewest instances on the candidate's value
    /// scores highest) and turn away machines tagged `drain=true`. The C,
    /// Python and JavaScript guests in `bindings/guest/` do exactly this.
    #[derive(Debug, Clone)]
    pub struct SpreadAndDrain {
        /// The metadata key spread over.
        pub key: String,
    }

    impl Default for SpreadAndDrain {
        fn default() -> Self {
            SpreadAndDrain { key: "rack".into() }
        }
    }

    impl PlacementPlugin for SpreadAndDrain {
        fn name(&self) -> &str {
            "spread"
        }

        fn filter(
            &self,
            view: &Placement,
            _unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Vec<Option<String>>, PluginError> {
            Ok(candidates
                .iter()
                .map(|&m| {
                    (view.machines()[m].metadata.get("drain").map(String::as_str) == Some("true"))
                        .then(|| "machine is draining (drain=true)".to_owned())
                })
                .collect())
        }

        fn score(
            &self,
            view: &Placement,
            unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Vec<f64>, PluginError> {
            let value = |m: MachineIdx| {
                view.machines()[m]
                    .metadata
                    .get(&self.key)
                    .map_or("", String::as_str)
            };
            let mut per_value: std::collections::HashMap<&str, u32> =
                std::collections::HashMap::new();
            for (m, count) in view.siblings(unit) {
                *per_value.entry(value(m)).or_default() += count;
            }
            Ok(candidates
                .iter()
                .map(|&m| -f64::from(per_value.get(value(m)).copied().unwrap_or(0)))
                .collect())
        }
    }
}
