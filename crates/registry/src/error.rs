//! What can go wrong talking to the registry.

use thiserror::Error;

/// A registry operation that failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A conditional write lost: the key was not at the expected revision.
    #[error("{key}: expected revision {expected}, found {actual}")]
    Conflict {
        /// The key.
        key: String,
        /// The revision the caller expected (0 = must not exist).
        expected: u64,
        /// The revision it has (0 = does not exist).
        actual: u64,
    },
    /// A leader's write refused because the election's key is no longer the
    /// one it won: another engine leads now (or nobody does), so this one
    /// must stop writing.
    #[error(
        "{key}: fenced: the leader key is no longer term {term} (its creation is at revision {current}, 0 = no leader)"
    )]
    Fenced {
        /// The election's leader key.
        key: String,
        /// The term the writer held (the key's create revision when it won).
        term: u64,
        /// The key's create revision now (0 = no leader).
        current: u64,
    },
    /// History from the requested revision is gone; re-list and watch from now.
    #[error(
        "revision {requested} is compacted; the oldest available is {oldest}: re-list, then watch from the list's revision"
    )]
    Compacted {
        /// The revision asked for.
        requested: u64,
        /// The oldest revision still available.
        oldest: u64,
    },
    /// The lease does not exist (expired or revoked).
    #[error("lease {0} not found (expired or revoked)")]
    LeaseNotFound(u64),
    /// A stored value that does not decode.
    #[error("{key}: bad stored value: {reason}")]
    BadData {
        /// The key.
        key: String,
        /// Why it does not decode.
        reason: String,
    },
    /// A value the caller gave that cannot be stored.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was invalid.
        what: String,
        /// Why.
        reason: String,
    },
    /// The backend failed (connection, timeout, ...).
    #[error("registry backend: {0}")]
    Backend(String),
}

/// Registry results.
pub type Result<T, E = RegistryError> = std::result::Result<T, E>;
