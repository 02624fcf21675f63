//! Time spans as systemd.time(7) writes them: `120min`, `1h 30s`, `1h30s`,
//! `5` (seconds), `2.5s`, `infinity`.
//!
//! Parsing follows systemd's `parse_sec` (`src/basic/time-util.c`): units are
//! matched in systemd's table order, a number without a unit is seconds, a
//! month is 30.44 days and a year 365.25 days. [`TimeSpan`]'s `Display`
//! follows `format_timespan` with microsecond accuracy.
//!
//! ```
//! use std::time::Duration;
//! use flotta_unit_spec::timespan::{parse_timespan, TimeSpan};
//! assert_eq!(parse_timespan("1h 30s").unwrap(), TimeSpan::Finite(Duration::from_secs(3630)));
//! assert_eq!(parse_timespan("2.5s").unwrap().to_string(), "2.500000s");
//! assert_eq!(parse_timespan("90min").unwrap().to_string(), "1h 30min");
//! assert!(parse_timespan("5 parsecs").unwrap_err().to_string().contains("column 2"));
//! ```

use std::fmt;
use std::time::Duration;

/// A systemd time span: a finite duration or `infinity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeSpan {
    /// A finite span, with microsecond resolution.
    Finite(Duration),
    /// `infinity`: no limit.
    Infinity,
}

/// Why a time span could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSpanError {
    /// The text being parsed.
    pub input: String,
    /// Byte offset of the problem.
    pub column: usize,
    /// What went wrong.
    pub kind: TimeSpanErrorKind,
}

/// The kinds of [`TimeSpanError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeSpanErrorKind {
    /// Nothing to parse.
    Empty,
    /// A number was expected.
    ExpectedNumber,
    /// A negative span.
    Negative,
    /// Text after a number that is no unit.
    UnknownUnit(String),
    /// The span does not fit in 64-bit microseconds.
    Overflow,
}

impl fmt::Display for TimeSpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        let column = self.column;
        match &self.kind {
            TimeSpanErrorKind::Empty => write!(
                f,
                "invalid time span {input:?}: it is empty; write e.g. \"90s\", \"5min\" or \"infinity\""
            ),
            TimeSpanErrorKind::ExpectedNumber => write!(
                f,
                "invalid time span {input:?}: column {column}: expected a number"
            ),
            TimeSpanErrorKind::Negative => write!(
                f,
                "invalid time span {input:?}: column {column}: time spans cannot be negative"
            ),
            TimeSpanErrorKind::UnknownUnit(u) => write!(
                f,
                "invalid time span {input:?}: column {column}: unknown unit {u:?} (use us, ms, s, min, h, d, w, M, y or their long forms)"
            ),
            TimeSpanErrorKind::Overflow => {
                write!(f, "invalid time span {input:?}: it is too large")
            }
        }
    }
}

impl std::error::Error for TimeSpanError {}

const USEC_PER_SEC: u64 = 1_000_000;
const USEC_PER_MINUTE: u64 = 60 * USEC_PER_SEC;
const USEC_PER_HOUR: u64 = 60 * USEC_PER_MINUTE;
const USEC_PER_DAY: u64 = 24 * USEC_PER_HOUR;
const USEC_PER_WEEK: u64 = 7 * USEC_PER_DAY;
const USEC_PER_MONTH: u64 = 2_629_800 * USEC_PER_SEC;
const USEC_PER_YEAR: u64 = 31_557_600 * USEC_PER_SEC;

/// systemd's suffix table, in its matching order (first prefix match wins).
const UNITS: &[(&str, u64)] = &[
    ("seconds", USEC_PER_SEC),
    ("second", USEC_PER_SEC),
    ("sec", USEC_PER_SEC),
    ("s", USEC_PER_SEC),
    ("minutes", USEC_PER_MINUTE),
    ("minute", USEC_PER_MINUTE),
    ("min", USEC_PER_MINUTE),
    ("months", USEC_PER_MONTH),
    ("month", USEC_PER_MONTH),
    ("M", USEC_PER_MONTH),
    ("msec", 1000),
    ("ms", 1000),
    ("m", USEC_PER_MINUTE),
    ("hours", USEC_PER_HOUR),
    ("hour", USEC_PER_HOUR),
    ("hr", USEC_PER_HOUR),
    ("h", USEC_PER_HOUR),
    ("days", USEC_PER_DAY),
    ("day", USEC_PER_DAY),
    ("d", USEC_PER_DAY),
    ("weeks", USEC_PER_WEEK),
    ("week", USEC_PER_WEEK),
    ("w", USEC_PER_WEEK),
    ("years", USEC_PER_YEAR),
    ("year", USEC_PER_YEAR),
    ("y", USEC_PER_YEAR),
    ("usec", 1),
    ("us", 1),
    ("\u{3bc}s", 1),
    ("\u{b5}s", 1),
];

/// Parses a systemd time span; a bare number is seconds.
pub fn parse_timespan(s: &str) -> Result<TimeSpan, TimeSpanError> {
    parse_with_default_unit(s, USEC_PER_SEC)
}

