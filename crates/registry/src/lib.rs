//! The cluster's state behind one async trait.
//!
//! Everything flotta's machines agree on — units and their target states,
//! machines (present while their agent's lease lives), assignments written
//! with compare-and-swap, unit states, service endpoints tied to leases, raw
//! keys for etcdctl-style setups, and leader election — is read and written
//! through [`Registry`], over any [`KvBackend`]: the embedded
//! [`MemoryBackend`] or etcd.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use flotta_registry::{MemoryBackend, Registry, model::Machine};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let registry = Registry::new(MemoryBackend::default());
//! let machine = Machine { id: "4468cdab2f3a4c6e9f1b7a0d5e8c2b91".into(), ..Machine::default() };
//! let lease = registry.register_machine(&machine, Duration::from_secs(30)).await.unwrap();
//!
//! // Two engines race to place a unit: exactly one wins.
//! assert!(registry.assign("web@1.service", &machine.id).await.is_ok());
//! assert!(registry.assign("web@1.service", "another").await.is_err());
//!
//! // The machine is gone when its lease is.
//! registry.revoke(lease).await.unwrap();
//! assert!(registry.machines().await.unwrap().items.is_empty());
//! # });
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod error;
pub mod etcd;
pub mod kv;
pub mod memory;
pub mod model;
pub mod registry;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use error::{RegistryError, Result};
pub use etcd::{EtcdBackend, EtcdOptions, TlsFiles};
pub use kv::{Compare, Condition, KvBackend, LeaseId, TxnOp, TxnOutcome};
pub use memory::{ManualClock, MemoryBackend, MemoryOptions, SystemClock};
pub use registry::{Change, Fence, Listing, Registry};
