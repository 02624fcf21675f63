//! WebAssembly placement plugins (feature `wasm`).
//!
//! A plugin is a component for the `flotta:placement/placement-plugin` world
//! (`bindings/wit/placement.wit`), written in any language that targets the
//! component model. [`WasmRuntime`] holds one wasmtime [`Engine`]; each plugin
//! is compiled once (and cached on disk when a cache directory is set), linked
//! once ([`InstancePre`]) and runs in its own store, reused across calls.
//!
//! Every call runs under [`Limits`]: a wall-clock deadline (epoch
//! interruption), optional fuel, a linear-memory cap, table and instance
//! counts and a log budget. WASI is linked so guests built on it load, but
//! with no directories, no sockets, no environment and no stdin unless
//! [`Grants`] say otherwise. A trap, timeout, exhausted limit or malformed
//! result becomes a [`PluginError`] naming the plugin and the unit; the
//! instance is then discarded and a fresh one (re-initialised, given the
//! round's machine table again) serves the next call. An instance whose
//! memory passes three quarters of its cap is replaced the same way between
//! calls, so a guest that never returns memory keeps working.
//!
//! ```no_run
//! use flotta_scheduler::wasm::{RuntimeConfig, WasmPluginOptions, WasmRuntime};
//! use flotta_scheduler::{Desired, FailurePolicy, Machine, Observed, UnitSpec, plan_with_plugins};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let runtime = WasmRuntime::new(RuntimeConfig::default())?;
//! let plugin = runtime.load_file("spread.wasm", WasmPluginOptions::default())?;
//! let desired = Desired {
//!     machines: vec![Machine::new("m1").with("rack", "a"), Machine::new("m2").with("rack", "b")],
//!     units: vec![UnitSpec::new("app@1.service"), UnitSpec::new("app@2.service")],
//! };
//! let plan = plan_with_plugins(
//!     &desired,
//!     &Observed::default(),
//!     vec![(Box::new(plugin), FailurePolicy::FailClosed, true)],
//! );
//! println!("{plan}");
//! # Ok(())
//! # }
//! ```

mod limits;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Cache, CacheConfig, Config, Engine, Store, Trap};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

pub use limits::Limits;
use limits::{Exceeded, Limiter};

use crate::placement::{MachineIdx, Placement, UnitIdx};
use crate::plan::PluginUse;
use crate::plugin::{FailurePolicy, PlacementPlugin, PluginError, Rejections};

#[allow(missing_docs)]
mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "placement-plugin",
        imports: { "flotta:placement/host.log": trappable },
    });
}

use bindings::exports::flotta::placement::plugin::Guest as PluginExports;
use bindings::flotta::placement::types as wit;

/// How often the deadline clock ticks.
const TICK: Duration = Duration::from_millis(10);

/// Loading or checking a plugin failed.
#[derive(Debug, Error)]
pub enum WasmError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not a component for the `placement-plugin` world.
    #[error("{plugin}: not a flotta placement plugin: {message}")]
    Invalid {
        /// The plugin.
        plugin: String,
        /// What the validator or linker said.
        message: String,
    },
    /// The plugin's `init` refused its configuration, or trapped.
    #[error("{plugin}: init failed: {message}")]
    Init {
        /// The plugin.
        plugin: String,
        /// What the plugin said, or how it failed.
        message: String,
    },
    /// The engine could not be set up.
    #[error("wasm engine: {0}")]
    Engine(String),
}

/// Engine-wide settings.
#[derive(Debug, Clone, Default)]
pub struct RuntimeConfig {
    /// Where compiled plugins are cached between runs; `None` compiles on
    /// every load.
    pub cache_dir: Option<PathBuf>,
    /// Meter fuel, so plugins can have [`Limits::fuel`].
    pub fuel: bool,
}

/// What a plugin may reach beyond its own memory. Nothing by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Grants {
    /// Host directories the guest sees, as `(host path, guest path)`, read-only.
    pub dirs: Vec<(PathBuf, String)>,
    /// Environment variables passed in.
    pub env: Vec<(String, String)>,
    /// TCP, UDP and name lookups.
    pub network: bool,
}

/// How one plugin is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct WasmPluginOptions {
    /// The name units use in `[X-Flotta] Placement=`; the file stem if unset.
    pub name: Option<String>,
    /// Handed to the plugin's `init`.
    pub config: Vec<(String, String)>,
    /// Resource limits per call.
    pub limits: Limits,
    /// Access beyond the sandbox.
    pub grants: Grants,
}

