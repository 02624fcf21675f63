//! Typed `[X-Flotta]`: what flotta adds to fleet's `[X-Flotta]`-less units.
//!
//! fleet had no way to say what a unit serves or what it needs, so the seed's
//! units registered themselves with `etcdctl set` in `ExecStartPost=` and left
//! stale entries behind when a machine crashed. `[X-Flotta]` declares it:
//!
//! ```ini
//! [X-Flotta]
//! Service=sample
//! Port=%i
//! HealthCheck=http://127.0.0.1:%i/sample
//! DrainSec=2s
//! Cpu=250m
//! Memory=256M
//! Strategy=spread
//! SpreadBy=zone
//! ```
//!
//! | key | meaning |
//! |---|---|
//! | `Service=` | service name the unit's endpoint registers under |
//! | `Port=` | endpoint port (required with `Service=`) |
//! | `Address=` | endpoint address: an IP address or a DNS host name, no port; default: the machine's public IP |
//! | `Tags=` | whitespace-separated endpoint tags (repeatable) |
//! | `Weight=` | balancer weight, 1–256 (default 1) |
//! | `Backup=` | a backup member: used only when no other member is up |
//! | `HealthCheck=` | `http://…`, `tcp://host:port`, or a path (`/health`) on the endpoint itself, probed while the unit runs: the endpoint registers once it passes and is withdrawn while it fails |
//! | `HealthInterval=` | probe interval (time span, default 2s; `HealthCheckIntervalSec=` is the same) |
//! | `HealthRise=` | passing probes in a row that bring a withdrawn endpoint back (default 2, as HAProxy's `rise`) |
//! | `HealthFall=` | failing probes in a row that withdraw it (default 3, as HAProxy's `fall`) |
//! | `DrainSec=` | time between deregistering and `ExecStop=` |
//! | `Cpu=` | CPU request: cores (`0.5`, `2`) or millicores (`250m`) |
//! | `Memory=` | memory request in bytes, with `K`/`M`/`G`/`T` (base 1024) |
//! | `Strategy=` | `least-loaded` (default), `spread` or `binpack` |
//! | `SpreadBy=` | metadata key that `spread` spreads instances across |
//! | `Placement=` | placement plugin names, applied in order (repeatable) |
//!
//! Values get fleet's specifier substitution (`%n %N %p %i`), like `[X-Fleet]`.
//! Unknown keys are warnings (see [`crate::verify`]), not errors.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::name::UnitName;
use crate::specifier::expand_fleet;
use crate::syntax::UnitFile;
use crate::timespan::{TimeSpan, parse_timespan};

/// The section this module reads.
pub const SECTION: &str = "X-Flotta";

/// Keys [`FlottaOptions::from_unit`] understands.
pub const KNOWN_KEYS: &[&str] = &[
    "Service",
    "Port",
    "Address",
    "Tags",
    "Weight",
    "Backup",
    "HealthCheck",
    "HealthCheckIntervalSec",
    "HealthInterval",
    "HealthRise",
    "HealthFall",
    "DrainSec",
    "Cpu",
    "Memory",
    "Strategy",
    "SpreadBy",
    "Placement",
];

/// How the scheduler ranks feasible machines for a unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Fewest units first (fleet's only strategy).
    #[default]
    LeastLoaded,
    /// Spread instances of one template across the values of a metadata key.
    Spread,
    /// Fill the most-loaded machine that still fits.
    Binpack,
}

/// Resources a unit asks for; machines advertise capacity in the same units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requests {
    /// CPU in thousandths of a core.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_millis: Option<u64>,
    /// Memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
}

/// The endpoint a running unit registers for balancers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSpec {
    /// Service name (`Service=`).
    pub service: String,
    /// Port (`Port=`).
    pub port: u16,
    /// Address; `None` means the machine's public IP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Tags for balancer templates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Balancer weight (1–256).
    pub weight: u16,
    /// Only used when no other member is up.
    #[serde(default)]
    pub backup: bool,
    /// Probe that must pass before the endpoint registers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<String>,
    /// Probe interval.
    #[serde(with = "duration_ms")]
    pub health_check_interval: Duration,
    /// Passing probes in a row that bring a withdrawn endpoint back.
    #[serde(default = "default_rise")]
    pub health_rise: u32,
    /// Failing probes in a row that withdraw a registered endpoint.
    #[serde(default = "default_fall")]
    pub health_fall: u32,
    /// Time between deregistration and `ExecStop=`.
    #[serde(with = "duration_ms")]
    pub drain: Duration,
}

