//! The cluster side of flotta: what fleet's engine did.
//!
//! Every agent runs an [`Engine`]; exactly one leads at a time. The leader is
//! whoever holds the registry's `engine` election key under its machine
//! lease, so a dead leader's lease expiry hands the job on. Each round the
//! leader reads units, machines and assignments, asks
//! [`flotta_scheduler::plan`] what to change, and writes it with
//! compare-and-swap: an assignment is created only where none exists, and
//! moved or removed only if it is still the one read.
//!
//! Every write is also fenced: it is one transaction that lands only if the
//! election's key still has the create revision this engine won it with
//! (its term, see [`Fence`]); a move is one write. An engine that stalls
//! mid-round past its lease (a pause, a slow disk) while another is elected
//! therefore writes nothing when it resumes: its first write is refused,
//! the round ends there ([`Round::fenced`]) and the engine no longer leads.
//!
//! A machine that disappears keeps its units for [`EngineOptions::grace`]
//! (it may be restarting); after that they move. A new leader cannot know
//! when a machine that vanished before its term did so (perhaps a moment
//! ago: it may be the old leader's own), so every unregistered machine that
//! still holds assignments when a term starts gets a full grace from then.
//! Its record went with its lease, so until the grace ends its units are
//! left out of the plan as they are: not moved, not unscheduled, and
//! nothing new placed there. A drained machine (see [`Registry::put_drain`])
//! loses its units at once and gets no new ones. Units the scheduler cannot
//! place get a [`Decision`] in the registry saying why.
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
use std::ops::ControlFlow;
use std::time::Duration;

use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Assignment, Decision, Machine, TargetState, Unit};
use flotta_registry::{Fence, LeaseId, Registry, RegistryError};
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
    /// The round ended at a write refused because another engine leads now
    /// (or none does): nothing more was written, and `leader` is false.
    pub fenced: bool,
}

/// One machine's engine.
pub struct Engine<B> {
    registry: Registry<B>,
    options: EngineOptions,
    term: Option<u64>,
    /// Machines seen this term, with when they were last present; no record
    /// for a machine known only by its assignments (gone before the term).
    seen: BTreeMap<String, (Option<Machine>, Instant)>,
    /// The term's first full read is still to come: it gives machines gone
    /// before the term their grace.
    new_term: bool,
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
            new_term: false,
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
            self.new_term = true;
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
            .map_err(registry("listing machines"))?;
        // A machine whose record does not decode is still there.
        let mut present_ids: BTreeSet<String> = present.unreadable();
        for id in &present_ids {
            if let Some((_, at)) = self.seen.get_mut(id) {
                *at = now;
            }
        }
        present_ids.extend(present.items.iter().map(|m| m.id.clone()));
        for m in present.items {
            self.seen.insert(m.id.clone(), (Some(m), now));
        }

        let drained: BTreeSet<String> = self
            .registry
            .drains()
            .await
            .map_err(registry("listing drains"))?
            .items
            .into_iter()
            .map(|d| d.machine)
            .collect();
        let (mut units, stored) = self.units().await?;
        let listed = self
            .registry
            .assignments()
            .await
            .map_err(registry("listing assignments"))?;
        // A unit whose assignment does not decode (a newer writer, say) is
        // left exactly as it is, as is one whose record does not.
        let unreadable = listed.unreadable();
        units.retain(|u| !unreadable.contains(&u.name));
        let assignments: BTreeMap<String, Assignment> = listed
            .items
            .into_iter()
            .map(|a| (a.unit.clone(), a))
            .collect();
        self.paced_until = Some(Instant::now() + now.elapsed() * 3);
        if std::mem::take(&mut self.new_term) {
            // When these vanished is unknown to a new leader: perhaps just
            // now, so their grace starts now.
            for a in assignments.values() {
                self.seen.entry(a.machine.clone()).or_insert((None, now));
            }
        }
        let grace = self.options.grace;
        self.seen
            .retain(|_, (_, at)| now.duration_since(*at) <= grace);
        let vanished: BTreeSet<String> = self
            .seen
            .keys()
            .filter(|id| !present_ids.contains(*id))
            .cloned()
            .collect();
        // Units on a machine in its grace whose record this leader never had
        // stay out of the plan: without the record the scheduler would find
        // them misplaced and move them. A drain moves them all the same.
        let held: BTreeSet<&str> = assignments
            .values()
            .filter(|a| {
                !drained.contains(&a.machine)
                    && self.seen.get(&a.machine).is_some_and(|(m, _)| m.is_none())
            })
            .map(|a| a.unit.as_str())
            .collect();