/// A plugin as engine configuration names it (`[[plugins]]` in TOML, or
/// JSON): where it is, when it applies, and how it is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PluginConfig {
    /// The component file.
    pub path: PathBuf,
    /// Every unit (`true`), or only units naming it in `[X-Flotta] Placement=`.
    #[serde(default)]
    pub cluster_wide: bool,
    /// What a failure does to a unit.
    #[serde(default)]
    pub failure_policy: FailurePolicy,
    /// Name, `init` config, limits and grants.
    #[serde(default, flatten)]
    pub options: WasmPluginOptions,
}

/// What `flotta plugin check` reports about a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginInfo {
    /// The component's imports, by name.
    pub imports: Vec<String>,
    /// Its exports, with the functions of exported interfaces.
    pub exports: Vec<String>,
    /// Size in bytes.
    pub size: usize,
}

/// Per-store state: WASI context, limiter and log budget.
struct State {
    plugin: String,
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: Limiter,
    logged: usize,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wit::Host for State {}

impl bindings::flotta::placement::host::Host for State {
    fn log(&mut self, level: wit::Level, message: String) -> wasmtime::Result<()> {
        self.logged = self.logged.saturating_add(message.len());
        if self.logged > self.limiter.limits.log_bytes_per_call {
            self.limiter.exceeded = Some(Exceeded::Log);
            return Err(wasmtime::Error::msg("log budget exceeded"));
        }
        let plugin = self.plugin.as_str();
        match level {
            wit::Level::Error => tracing::error!(plugin, "{message}"),
            wit::Level::Warn => tracing::warn!(plugin, "{message}"),
            wit::Level::Info => tracing::info!(plugin, "{message}"),
            wit::Level::Debug => tracing::debug!(plugin, "{message}"),
        }
        Ok(())
    }
}

/// Advances the engine's epoch until the last runtime or plugin is gone.
struct Ticker {
    stop: Arc<AtomicBool>,
}

impl Ticker {
    fn start(engine: Engine) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                engine.increment_epoch();
            }
        });
        Ticker { stop }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One engine and linker for every plugin.
#[derive(Clone)]
pub struct WasmRuntime {
    engine: Engine,
    linker: Arc<Linker<State>>,
    fuel: bool,
    _ticker: Arc<Ticker>,
}

impl std::fmt::Debug for WasmRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmRuntime")
            .field("fuel", &self.fuel)
            .finish_non_exhaustive()
    }
}

impl WasmRuntime {
    /// Sets up the engine.
    ///
    /// # Errors
    /// The cache directory cannot be used, or wasmtime refuses the config.
    pub fn new(config: RuntimeConfig) -> Result<Self, WasmError> {
        let engine_err = |e: wasmtime::Error| WasmError::Engine(format!("{e:#}"));
        let mut c = Config::new();
        c.wasm_component_model(true)
            .epoch_interruption(true)
            .consume_fuel(config.fuel);
        if let Some(dir) = &config.cache_dir {
            let mut cc = CacheConfig::new();
            cc.with_directory(dir);
            c.cache(Some(Cache::new(cc).map_err(engine_err)?));
        }
        let engine = Engine::new(&c).map_err(engine_err)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(engine_err)?;
        bindings::PlacementPlugin::add_to_linker::<State, HasSelf<State>>(&mut linker, |s| s)
            .map_err(engine_err)?;
        Ok(WasmRuntime {
            _ticker: Arc::new(Ticker::start(engine.clone())),
            engine,
            linker: Arc::new(linker),
            fuel: config.fuel,
        })
    }