/// Everything `[X-Flotta]` says about a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlottaOptions {
    /// The endpoint to register, if the unit declares `Service=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<EndpointSpec>,
    /// Resource requests.
    pub requests: Requests,
    /// Placement strategy.
    pub strategy: Strategy,
    /// Metadata key for [`Strategy::Spread`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_by: Option<String>,
    /// Placement plugins, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement: Vec<String>,
}

/// A bad `[X-Flotta]` value, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}, column {column}: [X-Flotta] {key}={value:?}: {message}")]
pub struct FlottaError {
    /// The key.
    pub key: String,
    /// The value as written (after specifier substitution).
    pub value: String,
    /// 1-based line of the entry.
    pub line: usize,
    /// 1-based column of the entry.
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

const DEFAULT_HEALTH_INTERVAL: Duration = Duration::from_secs(2);

/// HAProxy's defaults for a server check's `rise` and `fall`.
fn default_rise() -> u32 {
    2
}

fn default_fall() -> u32 {
    3
}

impl FlottaOptions {
    /// Reads `[X-Flotta]` from `unit`, substituting fleet's specifiers for `name`.
    ///
    /// # Errors
    /// A value that does not parse, or `Service=` without `Port=` (and the reverse).
    ///
    /// # Example
    /// ```
    /// use flotta_unit_spec::flotta_options::FlottaOptions;
    /// use flotta_unit_spec::name::UnitName;
    /// use flotta_unit_spec::syntax::UnitFile;
    ///
    /// let unit = UnitFile::parse("[X-Flotta]\nService=sample\nPort=%i\nCpu=250m\n").unwrap();
    /// let name = UnitName::parse("app@8080.service").unwrap();
    /// let opts = FlottaOptions::from_unit(&unit, Some(&name)).unwrap();
    /// assert_eq!(opts.endpoint.unwrap().port, 8080);
    /// assert_eq!(opts.requests.cpu_millis, Some(250));
    /// ```
    pub fn from_unit(unit: &UnitFile, name: Option<&UnitName>) -> Result<Self, FlottaError> {
        let mut b = Builder::default();
        for entry in unit.entries().filter(|e| e.section == SECTION) {
            let value = match name {
                Some(name) => expand_fleet(entry.value, name),
                None => entry.value.to_owned(),
            };
            let at = At {
                key: entry.key,
                line: entry.line,
                column: entry.column,
            };
            b.set(&at, value)?;
        }
        b.finish()
    }
}

struct At<'a> {
    key: &'a str,
    line: usize,
    column: usize,
}

impl At<'_> {
    fn error(&self, value: &str, message: impl Into<String>) -> FlottaError {
        FlottaError {
            key: self.key.to_owned(),
            value: value.to_owned(),
            line: self.line,
            column: self.column,
            message: message.into(),
        }
    }
}

#[derive(Default)]
struct Builder {
    service: Option<(String, usize, usize)>,
    port: Option<u16>,
    address: Option<String>,
    tags: Vec<String>,
    weight: Option<u16>,
    backup: bool,
    health_check: Option<String>,
    health_interval: Option<Duration>,
    health_rise: Option<u32>,
    health_fall: Option<u32>,
    drain: Option<Duration>,
    opts: FlottaOptions,
}

impl Builder {
    fn set(&mut self, at: &At<'_>, value: String) -> Result<(), FlottaError> {
        let v = value.trim();
        match at.key {
            "Service" => self.service = non_empty(v).map(|s| (s, at.line, at.column)),
            "Port" => self.port = Some(parse_port(at, v)?),
            "Address" => self.address = parse_address(at, v)?,
            "Tags" if v.is_empty() => self.tags.clear(),
            "Tags" => self.tags.extend(v.split_whitespace().map(str::to_owned)),
            "Weight" => self.weight = Some(parse_weight(at, v)?),
            "Backup" => self.backup = parse_bool(at, v)?,
            "HealthCheck" => self.health_check = parse_health_check(at, v)?,
            "HealthCheckIntervalSec" | "HealthInterval" => {
                self.health_interval = Some(parse_duration(at, v)?);
            }
            "HealthRise" => self.health_rise = Some(parse_count(at, v)?),
            "HealthFall" => self.health_fall = Some(parse_count(at, v)?),
            "DrainSec" => self.drain = Some(parse_duration(at, v)?),
            "Cpu" => self.opts.requests.cpu_millis = parse_cpu(at, v)?,
            "Memory" => self.opts.requests.memory_bytes = parse_memory(at, v)?,
            "Strategy" => self.opts.strategy = parse_strategy(at, v)?,
            "SpreadBy" => self.opts.spread_by = non_empty(v),
            "Placement" if v.is_empty() => self.opts.placement.clear(),
            "Placement" => self
                .opts
                .placement
                .extend(v.split_whitespace().map(str::to_owned)),
            // Unknown keys are reported by verify, not here.
            _ => {}
        }
        Ok(())
    }

