//! Where cluster commands send their reads and writes: etcd directly, or a
//! flotta API (`flotta agent --api-listen`, `flotta agent --dev`).

use std::time::Duration;

use async_trait::async_trait;
use flotta_api::remote::Remote;
use flotta_registry::EtcdBackend;
use flotta_registry::kv::{Condition, EventStream, KeyValue, KvBackend, LeaseId, Page};

/// One of the backends a cluster command can use; the commands' code is
/// generic over [`KvBackend`] and runs unchanged on either.
#[derive(Debug, Clone)]
pub enum ClusterBackend {
    /// etcd v3.
    Etcd(Box<EtcdBackend>),
    /// A flotta API server.
    Remote(Remote),
}

#[async_trait]
impl KvBackend for ClusterBackend {
    async fn get(&self, key: &str) -> flotta_registry::Result<Option<KeyValue>> {
        match self {
            ClusterBackend::Etcd(b) => b.get(key).await,
            ClusterBackend::Remote(b) => b.get(key).await,
        }
    }

    async fn range(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> flotta_registry::Result<Page> {
        match self {
            ClusterBackend::Etcd(b) => b.range(prefix, after, limit).await,
            ClusterBackend::Remote(b) => b.range(prefix, after, limit).await,
        }
    }

    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> flotta_registry::Result<u64> {
        match self {
            ClusterBackend::Etcd(b) => b.put(key, value, lease, condition).await,
            ClusterBackend::Remote(b) => b.put(key, value, lease, condition).await,
        }
    }

    async fn delete(&self, key: &str, condition: Condition) -> flotta_registry::Result<bool> {
        match self {
            ClusterBackend::Etcd(b) => b.delete(key, condition).await,
            ClusterBackend::Remote(b) => b.delete(key, condition).await,
        }
    }

    async fn grant(&self, ttl: Duration) -> flotta_registry::Result<LeaseId> {
        match self {
            ClusterBackend::Etcd(b) => b.grant(ttl).await,
            ClusterBackend::Remote(b) => b.grant(ttl).await,
        }
    }

    async fn keep_alive(&self, lease: LeaseId) -> flotta_registry::Result<Duration> {
        match self {
            ClusterBackend::Etcd(b) => b.keep_alive(lease).await,
            ClusterBackend::Remote(b) => b.keep_alive(lease).await,
        }
    }

    async fn revoke(&self, lease: LeaseId) -> flotta_registry::Result<()> {
        match self {
            ClusterBackend::Etcd(b) => b.revoke(lease).await,
            ClusterBackend::Remote(b) => b.revoke(lease).await,
        }
    }

    async fn watch(
        &self,
        prefix: &str,
        from_revision: u64,
    ) -> flotta_registry::Result<EventStream> {
        match self {
            ClusterBackend::Etcd(b) => b.watch(prefix, from_revision).await,
            ClusterBackend::Remote(b) => b.watch(prefix, from_revision).await,
        }
    }

    async fn revision(&self) -> flotta_registry::Result<u64> {
        match self {
            ClusterBackend::Etcd(b) => b.revision().await,
            ClusterBackend::Remote(b) => b.revision().await,
        }
    }
}
