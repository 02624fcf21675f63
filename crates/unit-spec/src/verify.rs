//! `verify`: every problem in a unit file, as diagnostics with line and column.
//!
//! Errors are what flotta refuses to run (syntax, a value that does not parse,
//! an unknown specifier, an `[X-Fleet]` combination fleet refused); warnings
//! are what it accepts but ignores (unknown keys and sections, `[Install]`,
//! systemd keys its agent does not act on such as `BindsTo=` or
//! `LimitNOFILE=`, malformed metadata requirements).
//!
//! ```
//! use flotta_unit_spec::verify::{verify_text, Severity};
//!
//! let diags = verify_text(Some("bad.service"), "[Service]\nExecStart=/bin/echo %z\nFrobnicate=yes\n");
//! assert_eq!(diags[0].severity, Severity::Error);
//! assert_eq!((diags[0].line, diags[0].column), (2, 21));
//! assert_eq!(diags[1].severity, Severity::Warning);
//! assert!(diags[1].message.contains("Frobnicate"));
//! ```

use std::fmt;

use serde::Serialize;

use crate::fleet::{self, FleetOptions};
use crate::flotta_options::{self, FlottaOptions};
use crate::name::UnitName;
use crate::service::{SERVICE_KEYS, ServiceConfig, UNIT_KEYS, UnitSection};
use crate::specifier::SpecifierContext;
use crate::syntax::{ParseError, UnitFile};

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// flotta refuses the unit.
    Error,
    /// flotta accepts the unit but ignores this.
    Warning,
}

/// One finding, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// 1-based line (0 when it concerns the whole file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The section, when it concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The key, when it concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "line {}, column {}: {severity}: {}",
            self.line, self.column, self.message
        )
    }
}

impl From<ParseError> for Diagnostic {
    fn from(e: ParseError) -> Self {
        Diagnostic {
            severity: Severity::Error,
            line: e.line,
            column: e.column,
            section: None,
            key: None,
            message: e.kind.to_string(),
        }
    }
}

/// Keys of `[Unit]` and `[Service]` systemd acts on and flotta's agent does
/// not, with what happens instead; each gets a warning that names it.
const NOT_ACTED_ON: &[(&str, &str)] = &[
    (
        "Conflicts",
        "units are not stopped for each other; [X-Fleet] Conflicts= keeps them apart",
    ),
    ("BindsTo", "the unit is not stopped with the units it names"),
    (
        "PartOf",
        "the unit is not stopped or restarted with the units it names",
    ),
    (
        "Requisite",
        "the unit starts whether the units it names run or not",
    ),
    (
        "ConditionPathExists",
        "the unit starts whether the path exists or not",
    ),
    (
        "AssertPathExists",
        "the unit starts whether the path exists or not",
    ),
    (
        "NotifyAccess",
        "READY=1 is accepted from any process that reaches the socket",
    ),
    ("Slice", "the unit runs in the agent's cgroup"),
    ("StandardOutput", "output goes to the unit's journal"),
    ("StandardError", "output goes to the unit's journal"),
    ("SyslogIdentifier", "the journal is the unit's"),
    ("LimitNOFILE", "the unit inherits the agent's limit"),
    ("Nice", "the unit inherits the agent's priority"),
];

