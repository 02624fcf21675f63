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

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use flotta_engine::{Engine, EngineOptions};
use flotta_registry::kv::KvBackend;
use flotta_registry::model::{Endpoint, Machine, TargetState, UnitState};
use flotta_registry::{LeaseId, Registry};
use flotta_unit_spec::flotta_options::{EndpointSpec, FlottaOptions};
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::service::ServiceConfig;
use flotta_unit_spec::specifier::SpecifierContext;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    healthy_since: Option<Instant>,
    last_check: Option<Instant>,
    published: Option<(ActiveState, SubState, Option<u32>)>,
    /// The unit file could not be turned into a service (`load: error`).
    load_error: Option<String>,
    /// The target state last acted on: start and stop are sent on change
    /// only, so a failed or finished unit stays so (as under systemd).
    target: Option<TargetState>,
}

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
    /// Every unit as the scheduler sees it (for `Global=`), parsed once per change.
    specs: flotta_engine::SpecCache,
    /// No reconciliation before this: reading the cluster takes at most a
    /// quarter of the time, so thousands of units do not flood the store.
    paced_until: Option<Instant>,
    /// Renews the lease on its own schedule, so a long round (thousands of
    /// units) never lets the machine expire.
    renewer: Option<tokio::task::JoinHandle<()>>,
}

impl<B> Drop for Agent<B> {
    fn drop(&mut self) {
        if let Some(r) = self.renewer.take() {
            r.abort();
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
            specs: flotta_engine::SpecCache::default(),
            paced_until: None,
            renewer: None,
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
        if let (Some(engine), Some(lease)) = (self.engine.as_mut(), self.lease) {
            // The engine's failures are its own; the machine's duties go on.
            if let Err(e) = engine.tick(lease).await {
                tracing::warn!("engine: {e}");
            }
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
        // Leaving units: endpoint first, drain, then stop.
        let leaving: Vec<String> = self
            .units
            .keys()
            .filter(|n| !wanted.contains_key(*n))
            .cloned()
            .collect();
        for name in leaving {
            if let Some(m) = self.units.remove(&name) {
                self.retire(&name, m).await;
            }
        }
        for (name, (unit, target)) in wanted {
            if !self.units.contains_key(&name) {
                self.adopt_unit(&name, &unit);
            }
            let Some(m) = self.units.get_mut(&name) else {
                continue;
            };
            if m.load_error.is_some() || m.target == Some(target) {
                continue;
            }
            m.target = Some(target);
            match target {
                TargetState::Launched => m.handle.start(),
                _ => {
                    withdraw(&self.registry, &name, m).await;
                    m.handle.stop();
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

    fn adopt_unit(&mut self, name: &str, unit: &flotta_registry::model::Unit) {
        let parsed = (|| -> Result<(ServiceConfig, Option<EndpointSpec>), String> {
            let file = unit.unit_file().map_err(|e| e.to_string())?;
            let uname = UnitName::parse(name).map_err(|e| e.to_string())?;
            let ctx =
                SpecifierContext::for_unit(&uname).hostname(self.options.identity.hostname.clone());
            let config = ServiceConfig::from_unit(&file, &ctx).map_err(|e| e.to_string())?;
            let flotta =
                FlottaOptions::from_unit(&file, Some(&uname)).map_err(|e| e.to_string())?;
            Ok((config, flotta.endpoint))
        })();
        let (config, endpoint, load_error) = match parsed {
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
        };
        let handle = self.supervisor.supervise(name, config);
        self.units.insert(
            name.to_owned(),
            Managed {
                handle,
                hash: unit.hash.clone(),
                endpoint,
                registered: false,
                healthy_since: None,
                last_check: None,
                published: None,
                load_error,
                target: None,
            },
        );
    }

    async fn retire(&mut self, name: &str, mut m: Managed) {
        withdraw(&self.registry, name, &mut m).await;
        m.handle.stop();
        let _ = m
            .handle
            .wait_until(Duration::from_secs(120), |s| {
                matches!(s.active, ActiveState::Inactive | ActiveState::Failed)
            })
            .await;
        let _ = self
            .registry
            .delete_unit_state(name, &self.options.identity.id)
            .await;
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
            let Some(spec) = self.units.get(&name).and_then(|m| m.endpoint.clone()) else {
                continue;
            };
            let running = s.active == ActiveState::Active && s.sub == SubState::Running;
            let registered = self.units.get(&name).is_some_and(|m| m.registered);
            if running && !registered && self.healthy(&name, &spec).await {
                let ep = self.endpoint(&name, &spec);
                self.registry
                    .put_endpoint(&ep, lease)
                    .await
                    .map_err(AgentError::registry("registering an endpoint"))?;
                if let Some(m) = self.units.get_mut(&name) {
                    m.registered = true;
                }
            } else if !running && registered {
                let _ = self.registry.delete_endpoint(&spec.service, &name).await;
                if let Some(m) = self.units.get_mut(&name) {
                    m.registered = false;
                    m.healthy_since = None;
                }
            }
        }
        Ok(())
    }

    /// Whether the unit's `HealthCheck=` passes (always, without one).
    async fn healthy(&mut self, name: &str, spec: &EndpointSpec) -> bool {
        let Some(url) = &spec.health_check else {
            return true;
        };
        let ep = self.endpoint(name, spec);
        let Some(m) = self.units.get_mut(name) else {
            return false;
        };
        if m.last_check
            .is_some_and(|t| t.elapsed() < spec.health_check_interval)
        {
            return false;
        }
        m.last_check = Some(Instant::now());
        let ok = check_ok(url, &format!("{}:{}", ep.address, ep.port)).await;
        if ok {
            m.healthy_since.get_or_insert_with(Instant::now);
        }
        ok
    }
}

/// Deregisters a unit's endpoint and waits its `DrainSec=`, so balancers
/// stop sending before `ExecStop=` runs.
async fn withdraw<B: KvBackend>(registry: &Registry<B>, name: &str, m: &mut Managed) {
    if let (true, Some(spec)) = (m.registered, &m.endpoint) {
        if let Err(e) = registry.delete_endpoint(&spec.service, name).await {
            tracing::warn!(unit = name, "deregistering the endpoint: {e}");
        }
        tokio::time::sleep(spec.drain).await;
    }
    m.registered = false;
    m.healthy_since = None;
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
