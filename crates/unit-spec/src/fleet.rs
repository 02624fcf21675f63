//! Typed `[X-Fleet]`: where a unit may run, read exactly as fleet read it.
//!
//! The rules are fleet's (coreos/fleet's `job/job.go` and `unit` package):
//!
//! - Keys: `MachineID`, `MachineOf`, `MachineMetadata`, `Conflicts`, `Global`,
//!   `Replaces` and the legacy `X-ConditionMachineID`, `X-ConditionMachineBootID`,
//!   `X-ConditionMachineOf`, `X-ConditionMachineMetadata`, `X-Conflicts`. Any other
//!   key is reported as a warning (`unrecognized requirement in [X-Fleet] section`).
//! - A value that starts *and* ends with `"` holds several values separated by
//!   spaces outside quotes (`MachineMetadata="region=us-east-1" "disk=ssd"`);
//!   any other value is one value. Repeated keys add values.
//! - `%n %N %p %i` are substituted in every value for the unit's name
//!   ([`crate::specifier::expand_fleet`]).
//! - `Conflicts=` values are further split on whitespace; `MachineOf=` and
//!   `Replaces=` values are not.
//! - `MachineID` is the first of `MachineID`, `X-ConditionMachineID`,
//!   `X-ConditionMachineBootID`.
//! - `MachineMetadata` entries must be `key=value` with both parts non-empty and
//!   exactly one `=`; fleet silently ignored others, flotta reports them as warnings.
//!   Same key repeated = any of the values; different keys = all must hold.
//! - `Global` is the last value, true for `true yes 1 on t` (any case).
//! - Invalid combinations, checked in fleet's order with fleet's messages:
//!   a `MachineOf` peer matching one of the unit's own `Conflicts`/`Replaces`
//!   globs; `MachineID` with `MachineOf`, `Conflicts`, `Global` or `Replaces`;
//!   `Global` with `MachineOf` or `Replaces`; `Conflicts` with `Replaces`.
//!   (`Global` with `Conflicts` or `MachineMetadata` is allowed, as in fleet 1.0.)
//!
//! Where flotta differs: empty values are dropped rather than kept as a
//! requirement on an empty machine ID or peer name.
//!
//! ```
//! use flotta_unit_spec::fleet::FleetOptions;
//! use flotta_unit_spec::name::UnitName;
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! let unit = UnitFile::parse("[X-Fleet]\nConflicts=*@%i.service\nMachineMetadata=\"region=eu\" \"region=us\"\n").unwrap();
//! let name = UnitName::parse("sample.application.1@8080.service").unwrap();
//! let fleet = FleetOptions::from_unit(&unit, Some(&name)).unwrap();
//! assert_eq!(fleet.conflicts, ["*@8080.service"]);
//! assert_eq!(fleet.machine_metadata["region"], ["eu", "us"]);
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::glob::glob_match;
use crate::name::UnitName;
use crate::specifier::expand_fleet;
use crate::syntax::UnitFile;

/// The section this module reads.
pub const SECTION: &str = "X-Fleet";

/// Keys fleet recognised in `[X-Fleet]`.
pub const KNOWN_KEYS: &[&str] = &[
    "MachineID",
    "X-ConditionMachineID",
    "X-ConditionMachineBootID",
    "X-ConditionMachineOf",
    "MachineOf",
    "X-Conflicts",
    "Conflicts",
    "X-ConditionMachineMetadata",
    "MachineMetadata",
    "Global",
    "Replaces",
];

/// A unit's placement requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetOptions {
    /// The machine the unit must run on (full ID or its first 8 characters).
    #[serde(rename = "machineID", skip_serializing_if = "Option::is_none")]
    pub machine_id: Option<String>,
    /// Units this one must run next to.
    #[serde(rename = "machineOf", default)]
    pub machine_of: Vec<String>,
    /// Required machine metadata: key -> accepted values.
    #[serde(rename = "machineMetadata", default)]
    pub machine_metadata: BTreeMap<String, Vec<String>>,
    /// Globs of unit names this unit may not share a machine with.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// Run on every machine that matches the metadata.
    #[serde(default)]
    pub global: bool,
    /// Globs of units this unit pushes off its machine.
    #[serde(default)]
    pub replaces: Vec<String>,
    /// Things fleet would have ignored silently: unknown keys, bad metadata.
    #[serde(skip)]
    pub warnings: Vec<FleetWarning>,
}

/// Something in `[X-Fleet]` that is accepted but probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetWarning {
    /// The key.
    pub key: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// An `[X-Fleet]` section fleet would have refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{kind}", line.map(|l| format!("line {l}, column 1: ")).unwrap_or_default())]
pub struct FleetError {
    /// Line of the `[X-Fleet]` header, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: FleetErrorKind,
}

