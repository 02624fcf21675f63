//! Unit files, names, escaping and specifiers for `flotta.unit`.

use flotta_unit_spec::escape;
use flotta_unit_spec::fleet::FleetOptions;
use flotta_unit_spec::flotta_options::FlottaOptions;
use flotta_unit_spec::name::UnitName;
use flotta_unit_spec::options::UnitOption;
use flotta_unit_spec::service::ServiceConfig;
use flotta_unit_spec::specifier::{self, SpecifierContext};
use flotta_unit_spec::syntax::{ParseError, UnitFile};
use flotta_unit_spec::timespan::TimeSpan;
use flotta_unit_spec::verify;
use pyo3::prelude::*;
use serde_json::json;

use crate::{attr, error, guarded, to_json};

/// `flotta.errors.UnitError` for a parse error, with line, column and file.
fn parse_error(py: Python<'_>, e: &ParseError) -> PyErr {
    let file = e.file.as_ref().map(|p| p.display().to_string());
    error(
        py,
        "UnitError",
        e.to_string(),
        &[
            ("line", attr(py, e.line)),
            ("column", attr(py, e.column)),
            ("file", attr(py, file)),
        ],
    )
}

/// `flotta.errors.UnitError` for a value error with a known place.
fn value_error(
    py: Python<'_>,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<&str>,
) -> PyErr {
    error(
        py,
        "UnitError",
        message,
        &[
            ("line", attr(py, line)),
            ("column", attr(py, column)),
            ("key", attr(py, key)),
        ],
    )
}

/// `flotta.errors.UnitNameError`.
fn name_error(py: Python<'_>, input: &str, message: String) -> PyErr {
    error(py, "UnitNameError", message, &[("name", attr(py, input))])
}

pub(crate) fn parse_name(py: Python<'_>, s: &str) -> PyResult<UnitName> {
    UnitName::parse(s).map_err(|e| name_error(py, s, e.to_string()))
}

fn optional_name(py: Python<'_>, name: Option<&str>) -> PyResult<Option<UnitName>> {
    name.map(|n| parse_name(py, n)).transpose()
}

/// A parsed unit file (lossless).
#[pyclass(frozen, module = "flotta._native")]
pub struct NativeUnitFile {
    pub(crate) file: UnitFile,
}

#[pymethods]
impl NativeUnitFile {
    /// The text, byte for byte as parsed.
    fn text(&self) -> &str {
        self.file.as_str()
    }

    /// `(section, key, value, line, column)` for every assignment, in order.
    fn entries(&self) -> Vec<(String, String, String, usize, usize)> {
        self.file
            .entries()
            .map(|e| {
                (
                    e.section.to_owned(),
                    e.key.to_owned(),
                    e.value.to_owned(),
                    e.line,
                    e.column,
                )
            })
            .collect()
    }

    /// Section names in order of first appearance.
    fn sections(&self) -> Vec<String> {
        self.file.section_names().map(str::to_owned).collect()
    }

    /// fleet's JSON option list.
    fn options_json(&self, py: Python<'_>) -> PyResult<String> {
        to_json(py, &self.file)
    }

    /// `(section, name, value)` triples, fleet's option list.
    fn options(&self) -> Vec<(String, String, String)> {
        self.file
            .to_options()
            .into_iter()
            .map(|o| (o.section, o.name, o.value))
            .collect()
    }

    /// fleet's content hash (hex SHA-1).
    fn hash(&self) -> String {
        self.file.hash().to_string()
    }

    /// Every diagnostic: `(severity, line, column, section, key, message)`.
    #[pyo3(signature = (name=None))]
    #[allow(clippy::type_complexity)]
    fn verify(
        &self,
        py: Python<'_>,
        name: Option<&str>,
    ) -> PyResult<Vec<(String, usize, usize, Option<String>, Option<String>, String)>> {
        let name = optional_name(py, name)?;
        Ok(verify::verify(&self.file, name.as_ref())
            .into_iter()
            .map(|d| {
                let severity = serde_json::to_value(d.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| format!("{:?}", d.severity).to_lowercase());
                (severity, d.line, d.column, d.section, d.key, d.message)
            })
            .collect())
    }

    /// `[X-Fleet]` as JSON (specifiers expanded for `name`), plus warnings.
    #[pyo3(signature = (name=None))]
    fn fleet(&self, py: Python<'_>, name: Option<&str>) -> PyResult<String> {
        let name = optional_name(py, name)?;
        let options = FleetOptions::from_unit(&self.file, name.as_ref())
            .map_err(|e| value_error(py, format!("[X-Fleet]: {e}"), e.line, None, None))?;
        let warnings: Vec<_> = options
            .warnings
            .iter()
            .map(
                |w| json!({"key": w.key, "line": w.line, "column": w.column, "message": w.message}),
            )
            .collect();
        let mut value = serde_json::to_value(&options)
            .map_err(|e| error(py, "InternalError", e.to_string(), &[]))?;
        if let Some(map) = value.as_object_mut() {
            map.insert("warnings".into(), warnings.into());
        }
        to_json(py, &value)
    }

