//! confd's template function map (`resource/template/template_funcs.go`
//! and memkv's `get gets getv getvs exists ls lsdir`), each with the Go
//! signature confd registers, so arguments are checked and results typed as
//! confd's are.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use flotta_gotemplate::{Function, Param, Value};

use crate::gopath;
use crate::store::{KV_PAIR, KV_PAIRS, Store, kv_pair};

const STRINGS: &str = "[]string";
const KV_SLICE: &str = "[]memkv.KVPair";

fn s(a: &Value) -> &str {
    a.as_str().unwrap_or_default()
}

fn i(a: &Value) -> i64 {
    a.as_int().unwrap_or_default()
}

fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.items.iter().map(|x| s(x).to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// The function map for one render over `store`.
pub fn func_map(store: Arc<Store>) -> BTreeMap<String, Function> {
    let mut m = BTreeMap::new();
    let mut add = |name: &str, f: Function| {
        m.insert(name.to_owned(), f);
    };
    let st = Param::String;

    // memkv.
    let kv = Arc::clone(&store);
    add(
        "get",
        Function::new([st.clone()], move |a| match kv.get(s(&a[0])) {
            Some(v) => Ok(kv_pair(s(&a[0]), v)),
            None => Err(format!("key does not exist: {}", s(&a[0]))),
        }),
    );
    let kv = Arc::clone(&store);
    add(
        "gets",
        Function::new([st.clone()], move |a| {
            let pairs = kv.get_all(s(&a[0]))?;
            Ok(Value::list(
                KV_PAIRS,
                pairs.into_iter().map(|(k, v)| kv_pair(k, v)),
            ))
        }),
    );
    let kv = Arc::clone(&store);
    add(
        "getv",
        Function::variadic([st.clone()], st.clone(), move |a| match kv.get(s(&a[0])) {
            Some(v) => Ok(Value::from(v)),
            None => match a.get(1) {
                Some(default) => Ok(default.clone()),
                None => Err(format!("key does not exist: {}", s(&a[0]))),
            },
        }),
    );
    let kv = Arc::clone(&store);
    add(
        "getvs",
        Function::new([st.clone()], move |a| {
            let mut values: Vec<String> = kv
                .get_all(s(&a[0]))?
                .into_iter()
                .map(|(_, v)| v.to_owned())
                .collect();
            values.sort();
            Ok(Value::strings(values))
        }),
    );
    let kv = Arc::clone(&store);
    add(
        "exists",
        Function::new([st.clone()], move |a| {
            Ok(Value::Bool(kv.get(s(&a[0])).is_some()))
        }),
    );
    let kv = Arc::clone(&store);
    add(
        "ls",
        Function::new([st.clone()], move |a| Ok(Value::strings(kv.list(s(&a[0]))))),
    );
    let kv = store;
    add(
        "lsdir",
        Function::new([st.clone()], move |a| {
            Ok(Value::strings(kv.list_dir(s(&a[0]))))
        }),
    );

    // Paths and strings.
    add(
        "base",
        Function::new([st.clone()], |a| Ok(gopath::base(s(&a[0])).into())),
    );
    add(
        "dir",
        Function::new([st.clone()], |a| Ok(gopath::dir(s(&a[0])).into())),
    );
    add(
        "split",
        Function::new([st.clone(), st.clone()], |a| {
            Ok(Value::strings(split(s(&a[0]), s(&a[1]))))
        }),
    );
    add(
        "join",
        Function::new([Param::Named(STRINGS.into()), st.clone()], |a| {
            Ok(string_list(&a[0]).join(s(&a[1])).into())
        }),
    );
    add(
        "toUpper",
        Function::new([st.clone()], |a| Ok(simple_case(s(&a[0]), true).into())),
    );
    add(
        "toLower",
        Function::new([st.clone()], |a| Ok(simple_case(s(&a[0]), false).into())),
    );
    add(
        "contains",
        Function::new([st.clone(), st.clone()], |a| {
            Ok(Value::Bool(s(&a[0]).contains(s(&a[1]))))
        }),
    );
    add(
        "replace",
        Function::new([st.clone(), st.clone(), st.clone(), Param::Int], |a| {
            Ok(replace(s(&a[0]), s(&a[1]), s(&a[2]), i(&a[3])).into())
        }),
    );
    add(
        "trimSuffix",
        Function::new([st.clone(), st.clone()], |a| {
            Ok(s(&a[0]).strip_suffix(s(&a[1])).unwrap_or(s(&a[0])).into())
        }),
    );
    add(
        "getenv",
        Function::variadic([st.clone()], st.clone(), |a| {
            let v = std::env::var(s(&a[0])).unwrap_or_default();
            if v.is_empty() {
                return Ok(a.get(1).cloned().unwrap_or_else(|| Value::from("")));
            }
            Ok(v.into())
        }),
    );
    add(
        "base64Encode",
        Function::new([st.clone()], |a| {
            Ok(base64::engine::general_purpose::STANDARD
                .encode(s(&a[0]))
                .into())
        }),
    );
    add(
        "base64Decode",
        Function::new([st.clone()], |a| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s(&a[0]))
                .map_err(|e| base64_error(s(&a[0]), &e))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned().into())
        }),
    );
    add(
        "parseBool",
        Function::new([st.clone()], |a| parse_bool(s(&a[0])).map(Value::Bool)),
    );
    add(
        "atoi",
        Function::new([st.clone()], |a| atoi(s(&a[0])).map(Value::Int)),
    );
    add(
        "fileExists",
        Function::new([st.clone()], |a| {
            Ok(Value::Bool(std::fs::symlink_metadata(s(&a[0])).is_ok()))
        }),
    );

    // JSON and maps.
    add(
        "json",
        Function::new([st.clone()], |a| json_object(s(&a[0]))),
    );
    add(
        "jsonArray",
        Function::new([st.clone()], |a| json_array(s(&a[0]))),
    );
    add("map", Function::variadic([], Param::Any, create_map));

    // Lists.
    add(
        "reverse",
        Function::new([Param::Any], |a| Ok(reverse(&a[0]))),
    );
    add(
        "sortByLength",
        Function::new([Param::Named(STRINGS.into())], |a| {
            let mut v = string_list(&a[0]);
            v.sort_by_key(|x| x.len());
            Ok(Value::strings(v))
        }),
    );
    add(
        "sortKVByLength",
        Function::new([Param::Any], |a| sort_kv_by_length(&a[0])),
    );
    add(
        "seq",
        Function::new([Param::Int, Param::Int], |a| {
            Ok(Value::list("[]int", (i(&a[0])..=i(&a[1])).map(Value::Int)))
        }),
    );

    // Arithmetic on Go ints.
    let int2 = || [Param::Int, Param::Int];
    add(
        "add",
        Function::new(int2(), |a| Ok(Value::Int(i(&a[0]).wrapping_add(i(&a[1]))))),
    );
    add(
        "sub",
        Function::new(int2(), |a| Ok(Value::Int(i(&a[0]).wrapping_sub(i(&a[1]))))),
    );
    add(
        "mul",
        Function::new(int2(), |a| Ok(Value::Int(i(&a[0]).wrapping_mul(i(&a[1]))))),
    );
    add(
        "div",
        Function::new(int2(), |a| {
            i(&a[0])
                .checked_div(i(&a[1]))
                .map(Value::Int)
                .ok_or_else(|| "runtime error: integer divide by zero".to_owned())
        }),
    );
    add(
        "mod",
        Function::new(int2(), |a| {
            i(&a[0])
                .checked_rem(i(&a[1]))
                .map(Value::Int)
                .ok_or_else(|| "runtime error: integer divide by zero".to_owned())
        }),
    );

    // Time and DNS.
    add("datetime", Function::new([], |_| Ok(crate::gotime::now())));
    add(
        "lookupIP",
        Function::new([st.clone()], |a| {
            Ok(Value::strings(crate::dns::lookup_ip(s(&a[0]))))
        }),
    );
    add(
        "lookupIPV4",
        Function::new([st.clone()], |a| {
            Ok(Value::strings(
                crate::dns::lookup_ip(s(&a[0]))
                    .into_iter()
                    .filter(|ip| ip.contains('.')),
            ))
        }),
    );
    add(
        "lookupIPV6",
        Function::new([st.clone()], |a| {
            Ok(Value::strings(
                crate::dns::lookup_ip(s(&a[0]))
                    .into_iter()
                    .filter(|ip| ip.contains(':')),
            ))
        }),
    );
    add(
        "lookupSRV",
        Function::new([st.clone(), st.clone(), st], |a| {
            let records = crate::dns::lookup_srv(s(&a[0]), s(&a[1]), s(&a[2]));
            Ok(Value::list(
                "[]*net.SRV",
                records.into_iter().map(|r| {
                    Value::structure(
                        "*net.SRV",
                        [
                            ("Target", Value::from(r.target)),
                            ("Port", Value::Int(i64::from(r.port))),
                            ("Priority", Value::Int(i64::from(r.priority))),
                            ("Weight", Value::Int(i64::from(r.weight))),
                        ],
                    )
                }),
            ))
        }),
    );
    m
}

