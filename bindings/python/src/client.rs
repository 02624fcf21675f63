//! A blocking cluster client for `flotta.Client`, over `flotta-registry`.
//!
//! Every call runs on one process-wide tokio runtime with the GIL released
//! and a deadline; values cross as JSON, which the Python side turns into
//! dataclasses. Requests naming several units are checked in full before the
//! first write, so a rejected request changes nothing.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use flotta_api::ClusterBackend as Backend;
use flotta_api::discover::Target;
use flotta_api::remote::{Remote, RemoteOptions};
use flotta_registry::kv::EventKind;
use flotta_registry::model::{Machine, TargetState, Unit};
use flotta_registry::{
    Change, EtcdBackend, EtcdOptions, KvBackend, MemoryBackend, Registry, RegistryError,
};
use flotta_scheduler::UnitSpec;
use flotta_unit_spec::{UnitKind, UnitName};
use futures::StreamExt;
use pyo3::prelude::*;
use tokio::sync::mpsc;

use crate::unit::parse_name;
use crate::{attr, error, guarded};

/// The runtime every client shares (two workers: the calls are I/O).
fn runtime(py: Python<'_>) -> PyResult<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("flotta-client")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| {
        error(
            py,
            "ClientError",
            format!("cannot start the runtime: {e}"),
            &[],
        )
    })
}

/// A failure of one call, before it becomes a Python exception.
enum Failure {
    Registry(RegistryError),
    Timeout(Duration),
    /// A Python exception class from `flotta.errors`, a message, a unit.
    Refused(&'static str, String, Option<String>),
}

impl From<RegistryError> for Failure {
    fn from(e: RegistryError) -> Self {
        Failure::Registry(e)
    }
}

fn raise(py: Python<'_>, what: &str, f: Failure) -> PyErr {
    match f {
        Failure::Timeout(d) => error(
            py,
            "Timeout",
            format!("{what}: no answer within {:.1} s", d.as_secs_f64()),
            &[],
        ),
        Failure::Refused(class, message, unit) => {
            error(py, class, message, &[("unit", attr(py, unit))])
        }
        Failure::Registry(e) => {
            let class = match &e {
                RegistryError::Conflict { .. } => "Conflict",
                RegistryError::Invalid { .. } => "InvalidRequest",
                RegistryError::Backend(_) => "ClusterUnavailable",
                _ => "ClientError",
            };
            error(py, class, format!("{what}: {e}"), &[])
        }
    }
}

type Outcome<T> = Result<T, Failure>;

/// A connection to a cluster's registry.
#[pyclass(frozen, module = "flotta._native")]
pub struct NativeClient {
    registry: Arc<Registry<Backend>>,
    timeout: Duration,
}

impl NativeClient {
    /// Runs `fut` on the runtime with the GIL released and the deadline.
    fn call<T: Send + 'static>(
        &self,
        py: Python<'_>,
        what: &str,
        fut: impl std::future::Future<Output = Outcome<T>> + Send + 'static,
    ) -> PyResult<T> {
        let rt = runtime(py)?;
        let timeout = self.timeout;
        guarded(py, || {
            py.detach(|| {
                rt.block_on(async move {
                    tokio::time::timeout(timeout, fut)
                        .await
                        .unwrap_or(Err(Failure::Timeout(timeout)))
                })
            })
            .map_err(|f| raise(py, what, f))
        })
    }

    fn reg(&self) -> Arc<Registry<Backend>> {
        Arc::clone(&self.registry)
    }
}

fn json<T: serde::Serialize>(value: &T) -> Outcome<String> {
    serde_json::to_string(value).map_err(|e| Failure::Refused("ClientError", e.to_string(), None))
}