    /// `[X-Flotta]` as JSON (specifiers expanded for `name`).
    #[pyo3(signature = (name=None))]
    fn flotta(&self, py: Python<'_>, name: Option<&str>) -> PyResult<String> {
        let name = optional_name(py, name)?;
        let options = FlottaOptions::from_unit(&self.file, name.as_ref()).map_err(|e| {
            value_error(
                py,
                e.to_string(),
                Some(e.line),
                Some(e.column),
                Some(&e.key),
            )
        })?;
        to_json(py, &options)
    }

    /// `[Service]` as JSON, specifiers expanded for `name` on `hostname`.
    #[pyo3(signature = (name, hostname=None))]
    fn service(&self, py: Python<'_>, name: &str, hostname: Option<&str>) -> PyResult<String> {
        let name = parse_name(py, name)?;
        let mut ctx = SpecifierContext::for_unit(&name);
        if let Some(h) = hostname {
            ctx = ctx.hostname(h);
        }
        let s = ServiceConfig::from_unit(&self.file, &ctx).map_err(|e| {
            value_error(
                py,
                e.to_string(),
                Some(e.line),
                Some(e.column),
                Some(&e.key),
            )
        })?;
        let commands = |list: &[flotta_unit_spec::ExecCommand]| -> Vec<serde_json::Value> {
            list.iter()
                .map(|c| json!({"path": c.path, "argv": c.argv, "line": c.to_string()}))
                .collect()
        };
        let span = |t: TimeSpan| t.duration().map(|d| d.as_secs_f64());
        let value = json!({
            "type": s.service_type,
            "exec_start_pre": commands(&s.exec_start_pre),
            "exec_start": commands(&s.exec_start),
            "exec_start_post": commands(&s.exec_start_post),
            "exec_reload": commands(&s.exec_reload),
            "exec_stop": commands(&s.exec_stop),
            "exec_stop_post": commands(&s.exec_stop_post),
            "environment": s.environment,
            "environment_files": s.environment_files,
            "working_directory": s.working_directory,
            "user": s.user,
            "group": s.group,
            "restart": s.restart,
            "restart_sec": s.restart_sec.as_secs_f64(),
            "timeout_start_sec": span(s.timeout_start),
            "timeout_stop_sec": span(s.timeout_stop),
            "kill_mode": s.kill_mode,
            "kill_signal": s.kill_signal.name,
        });
        to_json(py, &value)
    }

    /// The value of the last `key=` in `section`, if any.
    fn value(&self, section: &str, key: &str) -> Option<String> {
        self.file.value(section, key).map(str::to_owned)
    }

