//! The agent loop: one machine's duties toward the registry.
//!
//! Registers the machine under a lease and keeps it alive; runs the units
//! assigned to it (`loaded`: known, not running; `launched`: running);
//! publishes their states; registers `[X-Flotta] Service=` endpoints once a
//! unit runs (and passes its `HealthCheck=`), and deregisters them *before*
//! stopping the unit, waiting `DrainSec=` so balancers stop sending first.
//! A machine that dies takes its endpoints with it when the lease expires.
//!
//! The loop reconciles on a short period (`AgentOptions::period`) from
//! listings rather than watches: simple, and it converges after any missed
//! event by construction.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use flotta_engine::{Engine, EngineOptions};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Endpoint, Machine, TargetState, UnitState};
use flotta_registry::{LeaseId, Registry};
use flotta_unit_spec::flotta_options::{EndpointSpec, FlottaOptions};
use flotta_unit_spec::glob::glob_match;
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::{RestartPolicy, ServiceConfig};
use flotta_unit_spec::specifier::SpecifierContext;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::error::AgentError;
use crate::journal::Journal;
use crate::machine::MachineIdentity;
use crate::supervisor::{ActiveState, SubState, Supervisor, UnitHandle, json_name};

/// How the agent runs.
#[derive(Debug, Clone)]
pub struct AgentOptions {
    /// Who this machine is.
    pub identity: MachineIdentity,
    /// The machine's lease; it expires this long after the agent stops renewing.
    pub lease_ttl: Duration,
    /// Supervisor state, output files, journal.
    pub state_dir: PathBuf,
    /// Time between reconciliations.
    pub period: Duration,
    /// Run an engine too (every fleet agent did): it campaigns for
    /// leadership and, while leading, places units. The value is how long
    /// a vanished machine keeps its units (see [`flotta_engine`]).
    pub engine_grace: Option<Duration>,
    /// Units started at once; later starts queue
    /// ([`crate::supervisor::DEFAULT_MAX_STARTING`] is a fine default).
    pub max_starting: usize,
}

/// A unit this agent runs.
struct Managed {
    handle: UnitHandle,
    hash: String,
    endpoint: Option<EndpointSpec>,
    registered: bool,
    health: Health,
    published: Option<(ActiveState, SubState, Option<u32>)>,
    /// The unit file could not be turned into a service (`load: error`).
    load_error: Option<String>,
    /// The target state last acted on: start and stop are sent on change
    /// only, so a failed or finished unit stays so (as under systemd).
    target: Option<TargetState>,
    /// A stop waiting out `DrainSec=` (cancelled by a start meanwhile).
    draining: Option<JoinHandle<()>>,
    /// Its `Conflicts=` patterns (`None`: unknown, as for a unit adopted
    /// without a readable file).
    conflicts: Option<Vec<String>>,
}

impl Managed {
    fn new(
        handle: UnitHandle,
        hash: String,
        endpoint: Option<EndpointSpec>,
        load_error: Option<String>,
        conflicts: Option<Vec<String>>,
    ) -> Managed {
        Managed {
            handle,
            hash,
            endpoint,
            registered: false,
            health: Health::default(),
            published: None,
            load_error,
            target: None,
            draining: None,
            conflicts,
        }
    }
}

/// A unit on its way off this machine: draining, stopping, cleaning up.
struct Leaving {
    task: JoinHandle<()>,
    /// Its `Conflicts=` patterns (`None`: unknown).
    conflicts: Option<Vec<String>>,
}

impl Leaving {
    /// Whether unit `name` (declaring `theirs`) must wait until this one,
    /// `mine`, is gone: they conflict, or this one's conflicts are unknown.
    fn blocks(&self, mine: &str, name: &str, theirs: &[String]) -> bool {
        self.conflicts.as_ref().is_none_or(|patterns| {
            patterns.iter().any(|p| glob_match(p, name))
                || theirs.iter().any(|p| glob_match(p, mine))
        })
    }
}

