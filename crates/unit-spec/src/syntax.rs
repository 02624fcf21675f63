//! The unit-file syntax: a lossless parser and writer (systemd.syntax(5)).
//!
//! [`UnitFile::parse`] keeps every byte of its input — sections, comments (`#` and
//! `;`), blank lines, whitespace, CRLF line ends and a UTF-8 byte-order mark — so
//! `unit.to_string()` reproduces the input exactly, while [`UnitFile::value`],
//! [`UnitFile::values`] and [`UnitFile::entries`] give the logical view systemd
//! sees.
//!
//! # Rules (systemd's `config_parse()`)
//! - A line whose first non-blank character is `#` or `;` is a comment.
//! - A line ending in an unescaped backslash continues on the next line; the
//!   backslash becomes a space. Comment lines inside a continuation are skipped.
//! - `[Name]` starts a section; anything after the `]` is an error.
//! - `Key=Value` assigns; whitespace around the key and the value is dropped.
//!   A key outside any section, or a line without `=`, is an error (systemd
//!   logs and ignores these; flotta refuses the file, so nothing is silently lost).
//! - A logical line may be at most [`MAX_LINE`] bytes (systemd's `LONG_LINE_MAX`).
//! - NUL bytes and invalid UTF-8 are errors.
//!
//! # Where go-systemd differs (and flotta follows systemd)
//! go-systemd's `unit.Deserialize` (used by fleet) limits lines to 2048 bytes
//! (`SYSTEMD_LINE_MAX`), keeps the backslash-newline of a continuation in the
//! value instead of turning it into a space, does not skip comment lines inside a
//! continuation, and rejects a section header with trailing text only by accident
//! of its lexer. flotta implements systemd's behaviour above; fleet's JSON option
//! list is still produced and read exactly (see [`crate::options`]).
//!
//! # Example
//! ```
//! use flotta_unit_spec::syntax::UnitFile;
//!
//! let text = "[Service]\n# pull first\nExecStartPre=/usr/bin/docker \\\n  pull app\nExecStart=/bin/app\n";
//! let unit = UnitFile::parse(text).unwrap();
//! assert_eq!(unit.to_string(), text);
//! assert_eq!(unit.value("Service", "ExecStartPre"), Some("/usr/bin/docker    pull app"));
//! ```

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use thiserror::Error;

/// The longest logical line accepted, in bytes (systemd's `LONG_LINE_MAX`).
pub const MAX_LINE: usize = 1024 * 1024;

const BOM: &str = "\u{feff}";

/// A parsed unit file that remembers its exact text.
#[derive(Clone, PartialEq, Eq)]
pub struct UnitFile {
    text: String,
    sections: Vec<SectionSpan>,
    entries: Vec<EntrySpan>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SectionSpan {
    name: Range<usize>,
    line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EntrySpan {
    section: usize,
    key: Range<usize>,
    value: Value,
    line: usize,
    column: usize,
}

/// A value is a span of the text unless a continuation joined several lines.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Span(Range<usize>),
    Joined(String),
}

/// One `Key=Value` assignment in its section, as systemd sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The section the entry is in (without brackets).
    pub section: &'a str,
    /// The key, without surrounding whitespace.
    pub key: &'a str,
    /// The logical value: trimmed, continuations joined.
    pub value: &'a str,
    /// 1-based line the entry starts on.
    pub line: usize,
    /// 1-based column (in characters) of the key.
    pub column: usize,
}

/// Why a unit file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// The file, when the caller knows it.
    pub file: Option<PathBuf>,
}

/// The kinds of [`ParseError`], each with a message that says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// `Key=Value` before the first `[Section]`.
    #[error("key outside of any section; add a section header such as [Service] above it")]
    KeyOutsideSection,
    /// A line that is neither a comment, a section header nor an assignment.
    #[error("expected 'Key=Value', found no '='")]
    MissingEquals,
    /// `Key=` with nothing before the `=`.
    #[error("assignment has an empty key before '='")]
    EmptyKey,
    /// `[Section` without the closing bracket.
    #[error("section header is missing its closing ']'")]
    UnclosedSection,
    /// `[Section] trailing`.
    #[error("unexpected text after the section header's ']'")]
    TrailingAfterSection,
    /// `[]` or a name with control characters or brackets.
    #[error("invalid section name {0:?}; use letters, digits and '-' like [Service] or [X-Fleet]")]
    InvalidSectionName(String),
    /// A logical line longer than [`MAX_LINE`].
    #[error("line is longer than {MAX_LINE} bytes")]
    LineTooLong,
    /// A NUL byte.
    #[error("NUL byte in unit file")]
    Nul,
    /// Bytes that are not UTF-8.
    #[error("unit file is not valid UTF-8")]
    NotUtf8,
}

