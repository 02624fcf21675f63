//! Unit names with systemd's validity rules (systemd.unit(5), `src/basic/unit-name.c`).
//!
//! A unit name is `PREFIX[@[INSTANCE]].TYPE`: at most 255 bytes, the part
//! before the type suffix made of `[A-Za-z0-9:_.\-]` and `@`, not starting
//! with `@`. The first `@` splits prefix from instance; later `@`s belong to
//! the instance (`foo@bar@baz.service` has instance `bar@baz`, as in systemd).
//! `foo@.service` is a template, `foo@bar.service` an instance of it.
//!
//! fleet's `ValidateName` (coreos/fleet's `unit` package) is
//! stricter in one way that matters here: templates and their instances may
//! only be `.path`, `.service`, `.socket`, `.target` or `.timer` units. It also
//! knows the obsolete `busname` and `snapshot` types, which systemd (and so
//! [`UnitName::parse`]) no longer accepts. [`UnitName::validate_fleet`] applies
//! fleet's extra rule.
//!
//! ```
//! use flotta_unit_spec::name::{UnitKind, UnitName, UnitType};
//! let n: UnitName = "web@8080.service".parse().unwrap();
//! assert_eq!(n.prefix(), "web");
//! assert_eq!(n.instance(), Some("8080"));
//! assert_eq!(n.kind(), UnitKind::Instance);
//! assert_eq!(n.unit_type(), UnitType::Service);
//! assert_eq!(n.template().unwrap().as_str(), "web@.service");
//! assert_eq!(UnitName::from_path("/dev/sda", ".device").unwrap().as_str(), "dev-sda.device");
//! let err = UnitName::parse("my app.service").unwrap_err();
//! assert!(err.to_string().contains("' ' at column 2"));
//! ```

use std::fmt;
use std::str::FromStr;

use crate::escape::{UNIT_NAME_MAX, escape_path, is_valid_unit_char};

/// The unit types systemd knows, named by the name's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitType {
    /// `.service`
    Service,
    /// `.socket`
    Socket,
    /// `.device`
    Device,
    /// `.mount`
    Mount,
    /// `.automount`
    Automount,
    /// `.swap`
    Swap,
    /// `.target`
    Target,
    /// `.path`
    Path,
    /// `.timer`
    Timer,
    /// `.slice`
    Slice,
    /// `.scope`
    Scope,
}

impl UnitType {
    /// Every unit type, in systemd's order.
    pub const ALL: [UnitType; 11] = [
        UnitType::Service,
        UnitType::Mount,
        UnitType::Swap,
        UnitType::Socket,
        UnitType::Target,
        UnitType::Device,
        UnitType::Automount,
        UnitType::Timer,
        UnitType::Path,
        UnitType::Slice,
        UnitType::Scope,
    ];

    /// The suffix without the dot, e.g. `"service"`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitType::Service => "service",
            UnitType::Socket => "socket",
            UnitType::Device => "device",
            UnitType::Mount => "mount",
            UnitType::Automount => "automount",
            UnitType::Swap => "swap",
            UnitType::Target => "target",
            UnitType::Path => "path",
            UnitType::Timer => "timer",
            UnitType::Slice => "slice",
            UnitType::Scope => "scope",
        }
    }
}

impl fmt::Display for UnitType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UnitType {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| NameError::new(s, NameErrorKind::UnknownType(s.to_owned())))
    }
}

/// Whether a name is a plain unit, a template or an instance of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// `foo.service`
    Plain,
    /// `foo@.service`
    Template,
    /// `foo@bar.service`
    Instance,
}

/// An invalid unit name, or an operation a name does not support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    /// The offending name (or instance string).
    pub input: String,
    /// What is wrong with it.
    pub kind: NameErrorKind,
}

impl NameError {
    fn new(input: &str, kind: NameErrorKind) -> Self {
        NameError {
            input: input.to_owned(),
            kind,
        }
    }
}

