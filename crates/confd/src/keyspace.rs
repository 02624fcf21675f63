//! Where a resource's keys come from: raw keys at their literal paths (what
//! `etcdctl put /applications/sample/… host:port` or `flotta kv set`
//! wrote, on etcd or flotta's embedded store), and flotta's service
//! endpoints offered as a read-only tree under [`ENDPOINTS_ROOT`]:
//!
//! | key | value |
//! |---|---|
//! | `/flotta/endpoints/<service>/<id>` | `address:port` (`[v6]:port`) |
//! | `/flotta/endpoints/<service>/<id>/address` | the address |
//! | `/flotta/endpoints/<service>/<id>/port` | the port |
//! | `/flotta/endpoints/<service>/<id>/unit` | the unit serving it |
//! | `/flotta/endpoints/<service>/<id>/machine` | the machine it runs on |
//! | `/flotta/endpoints/<service>/<id>/weight` | relative weight (`1` unless set) |
//! | `/flotta/endpoints/<service>/<id>/backup` | `true` or `false` |
//! | `/flotta/endpoints/<service>/<id>/tags` | tags, comma-separated |
//! | `/flotta/endpoints/<service>/<id>/json` | the endpoint as JSON |
//!
//! so `{{range gets "/flotta/endpoints/sample/*"}}{{.Value}}{{end}}` lists
//! a `[X-Flotta] Service=sample` unit's instances the way the seed's
//! `/applications/sample/*` keys list them. Nothing is ever written there.
//!
//! A resource's keys are listed at one revision and then watched from the
//! next; a compacted or broken watch lists again.

use std::collections::BTreeMap;

use flotta_registry::Registry;
use flotta_registry::kv::{EventKind, KvBackend};
use flotta_registry::model::Endpoint;
use futures::StreamExt;
use futures::stream::{BoxStream, select_all};

use crate::error::ConfdError;

/// The root of the read-only endpoints keyspace.
pub const ENDPOINTS_ROOT: &str = "/flotta/endpoints";

/// Keys and values a resource sees, and the store revision they reflect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Full keys (prefix included) to values.
    pub kvs: BTreeMap<String, String>,
    /// The revision the snapshot was read at or updated to.
    pub revision: u64,
}

/// Whether stored key `k` belongs to requested key `prefix`: the key itself
/// or anything under it (`/upstream` covers `/upstream/app1`, not
/// `/upstreams`), as confd's etcd backend reads keys.
pub fn covers(prefix: &str, k: &str) -> bool {
    if k == prefix {
        return true;
    }
    let dir = prefix.trim_end_matches('/');
    k.len() > dir.len() && k.starts_with(dir) && k.as_bytes()[dir.len()] == b'/'
}

/// One source of keys: raw keys of a backend, plus the endpoints keyspace
/// read from the registry stored under `registry_prefix` on it.
#[derive(Debug, Clone)]
pub struct Keyspace<B> {
    backend: B,
    registry_prefix: String,
}

/// A key's change.
enum Change {
    Put(String, String),
    Delete(String),
    /// An endpoint registered or changed: its service and id, and itself.
    EndpointPut(String, String, Box<Endpoint>),
    EndpointDelete(String, String),
}