/// An endpoint's health as HAProxy keeps a server's: `HealthFall=` failing
/// probes in a row take it down, `HealthRise=` passing ones bring it back.
/// A unit that just started is up at its first pass, so starting is not
/// slowed by `rise`.
#[derive(Debug, Default)]
struct Health {
    up: bool,
    /// Went down since the unit started: coming back takes `rise` passes.
    fell: bool,
    passes: u32,
    fails: u32,
    last_probe: Option<Instant>,
}

impl Health {
    fn due(&self, interval: Duration) -> bool {
        self.last_probe.is_none_or(|t| t.elapsed() >= interval)
    }

    /// Counts a probe; returns whether the endpoint is up now.
    fn record(&mut self, ok: bool, spec: &EndpointSpec) -> bool {
        self.last_probe = Some(Instant::now());
        if ok {
            self.passes = self.passes.saturating_add(1);
            self.fails = 0;
            if !self.up && (!self.fell || self.passes >= spec.health_rise) {
                self.up = true;
            }
        } else {
            self.fails = self.fails.saturating_add(1);
            self.passes = 0;
            if self.up && self.fails >= spec.health_fall {
                self.up = false;
                self.fell = true;
            }
        }
        self.up
    }
}

/// Health probes in flight at once, per agent.
const PROBES_AT_ONCE: usize = 64;
/// Units draining and stopping at once, per agent.
const STOPS_AT_ONCE: usize = 32;

/// One machine's agent.
pub struct Agent<B> {
    registry: Registry<B>,
    supervisor: Supervisor,
    options: AgentOptions,
    lease: Option<LeaseId>,
    renewed: Option<Instant>,
    units: BTreeMap<String, Managed>,
    engine: Option<Engine<B>>,
    /// The store revision the units were last reconciled at.
    reconciled: Option<u64>,
    /// Units an earlier agent here left running that this one has neither
    /// adopted nor stopped yet (`None` until the first pass lists them): one
    /// kept for now (still wanted, its adoption waiting on a unit that is
    /// stopping) is stopped on a later pass if it stops being wanted first.
    unswept: Option<BTreeSet<String>>,
    /// Every unit as the scheduler sees it (for `Global=`), parsed once per change.
    specs: flotta_engine::SpecCache,
    /// No reconciliation before this: reading the cluster takes at most a
    /// quarter of the time, so thousands of units do not flood the store.
    paced_until: Option<Instant>,
    /// Renews the lease on its own schedule, so a long round (thousands of
    /// units) never lets the machine expire.
    renewer: Option<JoinHandle<()>>,
    /// The machine's lease as the engine's task sees it.
    lease_watch: watch::Sender<Option<LeaseId>>,
    /// The engine's own task: placement never waits for this machine's
    /// drains and stops.
    leader: Option<JoinHandle<()>>,
    /// Units on their way out (draining, stopping), each in its own task.
    leaving: BTreeMap<String, Leaving>,
    /// Bounds `leaving`'s work in flight.
    stops: Arc<Semaphore>,
    /// A wanted unit waited for its earlier self to finish leaving:
    /// reconcile again.
    retry: bool,
}

impl<B> Drop for Agent<B> {
    fn drop(&mut self) {
        if let Some(r) = self.renewer.take() {
            r.abort();
        }
        if let Some(l) = self.leader.take() {
            l.abort();
        }
    }
}