/// Checks a parsed unit; `name` (from the file name) gives specifiers their values.
pub fn verify(unit: &UnitFile, name: Option<&UnitName>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let fallback;
    let name = match name {
        Some(n) => n,
        None => match UnitName::parse("unit.service") {
            Ok(n) => {
                fallback = n;
                &fallback
            }
            Err(_) => return out,
        },
    };
    let ctx = placeholder_context(name);

    for e in unit.entries() {
        let known: Option<&[&str]> = match e.section {
            "Unit" => Some(UNIT_KEYS),
            "Service" => Some(SERVICE_KEYS),
            "X-Flotta" => Some(flotta_options::KNOWN_KEYS),
            _ => None,
        };
        let Some(known) = known else { continue };
        if known.contains(&e.key) {
            continue;
        }
        let not_acted_on = NOT_ACTED_ON
            .iter()
            .find(|(key, _)| *key == e.key)
            .filter(|_| matches!(e.section, "Unit" | "Service"));
        let message = match not_acted_on {
            Some((key, instead)) => format!(
                "{key}= in [{}] is not acted on by flotta's agent: {instead}",
                e.section
            ),
            None => format!(
                "unknown key {:?} in [{}]; flotta ignores it",
                e.key, e.section
            ),
        };
        out.push(warning(
            e.line,
            e.column,
            Some(e.section),
            Some(e.key),
            message,
        ));
    }
    let mut seen = Vec::new();
    for section in unit.section_names() {
        if seen.contains(&section) {
            continue;
        }
        seen.push(section);
        let line = unit.section_line(section).unwrap_or(0);
        let message = match section {
            "Unit" | "Service" | fleet::SECTION | flotta_options::SECTION => continue,
            "Install" => {
                "[Install] is ignored: flotta starts units by their target state".to_owned()
            }
            s if s.starts_with("X-") => continue,
            s => format!("section [{s}] is not used by flotta's agent; it is kept but ignored"),
        };
        out.push(warning(line, 1, Some(section), None, message));
    }

    if let Err(e) = UnitSection::from_unit(unit, &ctx) {
        out.push(typed_error(e));
    }
    if let Err(e) = ServiceConfig::from_unit(unit, &ctx) {
        out.push(typed_error(e));
    }
    match FleetOptions::from_unit(unit, Some(name)) {
        Ok(f) => out.extend(f.warnings.into_iter().map(|w| {
            warning(
                w.line,
                w.column,
                Some(fleet::SECTION),
                Some(&w.key),
                w.message,
            )
        })),
        Err(e) => out.push(Diagnostic {
            severity: Severity::Error,
            line: e.line.unwrap_or(0),
            column: 1,
            section: Some(fleet::SECTION.to_owned()),
            key: None,
            message: e.kind.to_string(),
        }),
    }
    // A template's `%i` is unknown until it is instantiated (`Port=%i`):
    // check it as instance `1`, which is a valid value of every key.
    let example = match name.kind() {
        crate::name::UnitKind::Template => name.instantiate("1").ok(),
        _ => None,
    };
    if let Err(e) = FlottaOptions::from_unit(unit, Some(example.as_ref().unwrap_or(name))) {
        out.push(Diagnostic {
            severity: Severity::Error,
            line: e.line,
            column: e.column,
            section: Some(flotta_options::SECTION.to_owned()),
            key: Some(e.key.clone()),
            message: format!("{}={:?}: {}", e.key, e.value, e.message),
        });
    }
    out.sort_by_key(|d| (d.line, d.column, d.severity));
    out
}

/// Parses and checks `text`; a syntax error is the only diagnostic then.
///
/// `file_name`, when it is a valid unit name, gives specifiers their values.
pub fn verify_text(file_name: Option<&str>, text: &str) -> Vec<Diagnostic> {
    match UnitFile::parse(text) {
        Ok(unit) => {
            let name = file_name.and_then(|n| UnitName::parse(n).ok());
            verify(&unit, name.as_ref())
        }
        Err(e) => vec![e.into()],
    }
}

/// Every host fact set to a stand-in, so verification checks specifiers are
/// known without needing this host's values.
fn placeholder_context(name: &UnitName) -> SpecifierContext {
    const ID: &str = "00000000000000000000000000000000";
    SpecifierContext::for_unit(name)
        .machine_id(ID)
        .boot_id(ID)
        .hostname("localhost")
        .pretty_hostname("localhost")
        .os_id("linux")
        .os_version_id("1")
        .os_build_id("1")
        .os_variant_id("1")
        .os_image_id("1")
        .os_image_version("1")
        .kernel_release("6.0.0")
        .architecture("x86-64")
        .user_name("root")
        .uid(0)
        .group_name("root")
        .gid(0)
        .home("/root")
        .shell("/bin/sh")
        .runtime_dir("/run")
        .state_dir("/var/lib")
        .cache_dir("/var/cache")
        .logs_dir("/var/log")
        .config_dir("/etc")
        .tmp_dir("/tmp")
        .var_tmp_dir("/var/tmp")
        .credentials_dir("/run/credentials")
        .fragment_path("/etc/flotta/units/unit.service")
}

fn typed_error(e: crate::service::TypedError) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        line: e.line,
        column: e.column,
        section: Some(e.section.clone()),
        key: Some(e.key.clone()),
        message: format!("[{}] {}: {}", e.section, e.key, e.message),
    }
}

fn warning(
    line: usize,
    column: usize,
    section: Option<&str>,
    key: Option<&str>,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        line,
        column,
        section: section.map(str::to_owned),
        key: key.map(str::to_owned),
        message,
    }
}
