//! Errors, worded as Go words them and located where Go locates them.

use thiserror::Error;

/// Which stage failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not a valid template (syntax, an undefined function or
    /// variable, `break` outside `range`).
    Parse,
    /// Executing failed: a wrong argument type, a missing field, a function
    /// returning an error, a missing template.
    Exec,
}

/// A template error. Its text is Go's:
/// `template: NAME:LINE:COL: executing "NAME" at <.X>: MESSAGE` for
/// execution, `template: NAME:LINE:COL: MESSAGE` for parsing (Go names only
/// the line there; the column, counted the same way, is added).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{}", .0.text)]
pub struct Error(Box<Inner>);

/// Boxed, so a `Result<_, Error>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    template: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    text: String,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, text: String) -> Self {
        Error(Box::new(Inner {
            kind,
            template: None,
            line: None,
            column: None,
            message: text.clone(),
            text,
        }))
    }

    pub(crate) fn located(
        kind: ErrorKind,
        template: &str,
        line: usize,
        column: usize,
        text: String,
        message: String,
    ) -> Self {
        Error(Box::new(Inner {
            kind,
            template: Some(template.to_owned()),
            line: Some(line),
            column: Some(column),
            text,
            message,
        }))
    }

    /// Parse or execution.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The template (file) name the position refers to.
    pub fn template(&self) -> Option<&str> {
        self.0.template.as_deref()
    }

    /// 1-based line.
    pub fn line(&self) -> Option<usize> {
        self.0.line
    }

    /// 0-based byte column on that line, as Go counts it.
    pub fn column(&self) -> Option<usize> {
        self.0.column
    }

    /// The message without the `template: NAME:LINE:COL:` location.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}
