//! The typed registry: units, machines, assignments, states, endpoints, raw
//! keys and leader election, over any [`KvBackend`].
//!
//! | key (under the prefix, default `/flotta/v1/`) | value |
//! |---|---|
//! | `units/<name>` | [`Unit`] |
//! | `machines/<id>` | [`Machine`], on the agent's lease |
//! | `metadata/<id>/<key>` | [`MachineMetadata`], set through the API; no lease |
//! | `assignments/<unit>` | [`Assignment`], created where none is; replaced only by a move from the one read |
//! | `states/<unit>/<machine>` | [`UnitState`], on the agent's lease |
//! | `endpoints/<service>/<id>` | [`Endpoint`], on a lease |
//! | `leader/<election>` | the leader's ID, on its lease |
//!
//! The engine's writes (assignments and decisions) are fenced: each is one
//! transaction that also checks the leader key still has the create revision
//! its writer won the election with ([`Fence`]), so a leader that lost its
//! lease mid-round writes nothing once another has been elected.
//!
//! Raw keys ([`Registry::kv_set`]) are stored at their literal path, outside
//! the prefix, so `etcdctl get /applications/sample/...` sees them.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{RegistryError, Result};
use crate::kv::{
    Compare, Condition, Event, EventKind, EventStream, KeyValue, KvBackend, LeaseId, TxnOp,
};
use crate::model::{
    Assignment, Decision, Drain, Endpoint, Envelope, Machine, MachineMetadata, TargetState, Unit,
    UnitState, VERSION,
};

/// The default key prefix.
pub const DEFAULT_PREFIX: &str = "/flotta/v1/";

/// A page of typed items, plus the keys that did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// Items in key order.
    pub items: Vec<T>,
    /// Pass to the next call to continue; `None` at the end.
    pub next: Option<String>,
    /// Keys whose values were skipped, with why.
    pub skipped: Vec<RegistryError>,
    /// The store's revision when read: watch from `revision + 1`.
    pub revision: u64,
}

impl<T> Listing<T> {
    /// The last key segment (unit name, machine ID) of every entry that
    /// exists but did not decode, e.g. one written by a newer flotta. A
    /// reader must leave those as they are: absent from `items` does not
    /// mean gone.
    pub fn unreadable(&self) -> BTreeSet<String> {
        self.skipped
            .iter()
            .filter_map(|e| match e {
                RegistryError::BadData { key, .. } => key.rsplit('/').next(),
                _ => None,
            })
            .map(str::to_owned)
            .collect()
    }
}

/// A typed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    /// Created or updated.
    Put(T),
    /// Removed (the key's last segment, e.g. the unit name).
    Deleted(String),
}

/// A leader's term in an election, as [`Registry::campaign`] returned it:
/// writes made under it land only while the election's leader key still has
/// this create revision, in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The election (e.g. `engine`).
    pub election: String,
    /// The fencing token: the leader key's create revision.
    pub term: u64,
}

impl Fence {
    /// The fence of `term` in `election`.
    pub fn new(election: impl Into<String>, term: u64) -> Self {
        Fence {
            election: election.into(),
            term,
        }
    }
}

/// The cluster's state over a backend.
#[derive(Debug, Clone)]
pub struct Registry<B> {
    backend: B,
    prefix: String,
}

fn encode<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(&Envelope { v: VERSION, value }).map_err(|e| RegistryError::Invalid {
        what: "value".into(),
        reason: e.to_string(),
    })
}

fn decode<T: DeserializeOwned>(kv: &KeyValue) -> Result<T> {
    let bad = |reason: String| RegistryError::BadData {
        key: kv.key.clone(),
        reason,
    };
    let raw: serde_json::Value = serde_json::from_str(&kv.value).map_err(|e| bad(e.to_string()))?;
    match raw.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "unknown version {v} (this flotta reads {VERSION})"
            )));
        }
        None => return Err(bad("no \"v\" version field".into())),
    }
    let env: Envelope<T> = serde_json::from_value(raw).map_err(|e| bad(e.to_string()))?;
    Ok(env.value)
}