/// Go's `strings.ToUpper`/`ToLower`: rune by rune, Unicode's simple case
/// mapping (`ß` stays `ß`; Rust's full mapping would make it `SS`).
fn simple_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut mapped: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if mapped.len() == 1 {
                mapped.remove(0)
            } else {
                c
            }
        })
        .collect()
}

/// Go's `strings.Split`.
fn split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(String::from).collect();
    }
    s.split(sep).map(str::to_owned).collect()
}

/// Go's `strings.Replace` (`n < 0`: every occurrence).
fn replace(s: &str, old: &str, new: &str, n: i64) -> String {
    if n == 0 || old == new {
        return s.to_owned();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    if old.is_empty() {
        // Go inserts `new` before every rune and at the end.
        let mut out = String::new();
        let mut done = 0;
        for c in s.chars() {
            if done < limit {
                out.push_str(new);
                done += 1;
            }
            out.push(c);
        }
        if done < limit {
            out.push_str(new);
        }
        return out;
    }
    s.replacen(old, new, limit)
}

fn parse_bool(text: &str) -> Result<bool, String> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            flotta_gotemplate::sprintf("%q", &[Value::from(text)])
        )),
    }
}

fn atoi(text: &str) -> Result<i64, String> {
    let quoted = flotta_gotemplate::sprintf("%q", &[Value::from(text)]);
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {quoted}: invalid syntax"));
    }
    text.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {quoted}: value out of range"))
}

