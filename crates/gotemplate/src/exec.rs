//! Execution: walking a tree with a dot and variables, as Go's
//! `text/template/exec.go` does, with the same argument checks and the same
//! error texts and positions.

use crate::error::{Error, ErrorKind};
use crate::fmt::{quote, sprint};
use crate::parse::{Arg, Branch, Command, Node, Number, Pipe, Tree, position};
use crate::value::{Function, Param, Value};
use crate::{MissingKey, Template};

/// How deep `{{template}}` calls may nest. Go allows 100,000 on its
/// growable stacks; a fixed native stack (a 2 MiB thread's) needs a lower
/// bound.
pub(crate) const MAX_DEPTH: usize = 200;

/// Where execution is, for error messages.
#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Arg(&'a Arg),
    Cmd(&'a Command),
}

impl At<'_> {
    fn pos(&self) -> Option<usize> {
        match self {
            At::None => None,
            At::Node(n) => Some(match n {
                Node::Text(_) => 0,
                Node::Action(p) => p.pos,
                Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
                Node::Template { pos, .. } => *pos,
                Node::Break(p) | Node::Continue(p) => *p,
            }),
            At::Pipe(p) => Some(p.pos),
            At::Arg(a) => Some(a.pos()),
            At::Cmd(c) => Some(c.args[0].pos()),
        }
    }

    fn context(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
        }
    }
}

/// Why a walk stopped early.
pub(crate) enum Stop {
    Break,
    Continue,
    Error(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(e)
    }
}

type R<T> = Result<T, Error>;

pub(crate) struct State<'a> {
    tmpl: &'a Template,
    name: &'a str,
    tree: &'a Tree,
    out: &'a mut String,
    vars: Vec<(String, Value)>,
    depth: usize,
    at: At<'a>,
}

/// Runs template `name` (whose tree is `tree`) on `dot`, appending to `out`.
pub(crate) fn execute(
    tmpl: &Template,
    name: &str,
    tree: &Tree,
    dot: &Value,
    out: &mut String,
) -> Result<(), Error> {
    let mut s = State {
        tmpl,
        name,
        tree,
        out,
        vars: vec![("$".into(), dot.clone())],
        depth: 0,
        at: At::None,
    };
    match s.walk_list(dot, &tree.root) {
        Ok(()) => Ok(()),
        Err(Stop::Error(e)) => Err(e),
        // The parser only allows these inside a range.
        Err(Stop::Break | Stop::Continue) => Ok(()),
    }
}

impl<'a> State<'a> {
    fn errorf<T>(&self, message: String) -> R<T> {
        Err(self.err(message))
    }

    fn err(&self, message: String) -> Error {
        let name = self.name;
        match self.at.pos() {
            None => Error::new(ErrorKind::Exec, format!("template: {name}: {message}")),
            Some(pos) => {
                let (line, col) = position(&self.tree.text, pos);
                let loc = format!("{}:{line}:{col}", self.tree.parse_name);
                Error::located(
                    ErrorKind::Exec,
                    &self.tree.parse_name,
                    line,
                    col,
                    format!(
                        "template: {loc}: executing {} at <{}>: {message}",
                        quote(name),
                        self.at.context()
                    ),
                    message,
                )
            }
        }
    }

