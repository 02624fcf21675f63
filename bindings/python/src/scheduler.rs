//! Cluster models, `plan()` and placement plugins for `flotta.scheduler`.
//!
//! A Python plugin is a pair of callables asked about one machine at a time
//! (`filter(unit, machine) -> None | str`, `score(unit, machine) -> float`);
//! the scheduler's plugin trait asks about a slice of candidates, so the
//! adapter here loops. `plan()` releases the GIL and takes it back only for
//! the duration of a Python callback.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use flotta_scheduler::placement::{MachineIdx, Placement, UnitIdx};
use flotta_scheduler::plan::PluginUse;
use flotta_scheduler::wasm::{WasmPlugin, WasmPluginOptions, WasmRuntime};
use flotta_scheduler::{
    Desired, FailurePolicy, Machine, Observed, PlacementPlugin, Plan, PluginError, Rejections,
    Strategy, TargetState, UnitSpec, plan_with_plugins,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::unit::{NativeUnitFile, parse_name};
use crate::{attr, error, guarded, to_json};

fn scheduler_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    error(py, "SchedulerError", message, &[])
}

fn policy(py: Python<'_>, fail_open: bool) -> PyResult<FailurePolicy> {
    let _ = py;
    Ok(if fail_open {
        FailurePolicy::FailOpen
    } else {
        FailurePolicy::FailClosed
    })
}

/// Machines, units and current assignments: the scheduler's input.
#[pyclass(module = "flotta._native")]
#[derive(Default)]
pub struct NativeCluster {
    desired: Desired,
    observed: Observed,
}

#[pymethods]
impl NativeCluster {
    #[new]
    fn new() -> Self {
        NativeCluster::default()
    }

    /// Adds a machine.
    #[pyo3(signature = (id, metadata, public_ip=None, cpu_millis=None, memory_bytes=None))]
    fn add_machine(
        &mut self,
        py: Python<'_>,
        id: String,
        metadata: BTreeMap<String, String>,
        public_ip: Option<String>,
        cpu_millis: Option<u64>,
        memory_bytes: Option<u64>,
    ) -> PyResult<()> {
        if id.is_empty() {
            return Err(scheduler_error(py, "a machine needs a non-empty id"));
        }
        if self.desired.machines.iter().any(|m| m.id == id) {
            return Err(scheduler_error(
                py,
                format!("machine {id} is already in the cluster"),
            ));
        }
        let mut m = Machine::new(id);
        m.metadata = metadata;
        m.public_ip = public_ip;
        m.capacity.cpu_millis = cpu_millis;
        m.capacity.memory_bytes = memory_bytes;
        self.desired.machines.push(m);
        Ok(())
    }

    /// Adds a unit with its requirements.
    #[pyo3(signature = (name, conflicts, machine_of, metadata, replaces, machine_id=None,
        global_=false, target="launched", strategy="least-loaded", spread_by=None,
        placement=Vec::new(), cpu_millis=None, memory_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_unit(
        &mut self,
        py: Python<'_>,
        name: String,
        conflicts: Vec<String>,
        machine_of: Vec<String>,
        metadata: BTreeMap<String, Vec<String>>,
        replaces: Vec<String>,
        machine_id: Option<String>,
        global_: bool,
        target: &str,
        strategy: &str,
        spread_by: Option<String>,
        placement: Vec<String>,
        cpu_millis: Option<u64>,
        memory_bytes: Option<u64>,
    ) -> PyResult<()> {
        parse_name(py, &name)?;
        let mut spec = UnitSpec::new(name);
        spec.requirements.conflicts = conflicts;
        spec.requirements.machine_of = machine_of;
        spec.requirements.metadata = metadata;
        spec.requirements.replaces = replaces;
        spec.requirements.machine_id = machine_id;
        spec.requirements.global = global_;
        spec.target = match target {
            "launched" => TargetState::Launched,
            "loaded" => TargetState::Loaded,
            "inactive" => TargetState::Inactive,
            other => {
                return Err(scheduler_error(
                    py,
                    format!("target {other:?} is not one of 'launched', 'loaded', 'inactive'"),
                ));
            }
        };
        spec.strategy = match (strategy, spread_by) {
            ("least-loaded", None) => Strategy::LeastLoaded,
            ("binpack", None) => Strategy::Binpack,
            ("spread", key) => Strategy::Spread(key.unwrap_or_else(|| "zone".into())),
            (other, Some(_)) if other != "spread" => {
                return Err(scheduler_error(py, "spread_by needs strategy='spread'"));
            }
            (other, _) => {
                return Err(scheduler_error(
                    py,
                    format!("strategy {other:?} is not one of 'least-loaded', 'spread', 'binpack'"),
                ));
            }
        };
        spec.placement = placement;
        spec.requests.cpu_millis = cpu_millis;
        spec.requests.memory_bytes = memory_bytes;
        self.push_unit(py, spec)
    }

