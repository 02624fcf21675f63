//! Which keys a raw write (`/v1/kv`, `/v1/txn`) may touch.
//!
//! Keys outside the registry's prefix are the user's (the seed's
//! `/applications/...`): anything goes. Inside it, a client may write only
//! the records a client owns, each checked as that record, as the typed
//! routes check them: a unit (name, unit file, hash, a template never
//! launched), a drain, a machine's metadata; and it may drop an assignment
//! only once its unit is gone. Assignments, machines, the leader, unit
//! states, decisions, endpoints, plugins and anything else are written by
//! agents and the engine alone, never through the API.

use flotta_registry::Registry;
use flotta_registry::kv::{KvBackend, LeaseId, TxnOp};
use flotta_registry::model::{Drain, MachineMetadata, TargetState, Unit};
use flotta_scheduler::UnitSpec;
use flotta_unit_spec::name::{UnitKind, UnitName};
use flotta_unit_spec::syntax::UnitFile;

/// Why a write was refused.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The key or value is malformed (a 400).
    Invalid { what: String, reason: String },
    /// The key is the cluster's own (a 403).
    Forbidden(String),
    /// The check could not read the registry.
    Registry(flotta_registry::RegistryError),
}

/// A raw write, as the routes receive it.
pub(crate) enum Write<'a> {
    Put {
        key: &'a str,
        value: &'a str,
        lease: Option<LeaseId>,
    },
    Delete {
        key: &'a str,
    },
}

impl<'a> From<&'a TxnOp> for Write<'a> {
    fn from(op: &'a TxnOp) -> Self {
        match op {
            TxnOp::Put { key, value, lease } => Write::Put {
                key,
                value,
                lease: *lease,
            },
            TxnOp::Delete { key } => Write::Delete { key },
        }
    }
}

/// Checks one raw write against the keyspace rules.
pub(crate) async fn check<B: KvBackend>(
    registry: &Registry<B>,
    write: &Write<'_>,
) -> Result<(), Refused> {
    let key = match write {
        Write::Put { key, .. } | Write::Delete { key } => *key,
    };
    // Backends compare keys byte for byte: only the literal prefix is ours.
    let Some(rest) = key.strip_prefix(registry.prefix()) else {
        return Ok(());
    };
    let (kind, name) = rest.split_once('/').unwrap_or((rest, ""));
    let forbidden = || {
        Refused::Forbidden(format!(
            "{key}: a key of the cluster's own ({kind:?} under {}); raw writes go to keys \
             outside it, and units, drains and metadata change through their own commands \
             or routes",
            registry.prefix()
        ))
    };
    let record = |what: &str, reason: String| Refused::Invalid {
        what: format!("{what} {key}"),
        reason,
    };
    match (kind, write) {
        ("units" | "drains" | "metadata", Write::Delete { .. }) => Ok(()),
        ("units", Write::Put { value, lease, .. }) => {
            no_lease(*lease, key)?;
            let unit: Unit =
                serde_json::from_str(value).map_err(|e| record("unit", e.to_string()))?;
            check_unit(name, &unit).map_err(|reason| record("unit", reason))
        }
        ("drains", Write::Put { value, lease, .. }) => {
            no_lease(*lease, key)?;
            let drain: Drain =
                serde_json::from_str(value).map_err(|e| record("drain", e.to_string()))?;
            if drain.machine != name {
                return Err(record(
                    "drain",
                    format!("names machine {:?}, not {name:?}", drain.machine),
                ));
            }
            Ok(())
        }
        ("metadata", Write::Put { value, lease, .. }) => {
            no_lease(*lease, key)?;
            let set: MachineMetadata =
                serde_json::from_str(value).map_err(|e| record("metadata", e.to_string()))?;
            if format!("{}/{}", set.machine, set.key) != name {
                return Err(record(
                    "metadata",
                    format!("is for {}/{}, not {name}", set.machine, set.key),
                ));
            }
            Ok(())
        }
        // Dropping the assignment of a deleted unit is what the engine would
        // do next; dropping a live unit's would move it behind its back.
        ("assignments", Write::Delete { .. }) => {
            match registry.unit(name).await.map_err(Refused::Registry)? {
                None => Ok(()),
                Some(_) => Err(forbidden()),
            }
        }
        _ => Err(forbidden()),
    }
}

fn no_lease(lease: Option<LeaseId>, key: &str) -> Result<(), Refused> {
    match lease {
        None => Ok(()),
        Some(_) => Err(Refused::Invalid {
            what: "lease".into(),
            reason: format!("{key} is not leased"),
        }),
    }
}

/// A unit record as a client may store it: what `PUT /fleet/v1/units`
/// would have made.
fn check_unit(name: &str, unit: &Unit) -> Result<(), String> {
    if unit.name != name {
        return Err(format!("names unit {:?}, not {name:?}", unit.name));
    }
    let parsed = UnitName::parse(name).map_err(|e| e.to_string())?;
    parsed.validate_fleet().map_err(|e| e.to_string())?;
    let file = UnitFile::parse(&unit.contents).map_err(|e| format!("contents: {e}"))?;
    if file.hash().to_string() != unit.hash {
        return Err(format!(
            "hash {:?} is not the contents' ({})",
            unit.hash,
            file.hash()
        ));
    }
    if parsed.kind() == UnitKind::Template {
        if unit.target_state != TargetState::Inactive {
            return Err(format!("cannot activate template {name:?}"));
        }
    } else {
        UnitSpec::from_unit(&file, &parsed).map_err(|e| e.to_string())?;
    }
    Ok(())
}
