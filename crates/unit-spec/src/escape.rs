//! systemd-escape(1): escaping strings and paths for use in unit names.
//!
//! These functions follow systemd (`src/basic/unit-name.c`, `src/escape/escape.c`)
//! byte for byte; a corpus test compares them against the real `systemd-escape`.
//!
//! * [`escape`]: `/` becomes `-`; `-`, `\` and every byte outside
//!   `[A-Za-z0-9:_.]` becomes `\xNN` (lowercase hex, one per UTF-8 byte); a
//!   leading `.` becomes `\x2e`.
//! * [`unescape`]: `-` becomes `/`, `\xNN` is decoded; any other `\` is an error.
//! * [`escape_path`]: the path is simplified (`//` and `.` components dropped),
//!   `..` components are refused, leading and trailing `/` are stripped and the
//!   rest is escaped; the root directory becomes `-`.
//! * [`unescape_path`]: the inverse, adding the leading `/` back.
//!
//! go-systemd's `unit/escape.go` (which fleet used) differs, and flotta
//! follows systemd (`tests/escape_gosystemd.rs` lists the cases):
//! go-systemd writes `\xN` without zero padding (a tab is `\x9`, not `\x09`);
//! in path mode it keeps `.` components and escapes `..` instead of refusing
//! it; its unescape never fails, leaving malformed `\x` sequences in place and
//! even non-ASCII ones (it parses `\xNN` as a signed byte, so `\xc3` stays
//! as is); its path unescape accepts `---` or the empty string.
//! Two deliberate differences from systemd itself: `\x00` is refused when
//! unescaping (systemd silently truncates the C string there), and decoded
//! bytes must form valid UTF-8.
//!
//! ```
//! use flotta_unit_spec::escape::{escape, escape_path, unescape, unescape_path};
//! assert_eq!(escape("Hallöchen, Meister"), r"Hall\xc3\xb6chen\x2c\x20Meister");
//! assert_eq!(escape_path("/dev/sda").unwrap(), "dev-sda");
//! assert_eq!(escape_path("/").unwrap(), "-");
//! assert_eq!(unescape(r"a\x2db-c").unwrap(), "a-b/c");
//! assert_eq!(unescape_path("home-lennart").unwrap(), "/home/lennart");
//! ```

use std::fmt;

/// `UNIT_NAME_MAX` in systemd: a unit name is at most 255 bytes.
pub const UNIT_NAME_MAX: usize = 255;
/// `NAME_MAX`: the longest path component Linux accepts.
const NAME_MAX: usize = 255;
/// `PATH_MAX`: paths must be shorter than this.
const PATH_MAX: usize = 4096;

/// A byte systemd keeps as is in unit names (`VALID_CHARS` in unit-name.c).
pub(crate) fn is_valid_unit_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_' | b'.' | b'\\')
}

/// Why escaping, unescaping or a `systemd-escape` invocation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscapeError {
    /// The string that was being processed.
    pub input: String,
    /// What went wrong.
    pub kind: EscapeErrorKind,
}

/// The kinds of [`EscapeError`]. Messages of the command-line kinds are the
/// ones `systemd-escape` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EscapeErrorKind {
    /// A `\` not followed by `x` and two hex digits.
    BadEscape {
        /// Byte offset of the `\`.
        column: usize,
    },
    /// `\x00`, which cannot be part of a unit name or path.
    NulByte {
        /// Byte offset of the `\`.
        column: usize,
    },
    /// The decoded bytes are not valid UTF-8.
    InvalidUtf8,
    /// The path is empty, has a component longer than 255 bytes or is 4096
    /// bytes or longer.
    InvalidPath,
    /// The path contains a `..` component.
    NotNormalized,
    /// An escaped path decodes to something with a leading or trailing `/`,
    /// an empty component, or a `.`/`..` component.
    NotAPath,
    /// An empty string cannot be unescaped as a path.
    EmptyEscapedPath,
    /// `--suffix=` names no unit type.
    InvalidSuffix(String),
    /// `--template=` is not a template such as `foo@.service`.
    InvalidTemplate(String),
    /// The escaped string cannot be an instance (for example it is empty).
    ReplaceInstance,
    /// `--suffix=` together with `--template=`.
    SuffixWithTemplate,
    /// `--suffix=`/`--template=` together with `--mangle`.
    SuffixWithMangle,
    /// `--suffix=` together with `--unescape`.
    SuffixWithUnescape,
    /// `--path` together with `--mangle`.
    PathWithMangle,
    /// `--instance` without `--unescape`.
    InstanceWithoutUnescape,
    /// `--instance` together with `--template=`.
    InstanceWithTemplate,
    /// `--unescape --instance` of a name that has no instance.
    MissingInstance,
    /// `--unescape --template=T` of a name that is not an instance of `T`.
    TemplateMismatch {
        /// The template of the input.
        actual: String,
        /// The template that was asked for.
        expected: String,
    },
    /// `--unescape` with both `--unescape` and `--mangle`.
    UnescapeWithMangle,
    /// A mangled name would be 255 bytes or longer.
    NameTooLong,
    /// Nothing to mangle.
    Empty,
    /// Even after escaping, the name is not valid (e.g. it starts with `@`).
    Unmangleable(String),
}