    fn finish(mut self) -> Result<FlottaOptions, FlottaError> {
        match (self.service.take(), self.port) {
            (Some((service, _, _)), Some(port)) => {
                self.opts.endpoint = Some(EndpointSpec {
                    service,
                    port,
                    address: self.address,
                    tags: self.tags,
                    weight: self.weight.unwrap_or(1),
                    backup: self.backup,
                    health_check: self.health_check,
                    health_check_interval: self.health_interval.unwrap_or(DEFAULT_HEALTH_INTERVAL),
                    health_rise: self.health_rise.unwrap_or_else(default_rise),
                    health_fall: self.health_fall.unwrap_or_else(default_fall),
                    drain: self.drain.unwrap_or_default(),
                })
            }
            (Some((service, line, column)), None) => {
                return Err(FlottaError {
                    key: "Service".into(),
                    value: service,
                    line,
                    column,
                    message: "Service= needs Port= too, e.g. Port=%i".into(),
                });
            }
            (None, _) => {}
        }
        if self.opts.strategy == Strategy::Spread && self.opts.spread_by.is_none() {
            self.opts.spread_by = Some("zone".into());
        }
        Ok(self.opts)
    }
}

fn non_empty(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_owned())
}

/// The address reaches balancer configs verbatim, so only a host name or an
/// IP literal passes.
fn parse_address(at: &At<'_>, v: &str) -> Result<Option<String>, FlottaError> {
    if v.is_empty() {
        return Ok(None);
    }
    match crate::host::validate_host(v) {
        Ok(()) => Ok(Some(v.to_owned())),
        Err(e) => Err(at.error(v, format!("{e} (the port goes in Port=)"))),
    }
}

fn parse_port(at: &At<'_>, v: &str) -> Result<u16, FlottaError> {
    match v.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(at.error(v, "expected a port number from 1 to 65535")),
    }
}

fn parse_weight(at: &At<'_>, v: &str) -> Result<u16, FlottaError> {
    match v.parse::<u16>() {
        Ok(w) if (1..=256).contains(&w) => Ok(w),
        _ => Err(at.error(v, "expected a weight from 1 to 256")),
    }
}

fn parse_count(at: &At<'_>, v: &str) -> Result<u32, FlottaError> {
    match v.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(at.error(v, "expected a number of probes from 1 to 100")),
    }
}

/// systemd's boolean words (parse_boolean()).
fn parse_bool(at: &At<'_>, v: &str) -> Result<bool, FlottaError> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "t" | "on" => Ok(true),
        "0" | "no" | "n" | "false" | "f" | "off" => Ok(false),
        _ => Err(at.error(v, "expected a boolean: yes/no, true/false, on/off or 1/0")),
    }
}

fn parse_health_check(at: &At<'_>, v: &str) -> Result<Option<String>, FlottaError> {
    if v.is_empty() {
        return Ok(None);
    }
    if v.starts_with("http://") || v.starts_with("tcp://") || v.starts_with('/') {
        Ok(Some(v.to_owned()))
    } else {
        Err(at.error(
            v,
            "expected an http:// URL, tcp://host:port or a /path on the endpoint (https is not probed)",
        ))
    }
}

fn parse_duration(at: &At<'_>, v: &str) -> Result<Duration, FlottaError> {
    match parse_timespan(v) {
        Ok(TimeSpan::Finite(d)) => Ok(d),
        Ok(TimeSpan::Infinity) => Err(at.error(v, "must be finite")),
        Err(e) => Err(at.error(v, e.to_string())),
    }
}

fn parse_cpu(at: &At<'_>, v: &str) -> Result<Option<u64>, FlottaError> {
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || at.error(v, "expected cores (0.5, 2) or millicores (250m)");
    if let Some(m) = v.strip_suffix('m') {
        return m.parse::<u64>().map(Some).map_err(|_| bad());
    }
    let cores: f64 = v.parse().map_err(|_| bad())?;
    if !cores.is_finite() || !(0.0..=1e9).contains(&cores) {
        return Err(bad());
    }
    Ok(Some((cores * 1000.0).round() as u64))
}

