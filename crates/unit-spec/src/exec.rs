//! `ExecStart=` and friends: systemd.service(5) "Command lines".
//!
//! Follows systemd's `config_parse_exec` (`src/core/load-fragment.c`) and
//! `extract_first_word` with `EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE`
//! (`src/basic/extract-word.c`): words split on whitespace, `"..."` and
//! `'...'` quote (also in the middle of a word), C escapes (`\n`, `\t`, `\\`,
//! `\"`, `\x41`, `\101`, `\u00e4`, `\s` for a space) are decoded inside and
//! outside quotes, and a word `\;` is a literal `;`.
//!
//! In arguments (not the executable) an unknown escape such as `\;x` or
//! `\q` is kept as written, as systemd does (`EXTRACT_UNESCAPE_RELAX`).
//!
//! Differences from systemd, all stricter: a lone `;` word (the old separator
//! of several commands on one line) is an error, a repeated prefix or `+`
//! combined with `!`/`!!` is an error rather than the start of the path, and
//! invalid `Environment=` assignments are errors rather than warnings.
//!
//! ```
//! use flotta_unit_spec::exec::ExecCommand;
//! let cmd = ExecCommand::parse(r#"-/usr/bin/echo "hello world" $GREETING ${NAME}!"#).unwrap();
//! assert!(cmd.prefixes.ignore_failure);
//! assert_eq!(cmd.argv, ["/usr/bin/echo", "hello world", "$GREETING", "${NAME}!"]);
//! let env = |k: &str| match k { "GREETING" => Some("hi  there".to_owned()), _ => None };
//! assert_eq!(cmd.substitute_env(&env), ["/usr/bin/echo", "hello world", "hi", "there", "!"]);
//! ```

use std::fmt;

/// The special-executable prefixes of a command line (`@ - : + ! !!`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ExecPrefixes {
    /// `@`: the second word is `argv[0]`, the first only the executable.
    pub separate_argv0: bool,
    /// `-`: a failing exit status is recorded but ignored.
    pub ignore_failure: bool,
    /// `:`: no environment variable substitution.
    pub no_env_expand: bool,
    /// `+`: run with full privileges.
    pub full_privileges: bool,
    /// `!`: sandboxing applies but user/group credentials are not changed.
    pub no_setuid: bool,
    /// `!!`: like `!` only on systems without ambient capabilities.
    pub ambient_magic: bool,
}

impl fmt::Display for ExecPrefixes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flags = [
            (self.separate_argv0, "@"),
            (self.ignore_failure, "-"),
            (self.no_env_expand, ":"),
            (self.full_privileges, "+"),
            (self.no_setuid, "!"),
            (self.ambient_magic, "!!"),
        ];
        for (set, s) in flags {
            if set {
                f.write_str(s)?;
            }
        }
        Ok(())
    }
}

/// One parsed command line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExecCommand {
    /// The prefixes before the executable.
    pub prefixes: ExecPrefixes,
    /// The executable: an absolute path (simplified: `//` and `/./` removed)
    /// or a name looked up in `$PATH`.
    pub path: String,
    /// The arguments, `argv[0]` first (the executable unless `@` was given).
    pub argv: Vec<String>,
}

/// Writes one word so that [`ExecCommand::parse`] reads it back unchanged.
fn write_word(f: &mut fmt::Formatter<'_>, word: &str) -> fmt::Result {
    if word == ";" {
        return f.write_str("\\;");
    }
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '\'' | '\\'));
    if plain {
        return f.write_str(word);
    }
    f.write_str("\"")?;
    for c in word.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for ExecCommand {
    /// The command line in systemd syntax, quoting words where needed, so
    /// that parsing the output gives the same command.
    ///
    /// ```
    /// use flotta_unit_spec::exec::ExecCommand;
    /// let cmd = ExecCommand::parse(r#"-/bin/echo "a b" ';' x"#).unwrap();
    /// assert_eq!(cmd.to_string(), r#"-/bin/echo "a b" \; x"#);
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.prefixes)?;
        // Without '@', argv[0] is the executable as written (the path is its
        // simplified form).
        let (first, args) = if self.prefixes.separate_argv0 {
            (self.path.as_str(), &self.argv[..])
        } else {
            let first = self.argv.first().map_or(self.path.as_str(), String::as_str);
            (first, self.argv.get(1..).unwrap_or_default())
        };
        write_word(f, first)?;
        for arg in args {
            f.write_str(" ")?;
            write_word(f, arg)?;
        }
        Ok(())
    }
}