impl<B> std::fmt::Debug for Agent<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("machine", &self.options.identity.id)
            .field("units", &self.units.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<B: KvBackend + Clone + Send + Sync + 'static> Agent<B> {
    /// An agent for `registry`.
    ///
    /// # Errors
    /// The state directory cannot be prepared.
    pub fn new(registry: Registry<B>, options: AgentOptions) -> Result<Self, AgentError> {
        let journal = Journal::open(options.state_dir.join("journal"), 8 << 20)?;
        // Where adopted units' files are kept (see `unit_file_path`).
        let unit_files = options.state_dir.join("unit-files");
        std::fs::create_dir_all(&unit_files)
            .map_err(AgentError::io(format!("creating {}", unit_files.display())))?;
        let env_file = options
            .identity
            .write_environment_file(&options.state_dir)?;
        let supervisor = Supervisor::new(
            journal,
            options.state_dir.join("units"),
            options.identity.environment(),
        )
        .with_environment_file(env_file)
        .with_max_starting(options.max_starting);
        let engine = options.engine_grace.map(|grace| {
            let mut engine_options = EngineOptions::new(options.identity.id.clone());
            engine_options.grace = grace;
            engine_options.paced = true;
            Engine::new(registry.clone(), engine_options)
        });
        Ok(Agent {
            registry,
            supervisor,
            options,
            lease: None,
            renewed: None,
            units: BTreeMap::new(),
            engine,
            reconciled: None,
            unswept: None,
            specs: flotta_engine::SpecCache::default(),
            paced_until: None,
            renewer: None,
            lease_watch: watch::Sender::new(None),
            leader: None,
            leaving: BTreeMap::new(),
            stops: Arc::new(Semaphore::new(STOPS_AT_ONCE)),
            retry: false,
        })
    }

    /// The supervisor (journal access, for status commands).
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }

    /// Runs until `shutdown` completes; units keep running after (the next
    /// agent adopts them).
    ///
    /// # Errors
    /// Only the first registration; later registry failures are retried.
    pub async fn run(
        mut self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), AgentError> {
        self.register().await?;
        if let Some(engine) = self.engine.take() {
            let lease = self.lease_watch.subscribe();
            self.leader = Some(tokio::spawn(lead(engine, lease, self.options.period)));
        }
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return Ok(()),
                () = tokio::time::sleep(self.options.period) => {}
            }
            if let Err(e) = self.tick().await {
                tracing::warn!(machine = %self.options.identity.id, "reconcile: {e}");
            }
        }
    }

    async fn register(&mut self) -> Result<(), AgentError> {
        let id = &self.options.identity;
        let machine = Machine {
            id: id.id.clone(),
            public_ip: id.public_ip.clone().unwrap_or_default(),
            hostname: id.hostname.clone(),
            metadata: id
                .metadata
                .iter()
                .map(|(k, v)| (k.clone(), vec![v.clone()]))
                .collect(),
            ..Machine::default()
        };
        let lease = self
            .registry
            .register_machine(&machine, self.options.lease_ttl)
            .await
            .map_err(AgentError::registry("registering the machine"))?;
        self.lease = Some(lease);
        self.lease_watch.send_replace(Some(lease));
        self.renewed = Some(Instant::now());
        if let Some(r) = self.renewer.take() {
            r.abort();
        }
        let registry = self.registry.clone();
        let every = self.options.lease_ttl / 3;
        self.renewer = Some(tokio::spawn(async move {
            let mut wait = every;
            loop {
                tokio::time::sleep(wait).await;
                // A lost lease is the round's to notice (it registers again);
                // anything else (a slow store, a stalled stream) is retried
                // soon, well inside the TTL.
                wait = every;
                match tokio::time::timeout(every, registry.keep_alive(lease)).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(flotta_registry::RegistryError::LeaseNotFound(_))) => return,
                    Ok(Err(e)) => {
                        tracing::warn!(lease, "renewing the machine lease: {e}; retrying");
                        wait = every / 4;
                    }
                    Err(_) => {
                        tracing::warn!(
                            lease,
                            "renewing the machine lease took over {every:?}; retrying"
                        );
                        wait = Duration::ZERO;
                    }
                }
            }
        }));
        Ok(())
    }

    /// One reconciliation: lease, assignments, states, endpoints.
    ///
    /// # Errors
    /// Registry failures (the next tick tries again).
    pub async fn tick(&mut self) -> Result<(), AgentError> {
        self.keep_lease().await?;
        // Without `run` (which gives the engine its own task), lead here.
        if let (Some(engine), Some(lease)) = (self.engine.as_mut(), self.lease)
            && let Err(e) = engine.tick(lease).await
        {
            tracing::warn!("engine: {e}");
        }
        let before = self.leaving.len();
        self.leaving.retain(|_, l| !l.task.is_finished());
        if self.leaving.len() != before || std::mem::take(&mut self.retry) {
            self.reconciled = None;
        }
        let revision = self
            .registry
            .backend()
            .revision()
            .await
            .map_err(AgentError::registry("reading the revision"))?;
        if self.reconciled != Some(revision) && self.paced_until.is_none_or(|t| Instant::now() >= t)
        {
            self.reconcile().await?;
            self.reconciled = Some(revision);
        }
        self.publish().await
    }

    /// Runs what this machine should: its assigned units and the global
    /// units it matches.
    async fn reconcile(&mut self) -> Result<(), AgentError> {
        let me = self.options.identity.id.clone();
        let started = Instant::now();
        let assigned = self
            .registry
            .assignments()
            .await
            .map_err(AgentError::registry("listing assignments"))?;
        let units = self
            .registry
            .all_units()
            .await
            .map_err(AgentError::registry("listing units"))?;
        self.paced_until = Some(Instant::now() + started.elapsed() * 3);
        self.specs.update(&units.items);
        let mine: std::collections::BTreeSet<&str> = assigned
            .items
            .iter()
            .filter(|a| a.machine == me)
            .map(|a| a.unit.as_str())
            .collect();
        let mut wanted: BTreeMap<String, (flotta_registry::model::Unit, TargetState)> =
            BTreeMap::new();
        let mut globals = Vec::new();
        for unit in &units.items {
            if unit.target_state == TargetState::Inactive {
                continue;
            }
            if mine.contains(unit.name.as_str()) {
                wanted.insert(unit.name.clone(), (unit.clone(), unit.target_state));
            } else if let Some(spec) = self.specs.get(&unit.name)
                && spec.requirements.global
            {
                globals.push((spec.clone(), unit));
            }
        }
        for unit in self.global_units(&wanted, globals) {
            wanted.insert(unit.name.clone(), (unit.clone(), unit.target_state));
        }
        // What this agent cannot read (a record a newer writer stored, say)
        // it leaves as it is: a partial listing is no reason to stop a unit.
        let mut unreadable = assigned.unreadable();
        unreadable.extend(units.unreadable());
        // Leaving units: endpoint first, drain, then stop.
        let leaving: Vec<String> = self
            .units
            .keys()
            .filter(|n| !wanted.contains_key(*n) && !unreadable.contains(*n))
            .cloned()
            .collect();
        for name in leaving {
            if let Some(m) = self.units.remove(&name) {
                self.retire(&name, m).await;
            }
        }
        let unswept = match self.unswept.take() {
            Some(names) => names,
            None => self.supervisor.recorded().into_iter().collect(),
        };
        let (kept, stop): (BTreeSet<String>, BTreeSet<String>) = unswept
            .into_iter()
            .filter(|n| !self.units.contains_key(n) && !self.leaving.contains_key(n))
            .partition(|n| wanted.contains_key(n) || unreadable.contains(n));
        self.sweep(stop).await;
        self.unswept = Some(kept);
        for (name, (unit, target)) in wanted {
            if self.leaving.contains_key(&name) {
                // Back before its earlier self has stopped: once it has.
                self.retry = true;
                continue;
            }
            if self.units.get(&name).is_some_and(|m| m.hash != unit.hash) {
                // New contents (`--replace`): the old stops, then the new
                // runs in its place.
                if let Some(m) = self.units.remove(&name) {
                    self.retire(&name, m).await;
                }
                self.retry = true;
                continue;
            }
            if !self.units.contains_key(&name) {
                // Conflicts= holds on this machine too: not while a unit it
                // conflicts with is still stopping here.
                let theirs = self
                    .specs
                    .get(&name)
                    .map(|spec| spec.requirements.conflicts.clone())
                    .unwrap_or_default();
                if self
                    .leaving
                    .iter()
                    .any(|(mine, l)| l.blocks(mine, &name, &theirs))
                {
                    self.retry = true;
                    continue;
                }
                self.adopt_unit(&name, &unit);
            }
            let Some(m) = self.units.get_mut(&name) else {
                continue;
            };
            if m.load_error.is_some() || m.target == Some(target) {
                continue;
            }
            m.target = Some(target);
            if let Some(draining) = m.draining.take() {
                draining.abort();
            }
            match target {
                TargetState::Launched => m.handle.start(),
                _ => {
                    let drain = withdraw(&self.registry, &name, m).await;
                    let (handle, gate) = (m.handle.clone(), self.stops.clone());
                    m.draining = Some(tokio::spawn(async move {
                        let _turn = gate.acquire_owned().await;
                        tokio::time::sleep(drain).await;
                        handle.stop();
                    }));
                }
            }
        }
        Ok(())
    }

    /// The global units this machine runs: those whose metadata it matches
    /// and that conflict with nothing it runs (fleet's agent rule; the
    /// scheduler decides, on a cluster of this one machine).
    fn global_units<'u>(
        &self,
        wanted: &BTreeMap<String, (flotta_registry::model::Unit, TargetState)>,
        globals: Vec<(flotta_scheduler::UnitSpec, &'u flotta_registry::model::Unit)>,
    ) -> Vec<&'u flotta_registry::model::Unit> {
        if globals.is_empty() {
            return Vec::new();
        }
        let id = &self.options.identity;
        let mut machine = flotta_scheduler::Machine::new(id.id.clone());
        machine.metadata = id.metadata.clone();
        let mut units: Vec<flotta_scheduler::UnitSpec> = wanted
            .values()
            .filter_map(|(u, _)| self.specs.get(&u.name).cloned())
            .collect();
        let observed = flotta_scheduler::Observed {
            assignments: units
                .iter()
                .map(|u| (u.name.clone(), id.id.clone()))
                .collect(),
        };
        units.extend(globals.iter().map(|(spec, _)| spec.clone()));
        let desired = flotta_scheduler::Desired {
            machines: vec![machine],
            units,
        };
        let plan = flotta_scheduler::plan(&desired, &observed);
        globals
            .into_iter()
            .filter(|(spec, _)| {
                plan.global
                    .get(&spec.name)
                    .is_some_and(|on| on.contains(&id.id))
            })
            .map(|(_, unit)| unit)
            .collect()
    }

    async fn keep_lease(&mut self) -> Result<(), AgentError> {
        let Some(lease) = self.lease else {
            return self.register().await;
        };
        let due = self
            .renewed
            .is_none_or(|t| t.elapsed() >= self.options.lease_ttl / 3);
        if !due {
            return Ok(());
        }
        match self.registry.keep_alive(lease).await {
            Ok(_) => {
                self.renewed = Some(Instant::now());
                Ok(())
            }
            Err(e @ flotta_registry::RegistryError::LeaseNotFound(_)) => {
                // The lease is gone: endpoints and states under it went with
                // it. Register again before claiming anything.
                tracing::warn!("lost the machine lease ({e}); registering again");
                self.lease = None;
                self.lease_watch.send_replace(None);
                for m in self.units.values_mut() {
                    m.registered = false;
                    m.published = None;
                }
                self.register().await
            }
            // A slow or unreachable store: the lease may well live; retry.
            Err(e) => Err(AgentError::registry("renewing the machine lease")(e)),
        }
    }

    /// The service a unit file describes, its endpoint, and why it cannot
    /// be loaded (journaled) if it cannot.
    fn load(
        &self,
        name: &str,
        contents: &str,
    ) -> (ServiceConfig, Option<EndpointSpec>, Option<String>) {
        let parsed = (|| -> Result<(ServiceConfig, Option<EndpointSpec>), String> {
            let file =
                flotta_unit_spec::syntax::UnitFile::parse(contents).map_err(|e| e.to_string())?;
            let uname = UnitName::parse(name).map_err(|e| e.to_string())?;
            let ctx =
                SpecifierContext::for_unit(&uname).hostname(self.options.identity.hostname.clone());
            let config = ServiceConfig::from_unit(&file, &ctx).map_err(|e| e.to_string())?;
            let flotta =
                FlottaOptions::from_unit(&file, Some(&uname)).map_err(|e| e.to_string())?;
            Ok((config, flotta.endpoint))
        })();
        match parsed {
            Ok((config, endpoint)) => (config, endpoint, None),
            Err(why) => {
                let why = format!("cannot load the unit file: {why}");
                tracing::warn!(unit = name, "{why}");
                let _ = self
                    .supervisor
                    .journal()
                    .append(name, crate::journal::Stream::Agent, &why);
                (ServiceConfig::default(), None, Some(why))
            }
        }
    }

    /// Where the agent keeps the file of a unit it supervises: what stops
    /// the unit (`ExecStop=`, `ExecStopPost=`) when it is destroyed while
    /// the agent is down.
    /// Only a valid unit name is joined: one from the store or a file
    /// name is input.
    fn unit_file_path(&self, name: &str) -> Result<PathBuf, AgentError> {
        let name = crate::error::check_unit_name(name)?;
        Ok(self.options.state_dir.join("unit-files").join(name))
    }

    fn adopt_unit(&mut self, name: &str, unit: &flotta_registry::model::Unit) {
        let path = match self.unit_file_path(name) {
            Ok(path) => path,
            Err(e) => {
                tracing::warn!(unit = name, "not running it: {e}");
                return;
            }
        };
        let (config, endpoint, load_error) = self.load(name, &unit.contents);
        if let Err(e) = std::fs::write(&path, &unit.contents) {
            tracing::warn!(unit = name, "cannot keep the unit file: {e}");
        }
        let handle = match self.supervisor.supervise(name, config) {
            Ok(handle) => handle,
            Err(e) => {
                tracing::warn!(unit = name, "not running it: {e}");
                return;
            }
        };
        let conflicts = self
            .specs
            .get(name)
            .map(|spec| spec.requirements.conflicts.clone());
        let managed = Managed::new(handle, unit.hash.clone(), endpoint, load_error, conflicts);
        self.units.insert(name.to_owned(), managed);
    }

    /// Stops what an earlier agent on this machine left running and this
    /// one is not meant to run (destroyed or moved while no agent ran): the
    /// process is adopted under its kept unit file, so `ExecStop=` and
    /// `ExecStopPost=` run, and stopped. Units it cannot read it leaves.
    async fn sweep(&mut self, names: BTreeSet<String>) {
        for name in names {
            let path = match self.unit_file_path(&name) {
                Ok(path) => path,
                Err(e) => {
                    tracing::warn!(unit = %name, "leaving a record alone: {e}");
                    continue;
                }
            };
            let contents = std::fs::read_to_string(path).unwrap_or_default();
            let (mut config, endpoint, load_error) = self.load(&name, &contents);
            // Stopping is all that is left to do: never start it again.
            config.restart = RestartPolicy::No;
            tracing::info!(unit = %name, "stopping a unit this machine no longer runs");
            let Ok(handle) = self.supervisor.supervise(&name, config) else {
                continue;
            };
            // Adopted first (active, or failed if it died meanwhile): a
            // handle dropped before would leave the process running.
            let _ = handle
                .wait_until(Duration::from_secs(10), |s| {
                    s.active != ActiveState::Inactive
                })
                .await;
            let managed = Managed::new(handle, String::new(), endpoint, load_error, None);
            self.retire(&name, managed).await;
        }
    }

    /// Takes a unit off this machine: its endpoint now; waiting out
    /// `DrainSec=`, the stop and the clean-up in a task of its own (see
    /// `leaving`), so nothing else waits for them.
    async fn retire(&mut self, name: &str, mut m: Managed) {
        if let Some(draining) = m.draining.take() {
            draining.abort();
        }
        let drain = withdraw(&self.registry, name, &mut m).await;
        let m_conflicts = m.conflicts.take();
        let registry = self.registry.clone();
        let machine = self.options.identity.id.clone();
        // Managed units passed the name check when they were adopted.
        let file = self.unit_file_path(name).ok();
        let (unit, gate) = (name.to_owned(), self.stops.clone());
        let task = tokio::spawn(async move {
            let _turn = gate.acquire_owned().await;
            tokio::time::sleep(drain).await;
            m.handle.stop();
            let _ = m
                .handle
                .wait_until(Duration::from_secs(120), |s| {
                    matches!(s.active, ActiveState::Inactive | ActiveState::Failed)
                })
                .await;
            let _ = registry.delete_unit_state(&unit, &machine).await;
            if let Some(file) = file {
                let _ = std::fs::remove_file(file);
            }
        });
        let conflicts = m_conflicts;
        self.leaving
            .insert(name.to_owned(), Leaving { task, conflicts });
    }

    fn endpoint(&self, name: &str, spec: &EndpointSpec) -> Endpoint {
        Endpoint {
            service: spec.service.clone(),
            id: name.to_owned(),
            address: spec
                .address
                .clone()
                .or_else(|| self.options.identity.public_ip.clone())
                .unwrap_or_else(|| "127.0.0.1".into()),
            port: spec.port,
            unit: name.to_owned(),
            machine: self.options.identity.id.clone(),
            tags: spec.tags.clone(),
            weight: Some(u32::from(spec.weight)),
            backup: spec.backup,
        }
    }

    async fn publish(&mut self) -> Result<(), AgentError> {
        let Some(lease) = self.lease else {
            return Ok(());
        };
        let me = self.options.identity.id.clone();
        let names: Vec<String> = self.units.keys().cloned().collect();
        for name in names {
            let Some(m) = self.units.get(&name) else {
                continue;
            };
            let s = m.handle.status();
            let now = (s.active, s.sub, s.main_pid);
            if m.published != Some(now) {
                let (load, active, sub) = match m.load_error {
                    Some(_) => ("error".to_owned(), "failed".to_owned(), "failed".to_owned()),
                    None => ("loaded".to_owned(), json_name(s.active), json_name(s.sub)),
                };
                let state = UnitState {
                    unit: name.clone(),
                    machine: me.clone(),
                    load_state: load,
                    active_state: active,
                    sub_state: sub,
                    hash: m.hash.clone(),
                    since_ms: s.since_us / 1000,
                    main_pid: s.main_pid,
                    reason: m.load_error.clone().or_else(|| s.reason.clone()),
                };
                self.registry
                    .put_unit_state(&state, lease)
                    .await
                    .map_err(AgentError::registry("publishing a unit state"))?;
                if let Some(m) = self.units.get_mut(&name) {
                    m.published = Some(now);
                }
            }
        }
        self.probe().await;
        self.register_endpoints(lease).await
    }

    /// Probes, all at once (a bounded number in flight), the `HealthCheck=`
    /// of every running unit whose interval has passed.
    async fn probe(&mut self) {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(PROBES_AT_ONCE));
        let mut probes = tokio::task::JoinSet::new();
        for (name, m) in &self.units {
            let Some(spec) = &m.endpoint else { continue };
            let Some(check) = spec.health_check.clone() else {
                continue;
            };
            if !running(&m.handle) || !m.health.due(spec.health_check_interval) {
                continue;
            }
            let ep = self.endpoint(name, spec);
            let (name, gate) = (name.clone(), gate.clone());
            probes.spawn(async move {
                let _turn = gate.acquire_owned().await;
                let ok = check_ok(&check, &format!("{}:{}", ep.address, ep.port)).await;
                (name, ok)
            });
        }
        while let Some(done) = probes.join_next().await {
            let Ok((name, ok)) = done else { continue };
            if let Some(m) = self.units.get_mut(&name)
                && let Some(spec) = &m.endpoint
            {
                let was = m.health.up;
                if m.health.record(ok, spec) != was {
                    let now = if was { "failing: withdrawn" } else { "passing" };
                    tracing::info!(unit = %name, "health check {now}");
                }
            }
        }
    }

    /// Registers the endpoint of every running unit that is healthy (or has
    /// no `HealthCheck=`) and withdraws the others'.
    async fn register_endpoints(&mut self, lease: LeaseId) -> Result<(), AgentError> {
        let names: Vec<String> = self.units.keys().cloned().collect();
        for name in names {
            let Some(m) = self.units.get_mut(&name) else {
                continue;
            };
            let Some(spec) = m.endpoint.clone() else {
                continue;
            };
            let is_running = running(&m.handle);
            if !is_running {
                m.health = Health::default();
            }
            let up = is_running && (spec.health_check.is_none() || m.health.up);
            if up && !m.registered {
                let ep = self.endpoint(&name, &spec);
                self.registry
                    .put_endpoint(&ep, lease)
                    .await
                    .map_err(AgentError::registry("registering an endpoint"))?;
                if let Some(m) = self.units.get_mut(&name) {
                    m.registered = true;
                }
            } else if !up && m.registered {
                m.registered = false;
                let _ = self.registry.delete_endpoint(&spec.service, &name).await;
            }
        }
        Ok(())
    }
}

