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
    /// A unit name that is not one; it is never joined into a file path.
    #[error(transparent)]
    UnitName(#[from] flotta_unit_spec::NameError),
    /// The registry refused or failed.
    #[error("{what}: {source}")]
    Registry {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: flotta_registry::RegistryError,
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

/// `unit`, if it is a valid unit name (systemd's rules): the only names
/// joined into the journal, unit-file and record paths, so `/`, `..`, NUL
/// and newlines never are.
///
/// # Errors
/// [`AgentError::UnitName`] saying what is wrong with the name.
pub fn check_unit_name(unit: &str) -> Result<&str, AgentError> {
    flotta_unit_spec::UnitName::parse(unit)?;
    Ok(unit)
}

impl AgentError {
    pub(crate) fn registry(
        what: impl Into<String>,
    ) -> impl FnOnce(flotta_registry::RegistryError) -> Self {
        let what = what.into();
        move |source| AgentError::Registry { what, source }
    }

    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| AgentError::Io { what, source }
    }
}