        let fence = Fence::new(ELECTION, term);
        let mut round = Round {
            leader: true,
            term: Some(term),
            ..Round::default()
        };
        // Assignments of destroyed units go first: only of units that are
        // gone, not of those that do not parse or decode.
        for (unit, a) in &assignments {
            if !stored.contains(unit) {
                let action = Action::Unschedule {
                    unit: unit.clone(),
                    machine: a.machine.clone(),
                    reason: "the unit was destroyed".into(),
                };
                if self
                    .apply(action, &assignments, &fence, &mut round)
                    .await?
                    .is_break()
                {
                    return Ok(self.deposed(round));
                }
            }
        }
        // A drained machine is, to the scheduler, gone: its units move.
        let desired = Desired {
            machines: self
                .seen
                .values()
                .filter_map(|(m, _)| m.as_ref())
                .filter(|m| !drained.contains(&m.id))
                .map(scheduler_machine)
                .collect(),
            units: units
                .into_iter()
                .filter(|u| !held.contains(u.name.as_str()))
                .collect(),
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
            if self
                .apply(action, &assignments, &fence, &mut round)
                .await?
                .is_break()
            {
                return Ok(self.deposed(round));
            }
        }
        round.unplaced = plan.unplaced.len();
        if self.record(&fence, &plan.unplaced).await?.is_break() {
            return Ok(self.deposed(round));
        }
        // Our own writes moved the revision: settle on the next quiet round.
        let quiet = vanished.is_empty() && round.applied.is_empty() && round.conflicts == 0;
        self.settled = (quiet && round.deferred == 0).then_some(revision);
        Ok(round)
    }

    /// Ends a round whose write was fenced off: another engine leads (or
    /// none does), so this one stops writing and reads afresh if it leads
    /// again.
    fn deposed(&mut self, mut round: Round) -> Round {
        tracing::warn!(
            term = ?round.term,
            "engine: another engine leads now; this round's remaining writes are dropped"
        );
        self.term = None;
        self.seen.clear();
        self.new_term = false;
        self.decided = None;
        self.settled = None;
        self.paced_until = None;
        round.leader = false;
        round.fenced = true;
        round
    }

    /// Units that want a machine, as the scheduler sees them (templates and
    /// units whose file does not parse are skipped, the latter logged once
    /// per change), and the name of every stored unit, including those
    /// whose record does not decode.
    async fn units(&mut self) -> Result<(Vec<UnitSpec>, BTreeSet<String>), EngineError> {
        let all = self
            .registry
            .all_units()
            .await
            .map_err(registry("listing units"))?;
        for (unit, why) in self.specs.update(&all.items) {
            tracing::warn!(unit = %unit, "engine: not placing: {why}");
        }
        let specs = all
            .items
            .iter()
            .filter_map(|u| self.specs.get(&u.name).cloned())
            .collect();
        let mut stored = all.unreadable();
        stored.extend(all.items.iter().map(|u| u.name.clone()));
        Ok((specs, stored))
    }

    /// Writes one action with compare-and-swap under the term's fence; a
    /// lost race is counted, not an error. Breaks when the fence is gone.
    async fn apply(
        &self,
        action: Action,
        assignments: &BTreeMap<String, Assignment>,
        fence: &Fence,
        round: &mut Round,
    ) -> Result<ControlFlow<()>, EngineError> {
        let outcome = match &action {
            Action::Place { unit, machine, .. } => self
                .registry
                .assign_fenced(unit, machine, fence)
                .await
                .map(|_| true),
            Action::Move { unit, to, .. } => match assignments.get(unit) {
                Some(a) => self
                    .registry
                    .reassign_fenced(a, to, fence)
                    .await
                    .map(|_| true),
                None => Ok(false),
            },
            Action::Unschedule { unit, .. } => match assignments.get(unit) {
                Some(a) => self.registry.unassign_fenced(a, fence).await.map(|_| true),
                None => Ok(false),
            },
        };
        match outcome {
            Ok(true) => {
                tracing::info!(?action, "engine: applied");
                round.applied.push(action);
                Ok(ControlFlow::Continue(()))
            }
            Ok(false) | Err(RegistryError::Conflict { .. }) => {
                tracing::debug!(?action, "engine: lost a race; next round re-reads");
                round.conflicts += 1;
                Ok(ControlFlow::Continue(()))
            }
            Err(RegistryError::Fenced { .. }) => Ok(ControlFlow::Break(())),
            Err(e) => Err(registry("writing an assignment")(e)),
        }
    }

    /// Writes decisions that changed and removes those of placed units,
    /// under the term's fence. Breaks when the fence is gone.
    async fn record(
        &mut self,
        fence: &Fence,
        unplaced: &[flotta_scheduler::Unplaced],
    ) -> Result<ControlFlow<()>, EngineError> {
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
                    term: fence.term,
                };
                match self.registry.put_decision_fenced(&decision, fence).await {
                    Ok(_) => {}
                    Err(RegistryError::Fenced { .. }) => return Ok(ControlFlow::Break(())),
                    Err(e) => return Err(registry("recording a decision")(e)),
                }
            }
            now.insert(u.unit.clone(), summary);
        }
        for unit in written.keys().filter(|u| !now.contains_key(*u)) {
            match self.registry.delete_decision_fenced(unit, fence).await {
                Ok(_) => {}
                Err(RegistryError::Fenced { .. }) => return Ok(ControlFlow::Break(())),
                Err(e) => return Err(registry("clearing a decision")(e)),
            }
        }
        self.decided = Some(now);
        Ok(ControlFlow::Continue(()))
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