impl fmt::Display for EscapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        match &self.kind {
            EscapeErrorKind::BadEscape { column } => write!(
                f,
                "failed to unescape {input:?}: column {column}: '\\' must start a \\xNN hex escape (write a literal backslash as \\x5c)"
            ),
            EscapeErrorKind::NulByte { column } => write!(
                f,
                "failed to unescape {input:?}: column {column}: \\x00 decodes to a NUL byte, which no name or path may contain"
            ),
            EscapeErrorKind::InvalidUtf8 => write!(
                f,
                "failed to unescape {input:?}: the \\xNN escapes do not decode to valid UTF-8"
            ),
            EscapeErrorKind::InvalidPath => write!(
                f,
                "Input '{input}' is not a valid file system path, failed to escape (it must be non-empty, shorter than 4096 bytes, with components of at most 255 bytes)."
            ),
            EscapeErrorKind::NotNormalized => write!(
                f,
                "Input '{input}' is not a normalized file system path, failed to escape (remove its '..' components)."
            ),
            EscapeErrorKind::NotAPath => write!(
                f,
                "failed to unescape {input:?} as a path: it decodes to a path with a leading or trailing '/', an empty, '.' or '..' component"
            ),
            EscapeErrorKind::EmptyEscapedPath => write!(
                f,
                "failed to unescape an empty string as a path (the root directory is \"-\")"
            ),
            EscapeErrorKind::InvalidSuffix(s) => write!(
                f,
                "Invalid unit suffix type \"{s}\" (use one of service, socket, device, mount, automount, swap, target, path, timer, slice, scope)."
            ),
            EscapeErrorKind::InvalidTemplate(t) => write!(
                f,
                "Template name {t} is not valid (a template looks like foo@.service)."
            ),
            EscapeErrorKind::ReplaceInstance => write!(
                f,
                "Failed to replace instance: {input:?} is not a valid instance (it must be non-empty and the unit name shorter than 256 bytes)"
            ),
            EscapeErrorKind::SuffixWithTemplate => {
                write!(f, "--suffix= and --template= may not be combined.")
            }
            EscapeErrorKind::SuffixWithMangle => write!(
                f,
                "--suffix= and --template= are not compatible with --mangle."
            ),
            EscapeErrorKind::SuffixWithUnescape => {
                write!(f, "--suffix is not compatible with --unescape.")
            }
            EscapeErrorKind::PathWithMangle => {
                write!(f, "--path may not be combined with --mangle.")
            }
            EscapeErrorKind::InstanceWithoutUnescape => {
                write!(f, "--instance must be used in conjunction with --unescape.")
            }
            EscapeErrorKind::InstanceWithTemplate => {
                write!(f, "--instance may not be combined with --template.")
            }
            EscapeErrorKind::MissingInstance => {
                write!(f, "Unit {input} is missing the instance name.")
            }
            EscapeErrorKind::TemplateMismatch { actual, expected } => write!(
                f,
                "Unit {input} template {actual} does not match specified template {expected}."
            ),
            EscapeErrorKind::UnescapeWithMangle => {
                write!(f, "--unescape and --mangle may not be combined.")
            }
            EscapeErrorKind::NameTooLong => write!(
                f,
                "Failed to mangle name: {input:?} would be longer than 255 bytes"
            ),
            EscapeErrorKind::Empty => write!(f, "Failed to mangle name: the name is empty"),
            EscapeErrorKind::Unmangleable(out) => write!(
                f,
                "Failed to mangle name: {input:?} gives {out:?}, which is still not a valid unit name (it must not start with '@')"
            ),
        }
    }
}

