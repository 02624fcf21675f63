//! Go's `text/template` for Rust: the same syntax, the same semantics, the
//! same output byte for byte, and errors worded and located as Go's are.
//!
//! Configuration written for Go tools (confd's template resources, Helm-like
//! snippets, consul-template) uses Go templates: `{{range gets "/app/*"}}`,
//! `{{- if .X -}}`, `{{$v := index .L 0}}`, `{{printf "%05d" .N}}`. This
//! crate runs them unchanged.
//!
//! # Example
//!
//! ```
//! use flotta_gotemplate::{Function, Param, Template, Value};
//!
//! let mut t = Template::new("upstream.tmpl");
//! t.func("upper", Function::new([Param::String], |a| {
//!     Ok(Value::from(a[0].as_str().unwrap_or_default().to_uppercase()))
//! }));
//! t.parse("upstream {{upper .name}} {\n{{- range .servers}}\n  server {{.}};\n{{- end}}\n}\n")
//!     .unwrap();
//! let data = Value::map([
//!     ("name", Value::from("app")),
//!     ("servers", Value::strings(["10.0.1.10:8080", "10.0.1.11:8080"])),
//! ]);
//! assert_eq!(
//!     t.execute(&data).unwrap(),
//!     "upstream APP {\n  server 10.0.1.10:8080;\n  server 10.0.1.11:8080;\n}\n"
//! );
//! ```
//!
//! # Example: errors as Go reports them
//!
//! ```
//! use flotta_gotemplate::{ErrorKind, Template, Value};
//!
//! let mut t = Template::new("app.conf");
//! t.parse("port = {{.port}}\nhost = {{.host.name}}\n").unwrap();
//! let data = Value::map([("port", Value::Int(80)), ("host", Value::from("x"))]);
//! let err = t.execute(&data).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Exec);
//! assert_eq!((err.line(), err.column()), (Some(2), Some(14)));
//! assert_eq!(
//!     err.to_string(),
//!     "template: app.conf:2:14: executing \"app.conf\" at <.host.name>: \
//!      can't evaluate field name in type interface {}"
//! );
//! ```
//!
//! # Why not a crate
//!
//! `gtmpl` is the one Go-template crate; it is passively maintained (last
//! release 2021) and differs from Go where configs notice: `and`/`or`
//! evaluate every argument, there is no `break`/`continue`, `slice`, `html`
//! or `js`, no method calls on values (confd's `{{datetime.Format …}}`),
//! `printf` does not follow Go's `%v` for lists and maps, and errors carry
//! a line but no column. So this crate follows Go's own sources instead —
//! the lexer's state machine, the parser's checks, the executor's argument
//! conversion — and is tested against the cases of Go's
//! `text/template/exec_test.go`, `parse/lex_test.go` and
//! `parse/parse_test.go` that apply (see `tests/`: 245 execution, 55
//! comparison, 96 parse, 32 parse-error and 50 lexer cases).
//!
//! # Design
//!
//! Go executes on reflection; here a [`Value`] carries what reflection would
//! tell: a kind, a Go type name (for errors such as `wrong type for value;
//! expected string; got int`), entries, fields and bound methods. Functions
//! declare Go signatures ([`Param`]), so arguments are checked and literal
//! constants converted as Go converts them. Maps iterate and print in key
//! order, as Go sorts them. Differences that remain: no complex numbers, no
//! channels or pointers, map keys are strings, and `{{template}}` nesting
//! stops at 200 levels (Go: 100,000), pipelines and blocks at 500.
//!
//! A template is parsed once and executed many times; execution never
//! panics on input: every failure is an [`Error`] with a [`ErrorKind`].

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod builtins;
mod error;
mod exec;
mod fmt;
mod lex;
mod parse;
mod value;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use error::{Error, ErrorKind};
pub use value::{Function, List, Map, Param, Struct, Value};

/// What a missing map key evaluates to (Go's `missingkey=` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// No value: prints as `<no value>` (Go's default).
    #[default]
    Default,
    /// The map element type's zero value.
    Zero,
    /// An error naming the key.
    Error,
}