/// Why a command line or environment assignment could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// The text being parsed.
    pub input: String,
    /// Byte offset of the problem.
    pub column: usize,
    /// What went wrong.
    pub kind: ExecErrorKind,
}

/// The kinds of [`ExecError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExecErrorKind {
    /// Nothing but whitespace (and prefixes).
    Empty,
    /// A quote is never closed.
    UnterminatedQuote(char),
    /// A backslash escape systemd does not know, or `\0`-valued.
    BadEscape,
    /// A backslash at the very end.
    TrailingBackslash,
    /// Escapes decode to bytes that are not UTF-8.
    InvalidUtf8,
    /// A lone `;`: one command per line.
    Semicolon,
    /// The same prefix twice.
    RepeatedPrefix(char),
    /// `+` together with `!` or `!!`.
    ConflictingPrefixes,
    /// `@` without a following `argv[0]` word.
    MissingArgv0,
    /// The executable is neither an absolute path nor a plain file name.
    InvalidExecutable(String),
    /// An `Environment=` word is not `NAME=VALUE` with a valid name.
    InvalidAssignment(String),
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: ", self.column)?;
        match &self.kind {
            ExecErrorKind::Empty => write!(f, "empty command line; give an executable"),
            ExecErrorKind::UnterminatedQuote(q) => {
                write!(f, "unterminated {q} quote starting here; close it with {q}")
            }
            ExecErrorKind::BadEscape => write!(
                f,
                "invalid escape sequence; use \\\\ for a literal backslash (\\x00 is not allowed)"
            ),
            ExecErrorKind::TrailingBackslash => write!(
                f,
                "the line ends with a backslash; use \\\\ for a literal backslash"
            ),
            ExecErrorKind::InvalidUtf8 => {
                write!(f, "escape sequences decode to invalid UTF-8")
            }
            ExecErrorKind::Semicolon => write!(
                f,
                "a lone ';' separates several commands, which flotta does not support; repeat the Exec line once per command, or write \\; for a literal ';' argument"
            ),
            ExecErrorKind::RepeatedPrefix(c) => write!(f, "prefix '{c}' given twice"),
            ExecErrorKind::ConflictingPrefixes => {
                write!(f, "prefix '+' cannot be combined with '!' or '!!'")
            }
            ExecErrorKind::MissingArgv0 => write!(
                f,
                "prefix '@' needs a second word to use as argv[0] after the executable"
            ),
            ExecErrorKind::InvalidExecutable(p) => write!(
                f,
                "executable {p:?} is neither an absolute path nor a file name (without quotes, backslashes or control characters); use an absolute path such as /usr/bin/{}",
                p.rsplit('/').next().unwrap_or_default()
            ),
            ExecErrorKind::InvalidAssignment(w) => write!(
                f,
                "{w:?} is not an environment assignment NAME=VALUE (names are [A-Za-z_][A-Za-z0-9_]*)"
            ),
        }
    }
}

impl std::error::Error for ExecError {}