impl ParseError {
    fn new(line: usize, column: usize, kind: ParseErrorKind) -> Self {
        ParseError {
            line,
            column,
            kind,
            file: None,
        }
    }

    /// Names the file the error was found in; it then prefixes the message.
    pub fn with_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )
    }
}

fn is_comment_start(b: u8) -> bool {
    b == b'#' || b == b';'
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `range` with blanks trimmed from both ends.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (range.start, range.end);
    while start < end && is_blank(bytes[start]) {
        start += 1;
    }
    while end > start && is_blank(bytes[end - 1]) {
        end -= 1;
    }
    start..end
}

/// Does the line end in a backslash that is not itself escaped?
fn continues(line: &[u8]) -> bool {
    let trailing = line.iter().rev().take_while(|&&b| b == b'\\').count();
    trailing % 2 == 1
}

/// 1-based character column of byte `offset` within the line starting at `line_start`.
fn column(text: &str, line_start: usize, offset: usize) -> usize {
    text.get(line_start..offset)
        .map_or(1, |prefix| prefix.chars().count() + 1)
}

/// Physical lines of `text` from byte `from`: (start, end without line terminator, next start).
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..];
        let (end, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (start + i, start + i + 1),
            None => (self.bytes.len(), self.bytes.len()),
        };
        self.pos = next;
        let end = if end > start && self.bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some((start, end))
    }
}

impl UnitFile {
    /// Parses unit-file text.
    ///
    /// # Errors
    /// A [`ParseError`] with the line and column of the first problem.
    pub fn parse(text: &str) -> Result<UnitFile, ParseError> {
        Self::parse_owned(text.to_owned())
    }