    /// Adds a unit from its unit file (its `[X-Fleet]`/`[X-Flotta]`).
    fn add_unit_file(&mut self, py: Python<'_>, file: &NativeUnitFile, name: &str) -> PyResult<()> {
        let parsed = parse_name(py, name)?;
        let spec = UnitSpec::from_unit(&file.file, &parsed).map_err(|e| {
            error(
                py,
                "UnitError",
                format!("{name}: {e}"),
                &[("name", attr(py, name))],
            )
        })?;
        self.push_unit(py, spec)
    }

    /// Records that `unit` currently runs on `machine`.
    fn assign(&mut self, unit: String, machine: String) {
        self.observed.assignments.insert(unit, machine);
    }

    /// Number of machines and units.
    fn size(&self) -> (usize, usize) {
        (self.desired.machines.len(), self.desired.units.len())
    }

    /// The model as JSON (`{"desired": ..., "observed": ...}`).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        to_json(
            py,
            &serde_json::json!({"desired": self.desired, "observed": self.observed}),
        )
    }

    /// Seconds one plain `plan()` takes in Rust alone on this model, for the
    /// benchmark's baseline (no Python in the loop, GIL released).
    fn rust_plan_seconds(&self, py: Python<'_>) -> f64 {
        let (desired, observed) = (&self.desired, &self.observed);
        py.detach(|| {
            let t = std::time::Instant::now();
            let plan = flotta_scheduler::plan(desired, observed);
            let elapsed = t.elapsed().as_secs_f64();
            drop(plan);
            elapsed
        })
    }

    /// Plans with plugins (native plugin objects from this module).
    #[pyo3(signature = (plugins=Vec::new()))]
    fn plan(&self, py: Python<'_>, plugins: Vec<Bound<'_, PyAny>>) -> PyResult<NativePlan> {
        let mut uses: Vec<PluginUse> = Vec::new();
        for p in plugins {
            if let Ok(p) = p.cast::<NativePyPlugin>() {
                let p = p.get();
                uses.push((
                    Box::new(PyPlugin {
                        name: p.name.clone(),
                        filter: p.filter.as_ref().map(|f| f.clone_ref(py)),
                        score: p.score.as_ref().map(|f| f.clone_ref(py)),
                    }),
                    p.policy,
                    p.cluster_wide,
                ));
            } else if let Ok(w) = p.cast::<NativeWasmPlugin>() {
                let w = w.get();
                uses.push((
                    Box::new(SharedWasm {
                        name: w.name.clone(),
                        plugin: Arc::clone(&w.plugin),
                    }),
                    w.policy,
                    w.cluster_wide,
                ));
            } else {
                return Err(error(
                    py,
                    "SchedulerError",
                    format!(
                        "plugins must be flotta.scheduler.Plugin or WasmPlugin objects, not {}",
                        p.get_type().name()?
                    ),
                    &[],
                ));
            }
        }
        let desired = &self.desired;
        let observed = &self.observed;
        guarded(py, || {
            let plan = py.detach(|| plan_with_plugins(desired, observed, uses));
            Ok(NativePlan { plan })
        })
    }
}

impl NativeCluster {
    fn push_unit(&mut self, py: Python<'_>, spec: UnitSpec) -> PyResult<()> {
        if self.desired.units.iter().any(|u| u.name == spec.name) {
            return Err(scheduler_error(
                py,
                format!("unit {} is already in the cluster", spec.name),
            ));
        }
        self.desired.units.push(spec);
        Ok(())
    }
}

/// The result of `plan()`; converted to Python values on access.
#[pyclass(frozen, module = "flotta._native")]
pub struct NativePlan {
    plan: Plan,
}

#[pymethods]
impl NativePlan {
    /// unit -> machine, for placed non-global units.
    fn assignments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (u, m) in &self.plan.assignments {
            d.set_item(u, m)?;
        }
        Ok(d)
    }

    /// global unit -> machines.
    fn global_units(&self) -> BTreeMap<String, Vec<String>> {
        self.plan.global.clone()
    }

    /// Actions as JSON (`[{"action": "place", ...}]`).
    fn actions_json(&self, py: Python<'_>) -> PyResult<String> {
        to_json(py, &self.plan.actions)
    }

    /// `(unit, explanation text, explanation JSON)` for every unplaced unit.
    fn unplaced(&self, py: Python<'_>) -> PyResult<Vec<(String, String, String)>> {
        self.plan
            .unplaced
            .iter()
            .map(|u| {
                Ok((
                    u.unit.clone(),
                    u.explanation.to_string(),
                    to_json(py, &u.explanation)?,
                ))
            })
            .collect()
    }

    /// The whole plan as JSON, as `flotta plan --json` prints it.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        to_json(py, &self.plan)
    }

    /// Number of placed units (global units count once per machine).
    fn placed_count(&self) -> usize {
        self.plan.assignments.len() + self.plan.global.values().map(Vec::len).sum::<usize>()
    }
}

