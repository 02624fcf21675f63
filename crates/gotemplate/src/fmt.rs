//! Go's `fmt` for template values: what `{{.}}`, `print`, `println` and
//! `printf` write, verb for verb (`%v %+v %d %s %q %x %e %f %g %t %c %T`,
//! widths, precisions, flags, `%!d(string=x)` for a wrong verb).

use crate::value::Value;

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_into(&mut out, c, '"');
    }
    out.push('"');
    out
}

fn escape_into(out: &mut String, c: char, q: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == q => {
            out.push('\\');
            out.push(c);
        }
        c if is_go_printable(c) => out.push(c),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers,
/// punctuation, symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Unassigned, private-use, and format characters are not printable;
    // Rust has no category API, so keep the common ranges out.
    !matches!(c as u32, 0xFFF9..=0xFFFB | 0xFEFF | 0x200B..=0x200F | 0x2028..=0x202E | 0xE000..=0xF8FF | 0xFFFE..=0xFFFF)
}

/// Go's `strconv.QuoteRune`.
fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    escape_into(&mut out, c, '\'');
    out.push('\'');
    out
}

/// `fmt.Sprint`: a space between operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_string = |v: &Value| matches!(v, Value::String(_));
        if i > 0 && !is_string(a) && !is_string(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&format_verb(a, &Spec::plain('v')));
    }
    out
}

/// `fmt.Sprintln`: spaces between all operands, then a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|a| format_verb(a, &Spec::plain('v')))
        .collect();
    let mut out = parts.join(" ");
    out.push('\n');
    out
}