    /// Parses raw bytes, which must be UTF-8 (a byte-order mark is allowed).
    ///
    /// # Errors
    /// [`ParseErrorKind::NotUtf8`] at the first bad byte, or any error of [`UnitFile::parse`].
    pub fn parse_bytes(bytes: &[u8]) -> Result<UnitFile, ParseError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
                Err(ParseError::new(line, col, ParseErrorKind::NotUtf8))
            }
        }
    }

    fn parse_owned(text: String) -> Result<UnitFile, ParseError> {
        // One allocation each for typical files: at most one entry per line.
        let line_count = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut sections: Vec<SectionSpan> = Vec::with_capacity(4);
        let mut entries: Vec<EntrySpan> = Vec::with_capacity(line_count);
        let body_start = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let bytes = text.as_bytes();
        if let Some(nul) = memchr::memchr(0, bytes) {
            let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..nul]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            return Err(ParseError::new(
                line,
                column(&text, line_start, nul),
                ParseErrorKind::Nul,
            ));
        }
        let mut lines = Lines {
            bytes,
            pos: body_start,
        }
        .enumerate()
        .map(|(i, (s, e))| (i + 1, s, e));

        while let Some((line_no, start, end)) = lines.next() {
            if end - start > MAX_LINE {
                return Err(ParseError::new(line_no, 1, ParseErrorKind::LineTooLong));
            }
            let content = trim_range(&text, start..end);
            if content.is_empty() || is_comment_start(bytes[content.start]) {
                continue;
            }
            // Gather a continued logical line; only then is it one assignment or header.
            let mut joined: Option<String> = None;
            if continues(&bytes[start..end]) {
                let mut buf = String::with_capacity(2 * (end - start));
                buf.push_str(&text[start..end - 1]);
                buf.push(' ');
                // At the end of the file systemd parses what it has gathered.
                for (_, s, e) in lines.by_ref() {
                    let inner = trim_range(&text, s..e);
                    if !inner.is_empty() && is_comment_start(bytes[inner.start]) {
                        continue;
                    }
                    if continues(&bytes[s..e]) {
                        buf.push_str(&text[s..e - 1]);
                        buf.push(' ');
                    } else {
                        buf.push_str(&text[s..e]);
                        break;
                    }
                    if buf.len() > MAX_LINE {
                        return Err(ParseError::new(line_no, 1, ParseErrorKind::LineTooLong));
                    }
                }
                if buf.len() > MAX_LINE {
                    return Err(ParseError::new(line_no, 1, ParseErrorKind::LineTooLong));
                }
                joined = Some(buf);
            }
            let lead = content.start;
            let col = column(&text, start, lead);
            if bytes[lead] == b'[' {
                let logical: &str = match &joined {
                    Some(j) => j.trim(),
                    None => &text[content.clone()],
                };
                let name = parse_section_header(logical, line_no, col)?;
                let name = match &joined {
                    // A header split over lines is legal but rare; point into the text
                    // where possible, else the header is its first line's span.
                    Some(_) => {
                        let first = trim_range(&text, start..end);
                        let s = first.start + 1;
                        s..(s + name.len()).min(first.end)
                    }
                    None => {
                        let s = content.start + 1;
                        s..s + name.len()
                    }
                };
                sections.push(SectionSpan {
                    name,
                    line: line_no,
                });
                continue;
            }
            let Some(section) = sections.len().checked_sub(1) else {
                return Err(ParseError::new(
                    line_no,
                    col,
                    ParseErrorKind::KeyOutsideSection,
                ));
            };
            let entry = match joined {
                None => {
                    let Some(eq) = bytes[content.clone()].iter().position(|&b| b == b'=') else {
                        return Err(ParseError::new(line_no, col, ParseErrorKind::MissingEquals));
                    };
                    let key = trim_range(&text, content.start..content.start + eq);
                    let value = trim_range(&text, content.start + eq + 1..content.end);
                    EntrySpan {
                        section,
                        key,
                        value: Value::Span(value),
                        line: line_no,
                        column: col,
                    }
                }
                Some(buf) => {
                    // The key is always on the first physical line.
                    let first = &bytes[content.start..end];
                    let Some(eq) = first.iter().position(|&b| b == b'=') else {
                        return Err(ParseError::new(line_no, col, ParseErrorKind::MissingEquals));
                    };
                    let key = trim_range(&text, content.start..content.start + eq);
                    let key_in_buf = content.start - start + eq + 1;
                    let value = buf.get(key_in_buf..).unwrap_or("").trim().to_owned();
                    EntrySpan {
                        section,
                        key,
                        value: Value::Joined(value),
                        line: line_no,
                        column: col,
                    }
                }
            };
            if entry.key.is_empty() {
                return Err(ParseError::new(line_no, col, ParseErrorKind::EmptyKey));
            }
            entries.push(entry);
        }
        Ok(UnitFile {
            text,
            sections,
            entries,
        })
    }

    fn section_name(&self, index: usize) -> &str {
        self.sections
            .get(index)
            .and_then(|s| self.text.get(s.name.clone()))
            .unwrap_or("")
    }

    fn entry_value<'a>(&'a self, e: &'a EntrySpan) -> &'a str {
        match &e.value {
            Value::Span(r) => self.text.get(r.clone()).unwrap_or(""),
            Value::Joined(s) => s,
        }
    }

    fn key(&self, e: &EntrySpan) -> &str {
        self.text.get(e.key.clone()).unwrap_or("")
    }

    fn make_entry<'a>(&'a self, e: &'a EntrySpan) -> Entry<'a> {
        Entry {
            section: self.section_name(e.section),
            key: self.key(e),
            value: self.entry_value(e),
            line: e.line,
            column: e.column,
        }
    }

    /// Every assignment, in file order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.entries.iter().map(|e| self.make_entry(e))
    }

    /// The assignments of one section (all sections of that name), in order.
    pub fn section_entries<'a>(&'a self, section: &'a str) -> impl Iterator<Item = Entry<'a>> {
        self.entries().filter(move |e| e.section == section)
    }

    /// Section names in order of appearance; a repeated section appears again.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .map(|s| self.text.get(s.name.clone()).unwrap_or(""))
    }

    /// The line a section header is on, for the first section of that name.
    pub fn section_line(&self, section: &str) -> Option<usize> {
        self.sections
            .iter()
            .find(|s| self.text.get(s.name.clone()) == Some(section))
            .map(|s| s.line)
    }

    /// The value of a scalar option: the last assignment wins.
    pub fn value(&self, section: &str, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| self.key(e) == key && self.section_name(e.section) == section)
            .map(|e| self.entry_value(e))
    }

    /// The values of a list option, in order; an empty assignment resets the list.
    pub fn values(&self, section: &str, key: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for e in self
            .entries()
            .filter(|e| e.section == section && e.key == key)
        {
            if e.value.is_empty() {
                out.clear();
            } else {
                out.push(e.value);
            }
        }
        out
    }

    /// Every assignment of `key` in `section`, empty ones included (fleet's view).
    pub fn raw_values(&self, section: &str, key: &str) -> Vec<&str> {
        self.entries()
            .filter(|e| e.section == section && e.key == key)
            .map(|e| e.value)
            .collect()
    }

    /// The exact text this unit was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the file has no assignments at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_section_header(logical: &str, line: usize, col: usize) -> Result<&str, ParseError> {
    let inner = &logical[1..];
    let Some(close) = inner.find(']') else {
        return Err(ParseError::new(line, col, ParseErrorKind::UnclosedSection));
    };
    if close + 1 != inner.len() {
        let at = col + 1 + inner[..=close].chars().count();
        return Err(ParseError::new(
            line,
            at,
            ParseErrorKind::TrailingAfterSection,
        ));
    }
    let name = &inner[..close];
    let bad = name.is_empty()
        || name
            .chars()
            .any(|c| c.is_control() || c == '[' || c == ']' || c == '\\');
    if bad {
        return Err(ParseError::new(
            line,
            col,
            ParseErrorKind::InvalidSectionName(name.to_owned()),
        ));
    }
    Ok(name)
}