impl<B: KvBackend + Clone + 'static> Keyspace<B> {
    /// Keys of `backend`; endpoints from the registry under
    /// `registry_prefix` (flotta's default is `/flotta/v1/`).
    pub fn new(backend: B, registry_prefix: &str) -> Self {
        let mut registry_prefix = registry_prefix.to_owned();
        if !registry_prefix.ends_with('/') {
            registry_prefix.push('/');
        }
        Keyspace {
            backend,
            registry_prefix,
        }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    fn endpoints_prefix(&self, service: Option<&str>) -> String {
        match service {
            Some(s) => format!("{}endpoints/{s}/", self.registry_prefix),
            None => format!("{}endpoints/", self.registry_prefix),
        }
    }

    /// What a requested key reads: raw keys (`true`), and endpoints of one
    /// service (`Some(Some(_))`) or of all (`Some(None)`). A key above the
    /// root (`/`) reads both; raw keys under the root are never read.
    fn scope(key: &str) -> (bool, Option<Option<String>>) {
        if covers(ENDPOINTS_ROOT, key) {
            let rest = key.strip_prefix(ENDPOINTS_ROOT).unwrap_or_default();
            let service = rest
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default();
            return (
                false,
                Some((!service.is_empty()).then(|| service.to_owned())),
            );
        }
        if covers(key, ENDPOINTS_ROOT) {
            return (true, Some(None));
        }
        (true, None)
    }

    /// Reads every key covered by `keys`.
    ///
    /// # Errors
    /// The backend's.
    pub async fn snapshot(&self, keys: &[String]) -> Result<Snapshot, ConfdError> {
        // The revision first: a change after it is replayed by the watch,
        // and replaying one already read is harmless.
        let revision = self.backend.revision().await?;
        let mut kvs = BTreeMap::new();
        for key in keys {
            let (raw, endpoints) = Self::scope(key);
            if raw {
                for (k, v) in self.list(key).await? {
                    if covers(key, &k) && !covers(ENDPOINTS_ROOT, &k) {
                        kvs.insert(k, v);
                    }
                }
            }
            if let Some(service) = endpoints {
                for (k, v) in self
                    .list(&self.endpoints_prefix(service.as_deref()))
                    .await?
                {
                    if let Some((svc, id)) = self.endpoint_id(&k) {
                        match serde_json::from_str::<Endpoint>(&v) {
                            Ok(e) => insert_endpoint(&mut kvs, &svc, &id, &e),
                            Err(why) => tracing::warn!(key = %k, "skipping endpoint: {why}"),
                        }
                    }
                }
            }
        }
        kvs.retain(|k, _| keys.iter().any(|q| covers(q, k)));
        Ok(Snapshot { kvs, revision })
    }

    async fn list(&self, prefix: &str) -> Result<Vec<(String, String)>, ConfdError> {
        // The registry's raw-key listing (it pages through the backend).
        Ok(Registry::new(self.backend.clone()).kv_list(prefix).await?)
    }

    /// (service, id) of a registry endpoint key.
    fn endpoint_id(&self, key: &str) -> Option<(String, String)> {
        let rest = key.strip_prefix(&self.endpoints_prefix(None))?;
        let (svc, id) = rest.split_once('/')?;
        (!svc.is_empty() && !id.is_empty() && !id.contains('/')).then(|| (svc.into(), id.into()))
    }

    /// Follows `keys`: publishes a snapshot now and after every change until
    /// `publish` returns `false`.
    ///
    /// # Errors
    /// Only failures a fresh listing cannot fix.
    pub async fn follow(
        &self,
        keys: &[String],
        mut publish: impl FnMut(&Snapshot) -> bool,
    ) -> Result<(), ConfdError> {
        loop {
            let mut snap = match self.snapshot(keys).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("reading keys failed ({e}); retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    continue;
                }
            };
            if !publish(&snap) {
                return Ok(());
            }
            let mut streams = match self.changes(keys, snap.revision + 1).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("watching keys failed ({e}); listing again");
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    continue;
                }
            };
            while let Some(item) = streams.next().await {
                match item {
                    Ok((revision, change)) => {
                        apply_change(&mut snap.kvs, change, keys);
                        snap.revision = revision;
                        if !publish(&snap) {
                            return Ok(());
                        }
                    }
                    Err(e) => {
                        tracing::info!("watch ended ({e}); listing again");
                        break;
                    }
                }
            }
        }
    }

    async fn changes(
        &self,
        keys: &[String],
        from: u64,
    ) -> Result<BoxStream<'static, Result<(u64, Change), ConfdError>>, ConfdError> {
        let mut streams = Vec::new();
        let mut endpoint_scopes: Vec<Option<String>> = Vec::new();
        for key in keys {
            let (raw, endpoints) = Self::scope(key);
            if let Some(scope) = endpoints
                && !endpoint_scopes.contains(&scope)
            {
                endpoint_scopes.push(scope);
            }
            if raw {
                let key = key.clone();
                let s = self.backend.watch(&key, from).await?;
                streams.push(
                    s.filter_map(move |ev| {
                        let wanted = match &ev {
                            Ok(ev) => {
                                covers(&key, &ev.kv.key) && !covers(ENDPOINTS_ROOT, &ev.kv.key)
                            }
                            Err(_) => true,
                        };
                        let item = wanted.then(|| match ev {
                            Err(e) => Err(ConfdError::from(e)),
                            Ok(ev) => Ok((
                                ev.kv.mod_revision,
                                match ev.kind {
                                    EventKind::Put => Change::Put(ev.kv.key, ev.kv.value),
                                    EventKind::Delete => Change::Delete(ev.kv.key),
                                },
                            )),
                        });
                        async move { item }
                    })
                    .boxed(),
                );
            }
        }
        // A watch on every endpoint when any key wants all services.
        if endpoint_scopes.contains(&None) {
            endpoint_scopes = vec![None];
        }
        for scope in endpoint_scopes {
            let this = self.clone();
            let s = self
                .backend
                .watch(&self.endpoints_prefix(scope.as_deref()), from)
                .await?;
            streams.push(
                s.filter_map(move |ev| {
                    let parsed = match ev {
                        Err(e) => Some(Err(ConfdError::from(e))),
                        Ok(ev) => this.endpoint_id(&ev.kv.key).and_then(|(svc, id)| match ev.kind {
                            EventKind::Put => match serde_json::from_str::<Endpoint>(&ev.kv.value) {
                                Ok(e) => Some(Ok((
                                    ev.kv.mod_revision,
                                    Change::EndpointPut(svc, id, Box::new(e)),
                                ))),
                                Err(why) => {
                                    tracing::warn!(key = %ev.kv.key, "skipping endpoint: {why}");
                                    None
                                }
                            },
                            EventKind::Delete => {
                                Some(Ok((ev.kv.mod_revision, Change::EndpointDelete(svc, id))))
                            }
                        }),
                    };
                    async move { parsed }
                })
                .boxed(),
            );
        }
        Ok(select_all(streams).boxed())
    }
}

