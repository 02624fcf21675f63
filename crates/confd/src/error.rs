//! Errors, each naming what it is about: the file and position, the
//! command and what it printed, the key.

use std::path::PathBuf;

use thiserror::Error;

/// What kind of failure, for callers that act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A flag, `confd.toml` or template resource is wrong.
    Config,
    /// A template did not parse or render (a missing key is one).
    Template,
    /// `check_cmd` refused the staged file; the destination is untouched.
    Check,
    /// `reload_cmd` failed; the previous file was put back.
    Reload,
    /// The key store failed.
    Backend,
    /// Reading or writing a file failed.
    Io,
}

/// A confd failure.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ConfdError {
    /// Configuration: a flag, `confd.toml`, or a template resource file.
    #[error("{}{message}", file.as_ref().map(|f| format!("{}: ", f.display())).unwrap_or_default())]
    Config {
        /// The file, when the problem is in one.
        file: Option<PathBuf>,
        /// What is wrong, with line and column when known.
        message: String,
    },
    /// A template failed to parse or execute; the text is Go's, naming the
    /// template file, line and column.
    #[error("{resource}: {source}")]
    Template {
        /// The template resource (`conf.d/….toml`).
        resource: PathBuf,
        /// The template engine's error.
        #[source]
        source: flotta_gotemplate::Error,
    },
    /// The template file is missing.
    #[error("{resource}: missing template {src}")]
    MissingTemplate {
        /// The template resource.
        resource: PathBuf,
        /// The template it names.
        src: PathBuf,
    },
    /// `check_cmd` refused the staged file; the destination is untouched.
    #[error(
        "{dest}: config check `{command}` failed ({status}); kept the last good config{}",
        output_suffix(output)
    )]
    Check {
        /// The file that was not replaced.
        dest: PathBuf,
        /// The check, as run.
        command: String,
        /// Exit status.
        status: String,
        /// What it printed.
        output: String,
    },
    /// `reload_cmd` failed; the previous file was put back.
    #[error(
        "{dest}: reload `{command}` failed ({status}); restored the previous config{}",
        output_suffix(output)
    )]
    Reload {
        /// The file.
        dest: PathBuf,
        /// The reload command.
        command: String,
        /// Exit status.
        status: String,
        /// What it printed.
        output: String,
    },
    /// The key store failed.
    #[error(transparent)]
    Backend(#[from] flotta_registry::RegistryError),
    /// File I/O.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

fn output_suffix(output: &str) -> String {
    if output.is_empty() {
        String::new()
    } else {
        format!(":\n{output}")
    }
}

impl ConfdError {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ConfdError::Config { .. } => ErrorKind::Config,
            ConfdError::Template { .. } | ConfdError::MissingTemplate { .. } => ErrorKind::Template,
            ConfdError::Check { .. } => ErrorKind::Check,
            ConfdError::Reload { .. } => ErrorKind::Reload,
            ConfdError::Backend(_) => ErrorKind::Backend,
            ConfdError::Io { .. } => ErrorKind::Io,
        }
    }

    pub(crate) fn config(file: Option<&std::path::Path>, message: impl Into<String>) -> Self {
        ConfdError::Config {
            file: file.map(ToOwned::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| ConfdError::Io { what, source }
    }
}