/// A placement plugin written in Python.
#[pyclass(frozen, module = "flotta._native")]
pub struct NativePyPlugin {
    name: String,
    filter: Option<Py<PyAny>>,
    score: Option<Py<PyAny>>,
    policy: FailurePolicy,
    cluster_wide: bool,
}

#[pymethods]
impl NativePyPlugin {
    #[new]
    #[pyo3(signature = (name, filter=None, score=None, fail_open=false, cluster_wide=true))]
    fn new(
        py: Python<'_>,
        name: String,
        filter: Option<Py<PyAny>>,
        score: Option<Py<PyAny>>,
        fail_open: bool,
        cluster_wide: bool,
    ) -> PyResult<Self> {
        if name.is_empty() {
            return Err(scheduler_error(py, "a plugin needs a non-empty name"));
        }
        for (what, f) in [("filter", &filter), ("score", &score)] {
            if let Some(f) = f
                && !f.bind(py).is_callable()
            {
                return Err(error(
                    py,
                    "SchedulerError",
                    format!("plugin {name}: {what} must be callable"),
                    &[],
                ));
            }
        }
        if filter.is_none() && score.is_none() {
            return Err(scheduler_error(
                py,
                format!("plugin {name}: give filter=, score= or both"),
            ));
        }
        Ok(NativePyPlugin {
            name,
            filter,
            score,
            policy: policy(py, fail_open)?,
            cluster_wide,
        })
    }
}

/// What a Python plugin sees of the unit being placed.
#[pyclass(frozen, get_all, module = "flotta._native")]
pub struct PlacementUnit {
    /// Full unit name.
    name: String,
    /// The part before `@` (or the name without its type).
    prefix: String,
    /// The instance, if any.
    instance: Option<String>,
    /// The template, if any.
    template: Option<String>,
    /// `[X-Fleet]` and `[X-Flotta]` options in file order.
    options: Vec<(String, String)>,
    /// Machines where instances of the same template already run, with counts.
    siblings: Vec<(String, u32)>,
}

/// What a Python plugin sees of a candidate machine.
#[pyclass(frozen, get_all, module = "flotta._native")]
pub struct PlacementMachine {
    /// Machine ID.
    id: String,
    /// Public IP, if known.
    public_ip: Option<String>,
    /// Metadata.
    metadata: BTreeMap<String, String>,
    /// Units placed there so far.
    load: u32,
    /// Names of the units placed there so far.
    units: Vec<String>,
}

struct PyPlugin {
    name: String,
    filter: Option<Py<PyAny>>,
    score: Option<Py<PyAny>>,
}

impl PyPlugin {
    fn fail(&self, view: &Placement, unit: UnitIdx, message: String) -> PluginError {
        PluginError {
            plugin: self.name.clone(),
            unit: view
                .units()
                .get(unit)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            message,
        }
    }

    fn unit_view(view: &Placement, unit: UnitIdx) -> PlacementUnit {
        let spec = view.units().get(unit).cloned().unwrap_or_default();
        let siblings = view
            .siblings(unit)
            .filter_map(|(m, n)| view.machines().get(m).map(|m| (m.id.clone(), n)))
            .collect();
        PlacementUnit {
            prefix: spec.prefix().to_owned(),
            instance: spec.instance().map(str::to_owned),
            template: spec.template(),
            options: spec.options.clone(),
            name: spec.name,
            siblings,
        }
    }

    fn machine_view(view: &Placement, m: MachineIdx) -> PlacementMachine {
        let machine = view.machines().get(m).cloned().unwrap_or_default();
        PlacementMachine {
            id: machine.id,
            public_ip: machine.public_ip,
            metadata: machine.metadata,
            load: view.load(m),
            units: view
                .units_on(m)
                .iter()
                .filter_map(|&u| view.units().get(u).map(|u| u.name.clone()))
                .collect(),
        }
    }

    /// Calls `f(unit, machine)` for every candidate with the GIL held.
    fn each<T>(
        &self,
        f: &Py<PyAny>,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
        mut take: impl FnMut(usize, &Bound<'_, PyAny>) -> Result<T, String>,
    ) -> Result<Vec<T>, PluginError> {
        Python::attach(|py| {
            let u = Py::new(py, Self::unit_view(view, unit))
                .map_err(|e| self.fail(view, unit, e.to_string()))?;
            let f = f.bind(py);
            let mut out = Vec::with_capacity(candidates.len());
            for (i, &m) in candidates.iter().enumerate() {
                let machine = Py::new(py, Self::machine_view(view, m))
                    .map_err(|e| self.fail(view, unit, e.to_string()))?;
                let answer = f
                    .call1((u.clone_ref(py), machine))
                    .map_err(|e| self.fail(view, unit, describe(py, &e)))?;
                out.push(take(i, &answer).map_err(|m| self.fail(view, unit, m))?);
            }
            Ok(out)
        })
    }
}

/// `TypeError: message` for a Python exception raised by a plugin.
fn describe(py: Python<'_>, e: &PyErr) -> String {
    let kind = e
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".into());
    format!("{kind}: {}", e.value(py))
}

impl PlacementPlugin for PyPlugin {
    fn name(&self) -> &str {
        &self.name
    }