/// The kinds of [`FleetError`], with fleet's own messages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FleetErrorKind {
    /// A `MachineOf` peer matches one of the unit's `Conflicts` globs.
    #[error("unresolvable requirements: peer {peer:?} matches conflict {pattern:?}")]
    PeerMatchesConflict {
        /// The peer.
        peer: String,
        /// The glob.
        pattern: String,
    },
    /// A `MachineOf` peer matches one of the unit's `Replaces` globs.
    #[error("unresolvable requirements: peer {peer:?} matches replace {pattern:?}")]
    PeerMatchesReplace {
        /// The peer.
        peer: String,
        /// The glob.
        pattern: String,
    },
    /// Two options that cannot be combined.
    #[error("{0} cannot be used with {1}")]
    Exclusive(&'static str, &'static str),
}

impl FleetOptions {
    /// Reads `[X-Fleet]` from `unit`, substituting `%n %N %p %i` for `name`.
    ///
    /// # Errors
    /// Combinations fleet refused (see the module docs).
    pub fn from_unit(unit: &UnitFile, name: Option<&UnitName>) -> Result<FleetOptions, FleetError> {
        let out = Self::read(unit, name);
        out.validate().map_err(|kind| FleetError {
            line: unit.section_line(SECTION),
            kind,
        })?;
        Ok(out)
    }

    /// Reads `[X-Fleet]` without checking combinations (fleet's accessors, which
    /// fleet's agent and engine used on stored units without re-validating).
    pub fn read(unit: &UnitFile, name: Option<&UnitName>) -> FleetOptions {
        // Values per known key (indexed like KNOWN_KEYS), borrowed where possible.
        let mut groups: [Vec<Cow<'_, str>>; KNOWN_KEYS.len()] = Default::default();
        let mut out = FleetOptions::default();
        for entry in unit.entries().filter(|e| e.section == SECTION) {
            let Some(index) = KNOWN_KEYS.iter().position(|k| *k == entry.key) else {
                out.warnings.push(FleetWarning {
                    key: entry.key.to_owned(),
                    line: entry.line,
                    column: entry.column,
                    message: format!(
                        "unrecognized requirement in [X-Fleet] section: {:?}",
                        entry.key
                    ),
                });
                continue;
            };
            let before = groups[index].len();
            for value in split_multivalue(entry.value) {
                let value = match name {
                    Some(name) if value.contains('%') => Cow::Owned(expand_fleet(&value, name)),
                    _ => value,
                };
                groups[index].push(value);
            }
            if matches!(entry.key, "MachineMetadata" | "X-ConditionMachineMetadata") {
                for value in &groups[index][before..] {
                    if metadata_pair(value).is_none() && !value.is_empty() {
                        out.warnings.push(FleetWarning {
                            key: entry.key.to_owned(),
                            line: entry.line,
                            column: entry.column,
                            message: format!(
                                "metadata requirement {value:?} is not key=value; fleet ignores it"
                            ),
                        });
                    }
                }
            }
        }
        let get = |key: &str| {
            KNOWN_KEYS
                .iter()
                .position(|k| *k == key)
                .map_or(&[][..], |i| groups[i].as_slice())
        };
        let owned = |v: &Cow<'_, str>| (!v.is_empty()).then(|| v.to_string());

        out.machine_id = [
            "MachineID",
            "X-ConditionMachineID",
            "X-ConditionMachineBootID",
        ]
        .iter()
        .find_map(|k| get(k).iter().find_map(owned));
        out.machine_of = get("X-ConditionMachineOf")
            .iter()
            .chain(get("MachineOf"))
            .filter_map(owned)
            .collect();
        out.conflicts = get("X-Conflicts")
            .iter()
            .chain(get("Conflicts"))
            .flat_map(|v| v.split_whitespace())
            .map(str::to_owned)
            .collect();
        out.replaces = get("Replaces").iter().filter_map(owned).collect();
        out.global = get("Global").last().is_some_and(|v| is_truthy(v));
        for value in get("X-ConditionMachineMetadata")
            .iter()
            .chain(get("MachineMetadata"))
        {
            if let Some((k, v)) = metadata_pair(value) {
                let values = out.machine_metadata.entry(k.to_owned()).or_default();
                if !values.iter().any(|x| x == v) {
                    values.push(v.to_owned());
                }
            }
        }
        out
    }

    /// fleet's `ValidateOptions`, in fleet's order.
    ///
    /// # Errors
    /// The first violated rule.
    pub fn validate(&self) -> Result<(), FleetErrorKind> {
        for peer in &self.machine_of {
            if let Some(p) = self.conflicts.iter().find(|p| glob_match(p, peer)) {
                return Err(FleetErrorKind::PeerMatchesConflict {
                    peer: peer.clone(),
                    pattern: p.clone(),
                });
            }
            if let Some(p) = self.replaces.iter().find(|p| glob_match(p, peer)) {
                return Err(FleetErrorKind::PeerMatchesReplace {
                    peer: peer.clone(),
                    pattern: p.clone(),
                });
            }
        }
        let has_id = self.machine_id.is_some();
        let has_peers = !self.machine_of.is_empty();
        let has_conflicts = !self.conflicts.is_empty();
        let has_replaces = !self.replaces.is_empty();
        let rules = [
            (has_id && has_peers, "MachineID", "Peers"),
            (has_id && has_conflicts, "MachineID", "Conflicts"),
            (has_id && self.global, "MachineID", "Global"),
            (has_id && has_replaces, "MachineID", "Replaces"),
            (self.global && has_peers, "Global", "Peers"),
            (self.global && has_replaces, "Global", "Replaces"),
            (has_conflicts && has_replaces, "Conflicts", "Replaces"),
        ];
        match rules.iter().find(|(violated, _, _)| *violated) {
            Some(&(_, a, b)) => Err(FleetErrorKind::Exclusive(a, b)),
            None => Ok(()),
        }
    }

    /// Whether the unit states no requirement at all.
    pub fn is_unconstrained(&self) -> bool {
        self.machine_id.is_none()
            && self.machine_of.is_empty()
            && self.machine_metadata.is_empty()
            && self.conflicts.is_empty()
            && !self.global
            && self.replaces.is_empty()
    }
}

/// fleet's `parseMultivalueLine`, applied only to fully quoted values.
fn split_multivalue(value: &str) -> Vec<Cow<'_, str>> {
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    if !quoted {
        return vec![Cow::Borrowed(value)];
    }
    let mut values = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    for c in value.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ' ' if !in_quotes => values.push(Cow::Owned(std::mem::take(&mut current))),
            c => current.push(c),
        }
    }
    values.push(Cow::Owned(current));
    values
}

