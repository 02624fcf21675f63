//! Go's own execution cases: every entry of `execTests` in Go 1.19's
//! `src/text/template/exec_test.go`, run here on an equivalent of its `tVal`
//! fixture and function map (`tests/vectors/go_exec_cases.rs`, with the
//! output and the error text Go printed for each). Every case must match
//! Go's output and its success or failure; where the error text differs the
//! case is listed in `DIFFERENT_ERROR` with the reason. Cases that need what
//! Go values have and these do not (complex numbers, channels, pointers,
//! integer map keys, unexported fields, `uint` types) are listed in
//! `NOT_APPLICABLE`.

use std::collections::BTreeMap;
use std::sync::Arc;

use flotta_gotemplate::{Function, Param, Struct, Template, Value};

pub struct Case {
    pub name: &'static str,
    pub input: &'static str,
    pub output: &'static str,
    pub data: &'static str,
    pub ok: bool,
    pub err: &'static str,
}

mod vectors {
    use super::Case;
    include!("vectors/go_exec_cases.rs");
}

/// Inputs whose data or functions Go has and this value model does not.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    ("ideal complex", "complex numbers"),
    ("dot complex", "complex numbers"),
    ("dot uint", "unsigned integer types"),
    ("map .WRONG type", "integer map keys"),
    ("ComplexZero", "complex numbers"),
    (".unexported", "unexported fields"),
];

/// Substrings of inputs that touch such values.
const NOT_APPLICABLE_INPUTS: &[(&str, &str)] = &[
    ("MII", "integer map keys"),
    ("MI32S", "integer map keys"),
    ("MI64S", "integer map keys"),
    ("MUI32S", "integer map keys"),
    ("MUI64S", "integer map keys"),
    ("MI8S", "integer map keys"),
    ("MUI8S", "integer map keys"),
    ("U16", "unsigned integer types"),
    ("count", "channels"),
    (".NIL", "typed nil pointers"),
    (".PI", "pointers"),
    (".PS", "pointers"),
    (".PSI", "pointers"),
    ("NilOKFunc", "typed nil pointers"),
    ("NonEmptyInterface", "non-empty interfaces"),
    ("SICap", "slice capacity"),
    ("Tmpl", "*Template values"),
    ("PanicFunc", "panics"),
    ("die", "panics"),
    ("vfunc", "pointer receivers"),
    ("stringer", "interface parameters"),
    ("ComplexZero", "complex numbers"),
    (".Copy", "pointer methods returning pointers"),
    (".Err", "the error interface"),
    (".W", "the error interface"),
    ("ErrFunc", "the error interface"),
    ("1i", "complex numbers"),
    ("1.5i", "complex numbers"),
    ("7i", "complex numbers"),
    ("3i", "complex numbers"),
    ("0i", "complex numbers"),
    ("2i", "complex numbers"),
    ("uint", "unsigned integer types"),
    ("0x8000000000000000", "unsigned integer types"),
];

fn s(x: &str) -> Value {
    Value::from(x)
}

fn ints(type_name: &str, xs: &[i64]) -> Value {
    Value::list(type_name, xs.iter().map(|&i| Value::Int(i)))
}

fn msi(pairs: &[(&str, i64)]) -> Value {
    Value::typed_map(
        "map[string]int",
        Value::Int(0),
        pairs.iter().map(|&(k, v)| (k, Value::Int(v))),
    )
}

fn with_methods(
    type_name: &str,
    fields: Vec<(&str, Value)>,
    methods: Vec<(&str, Function)>,
) -> Value {
    Value::Struct(Arc::new(Struct {
        type_name: type_name.into(),
        fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        methods: methods
            .into_iter()
            .map(|(k, f)| (k.to_owned(), f))
            .collect(),
    }))
}

fn stringer(type_name: &str, text: &'static str) -> Value {
    with_methods(
        type_name,
        vec![],
        vec![("String", Function::new([], move |_| Ok(s(text))))],
    )
}

fn u(v: &str) -> Value {
    with_methods(
        "*template.U",
        vec![("V", s(v))],
        vec![(
            "TrueFalse",
            Function::new([Param::Bool], |a| {
                Ok(s(if a[0] == Value::Bool(true) {
                    "true"
                } else {
                    ""
                }))
            }),
        )],
    )
}

