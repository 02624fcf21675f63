//! Unit-name globs with Go's `path.Match` semantics, as fleet used for
//! `Conflicts=`, `Replaces=` and `list-units` patterns.
//!
//! `*` matches any run of characters except `/`, `?` one character except `/`,
//! `[abc]`, `[a-z]` and `[^a-z]` classes, and `\` escapes the next character.
//! A malformed pattern never matches (fleet ignored the error); [`Glob::new`]
//! reports it so `verify` can warn.
//!
//! ```
//! use flotta_unit_spec::glob::Glob;
//!
//! let g = Glob::new("*@8080.service").unwrap();
//! assert!(g.matches("sample.application.1@8080.service"));
//! assert!(!g.matches("sample.application.4@8081.service"));
//! ```

use std::fmt;

use thiserror::Error;

/// A compiled unit-name pattern.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    pattern: String,
}

/// A pattern Go's `path.Match` would reject with `ErrBadPattern`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("bad glob pattern {pattern:?}: {reason}")]
pub struct GlobError {
    /// The pattern.
    pub pattern: String,
    /// What is wrong.
    pub reason: &'static str,
}

impl Glob {
    /// Checks `pattern` and keeps it.
    ///
    /// # Errors
    /// An unclosed `[`, a dangling `\` or an empty or reversed range.
    pub fn new(pattern: &str) -> Result<Glob, GlobError> {
        validate(pattern).map_err(|reason| GlobError {
            pattern: pattern.to_owned(),
            reason,
        })?;
        Ok(Glob {
            pattern: pattern.to_owned(),
        })
    }

    /// The pattern text.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        glob_match(&self.pattern, name)
    }

    /// Whether the pattern has no wildcard at all (it matches only itself).
    pub fn is_literal(&self) -> bool {
        !self.pattern.contains(['*', '?', '[', '\\'])
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

impl fmt::Debug for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glob({:?})", self.pattern)
    }
}

/// Go's `path.Match(pattern, name)`, with a bad pattern meaning "no match".
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n).unwrap_or(false)
}

fn validate(pattern: &str) -> Result<(), &'static str> {
    let p: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                if i + 1 >= p.len() {
                    return Err("trailing '\\' escapes nothing");
                }
                i += 2;
            }
            '[' => match class(&p, i + 1, None) {
                Ok((_, next)) => i = next,
                Err(e) => return Err(e),
            },
            _ => i += 1,
        }
    }
    Ok(())
}

/// Backtracking matcher over chars; `Err` for a bad pattern.
fn match_from(p: &[char], n: &[char]) -> Result<bool, &'static str> {
    let (mut pi, mut ni) = (0, 0);
    // Where to resume after the last `*`: (pattern index after star, name index).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi + 1, ni));
                    pi += 1;
                    continue;
                }
                '?' if ni < n.len() && n[ni] != '/' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' if ni < n.len() => {
                    let (hit, next) = class(p, pi + 1, Some(n[ni]))?;
                    if hit {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                '\\' => {
                    let Some(&c) = p.get(pi + 1) else {
                        return Err("trailing '\\' escapes nothing");
                    };
                    if ni < n.len() && n[ni] == c {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c if c != '?' && c != '[' && ni < n.len() && n[ni] == c => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Ok(true);
        }
        // Mismatch: let the last `*` swallow one more character (never a `/`).
        match star {
            Some((sp, sn)) if sn < n.len() && n[sn] != '/' => {
                star = Some((sp, sn + 1));
                pi = sp;
                ni = sn + 1;
            }
            _ => {
                validate_rest(p, pi)?;
                return Ok(false);
            }
        }
    }
}

/// Go reports a bad pattern even when the match already failed.
fn validate_rest(p: &[char], from: usize) -> Result<(), &'static str> {
    let rest: String = p[from.min(p.len())..].iter().collect();
    validate(&rest)
}

