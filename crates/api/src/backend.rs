//! [`ClusterBackend`]: one type for whichever store a client reaches — etcd
//! directly, a flotta API server, or an in-process memory store — so a
//! program (the `flotta` CLI, the Python package) is generic over nothing.
//!
//! ```
//! use flotta_api::ClusterBackend;
//! use flotta_registry::{MemoryBackend, Registry};
//!
//! let registry = Registry::new(ClusterBackend::Memory(MemoryBackend::default()));
//! # let _ = registry;
//! ```

use std::time::Duration;

use async_trait::async_trait;
use flotta_registry::kv::{
    Compare, Condition, EventStream, KeyValue, KvBackend, LeaseId, Page, TxnOp, TxnOutcome,
};
use flotta_registry::{EtcdBackend, MemoryBackend};

use crate::remote::Remote;

/// One of the backends a client can use; it forwards every call.
#[derive(Debug, Clone)]
pub enum ClusterBackend {
    /// etcd v3.
    Etcd(Box<EtcdBackend>),
    /// A flotta API server (`flotta agent --api-listen`, `flotta agent --dev`).
    Remote(Remote),
    /// An in-process store (tests, dry runs).
    Memory(MemoryBackend),
}

impl From<EtcdBackend> for ClusterBackend {
    fn from(b: EtcdBackend) -> Self {
        ClusterBackend::Etcd(Box::new(b))
    }
}

macro_rules! each {
    ($self:ident, $b:ident => $e:expr) => {
        match $self {
            ClusterBackend::Etcd($b) => $e,
            ClusterBackend::Remote($b) => $e,
            ClusterBackend::Memory($b) => $e,
        }
    };
}

#[async_trait]
impl KvBackend for ClusterBackend {
    async fn get(&self, key: &str) -> flotta_registry::Result<Option<KeyValue>> {
        each!(self, b => b.get(key).await)
    }

    async fn range(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> flotta_registry::Result<Page> {
        each!(self, b => b.range(prefix, after, limit).await)
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> flotta_registry::Result<u64> {
        each!(self, b => b.put(key, value, lease, condition).await)
    }

    async fn delete(&self, key: &str, condition: Condition) -> flotta_registry::Result<bool> {
        each!(self, b => b.delete(key, condition).await)
    }

    async fn txn(
        &self,
        compares: &[Compare],
        ops: &[TxnOp],
    ) -> flotta_registry::Result<TxnOutcome> {
        each!(self, b => b.txn(compares, ops).await)
    }

    async fn grant(&self, ttl: Duration) -> flotta_registry::Result<LeaseId> {
        each!(self, b => b.grant(ttl).await)
    }

    async fn keep_alive(&self, lease: LeaseId) -> flotta_registry::Result<Duration> {
        each!(self, b => b.keep_alive(lease).await)
    }

    async fn revoke(&self, lease: LeaseId) -> flotta_registry::Result<()> {
        each!(self, b => b.revoke(lease).await)
    }

    async fn watch(
        &self,
        prefix: &str,
        from_revision: u64,
    ) -> flotta_registry::Result<EventStream> {
        each!(self, b => b.watch(prefix, from_revision).await)
    }

    async fn revision(&self) -> flotta_registry::Result<u64> {
        each!(self, b => b.revision().await)
    }
}