    /// Loads a plugin from a `.wasm` (or `.wat`) file; the name defaults to
    /// the file stem.
    ///
    /// # Errors
    /// See [`WasmRuntime::load_bytes`]; also an unreadable file.
    pub fn load_file(
        &self,
        path: impl AsRef<Path>,
        mut options: WasmPluginOptions,
    ) -> Result<WasmPlugin, WasmError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| WasmError::Read {
            path: path.to_owned(),
            source,
        })?;
        if options.name.is_none() {
            options.name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        }
        self.load_bytes(&bytes, options)
    }

    /// Compiles, links and initialises a plugin.
    ///
    /// # Errors
    /// [`WasmError::Invalid`] when the bytes are not a component for the
    /// world, [`WasmError::Init`] when `init` fails.
    pub fn load_bytes(
        &self,
        bytes: &[u8],
        options: WasmPluginOptions,
    ) -> Result<WasmPlugin, WasmError> {
        let name = options.name.clone().unwrap_or_else(|| "plugin".into());
        if options.limits.fuel.is_some() && !self.fuel {
            return Err(WasmError::Engine(format!(
                "{name}: a fuel limit needs a runtime with fuel metering on"
            )));
        }
        let (_, pre) = self.link(&name, bytes)?;
        let mut guest = Guest {
            runtime: self.clone(),
            name: name.clone(),
            pre,
            options,
            machines: None,
            live: None,
            units: HashMap::new(),
            args: None,
        };
        guest.live().map_err(|message| WasmError::Init {
            plugin: name.clone(),
            message,
        })?;
        Ok(WasmPlugin {
            name,
            guest: Mutex::new(guest),
        })
    }

    /// Loads a configured plugin, ready for [`plan_with_plugins`](crate::plan_with_plugins).
    ///
    /// # Errors
    /// As [`WasmRuntime::load_file`].
    pub fn load_config(&self, config: &PluginConfig) -> Result<PluginUse, WasmError> {
        let plugin = self.load_file(&config.path, config.options.clone())?;
        Ok((Box::new(plugin), config.failure_policy, config.cluster_wide))
    }

    /// Validates a component against the world without running it.
    ///
    /// # Errors
    /// [`WasmError::Invalid`] naming what does not match.
    pub fn check(&self, name: &str, bytes: &[u8]) -> Result<PluginInfo, WasmError> {
        let (component, _) = self.link(name, bytes)?;
        let ty = component.component_type();
        let imports = ty
            .imports(&self.engine)
            .map(|(n, _)| n.to_owned())
            .collect();
        let mut exports = Vec::new();
        for (n, item) in ty.exports(&self.engine) {
            exports.push(n.to_owned());
            if let wasmtime::component::types::ComponentItem::ComponentInstance(inst) = item.ty {
                exports.extend(inst.exports(&self.engine).map(|(f, _)| format!("{n}#{f}")));
            }
        }
        Ok(PluginInfo {
            imports,
            exports,
            size: bytes.len(),
        })
    }

    fn link(
        &self,
        name: &str,
        bytes: &[u8],
    ) -> Result<(Component, bindings::PlacementPluginPre<State>), WasmError> {
        let invalid = |e: wasmtime::Error| WasmError::Invalid {
            plugin: name.to_owned(),
            message: format!("{e:#}"),
        };
        let component = Component::new(&self.engine, bytes).map_err(invalid)?;
        let pre = self.linker.instantiate_pre(&component).map_err(invalid)?;
        let pre = bindings::PlacementPluginPre::new(pre).map_err(invalid)?;
        Ok((component, pre))
    }
}

/// A loaded WebAssembly plugin, usable wherever a [`PlacementPlugin`] is.
pub struct WasmPlugin {
    name: String,
    guest: Mutex<Guest>,
}

impl std::fmt::Debug for WasmPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmPlugin")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A live instance and its store.
struct Live {
    store: Store<State>,
    bindings: bindings::PlacementPlugin,
}

/// The plugin's instance and what it takes to rebuild it.
struct Guest {
    runtime: WasmRuntime,
    name: String,
    pre: bindings::PlacementPluginPre<State>,
    options: WasmPluginOptions,
    /// The round's machine table, replayed into a fresh instance.
    machines: Option<Vec<wit::Machine>>,
    live: Option<Live>,
    /// Unit records built this round (units do not change within one).
    units: HashMap<UnitIdx, wit::Unit>,
    /// `filter`'s arguments, reused by the `score` call that follows it.
    args: Option<Args>,
}

/// The per-call arguments other than the unit record.
struct Args {
    unit: UnitIdx,
    candidates: Vec<MachineIdx>,
    siblings: wit::Siblings,
    wit_candidates: wit::Candidates,
}

