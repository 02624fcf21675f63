//! What the cluster agrees on, as stored (JSON, versioned with `"v": 1`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The version every stored value carries; others are reported and skipped.
pub const VERSION: u32 = 1;

/// fleet's target states.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    /// Known, not placed.
    #[default]
    Inactive,
    /// Placed and loaded, not started.
    Loaded,
    /// Placed and running.
    Launched,
}

impl TargetState {
    /// fleet's name for it: `inactive`, `loaded`, `launched`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Inactive => "inactive",
            TargetState::Loaded => "loaded",
            TargetState::Launched => "launched",
        }
    }
}

/// A unit (or template) submitted to the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    /// Unit name.
    pub name: String,
    /// The unit file's text.
    pub contents: String,
    /// SHA-1 of the unit's canonical form (40 hex digits).
    pub hash: String,
    /// Target state.
    pub target_state: TargetState,
    /// Revision that created it (filled in on read).
    #[serde(default)]
    pub created_revision: u64,
    /// Revision of the last change (filled in on read).
    #[serde(default)]
    pub modified_revision: u64,
}

impl Unit {
    /// A unit from a parsed unit file: its canonical text and fleet's hash.
    pub fn new(name: &str, file: &flotta_unit_spec::syntax::UnitFile, target: TargetState) -> Unit {
        Unit {
            name: name.to_owned(),
            contents: file.to_string(),
            hash: file.hash().to_string(),
            target_state: target,
            created_revision: 0,
            modified_revision: 0,
        }
    }

    /// The unit file, parsed.
    ///
    /// # Errors
    /// Stored text that no longer parses (written by something else).
    pub fn unit_file(
        &self,
    ) -> Result<flotta_unit_spec::syntax::UnitFile, flotta_unit_spec::syntax::ParseError> {
        flotta_unit_spec::syntax::UnitFile::parse(&self.contents)
    }

    /// The template this unit is an instance of (`foo@.service` for
    /// `foo@1.service`), to look up when the instance is not stored itself.
    pub fn template_name(&self) -> Option<String> {
        flotta_unit_spec::name::UnitName::parse(&self.name)
            .ok()
            .and_then(|n| n.template())
            .map(|t| t.to_string())
    }
}

/// A machine, present while its agent's lease lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    /// Machine ID: 32 lowercase hex digits.
    pub id: String,
    /// Public IP.
    #[serde(default)]
    pub public_ip: String,
    /// Host name.
    #[serde(default)]
    pub hostname: String,
    /// Metadata: key -> values.
    #[serde(default)]
    pub metadata: BTreeMap<String, Vec<String>>,
    /// CPU capacity in thousandths of a core.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_millis: Option<u64>,
    /// Memory capacity in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
    /// The agent's version.
    #[serde(default)]
    pub agent_version: String,
}

impl Machine {
    /// Checks the ID is in systemd machine-id form.
    ///
    /// # Errors
    /// A message naming the field.
    pub fn validate(&self) -> Result<(), String> {
        let ok = self.id.len() == 32
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(())
        } else {
            Err(format!(
                "machine id {:?} must be 32 lowercase hexadecimal digits (as in /etc/machine-id)",
                self.id
            ))
        }
    }
}

/// A unit's placement: written create-only, removed compare-and-delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The unit.
    pub unit: String,
    /// The machine.
    pub machine: String,
    /// Revision of the write: the fencing token of this placement.
    #[serde(default)]
    pub revision: u64,
}

/// A unit's state as the agent on its machine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitState {
    /// The unit.
    pub unit: String,
    /// The machine reporting.
    pub machine: String,
    /// `loaded`, `not-found`, `error`.
    pub load_state: String,
    /// `active`, `inactive`, `failed`, ...
    pub active_state: String,
    /// `running`, `dead`, ...
    pub sub_state: String,
    /// Hash of the unit file the machine runs.
    pub hash: String,
    /// When the state was entered (Unix milliseconds).
    pub since_ms: u64,
    /// Main PID, if running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_pid: Option<u32>,
    /// Why the unit last failed, in words (a missing binary, an unknown
    /// `User=`, an exit code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A running instance of a service, for balancers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    /// Service name.
    pub service: String,
    /// Instance ID, unique within the service (usually the unit name).
    pub id: String,
    /// Address to connect to.
    pub address: String,
    /// Port.
    pub port: u16,
    /// The unit serving it.
    pub unit: String,
    /// The machine it runs on.
    pub machine: String,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Relative share of traffic (balancers default to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Used only when every non-backup endpoint is down.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backup: bool,
}

/// A stored value with its version.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Envelope<T> {
    pub(crate) v: u32,
    #[serde(flatten)]
    pub(crate) value: T,
}

/// Why the engine left a unit unplaced, for `flotta why`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// The unit.
    pub unit: String,
    /// One line (`3 machines: conflicts with … via *@8080.service`).
    pub summary: String,
    /// The scheduler's full explanation (per-machine rejections).
    #[serde(default)]
    pub detail: serde_json::Value,
    /// The engine's fencing token when it decided.
    #[serde(default)]
    pub term: u64,
}

/// Metadata set on a machine through the API (fleet's dynamic metadata,
/// `PATCH /fleet/v1/machines`): it outlives the machine's lease and wins
/// over what the agent registers; an empty value hides the agent's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineMetadata {
    /// The machine (it need not be present).
    pub machine: String,
    /// The metadata key.
    pub key: String,
    /// The value; empty to hide the agent's own.
    pub value: String,
}

/// An operator's request that a machine take no units (`flotta machine
/// drain`): the engine moves its units elsewhere and places nothing there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Drain {
    /// The machine.
    pub machine: String,
    /// Why, in the operator's words.
    #[serde(default)]
    pub reason: String,
}
