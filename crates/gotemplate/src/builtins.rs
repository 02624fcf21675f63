//! Go's predefined functions (`text/template/funcs.go`): `and or not len
//! index slice print printf println html js urlquery call eq ne lt le gt ge`.
//! `and` and `or` short-circuit in the executor; their bodies here only give
//! the signature.

use std::collections::BTreeMap;

use crate::fmt::{sprint, sprintf, sprintln};
use crate::value::{Function, Param, Value};

const BAD_TYPE: &str = "invalid type for comparison";
const INCOMPATIBLE: &str = "incompatible types for comparison";

/// The builtin function map.
pub(crate) fn builtins() -> BTreeMap<String, Function> {
    let mut m = BTreeMap::new();
    let mut add = |name: &str, f: Function| {
        m.insert(name.to_owned(), f);
    };
    let v = || Param::Value;
    add("and", Function::variadic([v()], v(), |a| Ok(a[0].clone())));
    add("or", Function::variadic([v()], v(), |a| Ok(a[0].clone())));
    add(
        "not",
        Function::new([v()], |a| Ok(Value::Bool(!a[0].is_true()))),
    );
    add("len", Function::new([v()], |a| length(&a[0])));
    add(
        "index",
        Function::variadic([v()], v(), |a| index(&a[0], &a[1..])),
    );
    add(
        "slice",
        Function::variadic([v()], v(), |a| slice(&a[0], &a[1..])),
    );
    add(
        "call",
        Function::variadic([v()], v(), |a| call(&a[0], &a[1..])),
    );
    add(
        "print",
        Function::variadic([], Param::Any, |a| Ok(sprint(a).into())),
    );
    add(
        "println",
        Function::variadic([], Param::Any, |a| Ok(sprintln(a).into())),
    );
    add(
        "printf",
        Function::variadic([Param::String], Param::Any, |a| {
            Ok(sprintf(a[0].as_str().unwrap_or_default(), &a[1..]).into())
        }),
    );
    add(
        "html",
        Function::variadic([], Param::Any, |a| Ok(html_escape(&eval_args(a)).into())),
    );
    add(
        "js",
        Function::variadic([], Param::Any, |a| Ok(js_escape(&eval_args(a)).into())),
    );
    add(
        "urlquery",
        Function::variadic([], Param::Any, |a| Ok(query_escape(&eval_args(a)).into())),
    );
    add(
        "eq",
        Function::variadic([v()], v(), |a| eq(&a[0], &a[1..]).map(Value::Bool)),
    );
    add(
        "ne",
        Function::new([v(), v()], |a| eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b))),
    );
    add(
        "lt",
        Function::new([v(), v()], |a| lt(&a[0], &a[1]).map(Value::Bool)),
    );
    add(
        "le",
        Function::new([v(), v()], |a| le(&a[0], &a[1]).map(Value::Bool)),
    );
    add(
        "gt",
        Function::new([v(), v()], |a| le(&a[0], &a[1]).map(|b| Value::Bool(!b))),
    );
    add(
        "ge",
        Function::new([v(), v()], |a| lt(&a[0], &a[1]).map(|b| Value::Bool(!b))),
    );
    m
}