/// The kinds of [`NameError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameErrorKind {
    /// The name is empty.
    Empty,
    /// The name is longer than 255 bytes.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// No `.TYPE` suffix.
    MissingType,
    /// Nothing before the `.TYPE` suffix.
    EmptyPrefix,
    /// The suffix names no unit type.
    UnknownType(String),
    /// A character systemd does not allow in unit names.
    InvalidChar {
        /// The character.
        ch: char,
        /// Its byte offset in the name.
        column: usize,
    },
    /// The name starts with `@`.
    LeadingAt,
    /// `instantiate` on a name that is not a template or instance.
    NotATemplate,
    /// The instance string is empty.
    EmptyInstance,
    /// fleet only allows templates of `.path`, `.service`, `.socket`,
    /// `.target` and `.timer` units.
    FleetTemplateType(UnitType),
    /// `from_path` was given a path it cannot escape.
    InvalidPath(String),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            NameErrorKind::Empty => write!(f, "invalid unit name: the name is empty"),
            NameErrorKind::TooLong { len } => write!(
                f,
                "invalid unit name {input:?}: it is {len} bytes long, at most {UNIT_NAME_MAX} are allowed"
            ),
            NameErrorKind::MissingType => write!(
                f,
                "invalid unit name {input:?}: it has no type suffix; append one such as \".service\""
            ),
            NameErrorKind::EmptyPrefix => write!(
                f,
                "invalid unit name {input:?}: there is no name before the type suffix"
            ),
            NameErrorKind::UnknownType(t) => write!(
                f,
                "invalid unit name {input:?}: unknown unit type {t:?} (use one of service, socket, device, mount, automount, swap, target, path, timer, slice, scope)"
            ),
            NameErrorKind::InvalidChar { ch, column } => write!(
                f,
                "invalid unit name {input:?}: character {ch:?} at column {column} is not allowed (only A-Z a-z 0-9 : _ . \\ - and @ are); escape the string with `systemd-escape` or `escape::escape` (it becomes {:?})",
                crate::escape::escape(&ch.to_string())
            ),
            NameErrorKind::LeadingAt => write!(
                f,
                "invalid unit name {input:?}: it starts with '@'; a template needs a prefix as in \"foo@.service\""
            ),
            NameErrorKind::NotATemplate => write!(
                f,
                "unit {input:?} is not a template (foo@.service) or instance (foo@bar.service), so it cannot be instantiated"
            ),
            NameErrorKind::EmptyInstance => {
                write!(f, "cannot instantiate {input:?} with an empty instance")
            }
            NameErrorKind::FleetTemplateType(t) => write!(
                f,
                "invalid unit type for template: {input:?} (fleet only runs templates of type path, service, socket, target or timer, not {t})"
            ),
            NameErrorKind::InvalidPath(why) => {
                write!(f, "cannot make a unit name from path {input:?}: {why}")
            }
        }
    }
}

impl std::error::Error for NameError {}

/// A validated unit name such as `foo.service`, `foo@.service` or `foo@bar.service`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitName {
    name: String,
    /// Byte offset of the first `@`, if any.
    at: Option<usize>,
    /// Byte offset of the last `.`.
    dot: usize,
    unit_type: UnitType,
}

