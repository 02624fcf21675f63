//! A whole cluster in one process, for development and tests.
//!
//! [`DevCluster`] runs N simulated machines on one registry: each has a
//! deterministic ID ([`dev_machine_id`]), the metadata `machine=N`, the public
//! IP `127.0.0.N`, its own state directory (`<state-dir>/machine-N`) and a
//! full [`Agent`] with its supervisor and engine, so placement, leader
//! election and rescheduling behave as on real machines.
//!
//! [`DevCluster::crash`] simulates a power loss: the machine's agent stops
//! without revoking its lease and its unit processes are killed with
//! SIGKILL, so the engine moves its units after the lease TTL and the grace
//! period. [`DevCluster::stop`] is the clean end: unlike a real agent's,
//! the dev cluster's unit processes do not outlive it.
//!
//! ```no_run
//! use flotta_agent::dev::{DevCluster, DevOptions};
//! use flotta_registry::{MemoryBackend, Registry};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let registry = Registry::new(MemoryBackend::default());
//! let cluster = DevCluster::start(registry, DevOptions::new(3, "/tmp/flotta-dev")).await?;
//! let first = cluster.machines()[0].id.clone();
//! cluster.crash(&first).await?;
//! cluster.stop().await;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use flotta_registry::Registry;
use flotta_registry::kv::KvBackend;
use nix::sys::signal::Signal;
use serde::Serialize;
use thiserror::Error;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::agent::{Agent, AgentOptions};
use crate::error::AgentError;
use crate::machine::MachineIdentity;
use crate::supervisor::{group_alive, kill_group};

/// The most machines a dev cluster runs (one per address 127.0.0.1–254).
pub const MAX_MACHINES: u16 = 254;

/// How a dev cluster runs.
#[derive(Debug, Clone)]
pub struct DevOptions {
    /// How many machines (1 to [`MAX_MACHINES`]).
    pub machines: u16,
    /// Each machine keeps its state under `machine-N` here.
    pub state_dir: PathBuf,
    /// Metadata every machine gets besides `machine=N`.
    pub metadata: BTreeMap<String, String>,
    /// Machine lease TTL.
    pub lease_ttl: Duration,
    /// How long a vanished machine keeps its units ([`AgentOptions::engine_grace`]).
    pub engine_grace: Duration,
    /// Time between an agent's reconciliations.
    pub period: Duration,
}

impl DevOptions {
    /// `machines` machines under `state_dir`, with a 10 s lease, a 10 s grace
    /// period and a 200 ms agent period (as `flotta agent`).
    pub fn new(machines: u16, state_dir: impl Into<PathBuf>) -> Self {
        DevOptions {
            machines,
            state_dir: state_dir.into(),
            metadata: BTreeMap::new(),
            lease_ttl: Duration::from_secs(10),
            engine_grace: Duration::from_secs(10),
            period: Duration::from_millis(200),
        }
    }
}

/// What can go wrong in a dev cluster.
#[derive(Debug, Error)]
pub enum DevError {
    /// `machines` is 0 or more than [`MAX_MACHINES`].
    #[error("a dev cluster has 1 to {MAX_MACHINES} machines, not {0}")]
    MachineCount(u16),
    /// No machine of the cluster has this ID (or ID prefix).
    #[error("no dev machine ID starts with {0:?} (see `flotta list-machines --full`)")]
    NoSuchMachine(String),
    /// The prefix names several machines.
    #[error("{prefix:?} matches {} dev machines: {}", .ids.len(), .ids.join(", "))]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// The machines it matches.
        ids: Vec<String>,
    },
    /// The machine is already down.
    #[error("dev machine {0} is not running (crashed already)")]
    NotRunning(String),
    /// A machine's agent could not be set up.
    #[error(transparent)]
    Agent(#[from] AgentError),
}