/// `key=value` with exactly one `=` and both sides non-empty.
fn metadata_pair(value: &str) -> Option<(&str, &str)> {
    let mut parts = value.split('=');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(k), Some(v), None) if !k.is_empty() && !v.is_empty() => Some((k, v)),
        _ => None,
    }
}

fn is_truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "yes" | "1" | "on" | "t"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(body: &str, name: &str) -> Result<FleetOptions, FleetError> {
        let unit = UnitFile::parse(&format!("[X-Fleet]\n{body}")).unwrap();
        let name = UnitName::parse(name).unwrap();
        FleetOptions::from_unit(&unit, Some(&name))
    }

    #[test]
    fn multivalue_lines_only_when_fully_quoted() {
        assert_eq!(split_multivalue(r#""a=b" "c=d""#), ["a=b", "c=d"]);
        assert_eq!(split_multivalue(r#""a=b c" "d""#), ["a=b c", "d"]);
        assert_eq!(split_multivalue(r#"a=b "c=d""#), [r#"a=b "c=d""#]);
        assert_eq!(split_multivalue(""), [""]);
    }

    #[test]
    fn metadata_and_globals_like_fleet() {
        let f = fleet(
            "MachineMetadata=region=us\nMachineMetadata=\"region=eu\" \"disk=ssd\"\nX-ConditionMachineMetadata=a=b=c\nGlobal=false\nGlobal=ON\n",
            "x.service",
        )
        .unwrap();
        assert_eq!(f.machine_metadata["region"], ["us", "eu"]);
        assert_eq!(f.machine_metadata["disk"], ["ssd"]);
        assert!(!f.machine_metadata.contains_key("a"));
        assert!(f.global);
        assert_eq!(f.warnings.len(), 1);
    }

    #[test]
    fn specifiers_and_splitting() {
        let f = fleet(
            "Conflicts=*@%i.service\nReplaces=old@%i.service\n",
            "web@80.service",
        );
        // Conflicts with Replaces is refused, like fleet.
        assert_eq!(
            f.unwrap_err().kind,
            FleetErrorKind::Exclusive("Conflicts", "Replaces")
        );
        let f = fleet(
            "X-Conflicts=%p@*.service\nConflicts=*@%i.service  other.service\nMachineOf=db-%i.service\n",
            "web@80.service",
        )
        .unwrap();
        assert_eq!(
            f.conflicts,
            ["web@*.service", "*@80.service", "other.service"]
        );
        assert_eq!(f.machine_of, ["db-80.service"]);
    }

    #[test]
    fn invalid_combinations_use_fleets_words() {
        let e = fleet("MachineID=abc\nGlobal=true\n", "x.service").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1, column 1: MachineID cannot be used with Global"
        );
        let e = fleet("MachineOf=a.service\nConflicts=a*\n", "x.service").unwrap_err();
        assert_eq!(
            e.kind.to_string(),
            "unresolvable requirements: peer \"a.service\" matches conflict \"a*\""
        );
        let e = fleet("Global=yes\nMachineOf=a.service\n", "x.service").unwrap_err();
        assert_eq!(e.kind, FleetErrorKind::Exclusive("Global", "Peers"));
        assert!(fleet("Global=yes\nConflicts=a*\n", "x.service").is_ok());
    }

    #[test]
    fn machine_id_precedence_and_unknown_keys() {
        let f = fleet(
            "X-ConditionMachineBootID=boot\nX-ConditionMachineID=legacy\nMachineID=new\nFoo=bar\n",
            "x.service",
        )
        .unwrap();
        assert_eq!(f.machine_id.as_deref(), Some("new"));
        assert_eq!(f.warnings[0].key, "Foo");
        assert_eq!(f.warnings[0].line, 5);
        assert!(f.warnings[0].message.contains("unrecognized requirement"));
    }
}