/// Parses a time span whose bare numbers are in units of `default_usec`
/// microseconds (systemd's `parse_time`).
pub fn parse_with_default_unit(s: &str, default_usec: u64) -> Result<TimeSpan, TimeSpanError> {
    let fail = |column, kind| {
        Err(TimeSpanError {
            input: s.to_owned(),
            column,
            kind,
        })
    };
    let trimmed = s.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed == "infinity" {
        return Ok(TimeSpan::Infinity);
    }
    if trimmed.is_empty() {
        return fail(0, TimeSpanErrorKind::Empty);
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'-' {
            return fail(i, TimeSpanErrorKind::Negative);
        }
        let start = i;
        let mut whole: u64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            whole = match whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(u64::from(b[i] - b'0')))
            {
                Some(w) => w,
                None => return fail(start, TimeSpanErrorKind::Overflow),
            };
            i += 1;
        }
        let mut frac_digits = &b[i..i];
        if i < b.len() && b[i] == b'.' {
            // Like systemd: no "3.", "3.s" or "3. 1"; digits must follow.
            if !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                return fail(i, TimeSpanErrorKind::ExpectedNumber);
            }
            let f = i + 1;
            i = f;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            frac_digits = &b[f..i];
        }
        if i == start || (i == start + 1 && b[start] == b'.') {
            return fail(start, TimeSpanErrorKind::ExpectedNumber);
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let rest = &s[i..];
        let multiplier = match UNITS.iter().find(|(suffix, _)| rest.starts_with(suffix)) {
            Some((suffix, m)) => {
                i += suffix.len();
                *m
            }
            None => {
                if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                    let unit: String = rest
                        .chars()
                        .take_while(|c| !c.is_ascii_whitespace() && !c.is_ascii_digit())
                        .collect();
                    return fail(i, TimeSpanErrorKind::UnknownUnit(unit));
                }
                default_usec
            }
        };
        // A unit must end the component: "5secs" is not "5sec" + "s".
        if i < b.len() && !b[i].is_ascii_whitespace() && !b[i].is_ascii_digit() && b[i] != b'.' {
            let unit_start = s[..i]
                .rfind(|c: char| c.is_ascii_digit() || c.is_ascii_whitespace() || c == '.')
                .map_or(0, |p| p + 1);
            let unit: String = s[unit_start..]
                .chars()
                .take_while(|c| !c.is_ascii_whitespace() && !c.is_ascii_digit())
                .collect();
            return fail(unit_start, TimeSpanErrorKind::UnknownUnit(unit));
        }
        let mut frac_usec: u64 = 0;
        let mut scale = multiplier;
        for &d in frac_digits {
            scale /= 10;
            frac_usec += u64::from(d - b'0') * scale;
        }
        total = match whole
            .checked_mul(multiplier)
            .and_then(|v| v.checked_add(frac_usec))
            .and_then(|v| v.checked_add(total))
        {
            Some(t) => t,
            None => return fail(start, TimeSpanErrorKind::Overflow),
        };
    }
    Ok(TimeSpan::Finite(Duration::from_micros(total)))
}

impl std::str::FromStr for TimeSpan {
    type Err = TimeSpanError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_timespan(s)
    }
}

impl TimeSpan {
    /// The finite duration, or `None` for infinity.
    pub fn duration(self) -> Option<Duration> {
        match self {
            TimeSpan::Finite(d) => Some(d),
            TimeSpan::Infinity => None,
        }
    }
}

impl fmt::Display for TimeSpan {
    /// systemd's `format_timespan` at microsecond accuracy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const TABLE: [(&str, u64); 9] = [
            ("y", USEC_PER_YEAR),
            ("month", USEC_PER_MONTH),
            ("w", USEC_PER_WEEK),
            ("d", USEC_PER_DAY),
            ("h", USEC_PER_HOUR),
            ("min", USEC_PER_MINUTE),
            ("s", USEC_PER_SEC),
            ("ms", 1000),
            ("us", 1),
        ];
        let mut t = match self {
            TimeSpan::Infinity => return f.write_str("infinity"),
            TimeSpan::Finite(d) => u64::try_from(d.as_micros()).unwrap_or(u64::MAX),
        };
        if t == 0 {
            return f.write_str("0");
        }
        let mut first = true;
        for (suffix, unit) in TABLE {
            if t == 0 {
                break;
            }
            if t < unit {
                continue;
            }
            let a = t / unit;
            let b = t % unit;
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            // Like systemd: below a minute, the rest is shown as a fraction
            // with as many digits as the unit has below it ("2.500000s").
            if t < USEC_PER_MINUTE && b > 0 {
                let mut digits = 0;
                let mut cc = unit;
                while cc > 1 {
                    digits += 1;
                    cc /= 10;
                }
                write!(f, "{a}.{b:0digits$}{suffix}")?;
                break;
            }
            write!(f, "{a}{suffix}")?;
            t = b;
        }
        Ok(())
    }
}
