//! The cluster side of flotta: what fleet's engine did.
//!
//! Every agent runs an [`Engine`]; exactly one leads at a time. The leader is
//! whoever holds the registry's `engine` election key under its machine
//! lease, so a dead leader's lease expiry hands the job on. Each round the
//! leader reads units, machines and assignments, asks
//! [`flotta_scheduler::plan`] what to change, and writes it with
//! compare-and-swap: an assignment is created only where none exists and
//! removed only if it is still the one read. Two engines that both believe
//! they lead (a partition, a slow lease expiry) therefore never place a unit
//! twice: one write wins, the other is a conflict the next round re-reads.
//!
//! A machine that disappears keeps its units for [`EngineOptions::grace`]
//! (it may be restarting); after that they move. A drained machine (see
//! [`Registry::put_drain`]) loses its units at once and gets no new ones.
//! Units the scheduler cannot place get a [`Decision`] in the registry
//! saying why.
//!
//! ```
//! use std::time::Duration;
//! use flotta_engine::{Engine, EngineOptions};
//! use flotta_registry::model::{Machine, TargetState, Unit};
//! use flotta_registry::{MemoryBackend, Registry};
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let registry = Registry::new(MemoryBackend::default());
//! let id = "4468cdab2f3a4c6e9f1b7a0d5e8c2b91";
//! let machine = Machine { id: id.into(), ..Machine::default() };
//! let lease = registry.register_machine(&machine, Duration::from_secs(30)).await.unwrap();
//! let file = UnitFile::parse("[Service]\nExecStart=/bin/true\n").unwrap();
//! registry.put_unit(&Unit::new("web@1.service", &file, TargetState::Launched), None).await.unwrap();
//!
//! let mut engine = Engine::new(registry.clone(), EngineOptions::new(id));
//! let round = engine.tick(lease).await.unwrap();
//! assert!(round.leader);
//! assert_eq!(registry.assignments().await.unwrap().items[0].machine, id);
//! # });
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Assignment, Decision, Machine, TargetState, Unit};
use flotta_registry::{LeaseId, Registry, RegistryError};
use flotta_scheduler::{Action, Desired, Observed, UnitSpec};
use flotta_unit_spec::name::{UnitKind, UnitName};
use serde::Serialize;
use thiserror::Error;
use tokio::time::Instant;

/// The election every engine campaigns in.
pub const ELECTION: &str = "engine";

/// What can stop a round.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The registry failed; the next round tries again.
    #[error("{what}: {source}")]
    Registry {
        /// What the engine was doing.
        what: &'static str,
        /// The registry's error.
        #[source]
        source: RegistryError,
    },
}

fn registry(what: &'static str) -> impl FnOnce(RegistryError) -> EngineError {
    move |source| EngineError::Registry { what, source }
}

/// How an engine behaves.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// This engine's name in the election (its machine ID).
    pub id: String,
    /// How long a vanished machine keeps its units before they move.
    pub grace: Duration,
    /// Pace rounds so reading the cluster takes at most a quarter of the
    /// time: a tick too soon after the last round does nothing. For an
    /// engine ticked in a loop (the agent's); off, every tick is a round.
    pub paced: bool,
}