/// Go's `tVal`, less the fields this model cannot hold.
fn tval() -> Value {
    let fields = vec![
        ("True", Value::Bool(true)),
        ("I", Value::Int(17)),
        ("X", s("x")),
        ("S", s("xyz")),
        ("FloatZero", Value::Float(0.0)),
        ("U", u("v")),
        ("V0", stringer("template.V", "<6666>")),
        ("V1", stringer("*template.V", "<7777>")),
        ("V2", stringer("*template.V", "nilV")),
        ("SI", ints("[]int", &[3, 4, 5])),
        ("SIEmpty", ints("[]int", &[])),
        (
            "SB",
            Value::list("[]bool", [Value::Bool(true), Value::Bool(false)]),
        ),
        ("AI", ints("[3]int", &[3, 4, 5])),
        ("MSI", msi(&[("one", 1), ("two", 2), ("three", 3)])),
        ("MSIone", msi(&[("one", 1)])),
        ("MSIEmpty", msi(&[])),
        (
            "MXI",
            Value::typed_map(
                "map[interface {}]int",
                Value::Int(0),
                [("one", Value::Int(1))],
            ),
        ),
        (
            "SMSI",
            Value::list(
                "[]map[string]int",
                [
                    msi(&[("one", 1), ("two", 2)]),
                    msi(&[("eleven", 11), ("twelve", 12)]),
                ],
            ),
        ),
        ("Empty0", Value::Nil),
        ("Empty1", Value::Int(3)),
        ("Empty2", s("empty2")),
        ("Empty3", ints("[]int", &[7, 8])),
        ("Empty4", u("UinEmpty")),
        ("Str", stringer("*bytes.Buffer", "foozle")),
        (
            "BinaryFunc",
            Value::Func(Function::new([Param::String, Param::String], |a| {
                Ok(s(&format!("[{}={}]", str_of(&a[0]), str_of(&a[1]))))
            })),
        ),
        (
            "VariadicFunc",
            Value::Func(Function::variadic([], Param::String, |a| {
                let parts: Vec<&str> = a.iter().map(str_of).collect();
                Ok(s(&format!("<{}>", parts.join("+"))))
            })),
        ),
        (
            "VariadicFuncInt",
            Value::Func(Function::variadic([Param::Int], Param::String, |a| {
                let parts: Vec<&str> = a[1..].iter().map(str_of).collect();
                Ok(s(&format!(
                    "{}=<{}>",
                    a[0].as_int().unwrap_or(0),
                    parts.join("+")
                )))
            })),
        ),
    ];
    let methods = vec![
        ("Method0", Function::new([], |_| Ok(s("M0")))),
        ("Method1", Function::new([Param::Int], |a| Ok(a[0].clone()))),
        (
            "Method2",
            Function::new([Param::Int, Param::String], |a| {
                Ok(s(&format!(
                    "Method2: {} {}",
                    a[0].as_int().unwrap_or(0),
                    str_of(&a[1])
                )))
            }),
        ),
        (
            "Method3",
            Function::new([Param::Any], |a| {
                Ok(s(&format!(
                    "Method3: {}",
                    flotta_gotemplate::sprint(&a[..1])
                )))
            }),
        ),
        (
            "MAdd",
            Function::new([Param::Int, Param::Named("[]int".into())], |a| {
                let add = a[0].as_int().unwrap_or(0);
                let Value::List(l) = &a[1] else {
                    return Err("not a list".into());
                };
                Ok(Value::list(
                    "[]int",
                    l.items
                        .iter()
                        .map(|x| Value::Int(x.as_int().unwrap_or(0) + add)),
                ))
            }),
        ),
        (
            "MyError",
            Function::new([Param::Bool], |a| {
                if a[0] == Value::Bool(true) {
                    Err("my error".into())
                } else {
                    Ok(Value::Bool(false))
                }
            }),
        ),
        ("GetU", Function::new([], |_| Ok(u("v")))),
    ];
    with_methods("*template.T", fields, methods)
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn data(name: &str) -> Option<Value> {
    Some(match name {
        "tVal" => tval(),
        "nil" => Value::Missing,
        "float64:15.1" => Value::Float(15.1),
        "bool:true" => Value::Bool(true),
        "[]int:[-1 -2 -3]" => ints("[]int", &[-1, -2, -3]),
        "map[string]int:map[two:22]" => msi(&[("two", 22)]),
        "struct { a int; b string }:{7 seven}" => Value::structure(
            "struct { a int; b string }",
            [("a", Value::Int(7)), ("b", s("seven"))],
        ),
        "map[string]interface {}:map[S:foozle]" => {
            Value::map([("S", stringer("*bytes.Buffer", "foozle"))])
        }
        "map[string]string:map[cause:neglect]" => {
            Value::typed_map("map[string]string", s(""), [("cause", s("neglect"))])
        }
        other => {
            let (t, v) = other.split_once(':')?;
            match t {
                "int" | "int32" => Value::Int(v.parse().ok()?),
                "string" => s(v),
                _ => return None,
            }
        }
    })
}

fn funcs() -> BTreeMap<String, Function> {
    let mut m = BTreeMap::new();
    let mut add = |n: &str, f: Function| {
        m.insert(n.to_owned(), f);
    };
    add(
        "add",
        Function::variadic([], Param::Int, |a| {
            Ok(Value::Int(a.iter().filter_map(Value::as_int).sum()))
        }),
    );
    add(
        "dddArg",
        Function::variadic([Param::Int], Param::String, |a| {
            let rest = Value::strings(a[1..].iter().map(|v| str_of(v).to_owned()));
            Ok(s(&format!(
                "{} {}\n",
                a[0].as_int().unwrap_or(0),
                flotta_gotemplate::sprint(&[rest])
            )))
        }),
    );
    add("echo", Function::new([Param::Any], |a| Ok(a[0].clone())));
    add(
        "makemap",
        Function::variadic([], Param::String, |a| {
            if a.len() % 2 != 0 {
                return Err("bad makemap".into());
            }
            Ok(Value::typed_map(
                "map[string]string",
                s(""),
                a.chunks(2)
                    .map(|p| (str_of(&p[0]).to_owned(), p[1].clone())),
            ))
        }),
    );
    add(
        "mapOfThree",
        Function::new([], |_| Ok(msi(&[("three", 3)]))),
    );
    add(
        "oneArg",
        Function::new([Param::String], |a| {
            Ok(s(&format!("oneArg={}", str_of(&a[0]))))
        }),
    );
    add("returnInt", Function::new([], |_| Ok(Value::Int(7))));
    add(
        "twoArgs",
        Function::new([Param::String, Param::String], |a| {
            Ok(s(&format!("twoArgs={}{}", str_of(&a[0]), str_of(&a[1]))))
        }),
    );
    add(
        "typeOf",
        Function::new([Param::Any], |a| {
            Ok(s(&flotta_gotemplate::sprintf("%T", &a[..1])))
        }),
    );
    add(
        "valueString",
        Function::new([Param::String], |_| Ok(s("value is ignored"))),
    );
    add("zeroArgs", Function::new([], |_| Ok(s("zeroArgs"))));
    m
}

/// Cases whose error text differs from Go's, and why.
const DIFFERENT_ERROR: &[(&str, &str)] = &[];

fn not_applicable(c: &Case) -> Option<&'static str> {
    if let Some((_, why)) = NOT_APPLICABLE.iter().find(|(n, _)| *n == c.name) {
        return Some(why);
    }
    if let Some((_, why)) = NOT_APPLICABLE_INPUTS
        .iter()
        .find(|(n, _)| c.input.contains(n))
    {
        return Some(why);
    }
    None
}