/// Parses a class starting after `[` at `start`; returns (matched `c`, index after `]`).
fn class(p: &[char], start: usize, c: Option<char>) -> Result<(bool, usize), &'static str> {
    let mut i = start;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let Some(&ch) = p.get(i) else {
            return Err("unclosed '['");
        };
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let (lo, next) = class_char(p, i)?;
        i = next;
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            let (h, next) = class_char(p, i + 1)?;
            hi = h;
            i = next;
            if hi < lo {
                return Err("reversed range in '[...]'");
            }
        }
        if let Some(c) = c
            && lo <= c
            && c <= hi
        {
            matched = true;
        }
    }
    let hit = c.is_some_and(|c| c != '/' && matched != negated);
    Ok((hit, i))
}

fn class_char(p: &[char], i: usize) -> Result<(char, usize), &'static str> {
    match p.get(i) {
        None => Err("unclosed '['"),
        Some('-') | Some(']') => Err("empty or unescaped range bound in '[...]'"),
        Some('\\') => p
            .get(i + 1)
            .map(|&c| (c, i + 2))
            .ok_or("trailing '\\' escapes nothing"),
        Some(&c) => Ok((c, i + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from Go's src/path/match_test.go (matchTests).
    #[test]
    fn go_path_match_vectors() {
        let cases: &[(&str, &str, Option<bool>)] = &[
            ("abc", "abc", Some(true)),
            ("*", "abc", Some(true)),
            ("*c", "abc", Some(true)),
            ("a*", "a", Some(true)),
            ("a*", "abc", Some(true)),
            ("a*", "ab/c", Some(false)),
            ("a*/b", "abc/b", Some(true)),
            ("a*/b", "a/c/b", Some(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Some(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Some(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Some(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Some(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Some(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Some(false)),
            ("ab[c]", "abc", Some(true)),
            ("ab[b-d]", "abc", Some(true)),
            ("ab[e-g]", "abc", Some(false)),
            ("ab[^c]", "abc", Some(false)),
            ("ab[^b-d]", "abc", Some(false)),
            ("ab[^e-g]", "abc", Some(true)),
            ("a\\*b", "a*b", Some(true)),
            ("a\\*b", "ab", Some(false)),
            ("a?b", "a☺b", Some(true)),
            ("a[^a]b", "a☺b", Some(true)),
            ("a???b", "a☺b", Some(false)),
            ("a[^a][^a][^a]b", "a☺b", Some(false)),
            ("[a-ζ]*", "α", Some(true)),
            ("*[a-ζ]", "A", Some(false)),
            ("a?b", "a/b", Some(false)),
            ("a*b", "a/b", Some(false)),
            ("[\\]a]", "]", Some(true)),
            ("[\\-]", "-", Some(true)),
            ("[x\\-]", "x", Some(true)),
            ("[x\\-]", "-", Some(true)),
            ("[x\\-]", "z", Some(false)),
            ("[\\-x]", "x", Some(true)),
            ("[\\-x]", "-", Some(true)),
            ("[\\-x]", "a", Some(false)),
            ("[]a]", "]", None),
            ("[-]", "-", None),
            ("[x-]", "x", None),
            ("[x-]", "-", None),
            ("[x-]", "z", None),
            ("[-x]", "x", None),
            ("[-x]", "-", None),
            ("[-x]", "a", None),
            ("\\", "a", None),
            ("[a-b-c]", "a", None),
            ("[", "a", None),
            ("[^", "a", None),
            ("[^bc", "a", None),
            ("a[", "a", None),
            ("a[", "ab", None),
            ("*x", "xxx", Some(true)),
        ];
        for &(pattern, name, want) in cases {
            let p: Vec<char> = pattern.chars().collect();
            let n: Vec<char> = name.chars().collect();
            let got = match_from(&p, &n).ok();
            assert_eq!(got, want, "path.Match({pattern:?}, {name:?})");
            assert_eq!(Glob::new(pattern).is_ok(), want.is_some(), "{pattern:?}");
            assert_eq!(glob_match(pattern, name), want == Some(true));
        }
    }

    #[test]
    fn fleet_conflict_patterns() {
        assert!(glob_match(
            "*@%i.service".replace("%i", "8080").as_str(),
            "a@8080.service"
        ));
        assert!(glob_match(
            "sample.application.httpd*@*.service",
            "sample.application.httpd.1@80.service"
        ));
        assert!(Glob::new("foo.service").unwrap().is_literal());
    }
}