fn check_segment(what: &str, s: &str) -> Result<()> {
    if s.is_empty() || s.contains('/') {
        return Err(RegistryError::Invalid {
            what: what.into(),
            reason: format!("{s:?} must be non-empty and contain no '/'"),
        });
    }
    Ok(())
}

impl<B: KvBackend> Registry<B> {
    /// A registry under [`DEFAULT_PREFIX`].
    pub fn new(backend: B) -> Self {
        Self::with_prefix(backend, DEFAULT_PREFIX)
    }

    /// A registry under `prefix` (a trailing `/` is added if missing).
    pub fn with_prefix(backend: B, prefix: &str) -> Self {
        let mut prefix = prefix.to_owned();
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        Registry { backend, prefix }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The prefix the cluster's own keys live under (ends in `/`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn key(&self, kind: &str, rest: &str) -> String {
        format!("{}{kind}/{rest}", self.prefix)
    }

    async fn get_typed<T: DeserializeOwned>(&self, key: &str) -> Result<Option<(T, KeyValue)>> {
        match self.backend.get(key).await? {
            Some(kv) => Ok(Some((decode(&kv)?, kv))),
            None => Ok(None),
        }
    }

    async fn list_typed<T: DeserializeOwned>(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Listing<(T, KeyValue)>> {
        let prefix = self.key(kind, "");
        let page = self.backend.range(&prefix, after, limit).await?;
        let mut items = Vec::with_capacity(page.items.len());
        let mut skipped = Vec::new();
        for kv in &page.items {
            match decode(kv) {
                Ok(v) => items.push((v, kv.clone())),
                Err(e) => {
                    tracing::warn!(key = %kv.key, error = %e, "skipping bad registry value");
                    skipped.push(e);
                }
            }
        }
        Ok(Listing {
            items,
            next: if page.more {
                page.items.last().map(|kv| kv.key.clone())
            } else {
                None
            },
            skipped,
            revision: page.revision,
        })
    }

    /// Every page of a kind, followed to the end.
    async fn list_all<T: DeserializeOwned>(&self, kind: &str) -> Result<Listing<(T, KeyValue)>> {
        let mut all: Listing<(T, KeyValue)> = self.list_typed(kind, None, 1000).await?;
        while let Some(after) = all.next.take() {
            let page = self.list_typed(kind, Some(&after), 1000).await?;
            all.items.extend(page.items);
            all.skipped.extend(page.skipped);
            all.next = page.next;
            all.revision = page.revision;
        }
        Ok(all)
    }

    // ---- units ----

    /// Stores a unit; `expected` is the revision it must be at (0 = new).
    ///
    /// # Errors
    /// [`RegistryError::Conflict`] when it changed since.
    pub async fn put_unit(&self, unit: &Unit, expected: Option<u64>) -> Result<u64> {
        check_segment("unit name", &unit.name)?;
        let cond = match expected {
            None => Condition::Always,
            Some(0) => Condition::Absent,
            Some(r) => Condition::ModRevision(r),
        };
        self.backend
            .put(&self.key("units", &unit.name), &encode(unit)?, None, cond)
            .await
    }

    /// Reads a unit.
    ///
    /// # Errors
    /// Backend failures and bad stored data.
    pub async fn unit(&self, name: &str) -> Result<Option<Unit>> {
        Ok(self
            .get_typed::<Unit>(&self.key("units", name))
            .await?
            .map(|(u, kv)| with_revisions(u, &kv)))
    }

    /// Lists units page by page (`after` = the previous page's `next`).
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported in the listing.
    pub async fn units(&self, after: Option<&str>, limit: usize) -> Result<Listing<Unit>> {
        let page = self.list_typed::<Unit>("units", after, limit).await?;
        Ok(Listing {
            items: page
                .items
                .into_iter()
                .map(|(u, kv)| with_revisions(u, &kv))
                .collect(),
            next: page.next,
            skipped: page.skipped,
            revision: page.revision,
        })
    }

    /// Every unit, all pages read.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported in the listing.
    pub async fn all_units(&self) -> Result<Listing<Unit>> {
        let all = self.list_all::<Unit>("units").await?;
        Ok(Listing {
            items: all
                .items
                .into_iter()
                .map(|(u, kv)| with_revisions(u, &kv))
                .collect(),
            next: None,
            skipped: all.skipped,
            revision: all.revision,
        })
    }

    /// Sets a unit's target state (compare-and-swap on its revision).
    ///
    /// # Errors
    /// The unit does not exist, or changed concurrently.
    pub async fn set_target_state(&self, name: &str, target: TargetState) -> Result<u64> {
        let key = self.key("units", name);
        let Some((mut unit, kv)) = self.get_typed::<Unit>(&key).await? else {
            return Err(RegistryError::Invalid {
                what: "unit".into(),
                reason: format!("{name} does not exist"),
            });
        };
        unit.target_state = target;
        self.backend
            .put(
                &key,
                &encode(&unit)?,
                None,
                Condition::ModRevision(kv.mod_revision),
            )
            .await
    }

    /// Removes a unit and its assignment.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn delete_unit(&self, name: &str) -> Result<bool> {
        // The unit first: an assignment may be dropped by a client only once
        // its unit is gone (see flotta-api's keyspace rules).
        let deleted = self
            .backend
            .delete(&self.key("units", name), Condition::Always)
            .await?;
        self.backend
            .delete(&self.key("assignments", name), Condition::Always)
            .await?;
        Ok(deleted)
    }

