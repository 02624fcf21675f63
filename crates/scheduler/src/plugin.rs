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

/// A filter's answer: the candidates it turns away and why. Positions are
/// into the candidate slice the filter was given; a reason shared by many
/// candidates is stored once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejections {
    reasons: Vec<String>,
    rejected: Vec<(usize, usize)>,
}

impl Rejections {
    /// No rejections: every candidate is kept.
    pub fn none() -> Self {
        Rejections::default()
    }

    /// Turns away the candidate at `position`.
    pub fn reject(&mut self, position: usize, reason: &str) {
        if self.reasons.last().is_none_or(|r| r != reason) {
            self.reasons.push(reason.to_owned());
        }
        self.rejected.push((position, self.reasons.len() - 1));
    }

    /// Turns away every candidate at `positions` for one reason.
    pub fn reject_all(&mut self, positions: impl IntoIterator<Item = usize>, reason: String) {
        self.reasons.push(reason);
        let r = self.reasons.len() - 1;
        self.rejected.extend(positions.into_iter().map(|p| (p, r)));
    }

    /// Whether nothing was rejected.
    pub fn is_empty(&self) -> bool {
        self.rejected.is_empty()
    }

    /// `(position, reason)` for each rejection, in the order made.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        self.rejected
            .iter()
            .map(|&(p, r)| (p, self.reasons.get(r).map_or("", String::as_str)))
    }
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

    /// The candidates to turn away, by position in `candidates`, with reasons.
    ///
    /// # Errors
    /// A failure, handled by the plugin's [`FailurePolicy`]; a position out
    /// of range is one too.
    fn filter(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Rejections, PluginError>;

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
                ) -> Result<Rejections, PluginError> {
                    let mut out = Rejections::none();
                    for (i, &m) in candidates.iter().enumerate() {
                        if let Err(r) = view.$check(unit, m) {
                            out.reject(i, &r.to_string());
                        }
                    }
                    Ok(out)
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
            _candidates: &[MachineIdx],
        ) -> Result<Rejections, PluginError> {
            Ok(Rejections::none())
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
    /// Python and JavaScript guests in `bindings/guest/` do exactly this, the
    /// same way: the machine table is digested once per round.
    #[derive(Debug, Clone)]
    pub struct SpreadAndDrain {
        /// The metadata key spread over.
        pub key: String,
        /// Per machine: an id for its value of `key`, and whether it drains.
        table: Vec<(usize, bool)>,
        values: usize,
    }

    impl SpreadAndDrain {
        /// Spreads over `key`.
        pub fn new(key: impl Into<String>) -> Self {
            SpreadAndDrain {
                key: key.into(),
                table: Vec::new(),
                values: 0,
            }
        }

        fn row(&self, m: MachineIdx) -> Result<(usize, bool), PluginError> {
            self.table.get(m).copied().ok_or_else(|| PluginError {
                plugin: self.name().to_owned(),
                unit: String::new(),
                message: format!("machine {m} is not in this round's table"),
            })
        }
    }

    impl Default for SpreadAndDrain {
        fn default() -> Self {
            SpreadAndDrain::new("rack")
        }
    }

    impl PlacementPlugin for SpreadAndDrain {
        fn name(&self) -> &str {
            "spread"
        }

        fn on_round(&mut self, view: &Placement) -> Result<(), PluginError> {
            let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
            self.table = view
                .machines()
                .iter()
                .map(|m| {
                    let value = m.metadata.get(&self.key).map_or("", String::as_str);
                    let next = ids.len();
                    let id = *ids.entry(value).or_insert(next);
                    (
                        id,
                        m.metadata.get("drain").map(String::as_str) == Some("true"),
                    )
                })
                .collect();
            self.values = ids.len();
            Ok(())
        }

        fn filter(
            &self,
            _view: &Placement,
            _unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Rejections, PluginError> {
            let mut draining = Vec::new();
            for (i, &m) in candidates.iter().enumerate() {
                if self.row(m)?.1 {
                    draining.push(i);
                }
            }
            let mut out = Rejections::none();
            if !draining.is_empty() {
                out.reject_all(draining, "machine is draining (drain=true)".into());
            }
            Ok(out)
        }

        fn score(
            &self,
            view: &Placement,
            unit: UnitIdx,
            candidates: &[MachineIdx],
        ) -> Result<Vec<f64>, PluginError> {
            let mut per_value = vec![0u32; self.values];
            for (m, count) in view.siblings(unit) {
                per_value[self.row(m)?.0] += count;
            }
            candidates
                .iter()
                .map(|&m| Ok(-f64::from(per_value[self.row(m)?.0])))
                .collect()
        }
    }
}
