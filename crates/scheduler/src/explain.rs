//! Why a machine was rejected, and why a unit could not be placed.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why one machine cannot run a unit, in fleet's check order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "constraint")]
pub enum Rejection {
    /// `MachineID=` names another machine.
    MachineId {
        /// The required ID.
        wanted: String,
    },
    /// `MachineMetadata=` does not hold.
    Metadata {
        /// The key.
        key: String,
        /// The accepted values.
        wanted: Vec<String>,
    },
    /// A `MachineOf=` peer does not run there.
    Peer {
        /// The peer.
        peer: String,
    },
    /// A `Conflicts=` glob, in either direction.
    Conflict {
        /// The glob.
        pattern: String,
        /// A unit on the machine that the glob concerns.
        with: String,
    },
    /// A unit there `Replaces=` this one.
    ReplacedBy {
        /// That unit.
        unit: String,
    },
    /// Not enough CPU or memory left.
    Resources {
        /// `cpu` or `memory`.
        resource: String,
    },
    /// A placement plugin refused the machine.
    Plugin {
        /// The plugin.
        plugin: String,
        /// Its reason.
        reason: String,
    },
}

impl Rejection {
    /// The constraint this rejection is about, for grouping (`conflicts via *@8080.service`).
    pub fn constraint(&self) -> String {
        match self {
            Rejection::MachineId { wanted } => format!("machine ID {wanted} not matched"),
            Rejection::Metadata { key, wanted } => {
                format!("metadata {key}={} not matched", wanted.join("|"))
            }
            Rejection::Peer { peer } => format!("MachineOf peer {peer} not on machine"),
            Rejection::Conflict { pattern, .. } => format!("conflicts via {pattern}"),
            Rejection::ReplacedBy { unit } => format!("replaced by {unit}"),
            Rejection::Resources { resource } => format!("insufficient {resource}"),
            Rejection::Plugin { plugin, reason } => format!("plugin {plugin}: {reason}"),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Conflict { pattern, with } => {
                write!(f, "conflicts with {with} via {pattern}")
            }
            other => f.write_str(&other.constraint()),
        }
    }
}

/// Why a unit is not placed: what was tried, grouped by constraint, as Nomad
/// reports filtered nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// Machines considered.
    pub machines_evaluated: usize,
    /// Per constraint: how many machines it rejected, and one example.
    pub filtered: BTreeMap<String, ConstraintCount>,
    /// The reason for each rejected machine (machine ID -> rejection).
    pub per_machine: BTreeMap<String, Rejection>,
    /// Set when no machine could even be considered (no machines, a MachineOf
    /// cycle, a peer that is not placed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
}

/// How many machines one constraint rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintCount {
    /// Number of machines.
    pub machines: usize,
    /// The rejection of this kind on the lowest machine ID, for the message.
    pub example: Rejection,
    /// That machine.
    pub example_machine: String,
}

impl Explanation {
    /// An explanation for a unit nothing could be tried for.
    pub fn blocked(reason: impl Into<String>) -> Self {
        Explanation {
            blocked: Some(reason.into()),
            ..Explanation::default()
        }
    }

    pub(crate) fn record(&mut self, machine: &str, rejection: Rejection) {
        // The example is the rejection on the lowest machine ID, so it does
        // not depend on the order machines were tried in.
        let c = self
            .filtered
            .entry(rejection.constraint())
            .or_insert_with(|| ConstraintCount {
                machines: 0,
                example: rejection.clone(),
                example_machine: machine.to_owned(),
            });
        c.machines += 1;
        if machine < c.example_machine.as_str() {
            c.example = rejection.clone();
            c.example_machine = machine.to_owned();
        }
        self.per_machine.insert(machine.to_owned(), rejection);
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(reason) = &self.blocked {
            return f.write_str(reason);
        }
        if self.machines_evaluated == 0 {
            return f.write_str("no machines available");
        }
        // Largest groups first, then by text, so the output is stable.
        let mut groups: Vec<_> = self.filtered.values().collect();
        groups.sort_by(|a, b| {
            b.machines
                .cmp(&a.machines)
                .then_with(|| a.example.constraint().cmp(&b.example.constraint()))
        });
        for (i, g) in groups.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let plural = if g.machines == 1 { "" } else { "s" };
            write!(f, "{} machine{plural}: {}", g.machines, g.example)?;
        }
        Ok(())
    }
}