/// Whether the unit's main process runs (what an endpoint needs).
fn running(handle: &UnitHandle) -> bool {
    let s = handle.status();
    s.active == ActiveState::Active && s.sub == SubState::Running
}

/// Deregisters a unit's endpoint; returns its `DrainSec=` (zero if it was
/// not registered), which the caller waits out before `ExecStop=` so
/// balancers stop sending first.
async fn withdraw<B: KvBackend>(registry: &Registry<B>, name: &str, m: &mut Managed) -> Duration {
    let mut drain = Duration::ZERO;
    if let (true, Some(spec)) = (m.registered, &m.endpoint) {
        if let Err(e) = registry.delete_endpoint(&spec.service, name).await {
            tracing::warn!(unit = name, "deregistering the endpoint: {e}");
        }
        drain = spec.drain;
    }
    m.registered = false;
    m.health = Health::default();
    drain
}

/// The engine's loop, in its own task: a round every `period` while the
/// machine holds a lease.
async fn lead<B: KvBackend>(
    mut engine: Engine<B>,
    lease: watch::Receiver<Option<LeaseId>>,
    period: Duration,
) {
    loop {
        tokio::time::sleep(period).await;
        let Some(l) = *lease.borrow() else { continue };
        // The engine's failures are its own; the machine's duties go on.
        if let Err(e) = engine.tick(l).await {
            tracing::warn!("engine: {e}");
        }
    }
}