    fn filter(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Rejections, PluginError> {
        let Some(f) = &self.filter else {
            return Ok(Rejections::none());
        };
        let answers = self.each(f, view, unit, candidates, |_, a| {
            if a.is_none() {
                return Ok(None);
            }
            if let Ok(b) = a.extract::<bool>() {
                return Ok((!b).then(|| "rejected".to_owned()));
            }
            a.extract::<String>().map(Some).map_err(|_| {
                format!(
                    "filter must return None, a bool or a reason string, not {}",
                    a.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                )
            })
        })?;
        let mut out = Rejections::none();
        for (i, reason) in answers.into_iter().enumerate() {
            if let Some(reason) = reason {
                out.reject(i, &reason);
            }
        }
        Ok(out)
    }

    fn score(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Vec<f64>, PluginError> {
        let Some(f) = &self.score else {
            return Ok(vec![0.0; candidates.len()]);
        };
        self.each(f, view, unit, candidates, |_, a| {
            let v: f64 = a.extract().map_err(|_| {
                format!(
                    "score must return a number, not {}",
                    a.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                )
            })?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(format!("score must be finite, got {v}"))
            }
        })
    }
}

/// The process-wide WebAssembly engine, built on first use.
fn wasm_runtime(py: Python<'_>) -> PyResult<&'static WasmRuntime> {
    static RUNTIME: OnceLock<Result<WasmRuntime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| WasmRuntime::new(Default::default()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| scheduler_error(py, e.clone()))
}

/// A WebAssembly placement plugin, loaded once, usable in many plans.
#[pyclass(frozen, module = "flotta._native")]
pub struct NativeWasmPlugin {
    name: String,
    plugin: Arc<Mutex<WasmPlugin>>,
    policy: FailurePolicy,
    cluster_wide: bool,
}

#[pymethods]
impl NativeWasmPlugin {
    #[new]
    #[pyo3(signature = (path, name=None, config=Vec::new(), fail_open=false, cluster_wide=true))]
    fn new(
        py: Python<'_>,
        path: std::path::PathBuf,
        name: Option<String>,
        config: Vec<(String, String)>,
        fail_open: bool,
        cluster_wide: bool,
    ) -> PyResult<Self> {
        let runtime = wasm_runtime(py)?;
        let options = WasmPluginOptions {
            name,
            config,
            ..WasmPluginOptions::default()
        };
        let plugin = guarded(py, || {
            py.detach(|| runtime.load_file(&path, options))
                .map_err(|e| error(py, "PluginError", e.to_string(), &[]))
        })?;
        Ok(NativeWasmPlugin {
            name: plugin.name().to_owned(),
            plugin: Arc::new(Mutex::new(plugin)),
            policy: policy(py, fail_open)?,
            cluster_wide,
        })
    }

    /// The name units use in `[X-Flotta] Placement=`.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
}

struct SharedWasm {
    name: String,
    plugin: Arc<Mutex<WasmPlugin>>,
}

impl SharedWasm {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut WasmPlugin) -> Result<T, PluginError>,
    ) -> Result<T, PluginError> {
        let mut guard = self.plugin.lock().map_err(|_| PluginError {
            plugin: self.name.clone(),
            unit: String::new(),
            message: "plugin poisoned by an earlier failure".into(),
        })?;
        f(&mut guard)
    }
}

impl PlacementPlugin for SharedWasm {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_round(&mut self, view: &Placement) -> Result<(), PluginError> {
        self.with(|p| p.on_round(view))
    }

    fn filter(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Rejections, PluginError> {
        self.with(|p| p.filter(view, unit, candidates))
    }

    fn score(
        &self,
        view: &Placement,
        unit: UnitIdx,
        candidates: &[MachineIdx],
    ) -> Result<Vec<f64>, PluginError> {
        self.with(|p| p.score(view, unit, candidates))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeCluster>()?;
    m.add_class::<NativePlan>()?;
    m.add_class::<NativePyPlugin>()?;
    m.add_class::<NativeWasmPlugin>()?;
    m.add_class::<PlacementUnit>()?;
    m.add_class::<PlacementMachine>()?;
    Ok(())
}