impl EngineOptions {
    /// Options for the engine on machine `id`, with a 10 s grace period,
    /// unpaced.
    pub fn new(id: impl Into<String>) -> Self {
        EngineOptions {
            id: id.into(),
            grace: Duration::from_secs(10),
            paced: false,
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Round {
    /// Whether this engine led the round.
    pub leader: bool,
    /// The leader's fencing token.
    pub term: Option<u64>,
    /// Changes written.
    pub applied: Vec<Action>,
    /// Changes skipped because another writer got there first.
    pub conflicts: usize,
    /// Changes waiting for a vanished machine's grace period.
    pub deferred: usize,
    /// Units left unplaced.
    pub unplaced: usize,
}

/// One machine's engine.
pub struct Engine<B> {
    registry: Registry<B>,
    options: EngineOptions,
    term: Option<u64>,
    /// Machines seen, with when they were last present.
    seen: BTreeMap<String, (Machine, Instant)>,
    /// Decisions as last written (unit -> summary).
    decided: Option<BTreeMap<String, String>>,
    /// The store revision of the last round that left nothing pending: an
    /// unchanged revision means nothing to do.
    settled: Option<u64>,
    /// Parsed units, kept across rounds.
    specs: SpecCache,
    /// No round before this: reading the cluster takes at most a quarter
    /// of the time, so a busy store is not read to death.
    paced_until: Option<Instant>,
}

impl<B: KvBackend> Engine<B> {
    /// An engine on `registry`.
    pub fn new(registry: Registry<B>, options: EngineOptions) -> Self {
        Engine {
            registry,
            options,
            term: None,
            seen: BTreeMap::new(),
            decided: None,
            settled: None,
            specs: SpecCache::default(),
            paced_until: None,
        }
    }

    /// Whether the last round found this engine leading.
    pub fn is_leader(&self) -> bool {
        self.term.is_some()
    }

    /// One round: campaign on `lease` (the machine's), and reconcile if this
    /// engine leads.
    ///
    /// # Errors
    /// Registry failures.
    pub async fn tick(&mut self, lease: LeaseId) -> Result<Round, EngineError> {
        let term = self
            .registry
            .campaign(ELECTION, &self.options.id, lease)
            .await
            .map_err(registry("campaigning"))?;
        if term != self.term {
            match term {
                Some(t) => tracing::info!(term = t, "engine: leading"),
                None if self.term.is_some() => tracing::info!("engine: no longer leading"),
                None => {}
            }
            // A new term reads everything afresh.
            self.seen.clear();
            self.decided = None;
            self.settled = None;
            self.paced_until = None;
        }
        self.term = term;
        match term {
            Some(t) => self.reconcile(t).await,
            None => Ok(Round::default()),
        }
    }

    async fn reconcile(&mut self, term: u64) -> Result<Round, EngineError> {
        let now = Instant::now();
        let revision = self
            .registry
            .backend()
            .revision()
            .await
            .map_err(registry("reading the revision"))?;
        if self.settled == Some(revision) {
            // Nothing changed, so every machine seen is still registered (an
            // expired lease deletes its key and moves the revision).
            for (_, at) in self.seen.values_mut() {
                *at = now;
            }
            return Ok(Round {
                leader: true,
                term: Some(term),
                ..Round::default()
            });
        }
        if self.options.paced && self.paced_until.is_some_and(|t| now < t) {
            return Ok(Round {
                leader: true,
                term: Some(term),
                ..Round::default()
            });
        }
        let present = self
            .registry
            .machines()
            .await
            .map_err(registry("listing machines"))?
            .items;
        for m in present {
            self.seen.insert(m.id.clone(), (m, now));
        }
        let grace = self.options.grace;
        self.seen
            .retain(|_, (_, at)| now.duration_since(*at) <= grace);
        let vanished: BTreeSet<String> = self
            .seen
            .iter()
            .filter(|(_, (_, at))| *at != now)
            .map(|(id, _)| id.clone())
            .collect();

        let drained: BTreeSet<String> = self
            .registry
            .drains()
            .await
            .map_err(registry("listing drains"))?
            .items
            .into_iter()
            .map(|d| d.machine)
            .collect();
        let units = self.units().await?;
        let assignments: BTreeMap<String, Assignment> = self
            .registry
            .assignments()
            .await
            .map_err(registry("listing assignments"))?
            .items
            .into_iter()
            .map(|a| (a.unit.clone(), a))
            .collect();
        self.paced_until = Some(Instant::now() + now.elapsed() * 3);

        let mut round = Round {
            leader: true,
            term: Some(term),
            ..Round::default()
        };
        // Assignments of destroyed units go first.
        let names: BTreeSet<&str> = units.iter().map(|u| u.name.as_str()).collect();
        for (unit, a) in &assignments {
            if !names.contains(unit.as_str()) {
                let action = Action::Unschedule {
                    unit: unit.clone(),
                    machine: a.machine.clone(),
                    reason: "the unit was destroyed".into(),
                };
                self.apply(action, &assignments, &mut round).await?;
            }
        }
        // A drained machine is, to the scheduler, gone: its units move.
        let desired = Desired {
            machines: self
                .seen
                .values()
                .filter(|(m, _)| !drained.contains(&m.id))
                .map(|(m, _)| scheduler_machine(m))
                .collect(),
            units,
        };
        let known: BTreeSet<&str> = desired.units.iter().map(|u| u.name.as_str()).collect();
        let observed = Observed {
            assignments: assignments
                .iter()
                .filter(|(u, _)| known.contains(u.as_str()))
                .map(|(u, a)| (u.clone(), a.machine.clone()))
                .collect(),
        };
        let plan = flotta_scheduler::plan(&desired, &observed);
        for action in plan.actions {
            let target = match &action {
                Action::Place { machine, .. } => Some(machine),
                Action::Move { to, .. } => Some(to),
                Action::Unschedule { .. } => None,
            };
            if target.is_some_and(|m| vanished.contains(m)) {
                round.deferred += 1;
                continue;
            }
            self.apply(action, &assignments, &mut round).await?;
        }
        round.unplaced = plan.unplaced.len();
        self.record(term, &plan.unplaced).await?;
        // Our own writes moved the revision: settle on the next quiet round.
        let quiet = vanished.is_empty() && round.applied.is_empty() && round.conflicts == 0;
        self.settled = (quiet && round.deferred == 0).then_some(revision);
        Ok(round)
    }

    /// Units that want a machine, as the scheduler sees them; templates and
    /// unreadable units are skipped (the latter logged once per change).
    async fn units(&mut self) -> Result<Vec<UnitSpec>, EngineError> {
        let all = self
            .registry
            .all_units()
            .await
            .map_err(registry("listing units"))?;
        for (unit, why) in self.specs.update(&all.items) {
            tracing::warn!(unit = %unit, "engine: not placing: {why}");
        }
        Ok(all
            .items
            .iter()
            .filter_map(|u| self.specs.get(&u.name).cloned())
            .collect())
    }

    /// Writes one action with compare-and-swap; a lost race is counted, not
    /// an error.
    async fn apply(
        &self,
        action: Action,
        assignments: &BTreeMap<String, Assignment>,
        round: &mut Round,
    ) -> Result<(), EngineError> {
        let outcome = match &action {
            Action::Place { unit, machine, .. } => {
                self.registry.assign(unit, machine).await.map(|_| true)
            }
            Action::Move { unit, to, .. } => match assignments.get(unit) {
                Some(a) => match self.registry.unassign(a).await {
                    Ok(true) => self.registry.assign(unit, to).await.map(|_| true),
                    other => other,
                },
                None => Ok(false),
            },
            Action::Unschedule { unit, .. } => match assignments.get(unit) {
                Some(a) => self.registry.unassign(a).await,
                None => Ok(false),
            },
        };
        match outcome {
            Ok(true) => {
                tracing::info!(?action, "engine: applied");
                round.applied.push(action);
                Ok(())
            }
            Ok(false) | Err(RegistryError::Conflict { .. }) => {
                tracing::debug!(?action, "engine: lost a race; next round re-reads");
                round.conflicts += 1;
                Ok(())
            }
            Err(e) => Err(registry("writing an assignment")(e)),
        }
    }

    /// Writes decisions that changed and removes those of placed units.
    async fn record(
        &mut self,
        term: u64,
        unplaced: &[flotta_scheduler::Unplaced],
    ) -> Result<(), EngineError> {
        let written = match self.decided.take() {
            Some(d) => d,
            None => self
                .registry
                .decisions()
                .await
                .map_err(registry("listing decisions"))?
                .items
                .into_iter()
                .map(|d| (d.unit, d.summary))
                .collect(),
        };
        let mut now = BTreeMap::new();
        for u in unplaced {
            let summary = u.explanation.to_string();
            if written.get(&u.unit) != Some(&summary) {
                let decision = Decision {
                    unit: u.unit.clone(),
                    summary: summary.clone(),
                    detail: serde_json::to_value(&u.explanation).unwrap_or_default(),
                    term,
                };
                self.registry
                    .put_decision(&decision)
                    .await
                    .map_err(registry("recording a decision"))?;
            }
            now.insert(u.unit.clone(), summary);
        }
        for unit in written.keys().filter(|u| !now.contains_key(*u)) {
            self.registry
                .delete_decision(unit)
                .await
                .map_err(registry("clearing a decision"))?;
        }
        self.decided = Some(now);
        Ok(())
    }
}

/// The scheduler's view of a stored unit with its target state; `None` for
/// a template (never placed itself).
///
/// # Errors
/// The unit file or its `[X-Fleet]` section does not parse (in words).
pub fn scheduler_unit(unit: &Unit) -> Result<Option<UnitSpec>, String> {
    let name = UnitName::parse(&unit.name).map_err(|e| e.to_string())?;
    if name.kind() == UnitKind::Template {
        return Ok(None);
    }
    let file = unit.unit_file().map_err(|e| e.to_string())?;
    let mut spec = UnitSpec::from_unit(&file, &name).map_err(|e| e.to_string())?;
    spec.target = match unit.target_state {
        TargetState::Inactive => flotta_scheduler::TargetState::Inactive,
        TargetState::Loaded => flotta_scheduler::TargetState::Loaded,
        TargetState::Launched => flotta_scheduler::TargetState::Launched,
    };
    Ok(Some(spec))
}

/// Units as the scheduler sees them, kept across rounds: a unit is parsed
/// again only when its stored revision moves, so a round over 10,000 units
/// parses only what changed.
#[derive(Debug, Default)]
pub struct SpecCache {
    specs: BTreeMap<String, (u64, Option<UnitSpec>)>,
}

impl SpecCache {
    /// Brings the cache to `units` (forgetting the others); returns the
    /// units newly found unreadable, with why.
    pub fn update(&mut self, units: &[Unit]) -> Vec<(String, String)> {
        let mut failed = Vec::new();
        let mut specs = BTreeMap::new();
        for unit in units {
            let spec = match self.specs.remove(&unit.name) {
                Some((rev, spec)) if rev == unit.modified_revision => spec,
                _ => scheduler_unit(unit).unwrap_or_else(|why| {
                    failed.push((unit.name.clone(), why));
                    None
                }),
            };
            specs.insert(unit.name.clone(), (unit.modified_revision, spec));
        }
        self.specs = specs;
        failed
    }

    /// The scheduler's view of a unit (`None`: unknown, a template or unreadable).
    pub fn get(&self, name: &str) -> Option<&UnitSpec> {
        self.specs.get(name).and_then(|(_, spec)| spec.as_ref())
    }
}

/// Units that want a machine, as the scheduler sees them; templates and
/// unreadable units are skipped with a warning.
///
/// # Errors
/// The registry fails.
pub async fn unit_specs<B: KvBackend>(reg: &Registry<B>) -> Result<Vec<UnitSpec>, EngineError> {
    let all = reg.all_units().await.map_err(registry("listing units"))?;
    Ok(all
        .items
        .iter()
        .filter_map(|unit| {
            scheduler_unit(unit).unwrap_or_else(|why| {
                tracing::warn!(unit = %unit.name, "engine: not placing: {why}");
                None
            })
        })
        .collect())
}

/// The scheduler's input for the registry as it is now: every unit that
/// wants a machine, the registered machines that are not drained, and the
/// assignments of those units. This is what a round of the leader sees,
/// minus its grace period for machines that just vanished; `flotta-api`'s
/// `GET /v1/plan` plans from it.
///
/// # Errors
/// The registry fails.
pub async fn scheduler_input<B: KvBackend>(
    reg: &Registry<B>,
) -> Result<(Desired, Observed), EngineError> {
    let drained: BTreeSet<String> = reg
        .drains()
        .await
        .map_err(registry("listing drains"))?
        .items
        .into_iter()
        .map(|d| d.machine)
        .collect();
    let machines = reg
        .machines()
        .await
        .map_err(registry("listing machines"))?
        .items
        .iter()
        .filter(|m| !drained.contains(&m.id))
        .map(scheduler_machine)
        .collect();
    let units = unit_specs(reg).await?;
    let known: BTreeSet<&str> = units.iter().map(|u| u.name.as_str()).collect();
    let assignments = reg
        .assignments()
        .await
        .map_err(registry("listing assignments"))?
        .items
        .into_iter()
        .filter(|a| known.contains(a.unit.as_str()))
        .map(|a| (a.unit, a.machine))
        .collect();
    Ok((Desired { machines, units }, Observed { assignments }))
}

/// The scheduler's view of a registered machine: the first value of each
/// metadata key (fleet's metadata had one value per key).
pub fn scheduler_machine(m: &Machine) -> flotta_scheduler::Machine {
    let mut out = flotta_scheduler::Machine::new(m.id.clone());
    out.public_ip = (!m.public_ip.is_empty()).then(|| m.public_ip.clone());
    for (k, values) in &m.metadata {
        if let Some(v) = values.first() {
            out.metadata.insert(k.clone(), v.clone());
        }
    }
    out.capacity.cpu_millis = m.cpu_millis;
    out.capacity.memory_bytes = m.memory_bytes;
    out
}