/// Stores instance `name` with its template's contents, the template being
/// in the cluster; [`not_found`] when neither is.
async fn instantiate(reg: &Registry<Backend>, name: &str) -> Outcome<()> {
    let Ok(parsed) = UnitName::parse(name) else {
        return Err(not_found(name));
    };
    let Some(template) = parsed.template() else {
        return Err(not_found(name));
    };
    let Some(stored) = reg.unit(template.as_str()).await? else {
        return Err(not_found(name));
    };
    let file = stored
        .unit_file()
        .map_err(|e| Failure::Refused("UnitError", format!("{}: {e}", stored.name), None))?;
    UnitSpec::from_unit(&file, &parsed).map_err(|e| {
        Failure::Refused("UnitError", format!("{name}: {e}"), Some(name.to_owned()))
    })?;
    let unit = Unit::new(name, &file, TargetState::Inactive);
    match reg.put_unit(&unit, Some(0)).await {
        // Someone created it meanwhile: fine, it exists now.
        Ok(_) | Err(RegistryError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn not_found(name: &str) -> Failure {
    Failure::Refused(
        "UnitNotFound",
        format!("{name} is not in the cluster (submit it first, or check `units()`)"),
        Some(name.to_owned()),
    )
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (etcd=None, memory=false, prefix=None, timeout=5.0, url=None, token=None, ca_file=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        etcd: Option<Vec<String>>,
        memory: bool,
        prefix: Option<String>,
        timeout: f64,
        url: Option<String>,
        token: Option<String>,
        ca_file: Option<String>,
    ) -> PyResult<Self> {
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(error(
                py,
                "InvalidRequest",
                format!("timeout must be a positive number of seconds, not {timeout}"),
                &[],
            ));
        }
        let timeout = Duration::from_secs_f64(timeout);
        // Told nothing, the client goes where the CLI would.
        let (etcd, url, token) = match (etcd, memory, url) {
            (None, false, None) => match flotta_api::discover::discover() {
                Target::Api {
                    endpoint,
                    token: found,
                } => (None, Some(endpoint), token.or(found)),
                Target::Etcd(urls) => (Some(urls), None, token),
            },
            (etcd, _, url) => (etcd, url, token),
        };
        if url.is_none() && (token.is_some() || ca_file.is_some()) {
            return Err(error(
                py,
                "InvalidRequest",
                "token= and ca_file= go with url=",
                &[],
            ));
        }
        let backend = match (etcd, memory, url) {
            (Some(endpoints), false, None) => {
                if endpoints.is_empty() {
                    return Err(error(
                        py,
                        "InvalidRequest",
                        "etcd= needs at least one URL",
                        &[],
                    ));
                }
                let mut options = EtcdOptions::new(endpoints.clone());
                options.connect_timeout = timeout;
                options.request_timeout = timeout;
                let rt = runtime(py)?;
                let connected = py.detach(|| {
                    rt.block_on(async {
                        match tokio::time::timeout(timeout, EtcdBackend::connect(&options)).await {
                            Ok(r) => r.map_err(Failure::from),
                            Err(_) => Err(Failure::Timeout(timeout)),
                        }
                    })
                });
                let backend = connected.map_err(|f| match f {
                    Failure::Registry(e) => error(
                        py,
                        "ClusterUnavailable",
                        format!("cannot reach etcd at {}: {e}", endpoints.join(",")),
                        &[],
                    ),
                    other => raise(py, &format!("connecting to {}", endpoints.join(",")), other),
                })?;
                Backend::Etcd(Box::new(backend))
            }
            (None, true, None) => Backend::Memory(MemoryBackend::default()),
            (None, false, Some(url)) => {
                let mut options = RemoteOptions::new(&url);
                options.token = token;
                options.ca_file = ca_file.map(Into::into);
                options.timeout = timeout;
                let remote = Remote::new(options)
                    .map_err(|e| error(py, "InvalidRequest", format!("url={url:?}: {e}"), &[]))?;
                // One cheap call, so an absent server is one clear error here.
                let rt = runtime(py)?;
                let answered = py.detach(|| {
                    rt.block_on(async {
                        match tokio::time::timeout(timeout, remote.revision()).await {
                            Ok(r) => r.map_err(Failure::from),
                            Err(_) => Err(Failure::Timeout(timeout)),
                        }
                    })
                });
                answered.map_err(|f| match f {
                    Failure::Registry(e) => error(
                        py,
                        "ClusterUnavailable",
                        format!("no flotta API at {url}: {e}"),
                        &[],
                    ),
                    other => raise(py, &format!("connecting to {url}"), other),
                })?;
                Backend::Remote(remote)
            }
            _ => {
                return Err(error(
                    py,
                    "InvalidRequest",
                    "give exactly one of url=..., etcd=[...] or memory=True",
                    &[],
                ));
            }
        };
        let registry = match prefix {
            Some(p) => Registry::with_prefix(backend, &p),
            None => Registry::new(backend),
        };
        Ok(NativeClient {
            registry: Arc::new(registry),
            timeout,
        })
    }

    /// Stores a unit (inactive). Same contents again is a no-op; different
    /// contents under the same name is refused.
    fn submit(&self, py: Python<'_>, name: String, text: String) -> PyResult<String> {
        let parsed = parse_name(py, &name)?;
        let file = crate::unit::unit_parse_inner(py, &text, &name)?;
        if parsed.kind() != UnitKind::Template {
            UnitSpec::from_unit(&file, &parsed).map_err(|e| {
                error(
                    py,
                    "UnitError",
                    format!("{name}: {e}"),
                    &[("name", attr(py, &name))],
                )
            })?;
        }
        let unit = Unit::new(&name, &file, TargetState::Inactive);
        let reg = self.reg();
        self.call(py, &format!("submitting {name}"), async move {
            match reg.unit(&unit.name).await? {
                Some(existing) if existing.hash == unit.hash => Ok(unit.name),
                Some(existing) => Err(Failure::Refused(
                    "Conflict",
                    format!(
                        "{} is already in the cluster with different contents (hash {} there, {} here); destroy it first",
                        unit.name,
                        existing.hash.get(..7).unwrap_or(&existing.hash),
                        unit.hash.get(..7).unwrap_or(&unit.hash)
                    ),
                    Some(unit.name),
                )),
                None => {
                    reg.put_unit(&unit, Some(0)).await?;
                    Ok(unit.name)
                }
            }
        })
    }

    /// Sets the target state of every named unit, after checking them all.
    fn set_target(&self, py: Python<'_>, names: Vec<String>, target: &str) -> PyResult<()> {
        let target = match target {
            "launched" => TargetState::Launched,
            "loaded" => TargetState::Loaded,
            "inactive" => TargetState::Inactive,
            other => {
                return Err(error(
                    py,
                    "InvalidRequest",
                    format!("target {other:?} is not one of 'launched', 'loaded', 'inactive'"),
                    &[],
                ));
            }
        };
        for n in &names {
            if parse_name(py, n)?.kind() == UnitKind::Template {
                return Err(error(
                    py,
                    "InvalidRequest",
                    format!(
                        "{n} is a template: start an instance of it (e.g. {})",
                        n.replace("@.", "@1.")
                    ),
                    &[("unit", attr(py, n))],
                ));
            }
        }
        let reg = self.reg();
        self.call(py, "setting target states", async move {
            for n in &names {
                if reg.unit(n).await?.is_none() && target != TargetState::Inactive {
                    // As `flotta start` and fleet's API do: an instance
                    // whose template is in the cluster is created from it.
                    instantiate(&reg, n).await?;
                }
            }
            for n in &names {
                let mut tries = 0;
                loop {
                    match reg.set_target_state(n, target).await {
                        Ok(_) => break,
                        Err(RegistryError::Conflict { .. }) if tries < 5 => tries += 1,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Ok(())
        })
    }

    /// Removes units (and their assignments); every name must exist.
    fn destroy(&self, py: Python<'_>, names: Vec<String>) -> PyResult<()> {
        for n in &names {
            parse_name(py, n)?;
        }
        let reg = self.reg();
        self.call(py, "destroying units", async move {
            for n in &names {
                if reg.unit(n).await?.is_none() {
                    return Err(not_found(n));
                }
            }
            for n in &names {
                reg.delete_unit(n).await?;
            }
            Ok(())
        })
    }

    /// Every unit, as JSON.
    fn units(&self, py: Python<'_>) -> PyResult<String> {
        let reg = self.reg();
        self.call(py, "listing units", async move {
            json(&reg.all_units().await?.items)
        })
    }

    /// One unit as JSON, or None.
    fn unit(&self, py: Python<'_>, name: String) -> PyResult<Option<String>> {
        let reg = self.reg();
        self.call(py, "reading a unit", async move {
            reg.unit(&name).await?.map(|u| json(&u)).transpose()
        })
    }

    /// Every machine, as JSON.
    fn machines(&self, py: Python<'_>) -> PyResult<String> {
        let reg = self.reg();
        self.call(py, "listing machines", async move {
            json(&reg.machines().await?.items)
        })
    }

    /// Every unit state, as JSON.
    fn unit_states(&self, py: Python<'_>) -> PyResult<String> {
        let reg = self.reg();
        self.call(py, "listing unit states", async move {
            json(&reg.unit_states().await?.items)
        })
    }

    /// unit -> machine for every assignment.
    fn placements(&self, py: Python<'_>) -> PyResult<std::collections::BTreeMap<String, String>> {
        let reg = self.reg();
        self.call(py, "listing assignments", async move {
            Ok(reg.placements().await?)
        })
    }

    /// The endpoints of a service, as JSON.
    fn endpoints(&self, py: Python<'_>, service: String) -> PyResult<String> {
        let reg = self.reg();
        self.call(py, "listing endpoints", async move {
            json(&reg.endpoints(&service).await?.items)
        })
    }

    /// Registers a machine under a lease of `ttl` seconds; returns the lease.
    fn register_machine(&self, py: Python<'_>, machine: String, ttl: f64) -> PyResult<u64> {
        let m: Machine = serde_json::from_str(&machine)
            .map_err(|e| error(py, "InvalidRequest", format!("machine: {e}"), &[]))?;
        m.validate()
            .map_err(|e| error(py, "InvalidRequest", e, &[]))?;
        let ttl = positive(py, ttl)?;
        let reg = self.reg();
        self.call(py, "registering a machine", async move {
            Ok(reg.register_machine(&m, ttl).await?)
        })
    }

    /// Ends a lease (its machine, endpoints and keys go with it).
    fn revoke(&self, py: Python<'_>, lease: u64) -> PyResult<()> {
        let reg = self.reg();
        self.call(py, "revoking a lease", async move {
            Ok(reg.revoke(lease).await?)
        })
    }

    /// Sets a raw key, optionally expiring after `ttl` seconds.
    #[pyo3(signature = (key, value, ttl=None))]
    fn kv_set(
        &self,
        py: Python<'_>,
        key: String,
        value: String,
        ttl: Option<f64>,
    ) -> PyResult<u64> {
        let ttl = ttl.map(|t| positive(py, t)).transpose()?;
        let reg = self.reg();
        self.call(py, &format!("setting {key}"), async move {
            let lease = match ttl {
                Some(t) => Some(reg.backend().grant(t).await?),
                None => None,
            };
            Ok(reg.kv_set(&key, &value, lease).await?)
        })
    }

    /// A raw key's value, or None.
    fn kv_get(&self, py: Python<'_>, key: String) -> PyResult<Option<String>> {
        let reg = self.reg();
        self.call(
            py,
            "reading a key",
            async move { Ok(reg.kv_get(&key).await?) },
        )
    }

    /// Raw keys under a prefix, `(key, value)` sorted by key.
    fn kv_list(&self, py: Python<'_>, prefix: String) -> PyResult<Vec<(String, String)>> {
        let reg = self.reg();
        self.call(py, "listing keys", async move {
            Ok(reg.kv_list(&prefix).await?)
        })
    }

    /// Deletes a raw key; whether it existed.
    fn kv_delete(&self, py: Python<'_>, key: String) -> PyResult<bool> {
        let reg = self.reg();
        self.call(py, "deleting a key", async move {
            Ok(reg.kv_delete(&key).await?)
        })
    }

    /// The store's current revision.
    fn revision(&self, py: Python<'_>) -> PyResult<u64> {
        let reg = self.reg();
        self.call(py, "reading the revision", async move {
            Ok(reg.backend().revision().await?)
        })
    }

    /// Starts watching `kind` (`units`, `machines`, `assignments`, `states`,
    /// `endpoints`, or `keys` under `prefix`) from a revision (0: from now).
    #[pyo3(signature = (kind, prefix=None, from_revision=0))]
    fn watch(
        &self,
        py: Python<'_>,
        kind: String,
        prefix: Option<String>,
        from_revision: u64,
    ) -> PyResult<NativeWatch> {
        const KINDS: [&str; 6] = [
            "units",
            "machines",
            "assignments",
            "states",
            "endpoints",
            "keys",
        ];
        if !KINDS.contains(&kind.as_str()) {
            return Err(error(
                py,
                "InvalidRequest",
                format!("cannot watch {kind:?}; one of {}", KINDS.join(", ")),
                &[],
            ));
        }
        let reg = self.reg();
        let (tx, rx) = mpsc::channel::<WatchItem>(1024);
        let rt = runtime(py)?;
        let task_kind = kind.clone();
        // Open the stream before returning, so events after this call are seen.
        let stream = self.call(py, &format!("watching {kind}"), async move {
            let from = if from_revision == 0 {
                reg.backend().revision().await? + 1
            } else {
                from_revision
            };
            let stream: futures::stream::BoxStream<'static, WatchItem> = if task_kind == "keys" {
                let prefix = prefix.unwrap_or_else(|| "/".into());
                reg.backend()
                    .watch(&prefix, from)
                    .await?
                    .map(|e| match e {
                        Ok(e) => Ok((
                            match e.kind {
                                EventKind::Put => "put".to_owned(),
                                EventKind::Delete => "delete".to_owned(),
                            },
                            e.kv.mod_revision,
                            serde_json::json!({"key": e.kv.key, "value": e.kv.value}).to_string(),
                        )),
                        Err(e) => Err(e.to_string()),
                    })
                    .boxed()
            } else {
                reg.watch::<serde_json::Value>(&task_kind, from)
                    .await?
                    .map(|e| match e {
                        Ok((rev, Change::Put(v))) => Ok(("put".to_owned(), rev, v.to_string())),
                        Ok((rev, Change::Deleted(name))) => Ok((
                            "delete".to_owned(),
                            rev,
                            serde_json::json!({"name": name}).to_string(),
                        )),
                        Err(e) => Err(e.to_string()),
                    })
                    .boxed()
            };
            Ok(stream)
        })?;
        let task = rt.spawn(async move {
            let mut stream = stream;
            while let Some(item) = stream.next().await {
                let stop = item.is_err();
                if tx.send(item).await.is_err() || stop {
                    break;
                }
            }
        });
        Ok(NativeWatch {
            rx: tokio::sync::Mutex::new(rx),
            task,
        })
    }
}

fn positive(py: Python<'_>, seconds: f64) -> PyResult<Duration> {
    if seconds.is_finite() && seconds > 0.0 {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(error(
            py,
            "InvalidRequest",
            format!("a duration must be a positive number of seconds, not {seconds}"),
            &[],
        ))
    }
}

/// `(kind, revision, JSON)` or the error that ended the watch.
type WatchItem = Result<(String, u64, String), String>;

/// A running watch; events are buffered until read.
#[pyclass(frozen, module = "flotta._native")]
pub struct NativeWatch {
    rx: tokio::sync::Mutex<mpsc::Receiver<WatchItem>>,
    task: tokio::task::JoinHandle<()>,
}

#[pymethods]
impl NativeWatch {
    /// The next event, waiting at most `timeout` seconds: `(kind, revision,
    /// JSON)`, None on timeout, `("end", 0, reason)` once the watch ended.
    fn next(&self, py: Python<'_>, timeout: f64) -> PyResult<Option<(String, u64, String)>> {
        let wait = positive(py, timeout)?;
        let rt = runtime(py)?;
        guarded(py, || {
            Ok(py.detach(|| {
                rt.block_on(async {
                    let mut rx = self.rx.lock().await;
                    match tokio::time::timeout(wait, rx.recv()).await {
                        Err(_) => None,
                        Ok(None) => Some(("end".to_owned(), 0, String::new())),
                        Ok(Some(Ok(item))) => Some(item),
                        Ok(Some(Err(reason))) => Some(("end".to_owned(), 0, reason)),
                    }
                })
            }))
        })
    }

    /// Stops the watch.
    fn close(&self) {
        self.task.abort();
    }
}

impl Drop for NativeWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<NativeWatch>()?;
    Ok(())
}