fn length(item: &Value) -> Result<Value, String> {
    let n = match item {
        Value::String(s) => s.len(),
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.entries.len(),
        Value::Missing | Value::Nil => return Err("len of nil pointer".into()),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Value::Int(n as i64))
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x = match index {
        Value::Int(i) => *i,
        Value::Missing | Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if matches!(item, Value::Missing | Value::Nil) {
        return Err("index of untyped nil".into());
    }
    let mut item = item.clone();
    for index in indexes {
        item = match &item {
            Value::List(l) => {
                let x = index_arg(index, l.items.len())?;
                l.items
                    .get(x)
                    .cloned()
                    .ok_or_else(|| format!("index out of range: {x}"))?
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                Value::Int(i64::from(
                    *s.as_bytes()
                        .get(x)
                        .ok_or_else(|| format!("index out of range: {x}"))?,
                ))
            }
            Value::Map(m) => match index {
                Value::String(k) => m
                    .entries
                    .get(&**k)
                    .cloned()
                    .unwrap_or_else(|| m.zero.clone()),
                Value::Missing | Value::Nil => {
                    return Err("value is nil; should be of type string".into());
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            Value::Missing | Value::Nil => return Err("index of nil pointer".into()),
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if matches!(item, Value::Missing | Value::Nil) {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let (len, cap) = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            (s.len(), s.len())
        }
        Value::List(l) => (l.items.len(), l.items.len()),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0, len, cap];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, cap)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Value::String(s) => String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]])
            .into_owned()
            .into(),
        Value::List(l) => Value::list(&l.type_name, l.items[idx[0]..idx[1]].iter().cloned()),
        _ => Value::Missing,
    })
}

fn call(f: &Value, args: &[Value]) -> Result<Value, String> {
    let f = match f {
        Value::Func(f) => f,
        Value::Missing | Value::Nil => return Err("call of nil".into()),
        other => return Err(format!("non-function of type {}", other.type_name())),
    };
    let fixed = f.params().len();
    if f.rest().is_some() {
        if args.len() < fixed {
            return Err(format!(
                "wrong number of args: got {} want at least {fixed}",
                args.len()
            ));
        }
    } else if args.len() != fixed {
        return Err(format!(
            "wrong number of args: got {} want {fixed}",
            args.len()
        ));
    }
    let mut argv = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let p = f.param(i).cloned().unwrap_or(Param::Any);
        argv.push(prepare_arg(a, &p).map_err(|e| format!("arg {i}: {e}"))?);
    }
    f.call(&argv)
}

fn prepare_arg(v: &Value, p: &Param) -> Result<Value, String> {
    let ok = match (v, p) {
        (_, Param::Value) => true,
        (Value::Missing | Value::Nil, Param::Any) => return Ok(Value::Nil),
        (Value::Missing | Value::Nil, p) => {
            return Err(format!("value is nil; should be of type {}", p.type_name()));
        }
        (_, Param::Any) => true,
        (Value::Bool(_), Param::Bool)
        | (Value::Int(_), Param::Int)
        | (Value::Float(_), Param::Float)
        | (Value::String(_), Param::String) => true,
        (v, Param::Named(n)) => v.type_name() == *n,
        _ => false,
    };
    if ok {
        Ok(v.clone())
    } else {
        Err(format!(
            "value has type {}; should be {}",
            v.type_name(),
            p.type_name()
        ))
    }
}

#[derive(PartialEq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn eq(a: &Value, rest: &[Value]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a);
    for b in rest {
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            if !matches!(a, Value::Missing) && !matches!(b, Value::Missing) {
                return Err(INCOMPATIBLE.into());
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::String(x), Value::String(y)) => x == y,
                _ => {
                    let nil = |v: &Value| matches!(v, Value::Missing | Value::Nil);
                    if nil(a) || nil(b) {
                        nil(a) == nil(b)
                    } else if std::mem::discriminant(a) != std::mem::discriminant(b) {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprint(std::slice::from_ref(a)),
                            a.type_name(),
                            b.type_name(),
                            sprint(std::slice::from_ref(b))
                        ));
                    } else {
                        match a {
                            Value::List(_) | Value::Map(_) | Value::Func(_) => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    sprint(std::slice::from_ref(b)),
                                    b.type_name()
                                ));
                            }
                            _ => a == b,
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(BAD_TYPE.into());
    }
    if k1 != k2 {
        return Err(INCOMPATIBLE.into());
    }
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x < y),
        _ => Err(BAD_TYPE.into()),
    }
}

fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

/// The text `html`, `js` and `urlquery` escape: one string as is, else
/// what `print` makes of the arguments (no value printed as `<no value>`).
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Missing | Value::Nil => Value::from("<no value>"),
            other => other.clone(),
        })
        .collect();
    sprint(&printable)
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if !c.is_control() => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