/// A set of named templates sharing functions, as Go's `*template.Template`.
#[derive(Debug, Clone)]
pub struct Template {
    name: String,
    trees: BTreeMap<String, parse::Tree>,
    funcs: BTreeMap<String, Function>,
    builtins: Arc<BTreeMap<String, Function>>,
    left: String,
    right: String,
    missing_key: MissingKey,
}

impl Template {
    /// An empty set whose main template is `name` (Go's `template.New`).
    pub fn new(name: &str) -> Self {
        Template {
            name: name.to_owned(),
            trees: BTreeMap::new(),
            funcs: BTreeMap::new(),
            builtins: Arc::new(builtins::builtins()),
            left: "{{".into(),
            right: "}}".into(),
            missing_key: MissingKey::Default,
        }
    }

    /// The main template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds or replaces a function (Go's `Funcs`); must precede `parse`,
    /// which checks that every called function exists.
    pub fn func(&mut self, name: &str, f: Function) -> &mut Self {
        self.funcs.insert(name.to_owned(), f);
        self
    }

    /// Adds every function of `funcs`.
    pub fn funcs(&mut self, funcs: impl IntoIterator<Item = (String, Function)>) -> &mut Self {
        self.funcs.extend(funcs);
        self
    }

    /// Changes the action delimiters (Go's `Delims`); empty means the default.
    pub fn delims(&mut self, left: &str, right: &str) -> &mut Self {
        self.left = if left.is_empty() { "{{" } else { left }.to_owned();
        self.right = if right.is_empty() { "}}" } else { right }.to_owned();
        self
    }

    /// Sets what a missing map key gives.
    pub fn missing_key(&mut self, m: MissingKey) -> &mut Self {
        self.missing_key = m;
        self
    }

    /// Parses `text` as the main template (Go's `Parse`); `{{define}}` and
    /// `{{block}}` add named templates to the set.
    ///
    /// # Errors
    /// A syntax error, an undefined function or variable: [`ErrorKind::Parse`]
    /// with the template name, line and column. The set is unchanged.
    pub fn parse(&mut self, text: &str) -> Result<&mut Self, Error> {
        let name = self.name.clone();
        self.parse_named(&name, text)
    }

    /// Parses `text` as template `name` of the set (as `ParseFiles` names a
    /// file's template after the file).
    ///
    /// # Errors
    /// As [`Template::parse`].
    pub fn parse_named(&mut self, name: &str, text: &str) -> Result<&mut Self, Error> {
        let funcs = &self.funcs;
        let builtins = &self.builtins;
        let has = |f: &str| funcs.contains_key(f) || builtins.contains_key(f);
        let cx = parse::Context {
            left: &self.left,
            right: &self.right,
            has_function: &has,
        };
        let mut trees = self.trees.clone();
        parse::parse(name, text, &cx, &mut trees)?;
        self.trees = trees;
        Ok(self)
    }

    /// Whether a template of this name is defined.
    pub fn lookup(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// A template's tree as Go's `Tree.Root.String()` prints it (text
    /// quoted), for comparing parses with Go's.
    #[doc(hidden)]
    pub fn tree_string(&self, name: &str) -> Option<String> {
        let tree = self.trees.get(name)?;
        Some(tree.root.iter().map(ToString::to_string).collect())
    }

    /// The defined templates' names, in order.
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(String::as_str)
    }

    /// Runs the main template on `data` (Go's `Execute`).
    ///
    /// # Errors
    /// [`ErrorKind::Exec`]: the failure, located in the template.
    pub fn execute(&self, data: &Value) -> Result<String, Error> {
        self.execute_template(&self.name, data)
    }

    /// Runs template `name` of the set on `data` (Go's `ExecuteTemplate`).
    ///
    /// # Errors
    /// As [`Template::execute`], or no such template.
    pub fn execute_template(&self, name: &str, data: &Value) -> Result<String, Error> {
        let Some((name, tree)) = self.tree(name) else {
            let text = if name == self.name {
                format!(
                    "template: {name}: {} is an incomplete or empty template",
                    fmt::quote(name)
                )
            } else {
                format!(
                    "template: no template {} associated with template {}",
                    fmt::quote(name),
                    fmt::quote(&self.name)
                )
            };
            return Err(Error::new(ErrorKind::Exec, text));
        };
        let mut out = String::new();
        exec::execute(self, name, tree, data, &mut out)?;
        Ok(out)
    }

