//! The parser: tokens to trees, as Go's `text/template/parse/parse.go`
//! builds them (the same checks at parse time: undefined functions and
//! variables, `break` outside `range`, non-executable pipeline stages).

use std::collections::BTreeMap;
use std::fmt::{self, Write};
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
use crate::lex::{Item, Tok, lex};

/// A parsed template body with the text it came from (for error positions).
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    /// The name of the template being parsed when this tree was defined:
    /// error positions name it, as Go's `ParseName` does.
    pub(crate) parse_name: String,
    pub(crate) text: Arc<str>,
    pub(crate) root: List,
}

pub(crate) type List = Vec<Node>;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(usize),
    Continue(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub(crate) pos: usize,
    pub(crate) pipe: Pipe,
    pub(crate) list: List,
    pub(crate) else_list: Option<List>,
}

#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub(crate) pos: usize,
    pub(crate) is_assign: bool,
    pub(crate) decl: Vec<String>,
    pub(crate) cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub(crate) args: Vec<Arg>,
}

/// A number literal with every type it can be read as (Go's `NumberNode`).
#[derive(Debug, Clone)]
pub(crate) struct Number {
    pub(crate) text: String,
    pub(crate) int: Option<i64>,
    pub(crate) uint: Option<u64>,
    pub(crate) float: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    /// `.A.B`: the field names.
    Field(usize, Vec<String>),
    /// `$x.A`: the variable, then field names.
    Variable(usize, Vec<String>),
    Identifier(usize, String),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Number),
    /// The quoted source text and the value.
    String(usize, String, String),
    Pipe(Box<Pipe>),
    /// `(pipe).A.B` or `fn.A`.
    Chain(usize, Box<Arg>, Vec<String>),
}