/// One simulated machine, as [`DevCluster::machines`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DevMachine {
    /// 1-based position in the cluster (`machine=N`, `127.0.0.N`).
    pub index: u16,
    /// Machine ID.
    pub id: String,
    /// `127.0.0.N`.
    pub public_ip: String,
    /// `<state-dir>/machine-N`.
    pub state_dir: PathBuf,
    /// Whether its agent runs (false after [`DevCluster::crash`]).
    pub running: bool,
}

struct Slot {
    index: u16,
    identity: MachineIdentity,
    state_dir: PathBuf,
    task: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

/// N machines' agents in this process (see the [module docs](self)).
pub struct DevCluster<B> {
    registry: Registry<B>,
    options: DevOptions,
    slots: Mutex<BTreeMap<String, Slot>>,
}

impl<B> std::fmt::Debug for DevCluster<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevCluster")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Machine `index`'s ID: 32 hex digits that differ in the first eight (the
/// part fleetctl-style listings show), the same on every run so a persisted
/// registry and the state directories stay valid.
///
/// ```
/// let a = flotta_agent::dev::dev_machine_id(1);
/// assert_eq!(a.len(), 32);
/// assert_eq!(a, flotta_agent::dev::dev_machine_id(1));
/// assert_ne!(a[..8], flotta_agent::dev::dev_machine_id(2)[..8]);
/// ```
pub fn dev_machine_id(index: u16) -> String {
    // splitmix64: a fixed, well-spread mix of the index.
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let n = u64::from(index);
    format!("{:016x}{:016x}", mix(n), mix(n ^ 0xf107_7a00_0000_0000))
}

impl<B: KvBackend + Clone + Send + Sync + 'static> DevCluster<B> {
    /// Starts `options.machines` agents on `registry`.
    ///
    /// # Errors
    /// A bad machine count, or a state directory that cannot be prepared.
    pub async fn start(registry: Registry<B>, options: DevOptions) -> Result<Self, DevError> {
        if options.machines == 0 || options.machines > MAX_MACHINES {
            return Err(DevError::MachineCount(options.machines));
        }
        let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "localhost".into());
        let mut slots = BTreeMap::new();
        for index in 1..=options.machines {
            let mut metadata = options.metadata.clone();
            metadata.insert("machine".into(), index.to_string());
            let identity = MachineIdentity {
                id: dev_machine_id(index),
                hostname: format!("{hostname}-{index}"),
                public_ip: Some(format!("127.0.0.{index}")),
                private_ip: None,
                metadata,
            };
            let state_dir = options.state_dir.join(format!("machine-{index}"));
            slots.insert(
                identity.id.clone(),
                Slot {
                    index,
                    identity,
                    state_dir,
                    task: None,
                },
            );
        }
        let cluster = DevCluster {
            registry,
            options,
            slots: Mutex::new(slots),
        };
        let ids: Vec<String> = cluster.lock().keys().cloned().collect();
        for id in ids {
            cluster.launch(&id)?;
        }
        Ok(cluster)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Slot>> {
        // A panic while holding the lock leaves plain data behind: keep going.
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts machine `id`'s agent task.
    fn launch(&self, id: &str) -> Result<(), DevError> {
        let mut slots = self.lock();
        let slot = slots
            .get_mut(id)
            .ok_or_else(|| DevError::NoSuchMachine(id.to_owned()))?;
        let agent = Agent::new(
            self.registry.clone(),
            AgentOptions {
                identity: slot.identity.clone(),
                lease_ttl: self.options.lease_ttl,
                state_dir: slot.state_dir.clone(),
                period: self.options.period,
                engine_grace: Some(self.options.engine_grace),
                max_starting: crate::supervisor::DEFAULT_MAX_STARTING,
            },
        )?;
        let (tx, rx) = oneshot::channel::<()>();
        let machine = id.to_owned();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            if let Err(e) = agent.run(shutdown).await {
                tracing::error!(%machine, "dev machine agent: {e}");
            }
        });
        slot.task = Some((tx, task));
        Ok(())
    }

    /// The registry the machines share.
    pub fn registry(&self) -> &Registry<B> {
        &self.registry
    }

    /// The machines, in index order.
    pub fn machines(&self) -> Vec<DevMachine> {
        let mut out: Vec<DevMachine> = self
            .lock()
            .values()
            .map(|s| DevMachine {
                index: s.index,
                id: s.identity.id.clone(),
                public_ip: s.identity.public_ip.clone().unwrap_or_default(),
                state_dir: s.state_dir.clone(),
                running: s.task.as_ref().is_some_and(|(_, t)| !t.is_finished()),
            })
            .collect();
        out.sort_by_key(|m| m.index);
        out
    }

    /// The one machine whose ID starts with `prefix`.
    ///
    /// # Errors
    /// None or several match.
    pub fn resolve(&self, prefix: &str) -> Result<String, DevError> {
        let prefix = prefix.trim_end_matches('.');
        let ids: Vec<String> = self
            .lock()
            .keys()
            .filter(|id| id.starts_with(prefix))
            .cloned()
            .collect();
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(DevError::NoSuchMachine(prefix.to_owned())),
            _ => Err(DevError::Ambiguous {
                prefix: prefix.to_owned(),
                ids,
            }),
        }
    }

    /// Simulates a power loss of the machine `id` (or ID prefix): its agent
    /// task is aborted (the lease is not revoked, it lapses) and its unit
    /// processes get SIGKILL. Returns the process groups killed.
    ///
    /// # Errors
    /// No such machine, or it is down already.
    pub async fn crash(&self, id: &str) -> Result<Vec<u32>, DevError> {
        let id = self.resolve(id)?;
        let (task, state_dir) = {
            let mut slots = self.lock();
            let slot = slots
                .get_mut(&id)
                .ok_or_else(|| DevError::NoSuchMachine(id.clone()))?;
            match slot.task.take() {
                Some((_tx, task)) if !task.is_finished() => (task, slot.state_dir.clone()),
                _ => return Err(DevError::NotRunning(id)),
            }
        };
        task.abort();
        let _ = task.await;
        tracing::info!(machine = %id, "dev machine crashed");
        Ok(power_off(&state_dir).await)
    }

    /// Boots a crashed machine again: a new agent registers it under a new
    /// lease (the engine may place units on it again).
    ///
    /// # Errors
    /// No such machine, or its state directory cannot be prepared.
    pub fn restart(&self, id: &str) -> Result<(), DevError> {
        let id = self.resolve(id)?;
        if self
            .lock()
            .get(&id)
            .and_then(|s| s.task.as_ref())
            .is_some_and(|(_, t)| !t.is_finished())
        {
            return Ok(());
        }
        self.launch(&id)
    }

    /// Stops every agent, then every unit process they started (SIGTERM,
    /// SIGKILL after 5 s): nothing of the dev cluster outlives it.
    pub async fn stop(&self) {
        let running: Vec<(oneshot::Sender<()>, JoinHandle<()>)> = self
            .lock()
            .values_mut()
            .filter_map(|s| s.task.take())
            .collect();
        for (tx, task) in running {
            let _ = tx.send(());
            let _ = task.await;
        }
        let dirs: Vec<PathBuf> = self.lock().values().map(|s| s.state_dir.clone()).collect();
        for dir in dirs {
            kill_units(&dir, Signal::SIGTERM, Duration::from_secs(5)).await;
        }
    }
}