    fn tree(&self, name: &str) -> Option<(&str, &parse::Tree)> {
        self.trees.get_key_value(name).map(|(k, t)| (k.as_str(), t))
    }

    /// A function by name: added ones shadow builtins. `true` for a builtin.
    fn function(&self, name: &str) -> Option<(Function, bool)> {
        if let Some(f) = self.funcs.get(name) {
            return Some((f.clone(), false));
        }
        self.builtins.get(name).map(|f| (f.clone(), true))
    }
}

/// The scanner's tokens for `input`, as Go's lexer tests name them:
/// (kind, text, byte offset, line), comments included. For comparing with
/// Go's `lex_test.go`; not a stable API.
#[doc(hidden)]
pub fn lex_items(
    input: &str,
    left: &str,
    right: &str,
) -> Vec<(&'static str, String, usize, usize)> {
    let left = if left.is_empty() { "{{" } else { left };
    let right = if right.is_empty() { "}}" } else { right };
    lex::lex_with(input, left, right, true, true, true)
        .into_iter()
        .map(|i| (lex::go_name(i.tok), i.val, i.pos, i.line))
        .collect()
}

/// Go's `fmt.Sprint` of values, as `{{.}}` prints them.
pub fn sprint(values: &[Value]) -> String {
    fmt::sprint(values)
}

/// Go's `fmt.Sprintf` over template values.
pub fn sprintf(format: &str, values: &[Value]) -> String {
    fmt::sprintf(format, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go 1.18's break and continue, Go 1.22's range over an integer and
    /// Go 1.23's `else with` (newer than the Go whose tests are ported).
    #[test]
    fn newer_go_forms() {
        let run = |text: &str, data: &Value| {
            let mut t = Template::new("t");
            t.parse(text).unwrap().execute(data).unwrap()
        };
        let list = Value::list("[]int", (1..=5).map(Value::Int));
        assert_eq!(
            run(
                "{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}",
                &list
            ),
            "13"
        );
        assert_eq!(
            run(
                "{{range 3}}{{.}}{{end}}|{{range $i := 2}}{{$i}}{{end}}",
                &Value::Missing
            ),
            "012|01"
        );
        assert_eq!(
            run(
                "{{with 0}}a{{else with 1}}b{{.}}{{else}}c{{end}}",
                &Value::Missing
            ),
            "b1"
        );
        // Located at the token the parser stopped on, as Go picks the line.
        let err = Template::new("t").parse("{{break}}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "template: t:1:7: {{break}} outside {{range}}"
        );
    }

    /// Hostile input ends in an error, not a stack overflow, on a test
    /// thread's 2 MiB stack.
    #[test]
    fn recursion_and_nesting_are_bounded() {
        let mut t = Template::new("t");
        t.parse(r#"{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}"#)
            .unwrap();
        let err = t.execute(&Value::Missing).unwrap_err();
        assert!(
            err.to_string()
                .contains("exceeded maximum template depth (200)"),
            "{err}"
        );
        let deep = format!("{{{{{}1{}}}}}", "(".repeat(100_000), ")".repeat(100_000));
        let err = Template::new("t").parse(&deep).unwrap_err();
        assert!(
            err.to_string().contains("nested more than 500 deep"),
            "{err}"
        );
        // Just inside the bound: parses and runs.
        let ok = format!("{{{{{}1{}}}}}", "(".repeat(498), ")".repeat(498));
        assert_eq!(
            Template::new("t")
                .parse(&ok)
                .unwrap()
                .execute(&Value::Missing)
                .unwrap(),
            "1"
        );
        let nested = format!("{}x{}", "{{with 1}}".repeat(499), "{{end}}".repeat(499));
        assert_eq!(
            Template::new("t")
                .parse(&nested)
                .unwrap()
                .execute(&Value::Missing)
                .unwrap(),
            "x"
        );
        let ifs = "{{if 1}}".repeat(10_000);
        let err = Template::new("t").parse(&ifs).unwrap_err();
        assert!(
            err.to_string().contains("nested more than 500 deep"),
            "{err}"
        );
    }
}