fn apply_change(kvs: &mut BTreeMap<String, String>, change: Change, keys: &[String]) {
    match change {
        Change::Put(k, v) => {
            kvs.insert(k, v);
        }
        Change::Delete(k) => {
            kvs.remove(&k);
        }
        Change::EndpointPut(svc, id, e) => {
            remove_endpoint(kvs, &svc, &id);
            let mut one = BTreeMap::new();
            insert_endpoint(&mut one, &svc, &id, &e);
            kvs.extend(
                one.into_iter()
                    .filter(|(k, _)| keys.iter().any(|q| covers(q, k))),
            );
        }
        Change::EndpointDelete(svc, id) => remove_endpoint(kvs, &svc, &id),
    }
}

fn remove_endpoint(kvs: &mut BTreeMap<String, String>, svc: &str, id: &str) {
    let base = format!("{ENDPOINTS_ROOT}/{svc}/{id}");
    let gone: Vec<String> = kvs
        .range(base.clone()..)
        .take_while(|(k, _)| k.starts_with(&base))
        .filter(|(k, _)| covers(&base, k))
        .map(|(k, _)| k.clone())
        .collect();
    for k in gone {
        kvs.remove(&k);
    }
}

/// The keys of one endpoint in the read-only tree.
fn insert_endpoint(kvs: &mut BTreeMap<String, String>, svc: &str, id: &str, e: &Endpoint) {
    let base = format!("{ENDPOINTS_ROOT}/{svc}/{id}");
    let host = if e.address.contains(':') {
        format!("[{}]", e.address)
    } else {
        e.address.clone()
    };
    kvs.insert(base.clone(), format!("{host}:{}", e.port));
    let mut sub = |k: &str, v: String| {
        kvs.insert(format!("{base}/{k}"), v);
    };
    sub("address", e.address.clone());
    sub("port", e.port.to_string());
    sub("unit", e.unit.clone());
    sub("machine", e.machine.clone());
    sub("weight", e.weight.unwrap_or(1).to_string());
    sub("backup", e.backup.to_string());
    sub("tags", e.tags.join(","));
    sub("json", serde_json::to_string(e).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_keys_and_their_children_only() {
        assert!(covers("/upstream", "/upstream"));
        assert!(covers("/upstream", "/upstream/app1"));
        assert!(covers("/upstream/", "/upstream/app1"));
        assert!(!covers("/upstream", "/upstreams"));
        assert!(covers("/", "/anything"));
    }
}