impl fmt::Display for UnitFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for UnitFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnitFile")
            .field("entries", &self.entries().collect::<Vec<_>>())
            .finish()
    }
}

impl std::str::FromStr for UnitFile {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitFile::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        UnitFile::parse(text).unwrap_err()
    }

    #[test]
    fn round_trip_keeps_everything() {
        let text = "\u{feff}# top\r\n[Unit]\r\nDescription = hello  \r\n\r\n; semi\r\n[Service]\nExecStart=/bin/a \\\n # skipped\n  b\n";
        let unit = UnitFile::parse(text).unwrap();
        assert_eq!(unit.to_string(), text);
        assert_eq!(unit.value("Unit", "Description"), Some("hello"));
        assert_eq!(unit.value("Service", "ExecStart"), Some("/bin/a    b"));
        let names: Vec<_> = unit.section_names().collect();
        assert_eq!(names, ["Unit", "Service"]);
    }

    #[test]
    fn lists_reset_and_scalars_take_the_last() {
        let unit = UnitFile::parse("[S]\nA=1\nA=2\nA=\nA=3\nA=4\n").unwrap();
        assert_eq!(unit.values("S", "A"), ["3", "4"]);
        assert_eq!(unit.raw_values("S", "A"), ["1", "2", "", "3", "4"]);
        assert_eq!(unit.value("S", "A"), Some("4"));
    }

    #[test]
    fn escaped_backslash_does_not_continue() {
        let unit = UnitFile::parse("[S]\nA=x\\\\\nB=y\n").unwrap();
        assert_eq!(unit.value("S", "A"), Some("x\\\\"));
        assert_eq!(unit.value("S", "B"), Some("y"));
    }

    #[test]
    fn errors_have_line_and_column() {
        let e = err("# c\n\nKey=1\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(
            e.to_string(),
            "line 3, column 1: key outside of any section; add a section header such as [Service] above it"
        );
        let e = err("[Unit]\n  junk\n");
        assert_eq!(
            (e.line, e.column, e.kind),
            (2, 3, ParseErrorKind::MissingEquals)
        );
        let e = err("[Unit\n");
        assert_eq!(e.kind, ParseErrorKind::UnclosedSection);
        let e = err("[Unit] x\n");
        assert_eq!(
            (e.line, e.column, e.kind),
            (1, 7, ParseErrorKind::TrailingAfterSection)
        );
        let e = err("[S]\n=v\n");
        assert_eq!(e.kind, ParseErrorKind::EmptyKey);
        let e = err("[S]\nA=\0\n");
        assert_eq!((e.line, e.column, e.kind), (2, 3, ParseErrorKind::Nul));
        let e = UnitFile::parse_bytes(b"[S]\nA=\xff\n").unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (2, 3, ParseErrorKind::NotUtf8));
        let e = err("A=1\n").with_file("x.service");
        assert!(
            e.to_string().starts_with("x.service: line 1, column 1: "),
            "{e}"
        );
    }

    #[test]
    fn gigantic_lines_are_refused() {
        let text = format!("[S]\nA={}\n", "x".repeat(MAX_LINE + 1));
        assert_eq!(err(&text).kind, ParseErrorKind::LineTooLong);
        let piece = format!("{}\\\n", "y".repeat(MAX_LINE / 2));
        let text = format!("[S]\nA={piece}{piece}{piece}z\n");
        assert_eq!(err(&text).kind, ParseErrorKind::LineTooLong);
    }
}