impl Arg {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Arg::Field(p, _)
            | Arg::Variable(p, _)
            | Arg::Identifier(p, _)
            | Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::String(p, _, _)
            | Arg::Chain(p, _, _) => *p,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field(_, idents) => idents.iter().try_for_each(|i| write!(f, ".{i}")),
            Arg::Variable(_, idents) => f.write_str(&idents.join(".")),
            Arg::Identifier(_, name) => f.write_str(name),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String(_, quoted, _) => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Chain(_, node, fields) => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    other => write!(f, "{other}")?,
                }
                fields.iter().try_for_each(|i| write!(f, ".{i}"))
            }
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            match arg {
                Arg::Pipe(p) => write!(f, "({p})")?,
                other => write!(f, "{other}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(" := ")?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &List) -> fmt::Result {
    list.iter().try_for_each(|n| write!(f, "{n}"))
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let branch = |f: &mut fmt::Formatter<'_>, name: &str, b: &Branch| {
            write!(f, "{{{{{name} {}}}}}", b.pipe)?;
            write_list(f, &b.list)?;
            if let Some(e) = &b.else_list {
                f.write_str("{{else}}")?;
                write_list(f, e)?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text(t) => f.write_str(&crate::fmt::quote(t)),
            Node::Action(p) => write!(f, "{{{{{p}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::Range(b) => branch(f, "range", b),
            Node::With(b) => branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                write!(f, "{{{{template {}", crate::fmt::quote(name))?;
                if let Some(p) = pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

/// What the parser needs from the template set.
pub(crate) struct Context<'a> {
    pub(crate) left: &'a str,
    pub(crate) right: &'a str,
    /// Whether a function of this name exists (builtin or added).
    pub(crate) has_function: &'a dyn Fn(&str) -> bool,
}

/// (0-based column, 1-based line) of byte `pos` in `text`, as Go counts.
pub(crate) fn position(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    let line = 1 + before.matches('\n').count();
    let col = match before.rfind('\n') {
        Some(nl) => before.len() - (nl + 1),
        None => before.len(),
    };
    (line, col)
}

/// Whether a tree holds only space and comments (Go's `IsEmptyTree`):
/// such a definition may be replaced by a later one.
pub(crate) fn is_empty(list: &List) -> bool {
    list.iter().all(|n| match n {
        Node::Text(t) => t.trim_matches(|c: char| c.is_ascii_whitespace()).is_empty(),
        _ => false,
    })
}

/// Parses `text` as template `name`, adding it and its `define`d and
/// `block` templates to `trees`.
pub(crate) fn parse(
    name: &str,
    text: &str,
    cx: &Context<'_>,
    trees: &mut BTreeMap<String, Tree>,
) -> Result<(), Error> {
    let items = lex(
        text,
        cx.left,
        cx.right,
        !(cx.has_function)("break"),
        !(cx.has_function)("continue"),
    );
    let text: Arc<str> = text.into();
    let mut p = Parser {
        items,
        i: 0,
        last: 0,
        name: name.to_owned(),
        text: Arc::clone(&text),
        vars: vec!["$".into()],
        range_depth: 0,
        action_line: 0,
        cx,
        defined: Vec::new(),
        depth: 0,
    };
    let root = p.parse_top()?;
    if !is_empty(&root) && p.defined.iter().any(|(n, l)| n == name && !is_empty(l)) {
        return p.errorf(format!(
            "template: multiple definition of template {}",
            crate::fmt::quote(name)
        ));
    }
    let mut new = std::mem::take(&mut p.defined);
    new.insert(0, (name.to_owned(), root));
    for (n, root) in new {
        associate(trees, &n, name, &text, root);
    }
    Ok(())
}

/// Adds a tree as Go's `Template.associate` does: a later definition
/// replaces an earlier one, except that an empty one never replaces.
fn associate(
    trees: &mut BTreeMap<String, Tree>,
    name: &str,
    parse_name: &str,
    text: &Arc<str>,
    root: List,
) {
    if is_empty(&root) && trees.contains_key(name) {
        return;
    }
    trees.insert(
        name.to_owned(),
        Tree {
            parse_name: parse_name.to_owned(),
            text: Arc::clone(text),
            root,
        },
    );
}

struct Parser<'a> {
    items: Vec<Item>,
    i: usize,
    /// Index of the last token handed out (Go's `token[0]`), for error lines.
    last: usize,
    name: String,
    text: Arc<str>,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    cx: &'a Context<'a>,
    /// Templates defined inside this text, in order.
    defined: Vec<(String, List)>,
    /// Open parentheses and control blocks: bounded, so a hostile text
    /// cannot exhaust the stack.
    depth: usize,
}

/// How deeply pipelines and blocks may nest.
const MAX_NESTING: usize = 500;

type PResult<T> = Result<T, Error>;

enum Ending {
    End,
    Else,
}

impl Parser<'_> {
    fn next(&mut self) -> Item {
        let idx = self.i.min(self.items.len() - 1);
        self.last = idx;
        if self.i < self.items.len() {
            self.i += 1;
        }
        self.items[idx].clone()
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&mut self) -> Item {
        self.items[self.i.min(self.items.len() - 1)].clone()
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.tok != Tok::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, message: String) -> PResult<T> {
        let item = &self.items[self.last];
        let (line, col) = position(&self.text, item.pos);
        // Go names only the line of a parse error; the column is added
        // (same 0-based byte count as Go's execution errors).
        Err(Error::located(
            ErrorKind::Parse,
            &self.name,
            line,
            col,
            format!("template: {}:{line}:{col}: {message}", self.name),
            message,
        ))
    }

    fn unexpected<T>(&self, item: &Item, context: &str) -> PResult<T> {
        if item.tok == Tok::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != item.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if item.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_owned();
                }
            }
            return self.errorf(format!("{item}{extra}"));
        }
        self.errorf(format!("unexpected {item} in {context}"))
    }

    fn expect(&mut self, tok: Tok, context: &str) -> PResult<Item> {
        let t = self.next_non_space();
        if t.tok != tok {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut root = Vec::new();
        while self.peek().tok != Tok::Eof {
            if self.peek().tok == Tok::LeftDelim {
                let mark = self.i;
                self.next();
                if self.next_non_space().tok == Tok::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = mark;
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.push(n),
                Parsed::End => return self.errorf("unexpected {{end}}".into()),
                Parsed::Else => return self.errorf("unexpected {{else}}".into()),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        if t.tok != Tok::String && t.tok != Tok::RawString {
            return self.unexpected(&t, CONTEXT);
        }
        let name = match unquote(&t.val) {
            Ok(n) => n,
            Err(e) => return self.errorf(e),
        };
        self.expect(Tok::RightDelim, CONTEXT)?;
        // A definition has its own variables.
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, end) = self.item_list()?;
        self.vars = saved;
        if let Ending::Else = end {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.push_definition(name, list)
    }

    fn push_definition(&mut self, name: String, list: List) -> PResult<()> {
        if let Some((_, old)) = self.defined.iter().find(|(n, _)| *n == name)
            && !is_empty(old)
            && !is_empty(&list)
        {
            return self.errorf(format!(
                "template: multiple definition of template {}",
                crate::fmt::quote(&name)
            ));
        }
        self.defined.push((name, list));
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(List, Ending)> {
        let mut list = Vec::new();
        while self.peek_non_space().tok != Tok::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                Parsed::End => return Ok((list, Ending::End)),
                Parsed::Else => return Ok((list, Ending::Else)),
            }
        }
        self.errorf("unexpected EOF".into())
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let t = self.next_non_space();
        match t.tok {
            Tok::Text => Ok(Parsed::Node(Node::Text(t.val))),
            Tok::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let t = self.next_non_space();
        match t.tok {
            Tok::Block => return self.block_control().map(Parsed::Node),
            Tok::Break => return self.loop_control(t.pos, "break").map(Parsed::Node),
            Tok::Continue => return self.loop_control(t.pos, "continue").map(Parsed::Node),
            Tok::Else => return self.else_control(),
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            Tok::If => return self.if_control().map(Parsed::Node),
            Tok::Range => {
                let b = self.parse_control(false, "range")?;
                return Ok(Parsed::Node(Node::Range(b)));
            }
            Tok::Template => return self.template_control().map(Parsed::Node),
            Tok::With => {
                let b = self.parse_control(true, "with")?;
                return Ok(Parsed::Node(Node::With(b)));
            }
            _ => {}
        }
        self.backup();
        Ok(Parsed::Node(Node::Action(
            self.pipeline("command", Tok::RightDelim)?,
        )))
    }

    fn loop_control(&mut self, pos: usize, word: &str) -> PResult<Node> {
        let t = self.next_non_space();
        if t.tok != Tok::RightDelim {
            return self.unexpected(&t, &format!("{{{{{word}}}}}"));
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}"));
        }
        Ok(if word == "break" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        // `{{else if …}}` and `{{else with …}}` chain a new branch.
        if peek.tok == Tok::If || peek.tok == Tok::With {
            return Ok(Parsed::Else);
        }
        self.expect(Tok::RightDelim, "else")?;
        Ok(Parsed::Else)
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        self.depth += 1;
        let r = self.pipeline_inner(context, end);
        self.depth -= 1;
        r
    }

    fn pipeline_inner(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        if self.depth > MAX_NESTING {
            return self.errorf(format!("{context} nested more than {MAX_NESTING} deep"));
        }
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            let v = self.peek_non_space();
            if v.tok != Tok::Variable {
                break;
            }
            let mark = self.i;
            self.next();
            let after = self.peek();
            let next = self.peek_non_space();
            match next.tok {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.tok == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    break;
                }
                Tok::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().tok {
                            Tok::Variable | Tok::RightDelim | Tok::RightParen => continue,
                            _ => return self.errorf("range can only initialize variables".into()),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after;
                    self.i = mark;
                    break;
                }
            }
        }
        loop {
            let t = self.next_non_space();
            match t.tok {
                tok if tok == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                Tok::Bool
                | Tok::CharConstant
                | Tok::Complex
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawString
                | Tok::String
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String(..)
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn parse_control(&mut self, allow_else_chain: bool, context: &str) -> PResult<Branch> {
        let vars = self.vars.len();
        self.depth += 1;
        let r = self.parse_control_inner(allow_else_chain, context);
        self.depth -= 1;
        self.vars.truncate(vars);
        r
    }

    fn parse_control_inner(&mut self, allow_else_chain: bool, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let Ending::Else = next {
            let chained = self.peek().tok;
            if allow_else_chain
                && ((chained == Tok::If && context == "if")
                    || (chained == Tok::With && context == "with"))
            {
                // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}`, one
                // `end` shared; likewise `{{else with}}`.
                self.next();
                let nested = self.parse_control(true, context)?;
                else_list = Some(vec![if context == "if" {
                    Node::If(nested)
                } else {
                    Node::With(nested)
                }]);
            } else {
                let (list, next) = self.item_list()?;
                if let Ending::Else = next {
                    return self.errorf("expected end; found {{else}}".into());
                }
                else_list = Some(list);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(self.parse_control(true, "if")?))
    }

    fn template_name(&self, t: &Item, context: &str) -> PResult<String> {
        match t.tok {
            Tok::String | Tok::RawString => unquote(&t.val).or_else(|e| self.errorf(e)),
            _ => self.unexpected(t, context),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Tok::RightDelim)?;
        // A block is a definition: its own variables, outside any range.
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let depth = std::mem::take(&mut self.range_depth);
        let listed = self.item_list();
        self.vars = saved;
        self.range_depth = depth;
        let (list, end) = listed?;
        if let Ending::Else = end {
            return self.errorf(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.push_definition(name.clone(), list)?;
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().tok != Tok::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Tok::RightDelim)?);
        }
        Ok(Node::Template {
            pos: t.pos,
            name,
            pipe,
        })
    }

    fn command(&mut self) -> PResult<Command> {
        self.peek_non_space();
        let mut cmd = Command { args: Vec::new() };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let t = self.next();
            match t.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command".into());
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().tok != Tok::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().tok == Tok::Field {
            fields.push(self.next().val[1..].to_owned());
        }
        Ok(Some(match node {
            Arg::Field(_, mut idents) => {
                idents.extend(fields);
                Arg::Field(chain_pos, idents)
            }
            Arg::Variable(_, mut idents) => {
                idents.extend(fields);
                Arg::Variable(chain_pos, idents)
            }
            Arg::Bool(..) | Arg::String(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.errorf(format!(
                    "unexpected . after term {}",
                    crate::fmt::quote(&node.to_string())
                ));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.tok {
            Tok::Identifier => {
                if !(self.cx.has_function)(&t.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        crate::fmt::quote(&t.val)
                    ));
                }
                Arg::Identifier(t.pos, t.val)
            }
            Tok::Dot => Arg::Dot(t.pos),
            Tok::Nil => Arg::Nil(t.pos),
            Tok::Variable => {
                if !self.vars.contains(&t.val) {
                    return self
                        .errorf(format!("undefined variable {}", crate::fmt::quote(&t.val)));
                }
                Arg::Variable(t.pos, vec![t.val])
            }
            Tok::Field => Arg::Field(t.pos, t.val[1..].split('.').map(str::to_owned).collect()),
            Tok::Bool => Arg::Bool(t.pos, t.val == "true"),
            Tok::CharConstant | Tok::Number | Tok::Complex => match number(&t.val, t.tok) {
                Ok(n) => Arg::Number(t.pos, n),
                Err(e) => return self.errorf(e),
            },
            Tok::LeftParen => Arg::Pipe(Box::new(
                self.pipeline("parenthesized pipeline", Tok::RightParen)?,
            )),
            Tok::String | Tok::RawString => match unquote(&t.val) {
                Ok(s) => Arg::String(t.pos, t.val, s),
                Err(e) => return self.errorf(e),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Parsed {
    Node(Node),
    End,
    Else,
}

/// Reads a number literal as Go's `newNumber` does.
fn number(text: &str, tok: Tok) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_owned(),
        int: None,
        uint: None,
        float: None,
    };
    if tok == Tok::CharConstant {
        let (c, tail) = unquote_char(&text[1..], '\'')?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        n.int = Some(i64::from(u32::from(c)));
        n.uint = Some(u64::from(u32::from(c)));
        n.float = Some(f64::from(u32::from(c)));
        return Ok(n);
    }
    let imaginary = text
        .strip_suffix('i')
        .is_some_and(|t| parse_float(t).is_some() || parse_int(t).is_some());
    if tok == Tok::Complex || imaginary {
        return Err(format!(
            "complex number {} is not supported",
            crate::fmt::quote(text)
        ));
    }
    let u = parse_uint(text);
    let i = parse_int(text);
    n.uint = u;
    if let Some(i) = i {
        n.int = Some(i);
        if i == 0 {
            n.uint = Some(0);
        }
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::fmt::quote(text)));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            crate::fmt::quote(text)
        ));
    }
    Ok(n)
}

/// Strips Go's digit separators: `_` only between digits or after a base prefix.
fn strip_underscores(digits: &str, prefixed: bool) -> Option<String> {
    if !digits.contains('_') {
        return Some(digits.to_owned());
    }
    let b = digits.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let before_ok = if i == 0 { prefixed } else { b[i - 1] != b'_' };
            let after_ok = i + 1 < b.len() && b[i + 1] != b'_';
            if !before_ok || !after_ok {
                return None;
            }
        }
    }
    Some(digits.replace('_', ""))
}

fn parse_uint(text: &str) -> Option<u64> {
    let t = text.strip_prefix('+').unwrap_or(text);
    if t.starts_with('-') {
        return None;
    }
    let (radix, digits, prefixed) = if let Some(r) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
        (16, r, true)
    } else if let Some(r) = t.strip_prefix("0o").or(t.strip_prefix("0O")) {
        (8, r, true)
    } else if let Some(r) = t.strip_prefix("0b").or(t.strip_prefix("0B")) {
        (2, r, true)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..], true)
    } else {
        (10, t, false)
    };
    let digits = strip_underscores(digits, prefixed)?;
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(rest) = text.strip_prefix('-') {
        let u = parse_uint(rest)?;
        if u <= i64::MAX as u64 + 1 {
            return Some((u as i64).wrapping_neg());
        }
        return None;
    }
    parse_uint(text).and_then(|u| i64::try_from(u).ok())
}

