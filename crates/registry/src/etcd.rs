//! The etcd v3 backend: one key per object, JSON values, transactions for
//! compare-and-swap and multi-key writes, native leases and watches.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use etcd_client::{
    Client, Compare, CompareOp, ConnectOptions, EventType, GetOptions, PutOptions, Txn, TxnOp,
    TxnOpResponse, WatchOptions,
};
use futures::StreamExt;

use crate::error::{RegistryError, Result};
use crate::kv::{
    Compare as KvCompare, Condition, Event, EventKind, EventStream, KeyValue, KvBackend, LeaseId,
    Page, TxnOp as KvOp, TxnOutcome, check_ops,
};

/// How to reach etcd.
#[derive(Debug, Clone)]
pub struct EtcdOptions {
    /// Client URLs, e.g. `http://127.0.0.1:2379` (several for a cluster).
    pub endpoints: Vec<String>,
    /// User name and password, when etcd has auth enabled.
    pub user: Option<(String, String)>,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// TLS: use `https://` endpoints and verify etcd with these files.
    pub tls: Option<TlsFiles>,
}

/// PEM files for TLS to etcd (as `etcdctl --cacert --cert --key`).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// CA certificate that signed etcd's certificate.
    pub ca: std::path::PathBuf,
    /// Client certificate and key, when etcd requires client certificates.
    pub client: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl EtcdOptions {
    /// Options for these endpoints with default timeouts (5 s connect, 5 s request).
    pub fn new(endpoints: impl IntoIterator<Item = impl Into<String>>) -> Self {
        EtcdOptions {
            endpoints: endpoints.into_iter().map(Into::into).collect(),
            user: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(5),
            tls: None,
        }
    }
}

/// The etcd backend.
#[derive(Clone)]
pub struct EtcdBackend {
    client: Client,
    /// Lease renewals on a connection of their own, opened by the first
    /// renewal (clients that never renew, like the CLI, never open it):
    /// behind a multi-megabyte range on a shared one, a keep-alive can wait
    /// past the lease's TTL.
    leases: Arc<tokio::sync::OnceCell<Client>>,
    endpoints: Arc<[String]>,
    connect: ConnectOptions,
}

impl std::fmt::Debug for EtcdBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EtcdBackend").finish_non_exhaustive()
    }
}

fn tls_options(files: &TlsFiles) -> Result<etcd_client::TlsOptions> {
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| RegistryError::Invalid {
            what: "TLS file".into(),
            reason: format!("{}: {e}", p.display()),
        })
    };
    let mut tls = etcd_client::TlsOptions::new()
        .ca_certificate(etcd_client::Certificate::from_pem(read(&files.ca)?));
    if let Some((cert, key)) = &files.client {
        tls = tls.identity(etcd_client::Identity::from_pem(read(cert)?, read(key)?));
    }
    Ok(tls)
}

