//! The key-value layer every backend implements: revisions, conditional
//! writes, multi-key transactions, leases and watches, with etcd v3's
//! semantics.
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>))]
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

/// A comparison a transaction makes before it writes (etcd's `Compare`).
/// A key that does not exist has revision 0 in every comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Compare {
    /// The key does not exist.
    Absent {
        /// The key.
        key: String,
    },
    /// The key's last change was at `revision`.
    ModRevision {
        /// The key.
        key: String,
        /// Its expected last change.
        revision: u64,
    },
    /// The key was created at `revision` and not deleted since: a leader key
    /// still holds the term it was won with.
    CreateRevision {
        /// The key.
        key: String,
        /// Its expected creation.
        revision: u64,
    },
}

impl Compare {
    /// The key compared.
    pub fn key(&self) -> &str {
        match self {
            Compare::Absent { key }
            | Compare::ModRevision { key, .. }
            | Compare::CreateRevision { key, .. } => key,
        }
    }
}

/// A write in a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TxnOp {
    /// Sets a key, on a lease if given.
    Put {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// The lease to attach it to.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>))]
        lease: Option<LeaseId>,
    },
    /// Deletes a key (nothing happens if it does not exist).
    Delete {
        /// The key.
        key: String,
    },
}

impl TxnOp {
    /// The key written.
    pub fn key(&self) -> &str {
        match self {
            TxnOp::Put { key, .. } | TxnOp::Delete { key } => key,
        }
    }
}

/// What a transaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TxnOutcome {
    /// Every comparison held and every write was made; otherwise none was.
    pub succeeded: bool,
    /// The store's revision after the transaction (that of its writes, when
    /// it made any).
    pub revision: u64,
}

/// Refuses a transaction that writes one key twice, as etcd does.
pub(crate) fn check_ops(ops: &[TxnOp]) -> Result<()> {
    let mut keys = std::collections::BTreeSet::new();
    for op in ops {
        if !keys.insert(op.key()) {
            return Err(crate::RegistryError::Invalid {
                what: "transaction".into(),
                reason: format!("{} is written twice", op.key()),
            });
        }
    }
    Ok(())
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// Created or changed.
    Put,
    /// Deleted (by a call, or because its lease ended).
    Delete,
}

/// A change, as watches deliver it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// Makes every write in `ops` if every comparison in `compares` holds,
    /// all or nothing, at one revision (etcd's `Txn`). A comparison that
    /// fails is not an error: the outcome says nothing was written.
    ///
    /// # Errors
    /// [`crate::RegistryError::Invalid`] when two ops write one key,
    /// [`crate::RegistryError::LeaseNotFound`] for a put on a lease that
    /// does not exist (then nothing is written), backend failures.
    async fn txn(&self, compares: &[Compare], ops: &[TxnOp]) -> Result<TxnOutcome>;

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