impl UnitName {
    /// Validates `s` with systemd's `unit_name_is_valid(UNIT_NAME_ANY)` rules.
    pub fn parse(s: &str) -> Result<UnitName, NameError> {
        let fail = |kind| Err(NameError::new(s, kind));
        if s.is_empty() {
            return fail(NameErrorKind::Empty);
        }
        if s.len() > UNIT_NAME_MAX {
            return fail(NameErrorKind::TooLong { len: s.len() });
        }
        let Some(dot) = s.rfind('.') else {
            return fail(NameErrorKind::MissingType);
        };
        let suffix = &s[dot + 1..];
        let Ok(unit_type) = suffix.parse::<UnitType>() else {
            return fail(NameErrorKind::UnknownType(suffix.to_owned()));
        };
        if dot == 0 {
            return fail(NameErrorKind::EmptyPrefix);
        }
        let stem = &s[..dot];
        if let Some((column, ch)) = stem
            .char_indices()
            .find(|&(_, c)| !(c == '@' || (c.is_ascii() && is_valid_unit_char(c as u8))))
        {
            return fail(NameErrorKind::InvalidChar { ch, column });
        }
        let at = stem.find('@');
        if at == Some(0) {
            return fail(NameErrorKind::LeadingAt);
        }
        Ok(UnitName {
            name: s.to_owned(),
            at,
            dot,
            unit_type,
        })
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The part before the first `@`, or before the type suffix (`%p`).
    pub fn prefix(&self) -> &str {
        &self.name[..self.at.unwrap_or(self.dot)]
    }

    /// The instance: `Some("8080")` for `foo@8080.service`, `Some("")` for
    /// the template `foo@.service`, `None` for plain units (`%i`).
    pub fn instance(&self) -> Option<&str> {
        self.at.map(|at| &self.name[at + 1..self.dot])
    }

    /// The unit's type, from its suffix.
    pub fn unit_type(&self) -> UnitType {
        self.unit_type
    }

    /// Plain, template or instance.
    pub fn kind(&self) -> UnitKind {
        match self.instance() {
            None => UnitKind::Plain,
            Some("") => UnitKind::Template,
            Some(_) => UnitKind::Instance,
        }
    }

    /// The template of an instance or template (`foo@.service` for
    /// `foo@x.service`); `None` for plain units.
    pub fn template(&self) -> Option<UnitName> {
        let at = self.at?;
        Some(UnitName {
            name: format!("{}@.{}", &self.name[..at], self.unit_type),
            at: Some(at),
            dot: at + 1,
            unit_type: self.unit_type,
        })
    }

    /// Replaces the instance of a template or instance, like systemd's
    /// `unit_name_replace_instance`. The instance must already consist of
    /// valid characters; escape arbitrary strings with [`crate::escape::escape`].
    ///
    /// ```
    /// use flotta_unit_spec::name::UnitName;
    /// let t = UnitName::parse("getty@.service").unwrap();
    /// assert_eq!(t.instantiate("tty1").unwrap().as_str(), "getty@tty1.service");
    /// assert!(t.instantiate("tty 1").is_err());
    /// ```
    pub fn instantiate(&self, instance: &str) -> Result<UnitName, NameError> {
        let Some(at) = self.at else {
            return Err(NameError::new(&self.name, NameErrorKind::NotATemplate));
        };
        if instance.is_empty() {
            return Err(NameError::new(&self.name, NameErrorKind::EmptyInstance));
        }
        let prefix = &self.name[..at];
        let suffix = self.unit_type.as_str();
        if prefix.len() + instance.len() + suffix.len() + 2 > UNIT_NAME_MAX {
            let name = format!("{prefix}@{instance}.{suffix}");
            return UnitName::parse(&name);
        }
        // The template is valid already: only the instance needs checking.
        if let Some((i, ch)) = instance
            .char_indices()
            .find(|&(_, c)| !(c == '@' || (c.is_ascii() && is_valid_unit_char(c as u8))))
        {
            let name = format!("{prefix}@{instance}.{suffix}");
            let column = prefix.len() + 1 + i;
            return Err(NameError::new(
                &name,
                NameErrorKind::InvalidChar { ch, column },
            ));
        }
        let mut name = String::with_capacity(prefix.len() + instance.len() + suffix.len() + 2);
        name.push_str(prefix);
        name.push('@');
        name.push_str(instance);
        name.push('.');
        let dot = name.len() - 1;
        name.push_str(suffix);
        Ok(UnitName {
            name,
            at: Some(at),
            dot,
            unit_type: self.unit_type,
        })
    }

    /// The name without its type suffix: `foo@bar` (`%N`).
    pub fn without_suffix(&self) -> &str {
        &self.name[..self.dot]
    }

    /// A unit name for a file system path, like systemd's
    /// `unit_name_from_path`: `/dev/sda` with `.device` gives `dev-sda.device`.
    /// The suffix may be given with or without its leading dot.
    ///
    /// systemd hashes names that would exceed 255 bytes; flotta reports
    /// [`NameErrorKind::TooLong`] instead.
    pub fn from_path(path: &str, suffix: &str) -> Result<UnitName, NameError> {
        let suffix = suffix.strip_prefix('.').unwrap_or(suffix);
        let unit_type: UnitType = suffix.parse()?;
        let escaped = escape_path(path)
            .map_err(|e| NameError::new(path, NameErrorKind::InvalidPath(e.to_string())))?;
        UnitName::parse(&format!("{escaped}.{unit_type}"))
    }

    /// Applies fleet's extra `ValidateName` rule: templates and instances
    /// must be of type path, service, socket, target or timer.
    pub fn validate_fleet(&self) -> Result<(), NameError> {
        if self.at.is_some()
            && !matches!(
                self.unit_type,
                UnitType::Path
                    | UnitType::Service
                    | UnitType::Socket
                    | UnitType::Target
                    | UnitType::Timer
            )
        {
            return Err(NameError::new(
                &self.name,
                NameErrorKind::FleetTemplateType(self.unit_type),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl FromStr for UnitName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitName::parse(s)
    }
}

impl AsRef<str> for UnitName {
    fn as_ref(&self) -> &str {
        &self.name
    }
}

impl TryFrom<String> for UnitName {
    type Error = NameError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        UnitName::parse(&s)
    }
}

impl From<UnitName> for String {
    fn from(n: UnitName) -> String {
        n.name
    }
}

impl serde::Serialize for UnitName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

impl<'de> serde::Deserialize<'de> for UnitName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        UnitName::parse(&s).map_err(serde::de::Error::custom)
    }
}