/// Retries an idempotent request (reads, unconditional writes) with backoff
/// (50 ms doubling, 5 tries): a dead member or a restarted server costs a
/// retry, not an error. Conditional transactions are never retried blindly.
async fn with_retry<T, F, Fut>(mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, etcd_client::Error>>,
{
    let mut delay = Duration::from_millis(50);
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if attempt < 5 && retryable(&e) => {
                tracing::debug!(error = %e, attempt, "etcd read failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            Err(e) => return Err(backend_error(e)),
        }
    }
}

fn retryable(e: &etcd_client::Error) -> bool {
    match e {
        etcd_client::Error::TransportError(_) | etcd_client::Error::IoError(_) => true,
        etcd_client::Error::GRpcStatus(s) => matches!(
            s.code(),
            tonic::Code::Unavailable | tonic::Code::DeadlineExceeded | tonic::Code::Unknown
        ),
        _ => false,
    }
}

fn backend_error(e: etcd_client::Error) -> RegistryError {
    RegistryError::Backend(e.to_string())
}

fn lease_error(e: etcd_client::Error, lease: LeaseId) -> RegistryError {
    if e.to_string().contains("lease not found") {
        RegistryError::LeaseNotFound(lease)
    } else {
        backend_error(e)
    }
}

fn convert(kv: &etcd_client::KeyValue) -> Result<KeyValue> {
    let text = |b: &[u8], what: &str| {
        String::from_utf8(b.to_vec()).map_err(|_| RegistryError::BadData {
            key: String::from_utf8_lossy(kv.key()).into_owned(),
            reason: format!("{what} is not UTF-8"),
        })
    };
    Ok(KeyValue {
        key: text(kv.key(), "key")?,
        value: text(kv.value(), "value")?,
        create_revision: u64::try_from(kv.create_revision()).unwrap_or(0),
        mod_revision: u64::try_from(kv.mod_revision()).unwrap_or(0),
        lease: u64::try_from(kv.lease()).ok().filter(|&l| l != 0),
    })
}

/// The first key after every key starting with `prefix`.
fn prefix_end(prefix: &str) -> Vec<u8> {
    let mut end = prefix.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

fn compare(key: &str, condition: Condition) -> Option<Compare> {
    match condition {
        Condition::Always => None,
        Condition::Absent => Some(Compare::create_revision(key, CompareOp::Equal, 0)),
        Condition::ModRevision(r) => Some(Compare::mod_revision(
            key,
            CompareOp::Equal,
            i64::try_from(r).unwrap_or(i64::MAX),
        )),
    }
}

fn revision_i64(r: u64) -> i64 {
    i64::try_from(r).unwrap_or(i64::MAX)
}

fn etcd_compare(compare: &KvCompare) -> Compare {
    match compare {
        // etcd sees a missing key as created at revision 0.
        KvCompare::Absent { key } => Compare::create_revision(key.as_str(), CompareOp::Equal, 0),
        KvCompare::ModRevision { key, revision } => {
            Compare::mod_revision(key.as_str(), CompareOp::Equal, revision_i64(*revision))
        }
        KvCompare::CreateRevision { key, revision } => {
            Compare::create_revision(key.as_str(), CompareOp::Equal, revision_i64(*revision))
        }
    }
}

fn etcd_op(op: &KvOp) -> TxnOp {
    match op {
        KvOp::Put { key, value, lease } => TxnOp::put(
            key.as_str(),
            value.as_str(),
            lease.map(|l| PutOptions::new().with_lease(i64::try_from(l).unwrap_or(0))),
        ),
        KvOp::Delete { key } => TxnOp::delete(key.as_str(), None),
    }
}

impl EtcdBackend {
    /// Connects to etcd.
    ///
    /// # Errors
    /// When no endpoint answers within the connect timeout.
    pub async fn connect(options: &EtcdOptions) -> Result<Self> {
        let mut connect = ConnectOptions::new()
            .with_connect_timeout(options.connect_timeout)
            .with_timeout(options.request_timeout)
            .with_keep_alive(Duration::from_secs(5), Duration::from_secs(5));
        if let Some((user, password)) = &options.user {
            connect = connect.with_user(user.clone(), password.clone());
        }
        if let Some(tls) = &options.tls {
            connect = connect.with_tls(tls_options(tls)?);
        }
        let client = Client::connect(&options.endpoints, Some(connect.clone()))
            .await
            .map_err(backend_error)?;
        Ok(EtcdBackend {
            client,
            leases: Arc::default(),
            endpoints: options.endpoints.clone().into(),
            connect,
        })
    }

    async fn conflict(&self, key: &str, condition: Condition) -> RegistryError {
        let actual = match self.get(key).await {
            Ok(kv) => kv.map_or(0, |kv| kv.mod_revision),
            Err(e) => return e,
        };
        RegistryError::Conflict {
            key: key.to_owned(),
            expected: match condition {
                Condition::ModRevision(r) => r,
                _ => 0,
            },
            actual,
        }
    }

    /// Compacts history up to `revision` (tests and maintenance).
    ///
    /// # Errors
    /// Backend failures.
    pub async fn compact(&self, revision: u64) -> Result<()> {
        let mut c = self.client.clone();
        c.compact(i64::try_from(revision).unwrap_or(i64::MAX), None)
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}

#[async_trait]
impl KvBackend for EtcdBackend {
    async fn get(&self, key: &str) -> Result<Option<KeyValue>> {
        let resp = with_retry(|| {
            let mut c = self.client.clone();
            async move { c.get(key, None).await }
        })
        .await?;
        resp.kvs().first().map(convert).transpose()
    }

    async fn range(&self, prefix: &str, after: Option<&str>, limit: usize) -> Result<Page> {
        let start = match after {
            Some(a) => format!("{a}\0"),
            None => prefix.to_owned(),
        };
        let limit = i64::try_from(limit.max(1)).unwrap_or(i64::MAX);
        let resp = with_retry(|| {
            let mut c = self.client.clone();
            let start = start.clone();
            async move {
                c.get(
                    start,
                    Some(
                        GetOptions::new()
                            .with_range(prefix_end(prefix))
                            .with_limit(limit),
                    ),
                )
                .await
            }
        })
        .await?;
        let revision = resp
            .header()
            .map_or(0, |h| u64::try_from(h.revision()).unwrap_or(0));
        let items = resp.kvs().iter().map(convert).collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            more: resp.more(),
            revision,
        })
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> Result<u64> {
        let mut c = self.client.clone();
        let options = lease.map(|l| PutOptions::new().with_lease(i64::try_from(l).unwrap_or(0)));
        let lease_id = lease.unwrap_or(0);
        let Some(cmp) = compare(key, condition) else {
            // An unconditional write is idempotent: safe to retry after a broken connection.
            let resp = with_retry(|| {
                let mut c = self.client.clone();
                let options = options.clone();
                async move { c.put(key, value, options).await }
            })
            .await
            .map_err(|e| match e {
                RegistryError::Backend(m) if m.contains("lease not found") => {
                    RegistryError::LeaseNotFound(lease_id)
                }
                other => other,
            })?;
            return Ok(resp
                .header()
                .map_or(0, |h| u64::try_from(h.revision()).unwrap_or(0)));
        };
        let txn = Txn::new()
            .when([cmp])
            .and_then([TxnOp::put(key, value, options)]);
        let resp = c.txn(txn).await.map_err(|e| lease_error(e, lease_id))?;
        if !resp.succeeded() {
            return Err(self.conflict(key, condition).await);
        }
        Ok(resp
            .header()
            .map_or(0, |h| u64::try_from(h.revision()).unwrap_or(0)))
    }

    async fn delete(&self, key: &str, condition: Condition) -> Result<bool> {
        let mut c = self.client.clone();
        let Some(cmp) = compare(key, condition) else {
            let resp = with_retry(|| {
                let mut c = self.client.clone();
                async move { c.delete(key, None).await }
            })
            .await?;
            return Ok(resp.deleted() > 0);
        };
        let txn = Txn::new().when([cmp]).and_then([TxnOp::delete(key, None)]);
        let resp = c.txn(txn).await.map_err(backend_error)?;
        if !resp.succeeded() {
            return Err(self.conflict(key, condition).await);
        }
        Ok(resp.op_responses().iter().any(|r| match r {
            TxnOpResponse::Delete(d) => d.deleted() > 0,
            _ => false,
        }))
    }

    async fn txn(&self, compares: &[KvCompare], ops: &[KvOp]) -> Result<TxnOutcome> {
        check_ops(ops)?;
        let lease = ops.iter().find_map(|op| match op {
            KvOp::Put { lease, .. } => *lease,
            KvOp::Delete { .. } => None,
        });
        let txn = Txn::new()
            .when(compares.iter().map(etcd_compare).collect::<Vec<_>>())
            .and_then(ops.iter().map(etcd_op).collect::<Vec<_>>());
        // Conditional: never retried blindly.
        let mut c = self.client.clone();
        let resp = c
            .txn(txn)
            .await
            .map_err(|e| lease_error(e, lease.unwrap_or(0)))?;
        Ok(TxnOutcome {
            succeeded: resp.succeeded(),
            revision: resp
                .header()
                .map_or(0, |h| u64::try_from(h.revision()).unwrap_or(0)),
        })
    }

    async fn grant(&self, ttl: Duration) -> Result<LeaseId> {
        let mut c = self.client.clone();
        let secs = i64::try_from(ttl.as_secs().max(1)).unwrap_or(i64::MAX);
        let resp = c.lease_grant(secs, None).await.map_err(backend_error)?;
        u64::try_from(resp.id()).map_err(|_| RegistryError::Backend("negative lease id".into()))
    }

    async fn keep_alive(&self, lease: LeaseId) -> Result<Duration> {
        let mut c = self
            .leases
            .get_or_try_init(|| Client::connect(&self.endpoints[..], Some(self.connect.clone())))
            .await
            .map_err(backend_error)?
            .clone();
        let id = i64::try_from(lease).unwrap_or(0);
        let (mut keeper, mut stream) = c
            .lease_keep_alive(id)
            .await
            .map_err(|e| lease_error(e, lease))?;
        keeper
            .keep_alive()
            .await
            .map_err(|e| lease_error(e, lease))?;
        match stream.message().await.map_err(|e| lease_error(e, lease))? {
            Some(resp) if resp.ttl() > 0 => {
                Ok(Duration::from_secs(u64::try_from(resp.ttl()).unwrap_or(0)))
            }
            _ => Err(RegistryError::LeaseNotFound(lease)),
        }
    }

    async fn revoke(&self, lease: LeaseId) -> Result<()> {
        let mut c = self.client.clone();
        c.lease_revoke(i64::try_from(lease).unwrap_or(0))
            .await
            .map_err(|e| lease_error(e, lease))?;
        Ok(())
    }

    async fn watch(&self, prefix: &str, from_revision: u64) -> Result<EventStream> {
        let mut c = self.client.clone();
        let mut options = WatchOptions::new()
            .with_range(prefix_end(prefix))
            .with_progress_notify();
        if from_revision > 0 {
            options = options.with_start_revision(i64::try_from(from_revision).unwrap_or(i64::MAX));
        }
        let stream = c
            .watch(prefix, Some(options))
            .await
            .map_err(backend_error)?;
        let requested = from_revision;
        let events = stream.flat_map(move |resp| {
            let out: Vec<Result<Event>> = match resp {
                Err(e) => vec![Err(backend_error(e))],
                Ok(r) if r.compact_revision() > 0 => vec![Err(RegistryError::Compacted {
                    requested,
                    oldest: u64::try_from(r.compact_revision()).unwrap_or(0) + 1,
                })],
                Ok(r) => r
                    .events()
                    .iter()
                    .filter_map(|e| {
                        let kv = e.kv()?;
                        let kind = match e.event_type() {
                            EventType::Put => EventKind::Put,
                            EventType::Delete => EventKind::Delete,
                        };
                        Some(convert(kv).map(|kv| Event { kind, kv }))
                    })
                    .collect(),
            };
            futures::stream::iter(out)
        });
        Ok(Box::pin(events))
    }

    async fn revision(&self) -> Result<u64> {
        let resp = with_retry(|| {
            let mut c = self.client.clone();
            async move { c.get("\0", Some(GetOptions::new().with_count_only())).await }
        })
        .await?;
        Ok(resp
            .header()
            .map_or(0, |h| u64::try_from(h.revision()).unwrap_or(0)))
    }
}
