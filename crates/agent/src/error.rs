//! Errors.

use thiserror::Error;

/// What can go wrong running units.
#[derive(Debug, Error)]
pub enum AgentError {
    /// The unit cannot be run as written (unsupported directive, bad user…).
    #[error("{unit}: {message}")]
    Unit {
        /// The unit.
        unit: String,
        /// What is wrong.
        message: String,
    },
    /// File or process I/O.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

impl AgentError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| AgentError::Io { what, source }
    }
}