/// Probes a `HealthCheck=` within two seconds: `tcp://host:port` connects;
/// `http://host:port/path`, or a bare `/path` on `endpoint` itself, wants a
/// 2xx or 3xx answer.
async fn check_ok(check: &str, endpoint: &str) -> bool {
    let (authority, path) = if let Some(tcp) = check.strip_prefix("tcp://") {
        (tcp.trim_end_matches('/'), None)
    } else if let Some(rest) = check.strip_prefix("http://") {
        rest.split_once('/')
            .map_or((rest, Some("/".to_owned())), |(a, p)| {
                (a, Some(format!("/{p}")))
            })
    } else if check.starts_with('/') {
        (endpoint, Some(check.to_owned()))
    } else {
        return false;
    };
    let probe = async {
        let mut s = tokio::net::TcpStream::connect(authority).await.ok()?;
        let Some(path) = path else {
            return Some(true);
        };
        let req =
            format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\nUser-Agent: flotta-agent\r\n\r\n");
        s.write_all(req.as_bytes()).await.ok()?;
        let mut head = [0u8; 12];
        s.read_exact(&mut head).await.ok()?;
        Some(head.starts_with(b"HTTP/1.") && matches!(head[9], b'2' | b'3'))
    };
    tokio::time::timeout(Duration::from_secs(2), probe)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}