fn error(input: &str, column: usize, kind: ExecErrorKind) -> ExecError {
    ExecError {
        input: input.to_owned(),
        column,
        kind,
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn hex(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

/// Decodes one C escape after a backslash (systemd's `cunescape_one` without
/// NUL): returns the bytes and how many input bytes were consumed.
fn cunescape_one(s: &[u8]) -> Option<(Vec<u8>, usize)> {
    let simple = |b: u8| Some((vec![b], 1));
    match *s.first()? {
        b'a' => simple(7),
        b'b' => simple(8),
        b'f' => simple(12),
        b'n' => simple(b'\n'),
        b'r' => simple(b'\r'),
        b't' => simple(b'\t'),
        b'v' => simple(11),
        b'\\' => simple(b'\\'),
        b'"' => simple(b'"'),
        b'\'' => simple(b'\''),
        b's' => simple(b' '),
        b'x' => {
            let v = hex(*s.get(1)?)? << 4 | hex(*s.get(2)?)?;
            (v != 0).then(|| (vec![v as u8], 3))
        }
        b'u' | b'U' => {
            let n = if s[0] == b'u' { 4 } else { 8 };
            let mut v = 0u32;
            for i in 1..=n {
                v = v.checked_mul(16)? + hex(*s.get(i)?)?;
            }
            let c = char::from_u32(v).filter(|&c| c != '\0')?;
            Some((c.to_string().into_bytes(), n + 1))
        }
        b'0'..=b'7' => {
            let mut v = 0u32;
            for i in 0..3 {
                let d = *s.get(i)?;
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                v = v * 8 + u32::from(d - b'0');
            }
            (v != 0 && v <= 255).then(|| (vec![v as u8], 3))
        }
        _ => None,
    }
}

/// How [`next_word`] treats backslashes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escapes {
    /// C escapes; an unknown one is an error (`EXTRACT_CUNESCAPE`).
    C,
    /// C escapes; an unknown one, or a trailing backslash, is kept as
    /// written (`EXTRACT_CUNESCAPE|EXTRACT_UNESCAPE_RELAX`, used for
    /// arguments: `\;x` stays `\;x`).
    CRelaxed,
    /// A backslash makes the next character literal; a trailing one is
    /// dropped (`EXTRACT_RELAX`, used to split `$VAR` values).
    Literal,
}

/// Extracts the next word at or after `*pos`, like systemd's
/// `extract_first_word(EXTRACT_UNQUOTE|...)`. `relax` accepts unterminated
/// quotes.
fn next_word(
    line: &str,
    pos: &mut usize,
    escapes: Escapes,
    relax: bool,
) -> Result<Option<String>, ExecError> {
    let b = line.as_bytes();
    let mut i = *pos;
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    if i >= b.len() {
        *pos = i;
        return Ok(None);
    }
    // Fast path: most words have no quotes or escapes and are copied in one go.
    let plain_end = b[i..]
        .iter()
        .position(|&c| is_ws(c) || matches!(c, b'\\' | b'"' | b'\''))
        .map_or(b.len(), |n| i + n);
    if plain_end == b.len() || is_ws(b[plain_end]) {
        *pos = plain_end;
        return Ok(Some(line[i..plain_end].to_owned()));
    }
    let mut word: Vec<u8> = Vec::with_capacity(plain_end - i + 16);
    word.extend_from_slice(&b[i..plain_end]);
    i = plain_end;
    let mut quote: Option<(u8, usize)> = None;
    while i < b.len() {
        let c = b[i];
        match (c, quote) {
            (b'\\', _) => {
                let rest = &b[i + 1..];
                let Some(&next) = rest.first() else {
                    match escapes {
                        Escapes::CRelaxed if quote.is_none() => word.push(b'\\'),
                        Escapes::Literal => {}
                        _ => return Err(error(line, i, ExecErrorKind::TrailingBackslash)),
                    }
                    i += 1;
                    break;
                };
                match (escapes, cunescape_one(rest)) {
                    (Escapes::C | Escapes::CRelaxed, Some((bytes, used))) => {
                        word.extend_from_slice(&bytes);
                        i += 1 + used;
                    }
                    (Escapes::C, None) => {
                        return Err(error(line, i, ExecErrorKind::BadEscape));
                    }
                    (Escapes::CRelaxed, None) => {
                        word.extend_from_slice(&[b'\\', next]);
                        i += 2;
                    }
                    (Escapes::Literal, _) => {
                        word.push(next);
                        i += 2;
                    }
                }
                continue;
            }
            (q, Some((open, _))) if q == open => quote = None,
            (_, Some(_)) => word.push(c),
            (b'"' | b'\'', None) => quote = Some((c, i)),
            (c, None) if is_ws(c) => break,
            (c, None) => word.push(c),
        }
        i += 1;
    }
    if let Some((q, at)) = quote
        && !relax
    {
        return Err(error(
            line,
            at,
            ExecErrorKind::UnterminatedQuote(char::from(q)),
        ));
    }
    *pos = i;
    String::from_utf8(word)
        .map(Some)
        .map_err(|_| error(line, i, ExecErrorKind::InvalidUtf8))
}

/// Whether `path` is usable as an executable: absolute, or a plain file name.
fn executable_is_valid(path: &str) -> bool {
    // systemd's string_is_safe(): no control characters, quotes or backslashes.
    if path
        .chars()
        .any(|c| c.is_control() || matches!(c, '"' | '\'' | '\\'))
    {
        return false;
    }
    if path.starts_with('/') {
        !path.ends_with('/') && path.len() < 4096 && !path.split('/').any(|c| c.len() > 255)
    } else {
        !path.is_empty() && path != "." && path != ".." && !path.contains('/') && path.len() <= 255
    }
}

impl ExecCommand {
    /// Parses one command line (after specifier expansion).
    pub fn parse(line: &str) -> Result<ExecCommand, ExecError> {
        let mut pos = 0;
        let b = line.as_bytes();
        while pos < b.len() && is_ws(b[pos]) {
            pos += 1;
        }
        let first_at = pos;
        let Some(first) = next_word(line, &mut pos, Escapes::C, false)? else {
            return Err(error(line, first_at, ExecErrorKind::Empty));
        };
        if first == ";" && b.get(first_at) == Some(&b';') {
            return Err(error(line, first_at, ExecErrorKind::Semicolon));
        }
        let mut prefixes = ExecPrefixes::default();
        let mut rest = first.as_str();
        loop {
            let column = first_at + (first.len() - rest.len());
            let (flag, len, ch) = if rest.starts_with("!!") {
                (&mut prefixes.ambient_magic, 2, '!')
            } else {
                match rest.as_bytes().first() {
                    Some(b'@') => (&mut prefixes.separate_argv0, 1, '@'),
                    Some(b'-') => (&mut prefixes.ignore_failure, 1, '-'),
                    Some(b':') => (&mut prefixes.no_env_expand, 1, ':'),
                    Some(b'+') => (&mut prefixes.full_privileges, 1, '+'),
                    Some(b'!') => (&mut prefixes.no_setuid, 1, '!'),
                    _ => break,
                }
            };
            if *flag {
                return Err(error(line, column, ExecErrorKind::RepeatedPrefix(ch)));
            }
            *flag = true;
            if prefixes.full_privileges && (prefixes.no_setuid || prefixes.ambient_magic) {
                return Err(error(line, column, ExecErrorKind::ConflictingPrefixes));
            }
            if prefixes.no_setuid && prefixes.ambient_magic {
                return Err(error(line, column, ExecErrorKind::RepeatedPrefix('!')));
            }
            rest = &rest[len..];
        }
        let path_column = first_at + (first.len() - rest.len());
        if rest.is_empty() {
            return Err(error(line, path_column, ExecErrorKind::Empty));
        }
        if !executable_is_valid(rest) {
            return Err(error(
                line,
                path_column,
                ExecErrorKind::InvalidExecutable(rest.to_owned()),
            ));
        }
        let mut argv = Vec::new();
        if !prefixes.separate_argv0 {
            argv.push(rest.to_owned());
        }
        // Like systemd, the executable is simplified but argv[0] kept as written.
        let path = crate::escape::simplify_path(rest);
        loop {
            while pos < b.len() && is_ws(b[pos]) {
                pos += 1;
            }
            let word_at = pos;
            // `\;` alone is a literal ';', a lone ';' the old command separator.
            let ends_word = |at: usize| b.get(at).is_none_or(|&c| is_ws(c));
            if b.get(pos) == Some(&b'\\') && b.get(pos + 1) == Some(&b';') && ends_word(pos + 2) {
                argv.push(";".to_owned());
                pos += 2;
                continue;
            }
            if b.get(pos) == Some(&b';') && ends_word(pos + 1) {
                return Err(error(line, word_at, ExecErrorKind::Semicolon));
            }
            match next_word(line, &mut pos, Escapes::CRelaxed, false)? {
                Some(w) => argv.push(w),
                None => break,
            }
        }
        if argv.is_empty() {
            return Err(error(line, pos, ExecErrorKind::MissingArgv0));
        }
        Ok(ExecCommand {
            prefixes,
            path,
            argv,
        })
    }

    /// Substitutes environment variables in `argv` the way systemd does when
    /// starting the command: a word that is exactly `$NAME` is replaced by the
    /// value split on whitespace (quotes in the value group words; unset gives
    /// no word at all), `${NAME}` anywhere in a word is replaced by the value
    /// as is (unset gives the empty string), `$$` gives `$`, and any other `$`
    /// is kept. With the `:` prefix nothing is substituted.
    pub fn substitute_env(&self, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        if self.prefixes.no_env_expand {
            return self.argv.clone();
        }
        let mut out = Vec::with_capacity(self.argv.len());
        for word in &self.argv {
            if let Some(name) = word.strip_prefix('$')
                && !name.starts_with(['{', '$'])
            {
                if let Some(value) = env(name) {
                    let mut pos = 0;
                    while let Ok(Some(w)) = next_word(&value, &mut pos, Escapes::Literal, true) {
                        out.push(w);
                    }
                }
                continue;
            }
            out.push(replace_env(word, env));
        }
        out
    }
}

/// systemd's `replace_env`: `${NAME}` substituted, `$$` gives `$`.
fn replace_env(word: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    if !word.contains('$') {
        return word.to_owned();
    }
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('{')
            && let Some(end) = tail.find('}')
        {
            out.push_str(&env(&tail[..end]).unwrap_or_default());
            rest = &tail[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Whether `name` is a valid environment variable name.
fn env_name_is_valid(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Parses an `Environment=` value: whitespace-separated `NAME=VALUE` words,
/// quoted and C-unescaped like command-line words.
///
/// ```
/// use flotta_unit_spec::exec::parse_environment;
/// let vars = parse_environment(r#"A=1 "B=two words" C="x y""#).unwrap();
/// assert_eq!(vars[1], ("B".to_owned(), "two words".to_owned()));
/// assert_eq!(vars[2], ("C".to_owned(), "x y".to_owned()));
/// ```
pub fn parse_environment(value: &str) -> Result<Vec<(String, String)>, ExecError> {
    let mut out = Vec::new();
    let mut pos = 0;
    let b = value.as_bytes();
    loop {
        while pos < b.len() && is_ws(b[pos]) {
            pos += 1;
        }
        let at = pos;
        let Some(word) = next_word(value, &mut pos, Escapes::C, false)? else {
            break;
        };
        match word.split_once('=') {
            Some((k, v)) if env_name_is_valid(k) => out.push((k.to_owned(), v.to_owned())),
            _ => return Err(error(value, at, ExecErrorKind::InvalidAssignment(word))),
        }
    }
    Ok(out)
}

/// An `EnvironmentFile=` line that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFileError {
    /// 1-based line number.
    pub line: usize,
    /// The offending key.
    pub key: String,
}

impl fmt::Display for EnvFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: {:?} is not a valid environment variable name (names are [A-Za-z_][A-Za-z0-9_]*",
            self.line, self.key
        )?;
        if self.key.starts_with("export ") {
            write!(f, "; systemd does not support the shell's `export` keyword")?;
        }
        write!(f, ")")
    }
}

impl std::error::Error for EnvFileError {}

/// Parses an `EnvironmentFile=` file like systemd's `load_env_file`:
/// `KEY=VALUE` lines, `#` and `;` comment lines, single quotes (literal),
/// double quotes (`\` escapes `"`, `\`, `` ` ``, `$` and newlines), unquoted
/// values with `\` escapes and trailing whitespace trimmed, backslash-newline
/// continuations. Lines without `=` are ignored, as in systemd; a key that is
/// not a valid name (such as `export FOO`) is an error.
pub fn parse_environment_file(text: &str) -> Result<Vec<(String, String)>, EnvFileError> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        PreKey,
        Key,
        Comment,
        CommentEscape,
        PreValue,
        Value,
        ValueEscape,
        Single,
        Double,
        DoubleEscape,
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut state = S::PreKey;
    let mut key = String::new();
    let mut value = String::new();
    let mut line = 1;
    let mut key_line = 1;
    // Length of `value` up to its last character that must not be trimmed.
    let mut keep = 0;
    let mut push = |key: &mut String,
                    value: &mut String,
                    keep: usize,
                    line: usize|
     -> Result<(), EnvFileError> {
        let k = key.trim_end().to_owned();
        value.truncate(value.trim_end().len().max(keep));
        if !env_name_is_valid(&k) {
            return Err(EnvFileError { line, key: k });
        }
        out.retain(|(existing, _)| *existing != k);
        out.push((k, std::mem::take(value)));
        key.clear();
        Ok(())
    };
    for c in text.chars().chain(std::iter::once('\n')) {
        match state {
            S::PreKey => {
                if c == '#' || c == ';' {
                    state = S::Comment;
                } else if !c.is_whitespace() {
                    key_line = line;
                    key.push(c);
                    state = S::Key;
                }
            }
            S::Key => {
                if c == '\n' {
                    key.clear();
                    state = S::PreKey;
                } else if c == '=' {
                    state = S::PreValue;
                    keep = 0;
                } else {
                    key.push(c);
                }
            }
            S::Comment => {
                if c == '\\' {
                    state = S::CommentEscape;
                } else if c == '\n' {
                    state = S::PreKey;
                }
            }
            S::CommentEscape => state = S::Comment,
            S::PreValue => {
                if c == '\n' {
                    push(&mut key, &mut value, keep, key_line)?;
                    state = S::PreKey;
                } else if c == '\'' {
                    state = S::Single;
                } else if c == '"' {
                    state = S::Double;
                } else if c == '\\' {
                    state = S::ValueEscape;
                } else if !c.is_whitespace() {
                    value.push(c);
                    keep = value.len();
                    state = S::Value;
                }
            }
            S::Value => {
                if c == '\n' {
                    push(&mut key, &mut value, keep, key_line)?;
                    state = S::PreKey;
                } else if c == '\\' {
                    state = S::ValueEscape;
                } else {
                    value.push(c);
                }
            }
            S::ValueEscape => {
                state = S::Value;
                if c != '\n' {
                    value.push(c);
                    keep = value.len();
                }
            }
            S::Single => {
                if c == '\'' {
                    keep = value.len();
                    state = S::PreValue;
                } else {
                    value.push(c);
                }
            }
            S::Double => {
                if c == '"' {
                    keep = value.len();
                    state = S::PreValue;
                } else if c == '\\' {
                    state = S::DoubleEscape;
                } else {
                    value.push(c);
                }
            }
            S::DoubleEscape => {
                state = S::Double;
                if matches!(c, '"' | '\\' | '`' | '$') {
                    value.push(c);
                } else if c != '\n' {
                    value.push('\\');
                    value.push(c);
                }
            }
        }
        if c == '\n' {
            line += 1;
        }
    }
    Ok(out)
}