fn parse_memory(at: &At<'_>, v: &str) -> Result<Option<u64>, FlottaError> {
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || {
        at.error(
            v,
            "expected bytes with an optional K, M, G or T suffix (512M)",
        )
    };
    let (digits, shift) = match v.as_bytes().last() {
        Some(b'K' | b'k') => (&v[..v.len() - 1], 10),
        Some(b'M' | b'm') => (&v[..v.len() - 1], 20),
        Some(b'G' | b'g') => (&v[..v.len() - 1], 30),
        Some(b'T' | b't') => (&v[..v.len() - 1], 40),
        _ => (v, 0),
    };
    let n: u64 = digits.trim().parse().map_err(|_| bad())?;
    n.checked_mul(1u64 << shift).map(Some).ok_or_else(bad)
}

fn parse_strategy(at: &At<'_>, v: &str) -> Result<Strategy, FlottaError> {
    match v {
        "" | "least-loaded" => Ok(Strategy::LeastLoaded),
        "spread" => Ok(Strategy::Spread),
        "binpack" => Ok(Strategy::Binpack),
        _ => Err(at.error(v, "expected least-loaded, spread or binpack")),
    }
}

mod duration_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(text: &str) -> Result<FlottaOptions, FlottaError> {
        let unit = UnitFile::parse(text).unwrap();
        let name = UnitName::parse("sample.application.1@8080.service").unwrap();
        FlottaOptions::from_unit(&unit, Some(&name))
    }

    #[test]
    fn endpoint_with_specifiers() {
        let o =
            opts("[X-Flotta]\nService=sample\nPort=%i\nTags=web %p\nDrainSec=1500ms\n").unwrap();
        let e = o.endpoint.unwrap();
        assert_eq!(e.service, "sample");
        assert_eq!(e.port, 8080);
        assert_eq!(e.tags, ["web", "sample.application.1"]);
        assert_eq!(e.drain, Duration::from_millis(1500));
        assert_eq!(e.weight, 1);
    }

    #[test]
    fn requests_and_strategy() {
        let o =
            opts("[X-Flotta]\nCpu=0.5\nMemory=1G\nStrategy=spread\nPlacement=a b\nPlacement=c\n")
                .unwrap();
        assert_eq!(o.requests.cpu_millis, Some(500));
        assert_eq!(o.requests.memory_bytes, Some(1 << 30));
        assert_eq!(o.strategy, Strategy::Spread);
        assert_eq!(o.spread_by.as_deref(), Some("zone"));
        assert_eq!(o.placement, ["a", "b", "c"]);
    }

    #[test]
    fn health_thresholds_default_to_haproxys() {
        let o = opts("[X-Flotta]\nService=s\nPort=1\nHealthCheck=/h\n").unwrap();
        let ep = o.endpoint.unwrap();
        assert_eq!(
            (ep.health_check_interval, ep.health_rise, ep.health_fall),
            (Duration::from_secs(2), 2, 3)
        );
        let o =
            opts("[X-Flotta]\nService=s\nPort=1\nHealthInterval=5s\nHealthRise=1\nHealthFall=5\n")
                .unwrap();
        let ep = o.endpoint.unwrap();
        assert_eq!(
            (ep.health_check_interval, ep.health_rise, ep.health_fall),
            (Duration::from_secs(5), 1, 5)
        );
        let e = opts("[X-Flotta]\nService=s\nPort=1\nHealthFall=0\n").unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("HealthFall", 4));
    }

    #[test]
    fn errors_name_key_line_and_column() {
        let e = opts("[Unit]\nDescription=x\n[X-Flotta]\nService=s\nPort=99999\n").unwrap_err();
        assert_eq!((e.key.as_str(), e.line, e.column), ("Port", 5, 1));
        assert!(e.to_string().contains("line 5, column 1"), "{e}");
        let e = opts("[X-Flotta]\nService=s\n").unwrap_err();
        assert!(e.message.contains("Port="), "{e}");
        let e = opts("[X-Flotta]\nCpu=lots\n").unwrap_err();
        assert!(e.message.contains("millicores"), "{e}");
    }

    #[test]
    fn address_must_be_a_host_or_ip() {
        // What a balancer template would render into another service's config.
        let e =
            opts("[X-Flotta]\nService=s\nPort=80\nAddress=1.2.3.4:80; } server {\n").unwrap_err();
        assert_eq!((e.key.as_str(), e.line, e.column), ("Address", 4, 1));
        assert!(e.message.contains("':' at column 8"), "{e}");
        for ok in ["10.0.0.7", "fe80::1", "web-1.internal"] {
            let o = opts(&format!("[X-Flotta]\nService=s\nPort=80\nAddress={ok}\n")).unwrap();
            assert_eq!(o.endpoint.unwrap().address.as_deref(), Some(ok));
        }
        let e = opts("[X-Flotta]\nAddress=a_b\n").unwrap_err();
        assert_eq!(e.key, "Address");
    }
}
