//! The data a template sees: Go's dynamic values, modelled as one enum.
//!
//! Go templates run on reflection; here a [`Value`] carries what reflection
//! would have told: its kind, its Go type name (so errors read as Go's do,
//! `expected string; got int`), and for maps and structs their entries.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A value a template evaluates, in Go's terms.
#[derive(Clone)]
pub enum Value {
    /// No value at all: Go's invalid `reflect.Value` (a missing map key,
    /// `nil` data). Prints as `<no value>`.
    Missing,
    /// A nil interface inside a container (JSON `null`). Prints as `<nil>`.
    Nil,
    /// `bool`.
    Bool(bool),
    /// `int` (and Go's other signed integer types).
    Int(i64),
    /// `float64`.
    Float(f64),
    /// `string`.
    String(Arc<str>),
    /// A slice, with its Go type name (`[]string`, `[]interface {}`).
    List(Arc<List>),
    /// A map with string keys, iterated and printed in key order as Go does.
    Map(Arc<Map>),
    /// A struct: named fields in declaration order, and methods.
    Struct(Arc<Struct>),
    /// A function value, for the `call` builtin.
    Func(Function),
}

/// A slice.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// Go's name for the type, e.g. `[]string`.
    pub type_name: String,
    /// The elements.
    pub items: Vec<Value>,
}

/// A map with string keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// Go's name for the type, e.g. `map[string]interface {}`.
    pub type_name: String,
    /// The entries.
    pub entries: BTreeMap<String, Value>,
    /// What `index` returns for a missing key (the element type's zero).
    pub zero: Value,
}

/// A struct value.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Go's name for the type, e.g. `memkv.KVPair`.
    pub type_name: String,
    /// Exported fields in declaration order.
    pub fields: Vec<(String, Value)>,
    /// Methods, bound to this value. A `String` method is used to print it
    /// (Go's `fmt.Stringer`).
    pub methods: BTreeMap<String, Function>,
}

impl PartialEq for Struct {
    fn eq(&self, other: &Self) -> bool {
        self.type_name == other.type_name && self.fields == other.fields
    }
}

/// What a function parameter accepts; mirrors Go's argument conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// Any value, passed as it is, even no value at all (Go's builtins take
    /// `reflect.Value` this way).
    Value,
    /// `interface{}`: anything; an untyped number constant becomes `int`
    /// or `float64` as in Go.
    Any,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `float64`.
    Float,
    /// `string`.
    String,
    /// A list, map or struct of this Go type name (`[]string`).
    Named(String),
}

impl Param {
    /// Go's name of the type, as errors print it.
    pub fn type_name(&self) -> &str {
        match self {
            Param::Value => "reflect.Value",
            Param::Any => "interface {}",
            Param::Bool => "bool",
            Param::Int => "int",
            Param::Float => "float64",
            Param::String => "string",
            Param::Named(n) => n,
        }
    }
}

type Body = dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync;

/// A function templates can call: its signature (so arguments are checked
/// and converted as Go checks them) and its body. An `Err` from the body is
/// Go's second, `error`, result: it stops the template with
/// `error calling NAME: MESSAGE`.
#[derive(Clone)]
pub struct Function {
    params: Arc<[Param]>,
    variadic: Option<Param>,
    body: Arc<Body>,
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function")
            .field("params", &self.params)
            .field("variadic", &self.variadic)
            .finish_non_exhaustive()
    }
}

impl Function {
    /// A function taking exactly `params`.
    pub fn new(
        params: impl Into<Vec<Param>>,
        body: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Function {
            params: params.into().into(),
            variadic: None,
            body: Arc::new(body),
        }
    }

    /// A function taking `params` and then any number of `rest`.
    pub fn variadic(
        params: impl Into<Vec<Param>>,
        rest: Param,
        body: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Function {
            params: params.into().into(),
            variadic: Some(rest),
            body: Arc::new(body),
        }
    }

    /// The fixed parameters.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The type of the variadic parameters, if any.
    pub fn rest(&self) -> Option<&Param> {
        self.variadic.as_ref()
    }

    /// The parameter type of argument `i`, or `None` past the end.
    pub fn param(&self, i: usize) -> Option<&Param> {
        self.params.get(i).or(self.variadic.as_ref())
    }

    /// Runs the body on already checked arguments.
    ///
    /// # Errors
    /// The body's error.
    pub fn call(&self, args: &[Value]) -> Result<Value, String> {
        (self.body)(args)
    }

    /// Go's name of the function's type, e.g. `func(string) string`.
    pub fn type_name(&self) -> String {
        let mut ps: Vec<String> = self.params.iter().map(|p| p.type_name().into()).collect();
        if let Some(r) = &self.variadic {
            ps.push(format!("...{}", r.type_name()));
        }
        format!("func({})", ps.join(", "))
    }
}

impl Value {
    /// A string.
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A `[]string`.
    pub fn strings<S: Into<Arc<str>>>(items: impl IntoIterator<Item = S>) -> Value {
        Value::list(
            "[]string",
            items.into_iter().map(|s| Value::String(s.into())),
        )
    }

    /// A list of Go type `type_name`.
    pub fn list(type_name: &str, items: impl IntoIterator<Item = Value>) -> Value {
        Value::List(Arc::new(List {
            type_name: type_name.into(),
            items: items.into_iter().collect(),
        }))
    }

    /// A `map[string]interface {}`.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::typed_map("map[string]interface {}", Value::Nil, entries)
    }

    /// A map of Go type `type_name` whose missing keys index as `zero`.
    pub fn typed_map<K: Into<String>>(
        type_name: &str,
        zero: Value,
        entries: impl IntoIterator<Item = (K, Value)>,
    ) -> Value {
        Value::Map(Arc::new(Map {
            type_name: type_name.into(),
            entries: entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            zero,
        }))
    }

    /// A struct of Go type `type_name` with these fields and no methods.
    pub fn structure<K: Into<String>>(
        type_name: &str,
        fields: impl IntoIterator<Item = (K, Value)>,
    ) -> Value {
        Value::Struct(Arc::new(Struct {
            type_name: type_name.into(),
            fields: fields.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            methods: BTreeMap::new(),
        }))
    }

    /// Go's name of the value's type (`<nil>` for no value).
    pub fn type_name(&self) -> String {
        match self {
            Value::Missing => "<nil>".into(),
            Value::Nil => "interface {}".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::List(l) => l.type_name.clone(),
            Value::Map(m) => m.type_name.clone(),
            Value::Struct(s) => s.type_name.clone(),
            Value::Func(f) => f.type_name(),
        }
    }

    /// Go's truth: false, 0, a nil or empty string, slice or map are false;
    /// everything else (structs, functions) is true.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.entries.is_empty(),
            Value::Struct(_) | Value::Func(_) => true,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A struct's field by name.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Struct(s) => s.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Missing, Value::Missing) | (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Struct(a), Value::Struct(b)) => a == b,
            (Value::Func(a), Value::Func(b)) => Arc::ptr_eq(&a.body, &b.body),
            _ => false,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Missing => f.write_str("Missing"),
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Float(x) => write!(f, "Float({x})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::List(l) => write!(f, "{}{:?}", l.type_name, l.items),
            Value::Map(m) => write!(f, "{}{:?}", m.type_name, m.entries),
            Value::Struct(s) => write!(f, "{}{:?}", s.type_name, s.fields),
            Value::Func(func) => write!(f, "{}", func.type_name()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}
