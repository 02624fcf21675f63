//! The native half of the `flotta` Python package (`flotta._native`).
//!
//! The Python package (`python/flotta/`) is the public face: dataclasses,
//! exceptions, iterators and docstrings live there. This module does the
//! work in Rust and hands plain values (strings, tuples, dicts, JSON) across,
//! so the Python layer stays readable and the Rust layer stays small:
//!
//! - [`unit`]: unit files, names, escaping and specifiers (`flotta-unit-spec`);
//! - [`scheduler`]: cluster models, `plan()` and placement plugins written as
//!   Python callables or WebAssembly components (`flotta-scheduler`);
//! - [`client`]: a blocking client over `flotta-registry` (memory or etcd).
//!
//! Two rules hold everywhere: work that can block or run long releases the
//! GIL, and a Rust panic is caught at the boundary and raised as
//! `flotta.errors.InternalError` instead of unwinding into Python.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyDict;

pub mod client;
pub mod scheduler;
pub mod unit;

/// Builds an exception of class `class` from `flotta.errors`, with keyword
/// attributes (`line`, `column`, ...), falling back to `RuntimeError` if the
/// Python package is somehow not importable.
pub(crate) fn error(
    py: Python<'_>,
    class: &str,
    message: impl Into<String>,
    attrs: &[(&str, Py<PyAny>)],
) -> PyErr {
    let message = message.into();
    let built = (|| -> PyResult<PyErr> {
        let cls = py.import("flotta.errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        for (k, v) in attrs {
            kwargs.set_item(k, v.bind(py))?;
        }
        let value = cls.call((message.clone(),), Some(&kwargs))?;
        Ok(PyErr::from_value(value))
    })();
    built.unwrap_or_else(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("{message} (and flotta.errors: {e})"))
    })
}

/// Shorthand for one attribute value.
pub(crate) fn attr<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> Py<PyAny> {
    value.into_py_any(py).unwrap_or_else(|_| py.None())
}

/// Runs `f`, turning a panic into `flotta.errors.InternalError`.
pub(crate) fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(error(
                py,
                "InternalError",
                format!("flotta bug (a Rust panic, caught): {what}"),
                &[],
            ))
        }
    }
}

/// Serialises for the Python side, which `json.loads` it into dataclasses.
pub(crate) fn to_json<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| error(py, "InternalError", e.to_string(), &[]))
}

/// Raises a panic on purpose, so tests can check it becomes an exception.
#[pyfunction]
#[allow(clippy::panic)]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guarded(py, || panic!("deliberate panic for the tests"))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    unit::register(m)?;
    scheduler::register(m)?;
    client::register(m)?;
    Ok(())
}