fn base64_error(input: &str, e: &base64::DecodeError) -> String {
    let at = match e {
        base64::DecodeError::InvalidByte(at, _) | base64::DecodeError::InvalidLastSymbol(at, _) => {
            *at
        }
        base64::DecodeError::InvalidLength(n) => *n,
        base64::DecodeError::InvalidPadding => input.len(),
    };
    format!("illegal base64 data at input byte {at}")
}

/// A JSON value as Go's `encoding/json` decodes it into `interface{}`:
/// numbers are `float64`, objects `map[string]interface {}`.
fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => Value::list("[]interface {}", a.into_iter().map(from_json)),
        serde_json::Value::Object(o) => Value::map(o.into_iter().map(|(k, v)| (k, from_json(v)))),
    }
}

fn json_object(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string())? {
        serde_json::Value::Null => Ok(Value::typed_map::<String>(
            "map[string]interface {}",
            Value::Nil,
            std::iter::empty(),
        )),
        v @ serde_json::Value::Object(_) => Ok(from_json(v)),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
    }
}

fn json_array(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string())? {
        serde_json::Value::Null => Ok(Value::list("[]interface {}", [])),
        v @ serde_json::Value::Array(_) => Ok(from_json(v)),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        )),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn create_map(args: &[Value]) -> Result<Value, String> {
    if !args.len().is_multiple_of(2) {
        return Err("invalid map call".into());
    }
    let mut entries = Vec::new();
    for pair in args.chunks(2) {
        let Value::String(k) = &pair[0] else {
            return Err("map keys must be strings".into());
        };
        entries.push((k.to_string(), pair[1].clone()));
    }
    Ok(Value::map(entries))
}

/// confd's `Reverse`: only `[]string` and `[]memkv.KVPair` are reversed
/// (a `memkv.KVPairs` from `gets` is returned as it is, as in confd).
fn reverse(v: &Value) -> Value {
    match v {
        Value::List(l) if l.type_name == STRINGS || l.type_name == KV_SLICE => {
            Value::list(&l.type_name, l.items.iter().rev().cloned())
        }
        other => other.clone(),
    }
}

fn sort_kv_by_length(v: &Value) -> Result<Value, String> {
    match v {
        Value::List(l) if l.type_name == KV_PAIRS || l.type_name == KV_SLICE => {
            let mut items = l.items.clone();
            let len = |x: &Value| x.field("Key").and_then(Value::as_str).map_or(0, str::len);
            items.sort_by_key(len);
            Ok(Value::list(KV_SLICE, items))
        }
        other => Err(format!(
            "wrong type for value; expected []{KV_PAIR}; got {}",
            other.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_string_functions() {
        assert_eq!(simple_case("straße", true), "STRAßE");
        assert_eq!(simple_case("Value", false), "value");
        assert_eq!(split("foo:bar:baz", ":"), ["foo", "bar", "baz"]);
        assert_eq!(split("", ":"), [""]);
        assert_eq!(replace("a-b-c", "-", "_", -1), "a_b_c");
        assert_eq!(replace("a-b-c", "-", "_", 1), "a_b-c");
        assert_eq!(replace("ab", "", "-", -1), "-a-b-");
        assert_eq!(parse_bool("T"), Ok(true));
        assert!(parse_bool("yes").unwrap_err().contains("invalid syntax"));
        assert_eq!(atoi("-42"), Ok(-42));
        assert_eq!(
            atoi("4x"),
            Err("strconv.Atoi: parsing \"4x\": invalid syntax".into())
        );
    }
}
