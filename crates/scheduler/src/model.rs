//! What the scheduler is given: machines, units and their requirements.

use std::collections::BTreeMap;

use flotta_unit_spec::fleet::{FleetError, FleetOptions};
use flotta_unit_spec::flotta_options::{self, FlottaError, FlottaOptions};
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::syntax::UnitFile;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A machine units can be placed on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    /// Machine ID (systemd machine-id form); also the tie-break order.
    pub id: String,
    /// Public IP, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// Metadata, one value per key (fleet's model).
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Capacity; `None` fields are unlimited.
    #[serde(default)]
    pub capacity: Resources,
}

/// CPU and memory, as requested by units and offered by machines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// Thousandths of a core.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_millis: Option<u64>,
    /// Bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
}

/// fleet's target states.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    /// Known to the cluster, not placed.
    Inactive,
    /// Placed and loaded, not started.
    Loaded,
    /// Placed and running.
    #[default]
    Launched,
}

/// How feasible machines are ranked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "key")]
pub enum Strategy {
    /// Fewest units first, ties by machine ID (fleet).
    #[default]
    LeastLoaded,
    /// Fewest instances of the same template per value of a metadata key first.
    Spread(String),
    /// Most units first (fill machines up).
    Binpack,
}

/// Where a unit may run (fleet's `[X-Fleet]`, specifiers already expanded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirements {
    /// Required machine (full ID or its first 8 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_id: Option<String>,
    /// Units this one must share a machine with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machine_of: Vec<String>,
    /// Required metadata: every key must hold one of its values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Vec<String>>,
    /// Globs of units this one may not share a machine with (both directions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// One instance on every matching machine.
    #[serde(default)]
    pub global: bool,
    /// Globs of units this one pushes off its machine.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
}

impl From<&FleetOptions> for Requirements {
    fn from(f: &FleetOptions) -> Self {
        Requirements {
            machine_id: f.machine_id.clone(),
            machine_of: f.machine_of.clone(),
            metadata: f.machine_metadata.clone(),
            conflicts: f.conflicts.clone(),
            global: f.global,
            replaces: f.replaces.clone(),
        }
    }
}

/// Why a unit file has no placement view.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpecError {
    /// `[X-Fleet]` is invalid.
    #[error("[X-Fleet]: {0}")]
    Fleet(#[from] FleetError),
    /// `[X-Flotta]` is invalid.
    #[error("[X-Flotta]: {0}")]
    Flotta(#[from] FlottaError),
}

/// A unit to place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitSpec {
    /// Full unit name, e.g. `sample.application.1@8080.service`.
    pub name: String,
    /// Placement requirements.
    #[serde(default)]
    pub requirements: Requirements,
    /// Resources requested.
    #[serde(default)]
    pub requests: Resources,
    /// Target state; inactive units are not placed.
    #[serde(default)]
    pub target: TargetState,
    /// Ranking strategy.
    #[serde(default)]
    pub strategy: Strategy,
    /// Placement plugins this unit asks for by name (`[X-Flotta] Placement=`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement: Vec<String>,
    /// The unit's `[X-Fleet]` and `[X-Flotta]` options in file order, handed
    /// to placement plugins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<(String, String)>,
}

impl UnitSpec {
    /// The placement view of unit file `unit` under `name`: `[X-Fleet]`
    /// requirements, `[X-Flotta]` requests, strategy and plugins, and the
    /// options plugins see. The target is `launched`.
    ///
    /// # Errors
    /// An invalid `[X-Fleet]` or `[X-Flotta]` section.
    pub fn from_unit(unit: &UnitFile, name: &UnitName) -> Result<UnitSpec, SpecError> {
        let fleet = FleetOptions::from_unit(unit, Some(name))?;
        let flotta = FlottaOptions::from_unit(unit, Some(name))?;
        let mut spec = UnitSpec::new(name.as_str());
        spec.requirements = (&fleet).into();
        spec.requests.cpu_millis = flotta.requests.cpu_millis;
        spec.requests.memory_bytes = flotta.requests.memory_bytes;
        spec.placement = flotta.placement.clone();
        spec.options = unit
            .entries()
            .filter(|e| {
                e.section == flotta_unit_spec::fleet::SECTION
                    || e.section == flotta_options::SECTION
            })
            .map(|e| (e.key.to_owned(), e.value.to_owned()))
            .collect();
        spec.strategy = match flotta.strategy {
            flotta_options::Strategy::LeastLoaded => Strategy::LeastLoaded,
            flotta_options::Strategy::Binpack => Strategy::Binpack,
            flotta_options::Strategy::Spread => {
                Strategy::Spread(flotta.spread_by.unwrap_or_else(|| "zone".into()))
            }
        };
        Ok(spec)
    }

    /// A launched unit with no requirements.
    pub fn new(name: impl Into<String>) -> Self {
        UnitSpec {
            name: name.into(),
            ..UnitSpec::default()
        }
    }

    /// Adds a `Conflicts=` glob.
    pub fn conflicts(mut self, pattern: impl Into<String>) -> Self {
        self.requirements.conflicts.push(pattern.into());
        self
    }

    /// The part before the first `@` (or the whole name without its type).
    pub fn prefix(&self) -> &str {
        match self.name.find('@') {
            Some(at) => &self.name[..at],
            None => self.name.rsplit_once('.').map_or(&self.name, |(p, _)| p),
        }
    }

    /// The instance of a `prefix@instance.type` name.
    pub fn instance(&self) -> Option<&str> {
        let at = self.name.find('@')?;
        let dot = self.name.rfind('.')?;
        (dot > at).then(|| &self.name[at + 1..dot])
    }

    /// The template this unit is an instance of (`foo@.service`), if any.
    pub fn template(&self) -> Option<String> {
        let at = self.name.find('@')?;
        let dot = self.name.rfind('.')?;
        (dot > at).then(|| format!("{}@{}", &self.name[..at], &self.name[dot..]))
    }
}

impl Machine {
    /// A machine with an ID and no metadata.
    pub fn new(id: impl Into<String>) -> Self {
        Machine {
            id: id.into(),
            ..Machine::default()
        }
    }

    /// Adds a metadata pair.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// fleet's `MatchID`: the full ID, or its first 8 characters.
    pub fn matches_id(&self, wanted: &str) -> bool {
        self.id == wanted || (wanted.len() == 8 && self.id.get(..8) == Some(wanted))
    }

    /// `ID…/IP` the way fleetctl shows a machine.
    pub fn legend(&self) -> String {
        let short = self.id.get(..8).unwrap_or(&self.id);
        match &self.public_ip {
            Some(ip) => format!("{short}.../{ip}"),
            None => format!("{short}..."),
        }
    }
}