    fn walk_list(&mut self, dot: &Value, list: &'a [Node]) -> Result<(), Stop> {
        for node in list {
            self.walk(dot, node)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> Result<(), Stop> {
        self.at = At::Node(node);
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(node, &v)?;
                }
            }
            Node::Break(_) => return Err(Stop::Break),
            Node::Continue(_) => return Err(Stop::Continue),
            Node::If(b) => self.walk_if_or_with(false, dot, b)?,
            Node::With(b) => self.walk_if_or_with(true, dot, b)?,
            Node::Range(b) => self.walk_range(dot, node, b)?,
            Node::Template { name, pipe, .. } => {
                self.walk_template(dot, node, name, pipe.as_ref())?
            }
        }
        Ok(())
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Value, b: &'a Branch) -> Result<(), Stop> {
        let mark = self.vars.len();
        let r = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.is_true() {
                if with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Value, node: &'a Node, r: &'a Branch) -> Result<(), Stop> {
        self.at = At::Node(node);
        let outer = self.vars.len();
        let result = self.range_items(dot, node, r);
        self.vars.truncate(outer);
        match result {
            Ok(true) => Ok(()),
            Ok(false) => match &r.else_list {
                Some(e) => self.walk_list(dot, e),
                None => Ok(()),
            },
            Err(Stop::Break) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Walks the body once per element; `false` when there were none.
    fn range_items(&mut self, dot: &Value, node: &'a Node, r: &'a Branch) -> Result<bool, Stop> {
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.vars.len();
        let items: Vec<(Value, Value)> = match &val {
            Value::List(l) => l
                .items
                .iter()
                .enumerate()
                .map(|(i, e)| (Value::Int(i as i64), e.clone()))
                .collect(),
            Value::Map(m) => m
                .entries
                .iter()
                .map(|(k, e)| (Value::String(k.as_str().into()), e.clone()))
                .collect(),
            Value::Int(n) => {
                if r.pipe.decl.len() > 1 {
                    self.at = At::Node(node);
                    return Err(self
                        .err(format!(
                            "can't use {n} to iterate over more than one variable"
                        ))
                        .into());
                }
                (0..(*n).max(0))
                    .map(|i| (Value::Int(i), Value::Int(i)))
                    .collect()
            }
            Value::Missing | Value::Nil => Vec::new(),
            other => {
                self.at = At::Node(node);
                return Err(self
                    .err(format!(
                        "range can't iterate over {}",
                        sprint(std::slice::from_ref(other))
                    ))
                    .into());
            }
        };
        if items.is_empty() {
            return Ok(false);
        }
        for (index, elem) in items {
            let n = self.vars.len();
            if !r.pipe.decl.is_empty() {
                self.vars[n - 1].1 = elem.clone();
            }
            if r.pipe.decl.len() > 1 {
                self.vars[n - 2].1 = index;
            }
            let res = self.walk_list(&elem, &r.list);
            self.vars.truncate(mark);
            match res {
                Ok(()) | Err(Stop::Continue) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    fn walk_template(
        &mut self,
        dot: &Value,
        node: &'a Node,
        name: &str,
        pipe: Option<&'a Pipe>,
    ) -> Result<(), Stop> {
        self.at = At::Node(node);
        let Some((tname, tree)) = self.tmpl.tree(name) else {
            return Err(self
                .err(format!("template {} not defined", quote(name)))
                .into());
        };
        if self.depth >= MAX_DEPTH {
            return Err(self
                .err(format!("exceeded maximum template depth ({MAX_DEPTH})"))
                .into());
        }
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Missing,
        };
        let mut inner = State {
            tmpl: self.tmpl,
            name: tname,
            tree,
            out: self.out,
            vars: vec![("$".into(), dot.clone())],
            depth: self.depth + 1,
            at: At::None,
        };
        match inner.walk_list(&dot, &tree.root) {
            Ok(()) => Ok(()),
            Err(Stop::Error(e)) => Err(Stop::Error(e)),
            Err(_) => Ok(()),
        }
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'a Pipe) -> R<Value> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let mut v = self.eval_command(dot, cmd, value.take())?;
            // A nil interface result is no value (Go's "lovely!" unwrap).
            if matches!(v, Value::Nil) {
                v = Value::Missing;
            }
            value = Some(v);
        }
        let value = value.unwrap_or(Value::Missing);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn set_var(&mut self, name: &str, value: Value) -> R<()> {
        for (n, v) in self.vars.iter_mut().rev() {
            if n == name {
                *v = value;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn var_value(&self, name: &str) -> R<Value> {
        for (n, v) in self.vars.iter().rev() {
            if n == name {
                return Ok(v.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Value>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'a Command, fin: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field(_, idents) => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, idents, &cmd.args, fin);
            }
            Arg::Chain(..) => return self.eval_chain(dot, first, &cmd.args, fin),
            Arg::Identifier(_, name) => {
                return self.eval_function(dot, first, At::Cmd(cmd), name, &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(..) => return self.eval_variable(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Value::Bool(*b)),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command".into()),
            Arg::Number(_, n) => self.ideal_constant(first, n),
            Arg::String(_, _, s) => Ok(Value::String(s.as_str().into())),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, node: &'a Arg, n: &Number) -> R<Value> {
        self.at = At::Arg(node);
        let t = &n.text;
        let hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] == b'x' || t.as_bytes()[1] == b'X')
            && !t.contains(['p', 'P']);
        let rune = t.starts_with('\'');
        if let Some(f) = n.float
            && !hex_int
            && !rune
            && t.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Value::Float(f));
        }
        if let Some(i) = n.int {
            return Ok(Value::Int(i));
        }
        if n.uint.is_some() {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Value::Missing)
    }

    fn eval_chain(
        &mut self,
        dot: &Value,
        chain: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        self.at = At::Arg(chain);
        let Arg::Chain(_, node, fields) = chain else {
            return self.errorf("internal error: not a chain".into());
        };
        if matches!(node.as_ref(), Arg::Nil(_)) {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let receiver = self.eval_arg(dot, &Param::Value, node)?;
        self.eval_field_chain(dot, receiver, chain, fields, args, fin)
    }

    fn eval_variable(
        &mut self,
        dot: &Value,
        var: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        self.at = At::Arg(var);
        let Arg::Variable(_, idents) = var else {
            return self.errorf("internal error: not a variable".into());
        };
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &idents[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: Value,
        node: &'a Arg,
        idents: &[String],
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        let n = idents.len();
        // Go names a receiver by its static type: an element of a
        // map[string]interface {} is an `interface {}`.
        let mut boxed = false;
        for ident in &idents[..n - 1] {
            let next_boxed =
                matches!(&receiver, Value::Map(m) if m.type_name.ends_with("]interface {}"));
            receiver = self.eval_field(dot, ident, node, &[], None, &receiver, boxed)?;
            boxed = next_boxed;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, &receiver, boxed)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
        receiver: &Value,
        boxed: bool,
    ) -> R<Value> {
        let has_args = args.len() > 1 || fin.is_some();
        let type_name = || {
            if boxed {
                "interface {}".to_owned()
            } else {
                receiver.type_name()
            }
        };
        match receiver {
            Value::Missing => {
                if self.tmpl.missing_key == MissingKey::Error {
                    return self.errorf(format!("nil data; no entry for key {}", quote(name)));
                }
                return Ok(Value::Missing);
            }
            Value::Nil => {
                return self.errorf(format!("nil pointer evaluating interface {{}}.{name}"));
            }
            Value::Struct(s) => {
                if let Some(method) = s.methods.get(name) {
                    let method = method.clone();
                    return self.eval_call(dot, &method, false, At::Arg(node), name, args, fin);
                }
                if let Some((_, v)) = s.fields.iter().find(|(n, _)| n == name) {
                    if has_args {
                        return self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok(v.clone());
                }
            }
            Value::Map(m) => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                return match m.entries.get(name) {
                    Some(v) => Ok(v.clone()),
                    None => match self.tmpl.missing_key {
                        MissingKey::Default => Ok(Value::Missing),
                        MissingKey::Zero => Ok(m.zero.clone()),
                        MissingKey::Error => {
                            self.errorf(format!("map has no entry for key {}", quote(name)))
                        }
                    },
                };
            }
            _ => {}
        }
        self.errorf(format!(
            "can't evaluate field {name} in type {}",
            type_name()
        ))
    }

    /// Calls function `name`; an error it returns is reported at `call`
    /// (the whole command when it is one, as Go does).
    fn eval_function(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        call: At<'a>,
        name: &str,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        self.at = At::Arg(node);
        let Some((function, builtin)) = self.tmpl.function(name) else {
            return self.errorf(format!("{} is not a defined function", quote(name)));
        };
        self.eval_call(dot, &function, builtin, call, name, args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Value,
        fun: &Function,
        builtin: bool,
        node: At<'a>,
        name: &str,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> R<Value> {
        let args = if args.is_empty() { args } else { &args[1..] };
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = fun.params().len();
        if fun.rest().is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {num_fixed} got {}",
                    args.len()
                ));
            }
        } else if num_in != num_fixed {
            return self.errorf(format!(
                "wrong number of args for {name}: want {num_fixed} got {num_in}"
            ));
        }
        if builtin && (name == "and" || name == "or") {
            let mut v = Value::Missing;
            for arg in args {
                v = self.eval_arg(dot, &Param::Value, arg)?;
                if v.is_true() == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, arg) in args.iter().enumerate() {
            let param = fun.param(i).cloned().unwrap_or(Param::Value);
            argv.push(self.eval_arg(dot, &param, arg)?);
        }
        if let Some(f) = fin {
            let param = fun.param(num_in - 1).cloned().unwrap_or(Param::Value);
            argv.push(self.validate_type(f, &param)?);
        }
        match fun.call(&argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at = node;
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }

    fn validate_type(&self, value: Value, param: &Param) -> R<Value> {
        let nilable = |p: &Param| match p {
            Param::Value | Param::Any => true,
            Param::Named(n) => n.starts_with("[]") || n.starts_with("map["),
            _ => false,
        };
        match (&value, param) {
            (_, Param::Value) => Ok(value),
            (Value::Missing | Value::Nil, Param::Any) => Ok(Value::Nil),
            (Value::Missing | Value::Nil, p) if nilable(p) => Ok(zero_of(p)),
            (Value::Missing, p) => {
                self.errorf(format!("invalid value; expected {}", p.type_name()))
            }
            (_, Param::Any) => Ok(value),
            (Value::Bool(_), Param::Bool)
            | (Value::Int(_), Param::Int)
            | (Value::Float(_), Param::Float)
            | (Value::String(_), Param::String) => Ok(value),
            (v, Param::Named(n)) if v.type_name() == *n => Ok(value),
            (v, p) => self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                p.type_name(),
                v.type_name()
            )),
        }
    }

    fn eval_arg(&mut self, dot: &Value, param: &Param, arg: &'a Arg) -> R<Value> {
        self.at = At::Arg(arg);
        match arg {
            Arg::Dot(_) => return self.validate_type(dot.clone(), param),
            Arg::Nil(_) => {
                return match param {
                    Param::Value => Ok(Value::Missing),
                    Param::Any => Ok(Value::Nil),
                    Param::Named(n) if n.starts_with("[]") || n.starts_with("map[") => {
                        Ok(zero_of(param))
                    }
                    p => self.errorf(format!("cannot assign nil to {}", p.type_name())),
                };
            }
            Arg::Field(_, idents) => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    arg,
                    idents,
                    std::slice::from_ref(arg),
                    None,
                )?;
                return self.validate_type(v, param);
            }
            Arg::Variable(..) => {
                let v = self.eval_variable(dot, arg, &[], None)?;
                return self.validate_type(v, param);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, param);
            }
            Arg::Identifier(_, name) => {
                let v = self.eval_function(dot, arg, At::Arg(arg), name, &[], None)?;
                return self.validate_type(v, param);
            }
            Arg::Chain(..) => {
                let v = self.eval_chain(dot, arg, &[], None)?;
                return self.validate_type(v, param);
            }
            _ => {}
        }
        match param {
            Param::Bool => match arg {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                _ => self.errorf(format!("expected bool; found {arg}")),
            },
            Param::Float => match arg {
                Arg::Number(_, Number { float: Some(f), .. }) => Ok(Value::Float(*f)),
                _ => self.errorf(format!("expected float; found {arg}")),
            },
            Param::Int => match arg {
                Arg::Number(_, Number { int: Some(i), .. }) => Ok(Value::Int(*i)),
                _ => self.errorf(format!("expected integer; found {arg}")),
            },
            Param::String => match arg {
                Arg::String(_, _, s) => Ok(Value::String(s.as_str().into())),
                _ => self.errorf(format!("expected string; found {arg}")),
            },
            Param::Any | Param::Value => match arg {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                Arg::Number(_, n) => self.ideal_constant(arg, n),
                Arg::String(_, _, s) => Ok(Value::String(s.as_str().into())),
                _ => self.errorf(format!(
                    "can't handle assignment of {arg} to empty interface argument"
                )),
            },
            Param::Named(n) => self.errorf(format!("can't handle {arg} for arg of type {n}")),
        }
    }

    fn print_value(&mut self, node: &'a Node, v: &Value) -> R<()> {
        self.at = At::Node(node);
        match v {
            Value::Missing => self.out.push_str("<no value>"),
            Value::Func(f) => {
                return self.errorf(format!("can't print {node} of type {}", f.type_name()));
            }
            other => self.out.push_str(&sprint(std::slice::from_ref(other))),
        }
        Ok(())
    }
}

/// The zero value of a nil-able parameter type.
fn zero_of(p: &Param) -> Value {
    match p {
        Param::Named(n) if n.starts_with("[]") => Value::list(n, []),
        Param::Named(n) if n.starts_with("map[") => {
            Value::typed_map::<String>(n, Value::Nil, std::iter::empty())
        }
        _ => Value::Nil,
    }
}
