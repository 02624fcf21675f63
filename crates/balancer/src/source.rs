//! Where backends come from: a service's typed endpoints, or a raw key
//! prefix of `host:port` values. Both are listed, then watched from the
//! listing's revision; a compacted or broken watch lists again.

use std::collections::BTreeMap;
use std::time::Duration;

use flotta_registry::kv::{EventKind, KvBackend};
use flotta_registry::model::Endpoint;
use flotta_registry::{Change, Registry, RegistryError};
use futures::StreamExt;
use tokio::sync::watch;

use crate::backend::{Backend, Pool, parse_host_port};
use crate::error::BalancerError;

/// What to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Typed endpoints of a service (`[X-Flotta] Service=`).
    Service(String),
    /// Raw keys under a prefix whose values are `host:port`, as the seed's
    /// `etcdctl set /applications/sample/<unit> host:port` writes.
    Prefix(String),
}

impl Selector {
    /// The pool name: the service, or the prefix.
    pub fn name(&self) -> &str {
        match self {
            Selector::Service(s) | Selector::Prefix(s) => s,
        }
    }
}

/// A typed endpoint as a backend; `None` (and a warning) when a field could
/// break a config file: the agent checks `Address=`, but anything with
/// write access to the registry can register an endpoint.
fn from_endpoint(e: &Endpoint) -> Option<Backend> {
    let b = Backend {
        id: e.id.clone(),
        address: e.address.clone(),
        port: e.port,
        weight: e.weight.unwrap_or(1),
        backup: e.backup,
    };
    match b.validate() {
        Ok(()) => Some(b),
        Err(why) => {
            tracing::warn!(service = %e.service, "skipping endpoint: {why}");
            None
        }
    }
}

fn from_raw(key: &str, value: &str) -> Option<Backend> {
    let parsed = parse_host_port(value)
        .map_err(|e| e.to_string())
        .and_then(|(address, port)| {
            let b = Backend {
                id: raw_id(key).to_owned(),
                address,
                port,
                weight: 1,
                backup: false,
            };
            b.validate().map(|()| b).map_err(|e| e.to_string())
        });
    match parsed {
        Ok(b) => Some(b),
        Err(why) => {
            tracing::warn!(key, "skipping malformed backend: {why}");
            None
        }
    }
}

/// A raw key's backend ID: its last segment.
fn raw_id(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Follows `selector` and publishes every change as a [`Pool`] on `tx`,
/// until every receiver is gone.
///
/// # Errors
/// Only when the registry fails in a way a relist cannot fix.
pub async fn follow<B>(
    registry: Registry<B>,
    selector: Selector,
    tx: watch::Sender<Pool>,
) -> Result<(), BalancerError>
where
    B: KvBackend + Clone + Send + Sync + 'static,
{
    loop {
        let (mut backends, revision) = list(&registry, &selector).await?;
        publish(&tx, &selector, &backends, revision);
        let outcome = match &selector {
            Selector::Service(service) => {
                let stream = registry
                    .watch::<Endpoint>(&format!("endpoints/{service}"), revision + 1)
                    .await;
                match stream {
                    Ok(mut stream) => loop {
                        let Some(item) = stream.next().await else {
                            break Ok(());
                        };
                        match item {
                            Ok((rev, Change::Put(e))) => {
                                // A value turning bad drops the backend, it
                                // does not keep a stale one.
                                match from_endpoint(&e) {
                                    Some(b) => backends.insert(e.id.clone(), b),
                                    None => backends.remove(&e.id),
                                };
                                publish(&tx, &selector, &backends, rev);
                            }
                            Ok((rev, Change::Deleted(id))) => {
                                backends.remove(&id);
                                publish(&tx, &selector, &backends, rev);
                            }
                            Err(RegistryError::BadData { key, reason }) => {
                                tracing::warn!(key, "skipping endpoint: {reason}");
                            }
                            Err(e) => break Err(e),
                        }
                        if tx.is_closed() {
                            return Ok(());
                        }
                    },
                    Err(e) => Err(e),
                }
            }
            Selector::Prefix(prefix) => {
                match registry.backend().watch(prefix, revision + 1).await {
                    Ok(mut stream) => loop {
                        let Some(item) = stream.next().await else {
                            break Ok(());
                        };
                        match item {
                            Ok(event) => {
                                let kv = event.kv;
                                let id = raw_id(&kv.key).to_owned();
                                match event.kind {
                                    EventKind::Put => match from_raw(&kv.key, &kv.value) {
                                        Some(b) => {
                                            backends.insert(id, b);
                                        }
                                        None => {
                                            backends.remove(&id);
                                        }
                                    },
                                    EventKind::Delete => {
                                        backends.remove(&id);
                                    }
                                }
                                publish(&tx, &selector, &backends, kv.mod_revision);
                            }
                            Err(e) => break Err(e),
                        }
                        if tx.is_closed() {
                            return Ok(());
                        }
                    },
                    Err(e) => Err(e),
                }
            }
        };
        if tx.is_closed() {
            return Ok(());
        }
        match outcome {
            Ok(()) | Err(RegistryError::Compacted { .. }) => {
                tracing::info!(pool = selector.name(), "watch ended; listing again");
            }
            Err(e) => {
                tracing::warn!(pool = selector.name(), "watch failed ({e}); listing again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// The current backends and the revision they were read at.
///
/// # Errors
/// Registry failures.
pub async fn list<B: KvBackend>(
    registry: &Registry<B>,
    selector: &Selector,
) -> Result<(BTreeMap<String, Backend>, u64), BalancerError> {
    match selector {
        Selector::Service(service) => {
            let listing = registry.endpoints(service).await?;
            for skipped in &listing.skipped {
                tracing::warn!(service, "skipping endpoint: {skipped}");
            }
            let backends = listing
                .items
                .iter()
                .filter_map(|e| Some((e.id.clone(), from_endpoint(e)?)))
                .collect();
            Ok((backends, listing.revision))
        }
        Selector::Prefix(prefix) => {
            // Read the revision first: events after it are replayed, and
            // replaying a change already listed is harmless.
            let revision = registry.backend().revision().await?;
            let backends = registry
                .kv_list(prefix)
                .await?
                .into_iter()
                .filter_map(|(k, v)| from_raw(&k, &v).map(|b| (b.id.clone(), b)))
                .collect();
            Ok((backends, revision))
        }
    }
}

fn publish(
    tx: &watch::Sender<Pool>,
    selector: &Selector,
    backends: &BTreeMap<String, Backend>,
    revision: u64,
) {
    let next: Vec<Backend> = backends.values().cloned().collect();
    tx.send_if_modified(|pool| {
        let changed = pool.backends != next || pool.service != selector.name();
        pool.revision = revision;
        if changed {
            pool.service = selector.name().to_owned();
            pool.backends = next;
        }
        changed
    });
}