fn parse_float(text: &str) -> Option<f64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let v = if let Some(hex) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
        parse_hex_float(&strip_underscores(hex, true)?)?
    } else {
        let clean = strip_underscores(t, false)?;
        if clean.is_empty() || !clean.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => return None,
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

/// Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'`.
pub(crate) fn unquote(s: &str) -> Result<String, String> {
    let bad = || "invalid syntax".to_owned();
    let q = s.chars().next().ok_or_else(bad)?;
    if s.len() < 2 || !s.ends_with(q) {
        return Err(bad());
    }
    let body = &s[1..s.len() - 1];
    match q {
        '`' => {
            if body.contains('`') {
                return Err(bad());
            }
            Ok(body.replace('\r', ""))
        }
        '"' | '\'' => {
            let mut out = String::new();
            let mut rest = body;
            while !rest.is_empty() {
                if rest.starts_with(q) && q == '"' {
                    return Err(bad());
                }
                let (c, tail) = unquote_char(rest, q)?;
                out.push(c);
                rest = tail;
            }
            if q == '\'' && out.chars().count() != 1 {
                return Err(bad());
            }
            Ok(out)
        }
        _ => Err(bad()),
    }
}

/// Go's `strconv.UnquoteChar`: one (possibly escaped) character and the rest.
fn unquote_char(s: &str, quote: char) -> Result<(char, &str), String> {
    let bad = || "invalid syntax".to_owned();
    let mut chars = s.chars();
    let c = chars.next().ok_or_else(bad)?;
    if c == quote && quote == '\'' {
        return Err(bad());
    }
    if c != '\\' {
        return Ok((c, chars.as_str()));
    }
    let e = chars.next().ok_or_else(bad)?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return Err(bad());
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((c, rest));
    }
    let hex = |n: usize| -> Result<(u32, &str), String> {
        if rest.len() < n || !rest.is_char_boundary(n) {
            return Err(bad());
        }
        let v = u32::from_str_radix(&rest[..n], 16).map_err(|_| bad())?;
        Ok((v, &rest[n..]))
    };
    match e {
        'x' => {
            let (v, tail) = hex(2)?;
            // A byte escape: only ASCII is a char on its own here.
            char::from_u32(v).map(|c| (c, tail)).ok_or_else(bad)
        }
        'u' => {
            let (v, tail) = hex(4)?;
            char::from_u32(v).map(|c| (c, tail)).ok_or_else(bad)
        }
        'U' => {
            let (v, tail) = hex(8)?;
            char::from_u32(v).map(|c| (c, tail)).ok_or_else(bad)
        }
        '0'..='7' => {
            if rest.len() < 2 {
                return Err(bad());
            }
            let v = u32::from_str_radix(&format!("{e}{}", &rest[..2]), 8).map_err(|_| bad())?;
            if v > 255 {
                return Err(bad());
            }
            char::from_u32(v).map(|c| (c, &rest[2..])).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}
