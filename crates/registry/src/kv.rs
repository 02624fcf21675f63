//! The key-value layer every backend implements: revisions, conditional
//! writes, leases and watches, with etcd v3's semantics.
//!
//! The typed [`crate::Registry`] is written once on top of this trait, so the
//! memory and etcd backends agree by construction on everything above it.

use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use futures::Stream;
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// A lease ID; keys attached to a lease vanish when it expires.
pub type LeaseId = u64;

/// One stored key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    /// The key.
    pub key: String,
    /// The value (JSON for typed keys, anything for raw keys).
    pub value: String,
    /// Revision that created the key.
    pub create_revision: u64,
    /// Revision of the last change.
    pub mod_revision: u64,
    /// The lease the key is attached to.
    pub lease: Option<LeaseId>,
}

/// When a write may happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Always.
    Always,
    /// Only if the key does not exist (create).
    Absent,
    /// Only if the key's last change was at this revision.
    ModRevision(u64),
}

/// One page of a prefix listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Keys in order.
    pub items: Vec<KeyValue>,
    /// Whether more keys follow the last one.
    pub more: bool,
    /// The store's revision when the page was read.
    pub revision: u64,
}

/// What happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Created or changed.
    Put,
    /// Deleted (by a call, or because its lease ended).
    Delete,
}

/// A change, as watches deliver it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Put or delete.
    pub kind: EventKind,
    /// The key after the change (for a delete: its key, empty value, the
    /// delete's revision as `mod_revision`).
    pub kv: KeyValue,
}

/// A stream of changes in revision order.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<Event>> + Send>>;

/// Storage with revisions, leases and watches.
#[async_trait]
pub trait KvBackend: Send + Sync {
    /// Reads one key.
    async fn get(&self, key: &str) -> Result<Option<KeyValue>>;

    /// Lists keys starting with `prefix`, after `after` (exclusive), at most `limit`.
    async fn range(&self, prefix: &str, after: Option<&str>, limit: usize) -> Result<Page>;

    /// Writes a key if `condition` holds; returns the new revision.
    async fn put(
        &self,
        key: &str,
        value: &str,
        lease: Option<LeaseId>,
        condition: Condition,
    ) -> Result<u64>;

    /// Deletes a key if `condition` holds; returns whether it existed.
    async fn delete(&self, key: &str, condition: Condition) -> Result<bool>;

    /// Grants a lease of `ttl`.
    async fn grant(&self, ttl: Duration) -> Result<LeaseId>;

    /// Renews a lease; returns its TTL.
    async fn keep_alive(&self, lease: LeaseId) -> Result<Duration>;

    /// Ends a lease now, deleting its keys.
    async fn revoke(&self, lease: LeaseId) -> Result<()>;

    /// Changes under `prefix` from `from_revision` (inclusive; 0 = from now).
    async fn watch(&self, prefix: &str, from_revision: u64) -> Result<EventStream>;

    /// The store's current revision.
    async fn revision(&self) -> Result<u64>;
}