    // ---- machines ----

    /// Registers a machine on a lease of `ttl`; keep it alive with
    /// [`Registry::keep_alive`]. When the lease lapses, the machine is gone.
    ///
    /// # Errors
    /// An invalid machine ID, or backend failures.
    pub async fn register_machine(&self, machine: &Machine, ttl: Duration) -> Result<LeaseId> {
        machine
            .validate()
            .map_err(|reason| RegistryError::Invalid {
                what: "machine".into(),
                reason,
            })?;
        let lease = self.backend.grant(ttl).await?;
        self.backend
            .put(
                &self.key("machines", &machine.id),
                &encode(machine)?,
                Some(lease),
                Condition::Always,
            )
            .await?;
        Ok(lease)
    }

    /// Machines whose leases are alive, with the metadata set through
    /// [`Registry::set_machine_metadata`] merged in (it wins; an empty value
    /// removes the key).
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn machines(&self) -> Result<Listing<Machine>> {
        let mut all = strip(self.list_all::<Machine>("machines").await?);
        let dynamic = self.machine_metadata().await?;
        all.skipped.extend(dynamic.skipped);
        for set in dynamic.items {
            let Some(m) = all.items.iter_mut().find(|m| m.id == set.machine) else {
                continue;
            };
            if set.value.is_empty() {
                m.metadata.remove(&set.key);
            } else {
                m.metadata.insert(set.key, vec![set.value]);
            }
        }
        Ok(all)
    }

    /// Sets a machine's metadata `key` (an empty value hides the agent's
    /// own); the machine need not be present, and the value outlives its
    /// lease. Returns the revision written.
    ///
    /// # Errors
    /// An empty machine ID or key, or one with a '/'; backend failures.
    pub async fn set_machine_metadata(&self, set: &MachineMetadata) -> Result<u64> {
        check_segment("machine id", &set.machine)?;
        check_segment("metadata key", &set.key)?;
        let key = self.key("metadata", &format!("{}/{}", set.machine, set.key));
        self.backend
            .put(&key, &encode(set)?, None, Condition::Always)
            .await
    }

