//! Errors.

use std::path::PathBuf;

use thiserror::Error;

/// What can go wrong keeping a balancer right.
#[derive(Debug, Error)]
pub enum BalancerError {
    /// The registry failed.
    #[error(transparent)]
    Registry(#[from] flotta_registry::RegistryError),
    /// A template did not parse or render.
    #[error("template {name}: {message}")]
    Template {
        /// The template.
        name: String,
        /// minijinja's message, with the line.
        message: String,
    },
    /// The balancer's own check refused the rendered config; the last good
    /// config stays in place.
    #[error("{dest}: check `{command}` failed ({status}); kept the last good config:\n{output}")]
    Check {
        /// The config file that was not replaced.
        dest: PathBuf,
        /// The check command.
        command: String,
        /// Exit status.
        status: String,
        /// What the balancer printed.
        output: String,
    },
    /// The reload failed; the previous config was restored.
    #[error(
        "{dest}: reload `{command}` failed ({status}); restored the previous config:\n{output}"
    )]
    Reload {
        /// The config file.
        dest: PathBuf,
        /// The reload command.
        command: String,
        /// Exit status.
        status: String,
        /// What it printed.
        output: String,
    },
    /// A backend whose ID, address or port could break a config file.
    #[error("backend {id:?}: bad {field}: {message}")]
    InvalidBackend {
        /// The backend's ID as given.
        id: String,
        /// `id`, `address` or `port`.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A configuration file is wrong.
    #[error("{file}: {message}")]
    Config {
        /// The file.
        file: PathBuf,
        /// What is wrong, with line and column when known.
        message: String,
    },
    /// The HAProxy runtime API refused a command or ran out of slots.
    #[error("haproxy runtime API: {0}")]
    Runtime(String),
    /// File or socket I/O.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

impl BalancerError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| BalancerError::Io { what, source }
    }
}