impl std::error::Error for EscapeError {}

fn err(input: &str, kind: EscapeErrorKind) -> EscapeError {
    EscapeError {
        input: input.to_owned(),
        kind,
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_escaped_byte(out: &mut String, b: u8) {
    out.push('\\');
    out.push('x');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0xf)]));
}

/// Escapes `s` for use as (part of) a unit name, like `systemd-escape STRING`.
pub fn escape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    // A leading '.' would make a hidden file name.
    if let Some((b'.', tail)) = bytes.split_first() {
        push_escaped_byte(&mut out, b'.');
        rest = tail;
    }
    for &b in rest {
        if b == b'/' {
            out.push('-');
        } else if b == b'-' || b == b'\\' || !is_valid_unit_char(b) {
            push_escaped_byte(&mut out, b);
        } else {
            out.push(char::from(b));
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Reverses [`escape`], like `systemd-escape --unescape STRING`: `-` becomes
/// `/` and `\xNN` is decoded.
pub fn unescape(s: &str) -> Result<String, EscapeError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'-' => out.push(b'/'),
            b'\\' => {
                let decoded = match (bytes.get(i + 1), bytes.get(i + 2), bytes.get(i + 3)) {
                    (Some(b'x'), Some(&a), Some(&b)) => {
                        hex_value(a).zip(hex_value(b)).map(|(a, b)| (a << 4) | b)
                    }
                    _ => None,
                };
                match decoded {
                    Some(0) => return Err(err(s, EscapeErrorKind::NulByte { column: i })),
                    Some(b) => out.push(b),
                    None => return Err(err(s, EscapeErrorKind::BadEscape { column: i })),
                }
                i += 3;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| err(s, EscapeErrorKind::InvalidUtf8))
}

/// Splits `path` into its components, skipping empty ones and `.`.
fn components(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// systemd's `path_simplify`: drops redundant slashes and `.` components;
/// keeps `..`. An empty path stays empty; a relative path that simplifies to
/// nothing becomes `.`.
pub fn simplify_path(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(path.len());
    let absolute = path.starts_with('/');
    if absolute {
        out.push('/');
    }
    for (n, c) in components(path).enumerate() {
        if n > 0 {
            out.push('/');
        }
        out.push_str(c);
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// systemd's `path_is_valid`: non-empty, shorter than `PATH_MAX`, every
/// component at most `NAME_MAX` bytes.
fn path_is_valid(path: &str) -> bool {
    !path.is_empty() && path.len() < PATH_MAX && path.split('/').all(|c| c.len() <= NAME_MAX)
}

/// systemd's `path_is_normalized`: valid, no `..`, no `.` component, no `//`.
fn path_is_normalized(path: &str) -> bool {
    path_is_valid(path)
        && !path.split('/').any(|c| c == "..")
        && path != "."
        && !path.starts_with("./")
        && !path.ends_with("/.")
        && !path.contains("/./")
        && !path.contains("//")
}

/// Escapes a file system path, like `systemd-escape --path PATH`.
///
/// Refuses paths with `..` components (they would not round-trip) and
/// invalid paths; relative paths are accepted like systemd does.
pub fn escape_path(path: &str) -> Result<String, EscapeError> {
    let simplified = simplify_path(path);
    if simplified.is_empty() || simplified == "/" {
        return Ok("-".to_owned());
    }
    if !path_is_normalized(&simplified) {
        let kind = if path_is_valid(&simplified) {
            EscapeErrorKind::NotNormalized
        } else {
            EscapeErrorKind::InvalidPath
        };
        return Err(err(path, kind));
    }
    let trimmed = simplified.trim_end_matches('/').trim_start_matches('/');
    Ok(escape(trimmed))
}

/// Reverses [`escape_path`], like `systemd-escape --unescape --path STRING`:
/// the result always starts with `/`.
pub fn unescape_path(s: &str) -> Result<String, EscapeError> {
    if s.is_empty() {
        return Err(err(s, EscapeErrorKind::EmptyEscapedPath));
    }
    if s == "-" {
        return Ok("/".to_owned());
    }
    let w = unescape(s)?;
    if w.starts_with('/') || w.ends_with('/') {
        return Err(err(s, EscapeErrorKind::NotAPath));
    }
    let path = format!("/{w}");
    if !path_is_normalized(&path) {
        return Err(err(s, EscapeErrorKind::NotAPath));
    }
    Ok(path)
}

/// Turns an arbitrary string into a valid unit name, like
/// `systemd-escape --mangle NAME` (systemd's `unit_name_mangle` without
/// globs): valid names pass through, absolute paths become `.device` (under
/// `/dev/` or `/sys/`) or `.mount` units, anything else has its invalid bytes
/// escaped and gets `.service` appended unless it already has a unit suffix.
///
/// ```
/// use flotta_unit_spec::escape::mangle;
/// assert_eq!(mangle("/dev/sda").unwrap(), "dev-sda.device");
/// assert_eq!(mangle("foo bar").unwrap(), r"foo\x20bar.service");
/// ```
pub fn mangle(name: &str) -> Result<String, EscapeError> {
    if name.is_empty() {
        return Err(err(name, EscapeErrorKind::Empty));
    }
    if crate::name::UnitName::parse(name).is_ok() {
        return Ok(name.to_owned());
    }
    if name.starts_with('/') {
        let simplified = simplify_path(name);
        let device = simplified.starts_with("/dev/") || simplified.starts_with("/sys/");
        if device && let Ok(n) = crate::name::UnitName::from_path(&simplified, ".device") {
            return Ok(n.as_str().to_owned());
        }
        if let Ok(n) = crate::name::UnitName::from_path(&simplified, ".mount") {
            return Ok(n.as_str().to_owned());
        }
    }
    let mut out = String::with_capacity(name.len() + 8);
    for &b in name.as_bytes() {
        if b == b'/' {
            out.push('-');
        } else if is_valid_unit_char(b) || b == b'@' {
            out.push(char::from(b));
        } else {
            push_escaped_byte(&mut out, b);
        }
    }
    // systemd's unit_name_to_type() only sees a suffix on an otherwise valid name.
    if crate::name::UnitName::parse(&out).is_err() {
        out.push_str(".service");
    }
    if out.len() > UNIT_NAME_MAX && name.len() <= UNIT_NAME_MAX {
        return Err(err(name, EscapeErrorKind::NameTooLong));
    }
    if crate::name::UnitName::parse(&out).is_err() {
        return Err(err(name, EscapeErrorKind::Unmangleable(out)));
    }
    Ok(out)
}

/// One `systemd-escape` invocation's flags; [`SystemdEscape::run`] handles
/// one argument, so a command-line front end is glue (print results separated
/// by spaces, then a newline, as systemd-escape does). Where systemd-escape
/// lets the last of `--unescape`/`--mangle` win, flotta refuses the pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemdEscape {
    /// `--unescape`
    pub unescape: bool,
    /// `--path`
    pub path: bool,
    /// `--template=T`
    pub template: Option<String>,
    /// `--suffix=S`
    pub suffix: Option<String>,
    /// `--instance`
    pub instance: bool,
    /// `--mangle`
    pub mangle: bool,
}

impl SystemdEscape {
    /// Checks the flag combination with systemd-escape's rules and messages.
    pub fn validate(&self) -> Result<(), EscapeError> {
        let fail = |kind| Err(err("", kind));
        if let Some(s) = &self.suffix
            && s.parse::<crate::name::UnitType>().is_err()
        {
            return fail(EscapeErrorKind::InvalidSuffix(s.clone()));
        }
        if let Some(t) = &self.template
            && !crate::name::UnitName::parse(t)
                .is_ok_and(|n| n.kind() == crate::name::UnitKind::Template)
        {
            return fail(EscapeErrorKind::InvalidTemplate(t.clone()));
        }
        if self.unescape && self.mangle {
            return fail(EscapeErrorKind::UnescapeWithMangle);
        }
        if self.template.is_some() && self.suffix.is_some() {
            return fail(EscapeErrorKind::SuffixWithTemplate);
        }
        if (self.template.is_some() || self.suffix.is_some()) && self.mangle {
            return fail(EscapeErrorKind::SuffixWithMangle);
        }
        if self.suffix.is_some() && self.unescape {
            return fail(EscapeErrorKind::SuffixWithUnescape);
        }
        if self.path && self.mangle {
            return fail(EscapeErrorKind::PathWithMangle);
        }
        if self.instance && !self.unescape {
            return fail(EscapeErrorKind::InstanceWithoutUnescape);
        }
        if self.instance && self.template.is_some() {
            return fail(EscapeErrorKind::InstanceWithTemplate);
        }
        Ok(())
    }

    /// The warning `systemd-escape --path` prints (on stderr) when it escapes
    /// `input` but the result will not unescape to the same path.
    ///
    /// ```
    /// use flotta_unit_spec::escape::SystemdEscape;
    /// let cli = SystemdEscape { path: true, ..Default::default() };
    /// assert!(cli.warning("a/b").unwrap().contains("not an absolute"));
    /// assert_eq!(cli.warning("/a/b"), None);
    /// ```
    pub fn warning(&self, input: &str) -> Option<String> {
        if !self.path || self.unescape || self.mangle || escape_path(input).is_err() {
            return None;
        }
        if !path_is_valid(input) {
            Some(format!(
                "Input '{input}' is not a valid file system path, escaping is likely not going be reversible."
            ))
        } else if !input.starts_with('/') {
            Some(format!(
                "Input '{input}' is not an absolute file system path, escaping is likely not going to be reversible."
            ))
        } else {
            None
        }
    }

    /// Processes one argument the way `systemd-escape` would.
    ///
    /// ```
    /// use flotta_unit_spec::escape::SystemdEscape;
    /// let cli = SystemdEscape { template: Some("getty@.service".into()), ..Default::default() };
    /// assert_eq!(cli.run("tty/1").unwrap(), "getty@tty-1.service");
    /// let cli = SystemdEscape { unescape: true, instance: true, path: true, ..Default::default() };
    /// assert_eq!(cli.run("mount@home-me.service").unwrap(), "/home/me");
    /// ```
    pub fn run(&self, input: &str) -> Result<String, EscapeError> {
        self.validate()?;
        if self.mangle {
            return mangle(input);
        }
        if self.unescape {
            let name = if self.template.is_some() || self.instance {
                let missing = || err(input, EscapeErrorKind::MissingInstance);
                let unit = crate::name::UnitName::parse(input).map_err(|_| missing())?;
                let instance = unit
                    .instance()
                    .filter(|i| !i.is_empty())
                    .ok_or_else(missing)?;
                if let (Some(expected), Some(actual)) = (&self.template, unit.template())
                    && actual.as_str() != expected
                {
                    return Err(err(
                        input,
                        EscapeErrorKind::TemplateMismatch {
                            actual: actual.as_str().to_owned(),
                            expected: expected.clone(),
                        },
                    ));
                }
                instance.to_owned()
            } else {
                input.to_owned()
            };
            return if self.path {
                unescape_path(&name)
            } else {
                unescape(&name)
            };
        }
        let escaped = if self.path {
            escape_path(input)?
        } else {
            escape(input)
        };
        if let Some(t) = &self.template {
            let template = crate::name::UnitName::parse(t)
                .map_err(|_| err(t, EscapeErrorKind::InvalidTemplate(t.clone())))?;
            return template
                .instantiate(&escaped)
                .map(|n| n.as_str().to_owned())
                .map_err(|_| err(&escaped, EscapeErrorKind::ReplaceInstance));
        }
        if let Some(s) = &self.suffix {
            return Ok(format!("{escaped}.{s}"));
        }
        Ok(escaped)
    }
}