    /// Every value of `key` in `section` (an empty assignment resets).
    fn values(&self, section: &str, key: &str) -> Vec<String> {
        self.file
            .values(section, key)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

/// Parses unit text, naming `file` in errors.
pub(crate) fn unit_parse_inner(py: Python<'_>, text: &str, file: &str) -> PyResult<UnitFile> {
    UnitFile::parse(text).map_err(|e| parse_error(py, &e.with_file(file)))
}

/// Parses unit file text; `file` names it in errors.
#[pyfunction]
#[pyo3(signature = (text, file=None))]
fn unit_parse(py: Python<'_>, text: &str, file: Option<&str>) -> PyResult<NativeUnitFile> {
    guarded(py, || {
        UnitFile::parse(text)
            .map(|file| NativeUnitFile { file })
            .map_err(|e| match file {
                Some(f) => parse_error(py, &e.with_file(f)),
                None => parse_error(py, &e),
            })
    })
}

/// Builds a unit file from `(section, name, value)` triples (fleet's option list).
#[pyfunction]
fn unit_from_options(
    py: Python<'_>,
    options: Vec<(String, String, String)>,
) -> PyResult<NativeUnitFile> {
    guarded(py, || {
        let options: Vec<UnitOption> = options
            .into_iter()
            .map(|(s, n, v)| UnitOption::new(s, n, v))
            .collect();
        UnitFile::from_options(&options)
            .map(|file| NativeUnitFile { file })
            .map_err(|e| parse_error(py, &e))
    })
}

/// Builds a unit file from fleet's JSON option list.
#[pyfunction]
fn unit_from_json(py: Python<'_>, text: &str) -> PyResult<NativeUnitFile> {
    guarded(py, || {
        serde_json::from_str::<UnitFile>(text)
            .map(|file| NativeUnitFile { file })
            .map_err(|e| {
                value_error(
                    py,
                    format!("fleet option list: {e}"),
                    Some(e.line()),
                    Some(e.column()),
                    None,
                )
            })
    })
}

/// `(name, prefix, instance, type, kind)` of a unit name.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn name_parse(
    py: Python<'_>,
    name: &str,
) -> PyResult<(String, String, Option<String>, String, String)> {
    let n = parse_name(py, name)?;
    let kind = match n.kind() {
        flotta_unit_spec::UnitKind::Plain => "plain",
        flotta_unit_spec::UnitKind::Template => "template",
        flotta_unit_spec::UnitKind::Instance => "instance",
    };
    Ok((
        n.as_str().to_owned(),
        n.prefix().to_owned(),
        n.instance().map(str::to_owned),
        n.unit_type().as_str().to_owned(),
        kind.to_owned(),
    ))
}

/// The template of an instance name, if it is one.
#[pyfunction]
fn name_template(py: Python<'_>, name: &str) -> PyResult<Option<String>> {
    Ok(parse_name(py, name)?.template().map(|t| t.to_string()))
}

/// The instance `instance` of template `name`.
#[pyfunction]
fn name_instantiate(py: Python<'_>, name: &str, instance: &str) -> PyResult<String> {
    parse_name(py, name)?
        .instantiate(instance)
        .map(|n| n.to_string())
        .map_err(|e| name_error(py, name, e.to_string()))
}

/// The fleet-level check of a name (fleet refuses some systemd names).
#[pyfunction]
fn name_validate_fleet(py: Python<'_>, name: &str) -> PyResult<()> {
    parse_name(py, name)?
        .validate_fleet()
        .map_err(|e| name_error(py, name, e.to_string()))
}

fn escape_error(py: Python<'_>, e: &flotta_unit_spec::EscapeError) -> PyErr {
    error(
        py,
        "EscapeError",
        e.to_string(),
        &[("input", attr(py, &e.input))],
    )
}

/// `systemd-escape` (with `path=True`: `--path`).
#[pyfunction]
#[pyo3(signature = (text, path=false))]
fn unit_escape(py: Python<'_>, text: &str, path: bool) -> PyResult<String> {
    if path {
        escape::escape_path(text).map_err(|e| escape_error(py, &e))
    } else {
        Ok(escape::escape(text))
    }
}

/// `systemd-escape --unescape` (with `path=True`: `--path`).
#[pyfunction]
#[pyo3(signature = (text, path=false))]
fn unit_unescape(py: Python<'_>, text: &str, path: bool) -> PyResult<String> {
    let out = if path {
        escape::unescape_path(text)
    } else {
        escape::unescape(text)
    };
    out.map_err(|e| escape_error(py, &e))
}

/// `systemd-escape --mangle`.
#[pyfunction]
fn unit_mangle(py: Python<'_>, text: &str) -> PyResult<String> {
    escape::mangle(text).map_err(|e| escape_error(py, &e))
}

/// Expands specifiers in `text` for unit `name`.
///
/// `fleet=True` expands only what fleet expands (`%n %N %p %i`) and leaves
/// the rest; otherwise systemd's full set, with host facts given or refused.
#[pyfunction]
#[pyo3(signature = (text, name, hostname=None, machine_id=None, fleet=false))]
fn unit_expand(
    py: Python<'_>,
    text: &str,
    name: &str,
    hostname: Option<&str>,
    machine_id: Option<&str>,
    fleet: bool,
) -> PyResult<String> {
    let name = parse_name(py, name)?;
    if fleet {
        return Ok(specifier::expand_fleet(text, &name));
    }
    let mut ctx = SpecifierContext::for_unit(&name);
    if let Some(h) = hostname {
        ctx = ctx.hostname(h);
    }
    if let Some(m) = machine_id {
        ctx = ctx.machine_id(m);
    }
    specifier::expand(text, &ctx).map_err(|e| {
        error(
            py,
            "SpecifierError",
            e.to_string(),
            &[("column", attr(py, e.column)), ("text", attr(py, &e.input))],
        )
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeUnitFile>()?;
    m.add_function(wrap_pyfunction!(unit_parse, m)?)?;
    m.add_function(wrap_pyfunction!(unit_from_options, m)?)?;
    m.add_function(wrap_pyfunction!(unit_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(name_parse, m)?)?;
    m.add_function(wrap_pyfunction!(name_template, m)?)?;
    m.add_function(wrap_pyfunction!(name_instantiate, m)?)?;
    m.add_function(wrap_pyfunction!(name_validate_fleet, m)?)?;
    m.add_function(wrap_pyfunction!(unit_escape, m)?)?;
    m.add_function(wrap_pyfunction!(unit_unescape, m)?)?;
    m.add_function(wrap_pyfunction!(unit_mangle, m)?)?;
    m.add_function(wrap_pyfunction!(unit_expand, m)?)?;
    Ok(())
}