/// What a power loss does to a machine's units: SIGKILLs the process group
/// of every unit recorded under the machine's `state_dir` and forgets the
/// records. For a real agent process killed with SIGKILL, this makes the
/// loss complete (its units would otherwise run on, adopted on restart).
/// Returns the process groups killed.
pub async fn power_off(state_dir: &Path) -> Vec<u32> {
    kill_units(state_dir, Signal::SIGKILL, Duration::ZERO).await
}

/// Signals the process group of every unit recorded as running under a
/// machine's `state_dir`, escalating to SIGKILL after `patience`, and
/// forgets the records (a machine's runtime files do not survive a power
/// loss either). Scans again for a moment, as a unit that was starting when
/// its agent stopped may record its process just after.
async fn kill_units(state_dir: &Path, first: Signal, patience: Duration) -> Vec<u32> {
    let mut killed = Vec::new();
    for scan in 0..5 {
        let groups = recorded_groups(&state_dir.join("units"));
        for (pgid, record) in &groups {
            kill_group(*pgid, first);
            let mut waited = Duration::ZERO;
            while group_alive(*pgid) && waited < patience {
                tokio::time::sleep(Duration::from_millis(50)).await;
                waited += Duration::from_millis(50);
            }
            if group_alive(*pgid) {
                kill_group(*pgid, Signal::SIGKILL);
            }
            let _ = std::fs::remove_file(record);
            if !killed.contains(pgid) {
                killed.push(*pgid);
            }
        }
        if scan < 4 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    killed
}

/// `(pgid, record file)` of the supervisor's records under `units_dir`.
fn recorded_groups(units_dir: &Path) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(units_dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".state.json"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let v: serde_json::Value = serde_json::from_str(&text).ok()?;
            let pgid = u32::try_from(v.get("pgid")?.as_u64()?).ok()?;
            Some((pgid, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotta_registry::MemoryBackend;
    use flotta_registry::model::{TargetState, Unit};
    use flotta_unit_spec::syntax::UnitFile;
    use tokio::time::Instant;

    async fn eventually<F, Fut>(what: &str, limit: Duration, mut f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let start = Instant::now();
        while !f().await {
            assert!(start.elapsed() < limit, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_crashed_machine_loses_its_unit_and_stop_ends_every_process() {
        let dir = tempfile::tempdir().expect("tmp");
        let registry = Registry::new(MemoryBackend::default());
        let mut options = DevOptions::new(2, dir.path());
        options.lease_ttl = Duration::from_secs(1);
        options.engine_grace = Duration::from_millis(500);
        options.period = Duration::from_millis(100);
        assert!(matches!(
            DevCluster::start(registry.clone(), DevOptions::new(0, dir.path())).await,
            Err(DevError::MachineCount(0))
        ));
        let cluster = DevCluster::start(registry.clone(), options)
            .await
            .expect("start");
        let machines = cluster.machines();
        assert_eq!(machines.len(), 2);
        assert_eq!(machines[1].public_ip, "127.0.0.2");
        eventually("two machines", Duration::from_secs(10), || async {
            registry.machines().await.expect("machines").items.len() == 2
        })
        .await;
        let file = UnitFile::parse("[Service]\nExecStart=/bin/sleep 600\n").expect("unit");
        registry
            .put_unit(
                &Unit::new("sleeper.service", &file, TargetState::Launched),
                None,
            )
            .await
            .expect("put");
        let running_on = || async {
            registry
                .unit_states()
                .await
                .expect("states")
                .items
                .into_iter()
                .find(|s| s.unit == "sleeper.service" && s.sub_state == "running")
                .map(|s| (s.machine, s.main_pid))
        };
        eventually("the unit to run", Duration::from_secs(10), || async {
            running_on().await.is_some()
        })
        .await;
        let (first, pid) = running_on().await.expect("running");
        let pid = pid.expect("main pid");
        let killed = cluster.crash(&first[..8]).await.expect("crash");
        assert_eq!(killed.len(), 1, "{killed:?}");
        assert!(!group_alive(killed[0]), "the unit's processes are gone");
        assert!(matches!(
            cluster.crash(&first).await,
            Err(DevError::NotRunning(_))
        ));
        assert!(
            !cluster
                .machines()
                .iter()
                .any(|m| m.id == first && m.running)
        );
        eventually("the unit to move", Duration::from_secs(15), || async {
            running_on().await.is_some_and(|(m, _)| m != first)
        })
        .await;
        let (_, moved_pid) = running_on().await.expect("moved");
        assert_ne!(moved_pid, Some(pid));
        let moved_pid = moved_pid.expect("pid");
        cluster.stop().await;
        assert!(!group_alive(moved_pid), "stop ends the unit processes");
    }
}