impl Guest {
    /// The arguments for `unit` and `candidates`, reusing the previous call's
    /// when it was for the same unit (filter, then score, in one decision).
    fn prepare(&mut self, view: &Placement, unit: UnitIdx, candidates: &[MachineIdx]) {
        self.units.entry(unit).or_insert_with(|| {
            let u = &view.units()[unit];
            wit::Unit {
                name: u.name.clone(),
                prefix: u.prefix().to_owned(),
                instance: u.instance().map(str::to_owned),
                template: u.template(),
                options: u.options.clone(),
                cpu_millis: u.requests.cpu_millis,
                memory_bytes: u.requests.memory_bytes,
            }
        });
        let reuse = self.args.take().filter(|a| a.unit == unit);
        let (siblings, reuse) = match reuse {
            Some(a) if a.candidates == candidates => {
                self.args = Some(a);
                return;
            }
            Some(a) => (a.siblings, Some((a.candidates, a.wit_candidates))),
            None => {
                let (machines, counts) = view.siblings(unit).map(|(m, c)| (index(m), c)).unzip();
                (wit::Siblings { machines, counts }, None)
            }
        };
        let (mut cands, mut wit_candidates) = reuse.unwrap_or_else(|| {
            let empty = wit::Candidates {
                machines: Vec::new(),
                loads: Vec::new(),
            };
            (Vec::new(), empty)
        });
        cands.clear();
        cands.extend_from_slice(candidates);
        wit_candidates.machines.clear();
        wit_candidates.loads.clear();
        wit_candidates
            .machines
            .extend(candidates.iter().map(|&m| index(m)));
        wit_candidates
            .loads
            .extend(candidates.iter().map(|&m| view.load(m)));
        self.args = Some(Args {
            unit,
            candidates: cands,
            siblings,
            wit_candidates,
        });
    }

    /// Calls `filter` or `score` with the prepared arguments.
    fn call_unit<R>(
        &mut self,
        unit: UnitIdx,
        f: impl FnOnce(
            &PluginExports,
            &mut Store<State>,
            &wit::Unit,
            &wit::Siblings,
            &wit::Candidates,
        ) -> wasmtime::Result<Result<R, String>>,
    ) -> Result<R, String> {
        let (Some(u), Some(args)) = (self.units.remove(&unit), self.args.take()) else {
            return Err("arguments were not prepared".into());
        };
        let result = self.call(|e, s| f(e, s, &u, &args.siblings, &args.wit_candidates));
        self.units.insert(unit, u);
        self.args = Some(args);
        result
    }
}

impl Guest {
    fn new_store(&self) -> Result<Store<State>, String> {
        let grants = &self.options.grants;
        let mut wasi = WasiCtxBuilder::new();
        if std::env::var_os("FLOTTA_PLUGIN_STDERR").is_some() {
            wasi.inherit_stderr();
        }
        wasi.allow_tcp(grants.network)
            .allow_udp(grants.network)
            .allow_ip_name_lookup(grants.network);
        for (k, v) in &grants.env {
            wasi.env(k, v);
        }
        for (host, guest) in &grants.dirs {
            wasi.preopened_dir(host, guest, wasmtime_wasi::FsPerms::ReadOnly)
                .map_err(|e| format!("granting {}: {e:#}", host.display()))?;
        }
        let mut store = Store::new(
            &self.runtime.engine,
            State {
                plugin: self.name.clone(),
                wasi: wasi.build(),
                table: ResourceTable::new(),
                limiter: Limiter {
                    limits: self.options.limits.clone(),
                    exceeded: None,
                    memory_used: 0,
                },
                logged: 0,
            },
        );
        store.limiter(|s| &mut s.limiter);
        Ok(store)
    }