/// One conversion: verb, flags, width, precision.
#[derive(Debug, Clone, Default)]
struct Spec {
    verb: char,
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Spec {
    fn plain(verb: char) -> Spec {
        Spec {
            verb,
            ..Spec::default()
        }
    }
}

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut argn = 0usize;
    let mut reordered = false;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        // Flags.
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '+' => spec.plus = true,
                '-' => spec.minus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        // Argument index, width, precision.
        let mut bad_index = false;
        let mut take_index = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
                              argn: &mut usize|
         -> bool {
            if chars.peek().map(|&(_, c)| c) != Some('[') {
                return false;
            }
            chars.next();
            let mut n = String::new();
            while let Some(&(_, d)) = chars.peek() {
                chars.next();
                if d == ']' {
                    match n.parse::<usize>() {
                        Ok(i) if i >= 1 && i <= args.len() => {
                            *argn = i - 1;
                            return true;
                        }
                        _ => {
                            bad_index = true;
                            return true;
                        }
                    }
                }
                n.push(d);
            }
            bad_index = true;
            true
        };
        reordered |= take_index(&mut chars, &mut argn);
        if chars.peek().map(|&(_, c)| c) == Some('*') {
            chars.next();
            match args.get(argn) {
                Some(Value::Int(w)) => {
                    if *w < 0 {
                        spec.minus = true;
                    }
                    spec.width = Some(w.unsigned_abs() as usize);
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            argn += 1;
        } else {
            spec.width = read_number(&mut chars);
        }
        if chars.peek().map(|&(_, c)| c) == Some('.') {
            chars.next();
            reordered |= take_index(&mut chars, &mut argn);
            if chars.peek().map(|&(_, c)| c) == Some('*') {
                chars.next();
                match args.get(argn) {
                    Some(Value::Int(p)) if *p >= 0 => spec.prec = Some(*p as usize),
                    _ => out.push_str("%!(BADPREC)"),
                }
                argn += 1;
            } else {
                spec.prec = Some(read_number(&mut chars).unwrap_or(0));
            }
        }
        reordered |= take_index(&mut chars, &mut argn);
        if spec.minus {
            spec.zero = false;
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        spec.verb = verb;
        if verb == '%' {
            out.push('%');
            continue;
        }
        if bad_index {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
            continue;
        }
        match args.get(argn) {
            None => out.push_str(&format!("%!{verb}(MISSING)")),
            Some(a) => {
                out.push_str(&format_verb(a, &spec));
                argn += 1;
            }
        }
    }
    if !reordered && argn < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[argn..]
            .iter()
            .map(|a| format!("{}={}", go_type(a), format_verb(a, &Spec::plain('v'))))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn read_number(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(&(_, d)) = chars.peek() {
        let Some(v) = d.to_digit(10) else { break };
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(v as usize));
        chars.next();
    }
    n
}

fn go_type(v: &Value) -> String {
    match v {
        Value::Missing | Value::Nil => "<nil>".into(),
        other => other.type_name(),
    }
}

fn bad_verb(v: &Value, verb: char) -> String {
    match v {
        Value::Missing | Value::Nil => format!("%!{verb}(<nil>)"),
        other => format!(
            "%!{verb}({}={})",
            other.type_name(),
            format_verb(other, &Spec::plain('v'))
        ),
    }
}

/// Formats one operand with one verb.
fn format_verb(v: &Value, spec: &Spec) -> String {
    if spec.verb == 'T' {
        return pad(&go_type(v), spec);
    }
    match v {
        Value::Missing | Value::Nil => match spec.verb {
            'v' => pad("<nil>", spec),
            verb => bad_verb(v, verb),
        },
        Value::Bool(b) => match spec.verb {
            'v' | 't' => pad(if *b { "true" } else { "false" }, spec),
            verb => bad_verb(v, verb),
        },
        Value::Int(i) => format_int(*i, spec).unwrap_or_else(|| bad_verb(v, spec.verb)),
        Value::Float(f) => format_float(*f, spec).unwrap_or_else(|| bad_verb(v, spec.verb)),
        Value::String(s) => format_str(s, spec).unwrap_or_else(|| bad_verb(v, spec.verb)),
        Value::List(l) => {
            let items: Vec<String> = l.items.iter().map(|i| format_inner(i, spec)).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Map(m) => {
            let items: Vec<String> = m
                .entries
                .iter()
                .map(|(k, val)| {
                    format!(
                        "{}:{}",
                        format_inner(&Value::String(k.as_str().into()), spec),
                        format_inner(val, spec)
                    )
                })
                .collect();
            format!("map[{}]", items.join(" "))
        }
        Value::Struct(s) => {
            if let Some(text) = stringer(v) {
                return format_str(&text, spec).unwrap_or_else(|| bad_verb(v, spec.verb));
            }
            let items: Vec<String> = s
                .fields
                .iter()
                .map(|(name, val)| {
                    if spec.plus {
                        format!("{name}:{}", format_inner(val, spec))
                    } else {
                        format_inner(val, spec)
                    }
                })
                .collect();
            format!("{{{}}}", items.join(" "))
        }
        Value::Func(_) => match spec.verb {
            'v' | 'p' => pad("0xfunc", spec),
            verb => bad_verb(v, verb),
        },
    }
}

/// An element inside a list, map or struct: the same verb, no width.
fn format_inner(v: &Value, spec: &Spec) -> String {
    format_verb(v, spec)
}

/// The `String()` method's result, for values that have one.
pub(crate) fn stringer(v: &Value) -> Option<String> {
    let Value::Struct(s) = v else { return None };
    let f = s.methods.get("String")?;
    if !f.params().is_empty() || f.rest().is_some() {
        return None;
    }
    match f.call(&[]) {
        Ok(Value::String(text)) => Some(text.to_string()),
        _ => None,
    }
}

fn pad(s: &str, spec: &Spec) -> String {
    let Some(width) = spec.width else {
        return s.to_owned();
    };
    let n = s.chars().count();
    if n >= width {
        return s.to_owned();
    }
    let fill = width - n;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero {
        format!("{}{s}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn format_str(s: &str, spec: &Spec) -> Option<String> {
    let truncated: String = match spec.prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_owned(),
    };
    Some(match spec.verb {
        'v' | 's' => pad(&truncated, spec),
        'q' => {
            if spec.sharp && !truncated.contains('`') {
                pad(&format!("`{truncated}`"), spec)
            } else {
                pad(&quote(&truncated), spec)
            }
        }
        'x' | 'X' => {
            let sep = if spec.space { " " } else { "" };
            let hex: Vec<String> = truncated
                .bytes()
                .map(|b| {
                    let mut h = if spec.verb == 'x' {
                        format!("{b:02x}")
                    } else {
                        format!("{b:02X}")
                    };
                    if spec.sharp {
                        h.insert_str(0, if spec.verb == 'x' { "0x" } else { "0X" });
                    }
                    h
                })
                .collect();
            pad(&hex.join(sep), spec)
        }
        _ => return None,
    })
}

fn format_int(i: i64, spec: &Spec) -> Option<String> {
    let neg = i < 0;
    let u = i.unsigned_abs();
    let (digits, prefix) = match spec.verb {
        'v' | 'd' => (u.to_string(), ""),
        'b' => (format!("{u:b}"), if spec.sharp { "0b" } else { "" }),
        'o' => (format!("{u:o}"), if spec.sharp { "0" } else { "" }),
        'O' => (format!("{u:o}"), "0o"),
        'x' => (format!("{u:x}"), if spec.sharp { "0x" } else { "" }),
        'X' => (format!("{u:X}"), if spec.sharp { "0X" } else { "" }),
        'c' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            return Some(pad(&c.to_string(), spec));
        }
        'q' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            return Some(pad(&quote_rune(c), spec));
        }
        'U' => {
            let mut s = format!("U+{u:04X}");
            if spec.sharp
                && let Some(c) = u32::try_from(i).ok().and_then(char::from_u32)
            {
                s.push_str(&format!(" '{c}'"));
            }
            return Some(pad(&s, spec));
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return None,
        _ => return None,
    };
    let mut digits = digits;
    if let Some(p) = spec.prec {
        if p == 0 && u == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let body = format!("{prefix}{digits}");
    if spec.zero
        && spec.prec.is_none()
        && let Some(w) = spec.width
    {
        let n = sign.len() + body.len();
        if n < w {
            return Some(format!("{sign}{prefix}{}{digits}", "0".repeat(w - n)));
        }
    }
    Some(pad(
        &format!("{sign}{body}"),
        &Spec {
            zero: false,
            ..spec.clone()
        },
    ))
}

/// Digits of `f` and its decimal exponent: `1.25` is ("125", 1), the
/// position of the point after the first digit being `dp`.
fn digits(f: f64, sig: Option<usize>) -> (String, i32) {
    let s = match sig {
        None => format!("{f:e}"),
        Some(p) => format!("{f:.*e}", p.saturating_sub(1)),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: String = mant.chars().filter(char::is_ascii_digit).collect();
    while d.len() > 1 && d.ends_with('0') {
        d.pop();
    }
    (d, exp + 1)
}

/// Go's `%e` layout from digits: `d.ddde±XX`.
fn layout_e(neg: bool, d: &str, dp: i32, prec: usize, e: char) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let mut ds: Vec<char> = d.chars().collect();
    while ds.len() < prec + 1 {
        ds.push('0');
    }
    out.push(ds[0]);
    if prec > 0 {
        out.push('.');
        out.extend(&ds[1..=prec]);
    }
    let exp = if d == "0" { 0 } else { dp - 1 };
    out.push(e);
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

/// Go's `%f` layout from digits with `frac` decimals (digits already rounded).
fn layout_f(neg: bool, d: &str, dp: i32, frac: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let ds: Vec<char> = d.chars().collect();
    let digit = |i: i32| -> char {
        if i >= 0 && (i as usize) < ds.len() {
            ds[i as usize]
        } else {
            '0'
        }
    };
    if dp > 0 {
        for i in 0..dp {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    if frac > 0 {
        out.push('.');
        for i in 0..frac as i32 {
            out.push(digit(dp + i));
        }
    }
    out
}

/// strconv.FormatFloat(f, fmt, prec, 64) for `e`, `f`, `g` (and upper case).
fn format_float_go(f: f64, verb: char, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = f.is_sign_negative();
    let a = f.abs();
    let e = if verb.is_ascii_uppercase() { 'E' } else { 'e' };
    match verb.to_ascii_lowercase() {
        'e' => {
            let p = prec.unwrap_or(6);
            let (d, dp) = digits(a, Some(p + 1));
            layout_e(neg, &d, dp, p, e)
        }
        'f' => {
            let p = prec.unwrap_or(6);
            let s = format!("{a:.p$}");
            if neg { format!("-{s}") } else { s }
        }
        _ => {
            // %g: shortest, or `prec` significant digits.
            let shortest = prec.is_none();
            let p = match prec {
                Some(0) => 1,
                Some(p) => p,
                None => 0,
            };
            let (d, dp) = if shortest {
                digits(a, None)
            } else {
                digits(a, Some(p))
            };
            let nd = if d == "0" { 1 } else { d.len() };
            let mut eprec = if shortest { nd } else { p };
            if !shortest && eprec > nd && nd as i32 >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = if d == "0" { 0 } else { dp - 1 };
            let digs_prec = if shortest { nd } else { p };
            if exp < -4 || exp >= eprec as i32 {
                let pp = digs_prec.min(nd);
                layout_e(neg, &d, dp, pp.saturating_sub(1), e)
            } else {
                let pp = if digs_prec > dp.max(0) as usize {
                    nd
                } else {
                    digs_prec
                };
                let frac = (pp as i32 - dp).max(0) as usize;
                layout_f(neg, &d, dp, frac)
            }
        }
    }
}

fn format_float(f: f64, spec: &Spec) -> Option<String> {
    let verb = match spec.verb {
        'v' => 'g',
        v @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G') => v,
        _ => return None,
    };
    let verb = if verb == 'F' { 'f' } else { verb };
    let mut num = format_float_go(f, verb, spec.prec);
    let special = num.ends_with("Inf") || num == "NaN";
    if !num.starts_with(['-', '+']) {
        num.insert(0, '+');
    }
    if spec.space && num.starts_with('+') && !spec.plus {
        num.replace_range(0..1, " ");
    }
    if special {
        if num.ends_with("NaN") && !spec.space && !spec.plus {
            num.remove(0);
        }
        return Some(pad(
            &num,
            &Spec {
                zero: false,
                ..spec.clone()
            },
        ));
    }
    if spec.sharp && !num[1..].contains('.') {
        let at = num.find(['e', 'E']).unwrap_or(num.len());
        num.insert(at, '.');
    }
    if spec.plus || !num.starts_with('+') {
        if spec.zero
            && let Some(w) = spec.width
            && w > num.len()
        {
            let (sign, rest) = num.split_at(1);
            return Some(format!("{sign}{}{rest}", "0".repeat(w - num.len())));
        }
        return Some(pad(&num, spec));
    }
    Some(pad(&num[1..], spec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_prints_them() {
        let v = |f: f64| format_verb(&Value::Float(f), &Spec::plain('v'));
        assert_eq!(v(1.5), "1.5");
        assert_eq!(v(1e6), "1e+06");
        assert_eq!(v(123456.0), "123456");
        assert_eq!(v(0.0001), "0.0001");
        assert_eq!(v(0.00001), "1e-05");
        assert_eq!(v(3.0), "3");
        assert_eq!(sprintf("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(sprintf("%e", &[Value::Float(1234.5678)]), "1.234568e+03");
        assert_eq!(sprintf("%g", &[Value::Float(100000000.0)]), "1e+08");
        assert_eq!(sprintf("%.3g", &[Value::Float(1.0)]), "1");
        assert_eq!(sprintf("%6.2f|", &[Value::Float(-1.5)]), " -1.50|");
    }

    #[test]
    fn verbs_and_mistakes() {
        assert_eq!(sprintf("%d %s", &[Value::Int(3), Value::from("x")]), "3 x");
        assert_eq!(sprintf("%d", &[Value::from("hi")]), "%!d(string=hi)");
        assert_eq!(sprintf("%d", &[]), "%!d(MISSING)");
        assert_eq!(sprintf("x", &[Value::Int(3)]), "x%!(EXTRA int=3)");
        assert_eq!(
            sprintf(
                "%05d|%-4d|%x",
                &[Value::Int(-42), Value::Int(7), Value::Int(255)]
            ),
            "-0042|7   |ff"
        );
        assert_eq!(sprintf("%q", &[Value::from("a\"b\n")]), r#""a\"b\n""#);
        assert_eq!(
            sprint(&[
                Value::Int(1),
                Value::Int(2),
                Value::from("a"),
                Value::Int(3)
            ]),
            "1 2a3"
        );
    }
}