    /// All metadata set through [`Registry::set_machine_metadata`], by
    /// machine and key.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn machine_metadata(&self) -> Result<Listing<MachineMetadata>> {
        Ok(strip(self.list_all::<MachineMetadata>("metadata").await?))
    }

    /// Renews a lease.
    ///
    /// # Errors
    /// [`RegistryError::LeaseNotFound`] once it has lapsed.
    pub async fn keep_alive(&self, lease: LeaseId) -> Result<Duration> {
        self.backend.keep_alive(lease).await
    }

    /// Ends a lease and everything on it.
    ///
    /// # Errors
    /// [`RegistryError::LeaseNotFound`].
    pub async fn revoke(&self, lease: LeaseId) -> Result<()> {
        self.backend.revoke(lease).await
    }

    // ---- assignments ----

    /// Assigns a unit to a machine, only if it is unassigned: of two engines
    /// racing, exactly one wins.
    ///
    /// # Errors
    /// [`RegistryError::Conflict`] when the unit is already assigned.
    pub async fn assign(&self, unit: &str, machine: &str) -> Result<Assignment> {
        check_segment("unit name", unit)?;
        let a = Assignment {
            unit: unit.to_owned(),
            machine: machine.to_owned(),
            revision: 0,
        };
        let revision = self
            .backend
            .put(
                &self.key("assignments", unit),
                &encode(&a)?,
                None,
                Condition::Absent,
            )
            .await?;
        Ok(Assignment { revision, ..a })
    }

    /// Removes an assignment only if it is still the one given.
    ///
    /// # Errors
    /// [`RegistryError::Conflict`] when it changed.
    pub async fn unassign(&self, assignment: &Assignment) -> Result<bool> {
        self.backend
            .delete(
                &self.key("assignments", &assignment.unit),
                Condition::ModRevision(assignment.revision),
            )
            .await
    }

    /// [`Registry::assign`] under `fence`: the unit is assigned only if it
    /// is unassigned and `fence` still holds.
    ///
    /// # Errors
    /// [`RegistryError::Fenced`] when another leader (or none) holds the
    /// election; [`RegistryError::Conflict`] when the unit is assigned.
    pub async fn assign_fenced(
        &self,
        unit: &str,
        machine: &str,
        fence: &Fence,
    ) -> Result<Assignment> {
        check_segment("unit name", unit)?;
        let a = Assignment {
            unit: unit.to_owned(),
            machine: machine.to_owned(),
            revision: 0,
        };
        let key = self.key("assignments", unit);
        let put = TxnOp::Put {
            key: key.clone(),
            value: encode(&a)?,
            lease: None,
        };
        let revision = self
            .fenced(fence, Some(Compare::Absent { key }), &[put])
            .await?;
        Ok(Assignment { revision, ..a })
    }

    /// [`Registry::unassign`] under `fence`: the assignment is removed only
    /// if it is still the one given and `fence` still holds.
    ///
    /// # Errors
    /// [`RegistryError::Fenced`] when another leader (or none) holds the
    /// election; [`RegistryError::Conflict`] when the assignment changed.
    pub async fn unassign_fenced(&self, assignment: &Assignment, fence: &Fence) -> Result<u64> {
        check_segment("unit name", &assignment.unit)?;
        let key = self.key("assignments", &assignment.unit);
        let guard = Compare::ModRevision {
            key: key.clone(),
            revision: assignment.revision,
        };
        self.fenced(fence, Some(guard), &[TxnOp::Delete { key }])
            .await
    }

    /// Moves a unit to `machine` in one write, under `fence`: only if its
    /// assignment is still the one given and `fence` still holds. Returns
    /// the new assignment.
    ///
    /// # Errors
    /// [`RegistryError::Fenced`] when another leader (or none) holds the
    /// election; [`RegistryError::Conflict`] when the assignment changed.
    pub async fn reassign_fenced(
        &self,
        assignment: &Assignment,
        machine: &str,
        fence: &Fence,
    ) -> Result<Assignment> {
        check_segment("unit name", &assignment.unit)?;
        let a = Assignment {
            unit: assignment.unit.clone(),
            machine: machine.to_owned(),
            revision: 0,
        };
        let key = self.key("assignments", &assignment.unit);
        let guard = Compare::ModRevision {
            key: key.clone(),
            revision: assignment.revision,
        };
        let put = TxnOp::Put {
            key,
            value: encode(&a)?,
            lease: None,
        };
        let revision = self.fenced(fence, Some(guard), &[put]).await?;
        Ok(Assignment { revision, ..a })
    }

    /// Writes `ops` if `fence` and `guard` hold, in one transaction; a
    /// refusal is [`RegistryError::Fenced`] if the fence no longer holds,
    /// else a [`RegistryError::Conflict`] on the guarded key.
    async fn fenced(&self, fence: &Fence, guard: Option<Compare>, ops: &[TxnOp]) -> Result<u64> {
        check_segment("election", &fence.election)?;
        let leader = self.key("leader", &fence.election);
        let mut compares = vec![Compare::CreateRevision {
            key: leader.clone(),
            revision: fence.term,
        }];
        compares.extend(guard.clone());
        let outcome = self.backend.txn(&compares, ops).await?;
        if outcome.succeeded {
            return Ok(outcome.revision);
        }
        // Which comparison lost: a key created at the term's revision cannot
        // come back once gone, so reading it now tells what it was then.
        let current = self
            .backend
            .get(&leader)
            .await?
            .map_or(0, |kv| kv.create_revision);
        let Some(guard) = guard.filter(|_| current == fence.term) else {
            return Err(RegistryError::Fenced {
                key: leader,
                term: fence.term,
                current,
            });
        };
        let actual = self
            .backend
            .get(guard.key())
            .await?
            .map_or(0, |kv| kv.mod_revision);
        Err(RegistryError::Conflict {
            key: guard.key().to_owned(),
            expected: match guard {
                Compare::ModRevision { revision, .. }
                | Compare::CreateRevision { revision, .. } => revision,
                Compare::Absent { .. } => 0,
            },
            actual,
        })
    }

    /// Where each assigned unit is: unit -> machine ID.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn placements(&self) -> Result<BTreeMap<String, String>> {
        Ok(self
            .assignments()
            .await?
            .items
            .into_iter()
            .map(|a| (a.unit, a.machine))
            .collect())
    }

    /// Every assignment.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn assignments(&self) -> Result<Listing<Assignment>> {
        let all = self.list_all::<Assignment>("assignments").await?;
        Ok(Listing {
            items: all
                .items
                .into_iter()
                .map(|(a, kv)| Assignment {
                    revision: kv.mod_revision,
                    ..a
                })
                .collect(),
            next: None,
            skipped: all.skipped,
            revision: all.revision,
        })
    }

    // ---- unit states and endpoints ----

    /// Publishes a unit's state on the reporting agent's lease.
    ///
    /// # Errors
    /// Backend failures or a lapsed lease.
    pub async fn put_unit_state(&self, state: &UnitState, lease: LeaseId) -> Result<u64> {
        check_segment("unit name", &state.unit)?;
        let key = self.key("states", &format!("{}/{}", state.unit, state.machine));
        self.backend
            .put(&key, &encode(state)?, Some(lease), Condition::Always)
            .await
    }

    /// Removes a unit's state on a machine (the unit left it).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn delete_unit_state(&self, unit: &str, machine: &str) -> Result<bool> {
        check_segment("unit name", unit)?;
        let key = self.key("states", &format!("{unit}/{machine}"));
        self.backend.delete(&key, Condition::Always).await
    }

    /// Every reported unit state.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn unit_states(&self) -> Result<Listing<UnitState>> {
        Ok(strip(self.list_all::<UnitState>("states").await?))
    }

    // ---- drains ----

    /// Marks a machine drained (it need not be present: a drain outlives
    /// the machine's lease).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn put_drain(&self, drain: &Drain) -> Result<u64> {
        check_segment("machine id", &drain.machine)?;
        let key = self.key("drains", &drain.machine);
        self.backend
            .put(&key, &encode(drain)?, None, Condition::Always)
            .await
    }

    /// Lifts a drain; `false` when there was none.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn delete_drain(&self, machine: &str) -> Result<bool> {
        check_segment("machine id", machine)?;
        self.backend
            .delete(&self.key("drains", machine), Condition::Always)
            .await
    }

    /// Every drained machine.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn drains(&self) -> Result<Listing<Drain>> {
        Ok(strip(self.list_all::<Drain>("drains").await?))
    }

    // ---- engine decisions ----

    /// Records why a unit is unplaced.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn put_decision(&self, decision: &Decision) -> Result<u64> {
        check_segment("unit name", &decision.unit)?;
        let key = self.key("decisions", &decision.unit);
        self.backend
            .put(&key, &encode(decision)?, None, Condition::Always)
            .await
    }

    /// [`Registry::put_decision`] under `fence`.
    ///
    /// # Errors
    /// [`RegistryError::Fenced`] when another leader (or none) holds the
    /// election; backend failures.
    pub async fn put_decision_fenced(&self, decision: &Decision, fence: &Fence) -> Result<u64> {
        check_segment("unit name", &decision.unit)?;
        let put = TxnOp::Put {
            key: self.key("decisions", &decision.unit),
            value: encode(decision)?,
            lease: None,
        };
        self.fenced(fence, None, &[put]).await
    }

    /// [`Registry::delete_decision`] under `fence`.
    ///
    /// # Errors
    /// [`RegistryError::Fenced`] when another leader (or none) holds the
    /// election; backend failures.
    pub async fn delete_decision_fenced(&self, unit: &str, fence: &Fence) -> Result<u64> {
        check_segment("unit name", unit)?;
        let delete = TxnOp::Delete {
            key: self.key("decisions", unit),
        };
        self.fenced(fence, None, &[delete]).await
    }

    /// Why `unit` is unplaced, if the engine said so.
    ///
    /// # Errors
    /// Backend failures or a stored value that does not decode.
    pub async fn decision(&self, unit: &str) -> Result<Option<Decision>> {
        check_segment("unit name", unit)?;
        Ok(self
            .get_typed::<Decision>(&self.key("decisions", unit))
            .await?
            .map(|(d, _)| d))
    }

    /// Every recorded decision.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn decisions(&self) -> Result<Listing<Decision>> {
        Ok(strip(self.list_all::<Decision>("decisions").await?))
    }

    /// Forgets why `unit` was unplaced (it is placed now, or gone).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn delete_decision(&self, unit: &str) -> Result<bool> {
        check_segment("unit name", unit)?;
        self.backend
            .delete(&self.key("decisions", unit), Condition::Always)
            .await
    }

    /// Registers an endpoint on a lease: it disappears with the lease.
    ///
    /// # Errors
    /// Backend failures or a lapsed lease.
    pub async fn put_endpoint(&self, endpoint: &Endpoint, lease: LeaseId) -> Result<u64> {
        check_segment("service", &endpoint.service)?;
        check_segment("endpoint id", &endpoint.id)?;
        let key = self.key(
            "endpoints",
            &format!("{}/{}", endpoint.service, endpoint.id),
        );
        self.backend
            .put(&key, &encode(endpoint)?, Some(lease), Condition::Always)
            .await
    }

    /// Removes an endpoint now (before a planned stop).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn delete_endpoint(&self, service: &str, id: &str) -> Result<bool> {
        self.backend
            .delete(
                &self.key("endpoints", &format!("{service}/{id}")),
                Condition::Always,
            )
            .await
    }

    /// A service's endpoints.
    ///
    /// # Errors
    /// Backend failures; bad values are skipped and reported.
    pub async fn endpoints(&self, service: &str) -> Result<Listing<Endpoint>> {
        check_segment("service", service)?;
        let all = self
            .list_all::<Endpoint>(&format!("endpoints/{service}"))
            .await?;
        Ok(strip(all))
    }

    /// Watches a kind (`units`, `machines`, `assignments`, `states`,
    /// `endpoints`) from a revision, decoding values. Resume after a
    /// disconnect from the last revision seen plus one.
    ///
    /// # Errors
    /// [`RegistryError::Compacted`] when that history is gone.
    pub async fn watch<T: DeserializeOwned + Send + 'static>(
        &self,
        kind: &str,
        from_revision: u64,
    ) -> Result<impl futures::Stream<Item = Result<(u64, Change<T>)>> + Send + use<T, B>> {
        let stream: EventStream = self
            .backend
            .watch(&self.key(kind, ""), from_revision)
            .await?;
        Ok(stream.map(|event| {
            let Event { kind, kv } = event?;
            let revision = kv.mod_revision;
            match kind {
                EventKind::Put => Ok((revision, Change::Put(decode(&kv)?))),
                EventKind::Delete => {
                    let last = kv.key.rsplit('/').next().unwrap_or_default().to_owned();
                    Ok((revision, Change::Deleted(last)))
                }
            }
        }))
    }

    // ---- raw keys ----

    /// Sets a raw key at its literal path (etcdctl-style).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn kv_set(&self, key: &str, value: &str, lease: Option<LeaseId>) -> Result<u64> {
        if !key.starts_with('/') {
            return Err(RegistryError::Invalid {
                what: "key".into(),
                reason: format!("{key:?} must start with '/'"),
            });
        }
        self.backend.put(key, value, lease, Condition::Always).await
    }

    /// Reads a raw key.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn kv_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.backend.get(key).await?.map(|kv| kv.value))
    }

    /// Lists raw keys under a prefix: (key, value) in key order.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn kv_list(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.backend.range(prefix, after.as_deref(), 1000).await?;
            after = page.items.last().map(|kv| kv.key.clone());
            out.extend(page.items.into_iter().map(|kv| (kv.key, kv.value)));
            if !page.more {
                return Ok(out);
            }
        }
    }

    /// Deletes a raw key.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn kv_delete(&self, key: &str) -> Result<bool> {
        self.backend.delete(key, Condition::Always).await
    }

    // ---- leader election ----

    /// Tries to become leader of `election` as `id` on `lease`; returns the
    /// fencing token (the leader key's create revision) if this call won.
    /// The leader stays leader while its lease lives.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn campaign(&self, election: &str, id: &str, lease: LeaseId) -> Result<Option<u64>> {
        check_segment("election", election)?;
        let key = self.key("leader", election);
        match self
            .backend
            .put(&key, id, Some(lease), Condition::Absent)
            .await
        {
            Ok(revision) => Ok(Some(revision)),
            Err(RegistryError::Conflict { .. }) => {
                // Already ours (a restarted campaign on the same lease)?
                match self.backend.get(&key).await? {
                    Some(kv) if kv.value == id && kv.lease == Some(lease) => {
                        Ok(Some(kv.create_revision))
                    }
                    _ => Ok(None),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The current leader and its fencing token.
    ///
    /// # Errors
    /// Backend failures.
    pub async fn leader(&self, election: &str) -> Result<Option<(String, u64)>> {
        Ok(self
            .backend
            .get(&self.key("leader", election))
            .await?
            .map(|kv| (kv.value, kv.create_revision)))
    }

    /// Gives up leadership if `token` is still the leader's.
    ///
    /// # Errors
    /// [`RegistryError::Conflict`] when someone else leads now.
    pub async fn resign(&self, election: &str, token: u64) -> Result<()> {
        let key = self.key("leader", election);
        match self.backend.get(&key).await? {
            Some(kv) if kv.create_revision == token => {
                self.backend
                    .delete(&key, Condition::ModRevision(kv.mod_revision))
                    .await?;
                Ok(())
            }
            Some(kv) => Err(RegistryError::Conflict {
                key,
                expected: token,
                actual: kv.create_revision,
            }),
            None => Ok(()),
        }
    }
}

fn with_revisions(mut unit: Unit, kv: &KeyValue) -> Unit {
    unit.created_revision = kv.create_revision;
    unit.modified_revision = kv.mod_revision;
    unit
}

fn strip<T>(l: Listing<(T, KeyValue)>) -> Listing<T> {
    Listing {
        items: l.items.into_iter().map(|(t, _)| t).collect(),
        next: l.next,
        skipped: l.skipped,
        revision: l.revision,
    }
}