    /// Arms the per-call limits.
    fn arm(&self, store: &mut Store<State>) -> Result<(), String> {
        let limits = &self.options.limits;
        let ticks = limits.timeout.as_millis().div_ceil(TICK.as_millis()).max(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        if self.runtime.fuel {
            store
                .set_fuel(limits.fuel.unwrap_or(u64::MAX))
                .map_err(|e| format!("{e:#}"))?;
        }
        let state = store.data_mut();
        state.logged = 0;
        state.limiter.exceeded = None;
        Ok(())
    }

    /// Says how a call failed, naming the limit it ran into.
    fn describe(&self, store: &Store<State>, e: &wasmtime::Error) -> String {
        let limits = &self.options.limits;
        match store.data().limiter.exceeded {
            Some(Exceeded::Memory) => format!(
                "out of memory: the limit is {} bytes of linear memory",
                limits.memory_bytes
            ),
            Some(Exceeded::Table) => format!(
                "table limit reached: the limit is {} elements",
                limits.table_elements
            ),
            Some(Exceeded::Log) => format!(
                "log budget exceeded: more than {} bytes logged in one call",
                limits.log_bytes_per_call
            ),
            None => match e.downcast_ref::<Trap>() {
                Some(Trap::Interrupt) => format!(
                    "timed out: the call ran longer than {} ms",
                    limits.timeout.as_millis()
                ),
                Some(Trap::OutOfFuel) => format!(
                    "out of fuel: the call used more than {} units",
                    limits.fuel.unwrap_or(u64::MAX)
                ),
                Some(trap) => format!("trapped: {trap}"),
                None => format!("failed: {e:#}"),
            },
        }
    }

    /// The live instance, instantiating and initialising one if needed.
    fn live(&mut self) -> Result<&mut Live, String> {
        if self.live.is_none() {
            let mut store = self.new_store()?;
            self.arm(&mut store)?;
            let bindings = match self.pre.instantiate(&mut store) {
                Ok(b) => b,
                Err(e) => return Err(self.describe(&store, &e)),
            };
            let exports = bindings.flotta_placement_plugin();
            match exports.call_init(&mut store, &self.options.config) {
                Ok(Ok(())) => {}
                Ok(Err(message)) => return Err(message),
                Err(e) => return Err(self.describe(&store, &e)),
            }
            if let Some(machines) = &self.machines {
                self.arm(&mut store)?;
                match exports.call_on_machines(&mut store, machines) {
                    Ok(Ok(())) => {}
                    Ok(Err(message)) => return Err(message),
                    Err(e) => return Err(self.describe(&store, &e)),
                }
            }
            self.live = Some(Live { store, bindings });
        }
        self.live
            .as_mut()
            .ok_or_else(|| "no live instance".to_owned())
    }

    /// Runs one export under the limits. A trap discards the instance; an
    /// error the plugin returns keeps it.
    fn call<R>(
        &mut self,
        f: impl FnOnce(&PluginExports, &mut Store<State>) -> wasmtime::Result<Result<R, String>>,
    ) -> Result<R, String> {
        self.live()?;
        let Some(mut live) = self.live.take() else {
            return Err("no live instance".into());
        };
        self.arm(&mut live.store)?;
        let exports = live.bindings.flotta_placement_plugin();
        match f(exports, &mut live.store) {
            Ok(result) => {
                // Guests whose runtime only grows (a garbage collector that
                // never returns memory, a leak) are replaced between calls
                // before they hit the limit mid-call.
                let limiter = &live.store.data().limiter;
                if limiter.memory_used > limiter.limits.memory_bytes / 4 * 3 {
                    tracing::debug!(plugin = %self.name, "recycling the instance: memory above 3/4 of the limit");
                } else {
                    self.live = Some(live);
                }
                result
            }
            Err(e) => Err(self.describe(&live.store, &e)),
        }
    }
}

impl WasmPlugin {
    fn guest(&self) -> std::sync::MutexGuard<'_, Guest> {
        // A panic elsewhere while holding the lock leaves a usable guest: the
        // instance is replaced on the next failure anyway.
        self.guest.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self, unit: &str, message: String) -> PluginError {
        PluginError {
            plugin: self.name.clone(),
            unit: unit.to_owned(),
            message,
        }
    }
}

fn index(m: MachineIdx) -> u32 {
    u32::try_from(m).unwrap_or(u32::MAX)
}

impl PlacementPlugin for WasmPlugin {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_round(&mut self, view: &Placement) -> Result<(), PluginError> {
        let machines: Vec<wit::Machine> = view
            .machines()
            .iter()
            .enumerate()
            .map(|(i, m)| wit::Machine {
                id: m.id.clone(),
                public_ip: m.public_ip.clone(),
                metadata: m
                    .metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                load: view.load(i),
                cpu_millis: m.capacity.cpu_millis,
                memory_bytes: m.capacity.memory_bytes,
            })
            .collect();
        let mut guest = self.guest();
        guest.units.clear();
        guest.args = None;
        let result = guest.call(|e, s| e.call_on_machines(s, &machines));
        guest.machines = Some(machines);
        drop(guest);
        result.map_err(|m| self.error("", m))
    }

    fn filter(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Rejections, PluginError> {
        let name = &view.units()[unit].name;
        let mut guest = self.guest();
        guest.prepare(view, unit, candidates);
        let rejected = guest
            .call_unit(unit, |e, s, u, sib, c| e.call_filter(s, u, sib, c))
            .map_err(|m| self.error(name, m))?;
        drop(guest);
        let mut out = Rejections::none();
        for r in rejected {
            out.reject_all(r.candidates.iter().map(|&i| i as usize), r.reason);
        }
        Ok(out)
    }

    fn score(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Vec<f64>, PluginError> {
        let mut guest = self.guest();
        guest.prepare(view, unit, candidates);
        guest
            .call_unit(unit, |e, s, u, sib, c| e.call_score(s, u, sib, c))
            .map_err(|m| self.error(&view.units()[unit].name, m))
    }
}