#[test]
fn go_exec_tests() {
    let mut ran = 0;
    let mut skipped = BTreeMap::<&str, usize>::new();
    let mut failures = Vec::new();
    for c in vectors::EXEC {
        if let Some(why) = not_applicable(c) {
            *skipped.entry(why).or_default() += 1;
            continue;
        }
        let Some(dot) = data(c.data) else {
            *skipped
                .entry("Go struct values other than tVal")
                .or_default() += 1;
            continue;
        };
        ran += 1;
        let mut t = Template::new(c.name);
        t.funcs(funcs());
        let got = t
            .parse(c.input)
            .map_err(|e| e.to_string())
            .and_then(|t| t.execute(&dot).map_err(|e| e.to_string()));
        let go_err = c.err.strip_prefix("PARSE: ").unwrap_or(c.err);
        match (&got, c.ok) {
            (Ok(out), true) if out == c.output => {}
            (Err(e), false) => {
                if e != go_err && !DIFFERENT_ERROR.iter().any(|(n, _)| *n == c.name) {
                    failures.push(format!("{}: error\n   got {e}\n  want {go_err}", c.name));
                }
            }
            _ => failures.push(format!(
                "{}: {:?}\n   got {got:?}\n  want ok={} {:?} {go_err}",
                c.name, c.input, c.ok, c.output
            )),
        }
    }
    println!(
        "Go exec_test.go: {} cases, {ran} run, skipped {skipped:?}",
        vectors::EXEC.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

mod cmp_vectors {
    include!("vectors/go_cmp_cases.rs");
}

/// Go's `cmpStruct`, less its unsigned, pointer, integer-keyed map and
/// interface fields.
fn cmp_struct() -> Value {
    Value::structure(
        "*struct",
        [
            ("NegOne", Value::Int(-1)),
            ("Three", Value::Int(3)),
            ("V1", stringer("template.V", "<0>")),
            ("V2", stringer("template.V", "<0>")),
        ],
    )
}

#[test]
fn go_comparison_tests() {
    let (mut ran, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for &(expr, want, ok) in cmp_vectors::CMP {
        if ["i ", "i\"", "U", "Ptr", "Map", "Iface", "i`"]
            .iter()
            .any(|p| expr.contains(p))
            || expr.ends_with('i')
        {
            skipped += 1;
            continue;
        }
        ran += 1;
        let text = format!("{{{{if {expr}}}}}true{{{{else}}}}false{{{{end}}}}");
        let mut t = Template::new("empty");
        let got = t
            .parse(&text)
            .map_err(|e| e.to_string())
            .and_then(|t| t.execute(&cmp_struct()).map_err(|e| e.to_string()));
        match (&got, ok) {
            (Ok(out), true) if out == want => {}
            (Err(_), false) => {}
            _ => failures.push(format!("{expr}: got {got:?}, want ok={ok} {want}")),
        }
    }
    println!(
        "Go exec_test.go cmpTests: {} cases, {ran} run, {skipped} need complex, unsigned, pointer or interface values",
        cmp_vectors::CMP.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Go's `TestExecError`: an error in a nested template names the template
/// being executed and its position in the file.
#[test]
fn go_exec_error_in_a_nested_template() {
    const EXEC_ERROR_TEXT: &str = "line 1\nline 2\nline 3\n{{template \"one\" .}}\n{{define \"one\"}}{{template \"two\" .}}{{end}}\n{{define \"two\"}}{{template \"three\" .}}{{end}}\n{{define \"three\"}}{{index \"hi\" $}}{{end}}";
    let mut t = Template::new("top");
    t.parse(EXEC_ERROR_TEXT).expect("parse");
    let err = t
        .execute(&Value::Int(5))
        .expect_err("5 is out of range indexing \"hi\"");
    assert_eq!(
        err.to_string(),
        "template: top:7:20: executing \"three\" at <index \"hi\" $>: error calling index: index out of range: 5"
    );
}

/// Go's `TestTree`: other delimiters, and trimming around them.
#[test]
fn go_tree_with_delims_and_trimming() {
    const TREE_TEMPLATE: &str = "\n\t(- define \"tree\" -)\n\t[\n\t\t(- .Val -)\n\t\t(- with .Left -)\n\t\t\t(template \"tree\" . -)\n\t\t(- end -)\n\t\t(- with .Right -)\n\t\t\t(- template \"tree\" . -)\n\t\t(- end -)\n\t]\n\t(- end -)\n";
    fn tree(val: i64, left: Option<Value>, right: Option<Value>) -> Value {
        Value::structure(
            "*template.Tree",
            [
                ("Val", Value::Int(val)),
                ("Left", left.unwrap_or(Value::Nil)),
                ("Right", right.unwrap_or(Value::Nil)),
            ],
        )
    }
    let leaf = |v| Some(tree(v, None, None));
    let t = tree(
        1,
        Some(tree(
            2,
            Some(tree(3, leaf(4), None)),
            Some(tree(5, leaf(6), None)),
        )),
        Some(tree(
            7,
            Some(tree(8, leaf(9), None)),
            Some(tree(10, leaf(11), None)),
        )),
    );
    let mut tmpl = Template::new("root");
    tmpl.delims("(", ")").parse(TREE_TEMPLATE).expect("parse");
    assert_eq!(
        tmpl.execute_template("tree", &t).expect("exec"),
        "[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]"
    );
}

/// Go's `TestDelims`: each pair, with a comment and a string holding the
/// left delimiter.
#[test]
fn go_delims() {
    let value = Value::structure(
        "struct { Str string }",
        [("Str", Value::from("Hello, world"))],
    );
    for (left, right) in [
        ("", ""),
        ("{{", "}}"),
        ("<<", ">>"),
        ("|", "|"),
        ("(日)", "(本)"),
    ] {
        let (l, r) = (
            if left.is_empty() { "{{" } else { left },
            if right.is_empty() { "}}" } else { right },
        );
        let text = format!("{l}.Str{r}{l}/*comment*/{r}{l}\"{l}\"{r}");
        let mut t = Template::new("delims");
        t.delims(left, right).parse(&text).expect("parse");
        assert_eq!(
            t.execute(&value).expect("exec"),
            format!("Hello, world{l}"),
            "{left:?}"
        );
    }
}
